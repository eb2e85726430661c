"""Which files to read: paths in the order given, folders searched recursively, ``-`` for stdin.

A folder is searched for ``ARTICLE_SUFFIXES`` (sorted by name at each level, hidden entries
skipped, symbolic links to folders followed once); a subfolder that cannot be listed is a
counted skip; the run's own outputs (``exclude``) are never searched or read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from geoevents.errors import InputError, OnError, Report, check_policy
from geoevents.ingest.decode import safe_name

__all__ = ["ARTICLE_SUFFIXES", "STDIN", "is_stdin", "iter_input_files"]

log = logging.getLogger(__name__)

STDIN = "-"
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
_BASE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + JSON_SUFFIXES
#: What a folder is searched for (case-insensitive); files named explicitly are read whatever
#: their suffix (as text, unless the content is HTML).
ARTICLE_SUFFIXES = _BASE_SUFFIXES + tuple(s + ".gz" for s in _BASE_SUFFIXES)


def is_stdin(path: str | os.PathLike[str]) -> bool:
    """``"-"`` (or ``Path("-")``, as a CLI may pass it) means standard input."""
    try:
        return os.fspath(path) == STDIN
    except TypeError:
        return False


def _is_article_file(path: Path) -> bool:
    return path.name.lower().endswith(ARTICLE_SUFFIXES)


# ---------------------------------------------------------------- finding files


def _walk(
    folder: Path,
    visited: set[str],
    *,
    exclude: Collection[str] = (),
    report: Report | None = None,
    on_error: OnError = "skip",
) -> Iterator[Path]:
    """Yield matching files under ``folder``, sorted by name at each level; hidden entries skipped.

    Symbolic links to folders are followed once each (a link loop does not recurse forever).
    Folders in ``exclude`` (real paths: an output folder inside an input folder) are not
    entered. A subfolder that cannot be listed is a counted skip ("unreadable folder"); the
    top folder that cannot be listed is an ``InputError``.
    """
    real = os.path.realpath(folder)
    if real in visited:
        log.info("%s: already searched (symbolic link loop or repeat); skipped", safe_name(folder))
        return
    visited.add(real)
    if real in exclude:
        log.info("%s: the output folder; not read as input", safe_name(folder))
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        error = InputError(
            f"{safe_name(folder)}: cannot list folder ({err.strerror or err}); check its permissions"
        )
        if report is None or len(visited) == 1:
            raise error from None
        report.read += 1
        report.handle(on_error, error, "unreadable folder")
        return
    ignored = 0
    subdirs: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                subdirs.append(Path(entry.path))
                continue
            is_file = entry.is_file()
        except OSError:
            is_file = False
        if is_file and _is_article_file(Path(entry.name)):
            yield Path(entry.path)
        else:
            ignored += 1
    if ignored:
        log.info(
            "%s: ignored %d file(s) that are not article files (%s)",
            safe_name(folder),
            ignored,
            ", ".join(ARTICLE_SUFFIXES[: len(_BASE_SUFFIXES)]),
        )
    for sub in subdirs:
        yield from _walk(sub, visited, exclude=exclude, report=report, on_error=on_error)


def iter_input_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    report: Report,
    on_error: OnError = "skip",
    exclude: Sequence[str | os.PathLike[str]] = (),
) -> Iterator[Path]:
    """Yield the files to read, in a deterministic order.

    Paths are taken in the order given; a folder is searched recursively for
    ``ARTICLE_SUFFIXES`` (sorted by name at each level, hidden files and folders skipped); a
    file named explicitly is used whatever its suffix. ``"-"`` yields ``Path("-")``, meaning
    standard input. A file reached twice is yielded once.

    Parameters
    ----------
    paths : sequence of str or path-like
        Files, folders and/or ``"-"``.
    report : Report
        Receives a counted skip for each missing path (``on_error`` 'warn'/'skip').
    on_error : {'raise', 'warn', 'skip'}
        What a missing path or an unreadable subfolder does.
    exclude : sequence of paths
        Folders never searched and files never read when met in a folder (the output folder
        or file, so outputs are not read back as input).

    Raises
    ------
    InputError
        For a missing path under ``on_error='raise'``; and, whatever the policy, when nothing
        at all can be read: no paths, a folder with no article files in it, or only missing
        paths (each still counted as a skip first).

    """
    on_error = check_policy(on_error)
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not paths:
        raise InputError("no input paths given; pass article files, folders, or - for standard input")
    seen: set[str] = set()
    # realpath per file costs a syscall per path component; it only matters when two
    # arguments can reach the same file
    dedupe = len(paths) > 1
    missing: list[str] = []
    skip_dirs = {os.path.realpath(p) for p in exclude}  # an output file (ingest -o) or folder (map -o)
    skip_names = {os.path.basename(p) for p in skip_dirs}
    for raw in paths:
        if is_stdin(raw):
            if STDIN not in seen:
                seen.add(STDIN)
                yield Path(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            visited: set[str] = set()
            for file in _walk(path, visited, exclude=skip_dirs, report=report, on_error=on_error):
                if file.name in skip_names and os.path.realpath(file) in skip_dirs:
                    continue  # our own output, from an earlier run
                found = True
                key = os.path.realpath(file) if dedupe else str(file)
                if key not in seen:
                    seen.add(key)
                    yield file
            if not found and os.path.realpath(path) not in skip_dirs:
                raise InputError(
                    f"no articles found in {safe_name(path)}: it has no {', '.join(_BASE_SUFFIXES)} files "
                    "(optionally .gz); point at the folder that holds the articles"
                )
        elif path.exists():
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield path
        else:
            missing.append(safe_name(path))
            report.read += 1
            report.handle(
                on_error,
                InputError(
                    f"{safe_name(path)}: no such file or folder; check the path "
                    "(a typo, or a glob that matched nothing?)"
                ),
                "no such file",
            )
    if missing and not seen:  # every path was missing: a usage error, whatever the policy
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise InputError(
            f"no such file or folder: {shown}; check the path (a typo, or a glob that matched nothing?)"
        )
