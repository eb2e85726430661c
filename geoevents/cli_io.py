r"""What the CLI commands share: the terminal, option types, the gazetteer at open, JSON Lines out.

Everything printed to a terminal passes :func:`term_safe`: ids, titles and file names come
from articles, and an ANSI escape in one (``\\x1b[2J``, ``\\x1b]0;``) must not reach the
terminal raw. When stderr is not a terminal, messages are written as plain single lines
(no rich wrapping at 80 columns), so a log file or a pipe gets one line per message.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from geoevents.errors import (
    GazetteerCorrupt,
    GeoeventsError,
    GeoeventsWarning,
    OutputError,
    OutputExists,
    Report,
    UsageError,
)
from geoevents.ingest.decode import clean_text

__all__ = [
    "STATE",
    "EngineOpt",
    "GazetteerOpt",
    "OnErrorOpt",
    "OverwriteOpt",
    "QuietOpt",
    "SchedulerOpt",
    "StrictOpt",
    "WorkersOpt",
    "err_console",
    "finish",
    "jsonl_writer",
    "open_gazetteer",
    "out_console",
    "policy",
    "progress",
    "say",
    "summary",
    "term_safe",
]

err_console = Console(stderr=True, soft_wrap=True)
out_console = Console(soft_wrap=True)
log = logging.getLogger("geoevents")

#: Set by the top-level callback, read by ``main`` (no environment variable between them).
STATE: dict[str, Any] = {"verbose": 0}

# ANSI/VT escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other ESC x,
# then any C0/C1 control character left (tab kept, newlines made spaces: one message, one line).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def term_safe(text: object) -> str:
    """Text fit for a terminal line: escape sequences and control characters removed, one line."""
    s = str(text)
    s = _ESCAPES.sub("", s)
    s = s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    s = _CONTROLS.sub("", s)
    return _SURROGATES.sub(_show_surrogate, s)


def _show_surrogate(m: re.Match[str]) -> str:
    """Show an undecodable file-name byte (``surrogateescape``) as backslash-x-ff; any other as U+FFFD."""
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def say(message: object, style: str | None = None) -> None:
    """One line on stderr: rich (styled, never wrapped) on a terminal, plain text otherwise."""
    line = term_safe(message)
    if err_console.is_terminal:
        err_console.print(Text(line, style=style or ""), soft_wrap=True)
    else:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


class SafeFormatter(logging.Formatter):
    """Log lines pass through :func:`term_safe` (messages quote file names and article ids)."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.exc_info and STATE["verbose"]:
            head, _, trace = text.partition("\n")
            return term_safe(head) + ("\n" + trace if trace else "")
        return term_safe(text)


_EXTRACTOR_LOGGERS = ("trafilatura", "htmldate", "charset_normalizer", "courlan", "justext")


def setup_logging(verbose: int) -> None:
    """WARNING by default; ``-v`` INFO, ``-vv`` DEBUG; every line made terminal-safe."""
    STATE["verbose"] = verbose
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING - 10 * min(verbose, 2))
    if verbose < 2:  # their "errors" on odd pages are ours to handle: the plain extractor takes over
        handler.addFilter(lambda record: not record.name.startswith(_EXTRACTOR_LOGGERS))
    logging.captureWarnings(True)
    plain = warnings.formatwarning

    def formatwarning(
        message: Any, category: Any, filename: str, lineno: int, line: str | None = None
    ) -> str:
        if issubclass(category, GeoeventsWarning):  # --on-error warn: the message, not our source line
            return str(message)
        return plain(message, category, filename, lineno, line)

    warnings.formatwarning = formatwarning


def quiet_logging(quiet: bool) -> None:
    """``-q``: only errors are logged (unless ``-v`` asked for more), from geoevents and libraries alike."""
    if quiet and not STATE["verbose"]:
        logging.getLogger().setLevel(logging.ERROR)
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.ERROR)


# --------------------------------------------------------------------------- option types

GazetteerOpt = Annotated[
    Path | None,
    typer.Option(
        "--gazetteer",
        envvar="GEOEVENTS_GAZETTEER",
        metavar="PATH",
        help="Gazetteer SQLite file (default: user cache; built on first use).",
    ),
]
OverwriteOpt = Annotated[bool, typer.Option("--overwrite", metavar="", help="Replace existing outputs.")]
OnErrorOpt = Annotated[
    str,
    typer.Option(
        "--on-error",
        metavar="raise|warn|skip",
        help="What to do with a bad article: raise (stop with an error), warn or skip (count and report).",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", metavar="", help="No progress bar, summary or log lines below errors."),
]
StrictOpt = Annotated[bool, typer.Option("--strict", metavar="", help="Exit 3 if any article was skipped.")]
WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers",
        "-j",
        min=1,
        metavar="N",
        help="Worker processes (at most the CPU count) for the per-article work.",
    ),
]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine", metavar="local|dask", help="local (processes) or dask (needs the 'dask' extra)."
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDR",
        help="Dask scheduler address (tcp://host:8786); default: a LocalCluster.",
    ),
]


def policy(value: str) -> Any:
    """Check the ``--on-error`` value (a usage error otherwise)."""
    from geoevents.errors import check_policy

    try:
        return check_policy(value)
    except GeoeventsError as err:
        raise typer.BadParameter(str(err)) from None


# --------------------------------------------------------------------------- the gazetteer


def open_gazetteer(path: Path | None, quiet: bool, *, check: bool = True) -> Any:
    """Open the gazetteer (building it first, once, if missing) and check its health.

    The health check reads every page once (under a second): a damaged index is one error here,
    before any work, instead of a skipped article after another and outputs replaced by empty ones.
    """
    from geoevents.gazetteer import SQLiteGazetteer, default_gazetteer_path

    target = Path(path) if path else default_gazetteer_path()
    if str(path) == "-":
        raise UsageError("--gazetteer needs a file, not standard input")
    if target.exists() and not target.is_file() and not target.is_dir():
        raise GazetteerCorrupt(
            f"The gazetteer path {target} is not a regular file (a FIFO or device?); pass --gazetteer PATH "
            "to an index file or run `geoevents gazetteer build --force`"
        )
    if not target.exists():  # an explicit path that does not exist is built there
        build(target, force=False, quiet=quiet)
    elif any(target.parent.glob(f"{target.name}.*.tmp")):  # a killed build's leftovers (~180 MB)
        build(target, force=False, quiet=True)
    gaz = SQLiteGazetteer.open(target, build=False)
    if check:
        gaz.check_health()
    return gaz


def build(target: Path, *, force: bool, quiet: bool) -> Path:
    """Build the index at ``target`` under its lock; a concurrent first build is waited for and reused."""
    from geoevents.gazetteer.store import build_index_locked

    if target.exists() and not force:  # nothing to build; clear a killed build's leftovers
        build_index_locked(target, force=False)
        return target
    show = not quiet and err_console.is_terminal
    if not quiet:
        say(f"Building the offline gazetteer at {target} (once; about a minute) …")
    if show:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err_console
        ) as bar:
            task = bar.add_task("gazetteer", total=None)

            def cb(done: int, total: int | None, label: str) -> None:
                bar.update(task, completed=done, total=total, description=escape(term_safe(label)))

            built = build_index_locked(target, force=force, progress=cb)
    else:
        built = build_index_locked(target, force=force)
    if not built and not quiet:
        say(f"Another run built {target} meanwhile; using it")
    return target


# --------------------------------------------------------------------------- progress and summary


@contextlib.contextmanager
def progress(label: str, quiet: bool) -> Iterator[Any]:
    """Yield a callable advancing a progress display (count, rate, elapsed); no-op when quiet or not a TTY."""
    if quiet or not err_console.is_terminal:
        yield lambda n=1: None
        return
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn(label),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=None, rate="")
        start = time.perf_counter()
        state = {"n": 0}

        def advance(n: int = 1) -> None:
            state["n"] += n
            elapsed = max(time.perf_counter() - start, 1e-9)
            bar.update(task, advance=n, rate=f"{state['n'] / elapsed:,.0f} articles/s")

        yield advance


def summary(
    report: Report, extra: str, quiet: bool, *, details: str = "--on-error raise stops at the first"
) -> None:
    """Print the run's one-line account on stderr, then up to five skip messages."""
    if quiet:
        return
    say(f"{report.summary()} -> {extra}")
    for msg in report.messages[:5]:
        say(f"  skipped: {msg}", style="yellow")
    if len(report.messages) > 5:
        say(f"  … and {len(report.messages) - 5} more ({details})")


def finish(report: Report, strict: bool) -> None:
    """``--strict``: exit 3 when anything was skipped."""
    if strict and report.n_skipped:
        raise typer.Exit(3)


# --------------------------------------------------------------------------- JSON Lines out


def check_file_out(out: str, inputs: list[str] | tuple[str, ...] = (), *, overwrite: bool) -> Path | None:
    """Check ``-o`` for a JSON Lines output: None means stdout (``-``)."""
    if not out.strip():
        raise UsageError('the output file is empty (-o ""); give a file name, or - for standard output')
    if out == "-":
        return None
    path = Path(out)
    for given in inputs:
        if given != "-" and os.path.realpath(given) == os.path.realpath(path):
            raise UsageError(f"{out} is both an input and the output; choose another -o")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; -o needs a file name, e.g. {path / 'out.jsonl'}")
    if path.exists() and not overwrite:
        raise OutputExists(f"{path} exists; pass --overwrite to replace it")
    parent = path.parent
    if not parent.exists():
        raise OutputError(f"Output folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"Output folder {parent} is not writable; choose another -o")
    return path


@contextlib.contextmanager
def jsonl_writer(out: str, inputs: list[str] | tuple[str, ...] = (), *, overwrite: bool) -> Iterator[Any]:
    """Write JSON Lines incrementally to a temp file beside ``out``; rename only on success."""
    path = check_file_out(out, inputs, overwrite=overwrite)
    if path is None:

        def write_out(obj: dict[str, Any]) -> None:
            sys.stdout.write(clean_text(json.dumps(obj, ensure_ascii=False)) + "\n")

        yield write_out
        sys.stdout.flush()
        return
    from geoevents.outputs import atomic_target

    with atomic_target(path, overwrite=True) as tmp, open(tmp, "w", encoding="utf-8") as fh:

        def write(obj: dict[str, Any]) -> None:  # the decode policy: no lone surrogates in UTF-8 files
            fh.write(clean_text(json.dumps(obj, ensure_ascii=False)) + "\n")

        yield write
