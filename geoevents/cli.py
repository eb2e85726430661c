"""The `geoevents` command line: the only modules that print, set up logging or exit (with ``cli_io``).

Exit codes: 0 done (skips summarised), 1 a GeoeventsError (one line, no traceback),
2 usage error, 3 ``--strict`` and something was skipped, 70 an internal error (a bug: rerun
with ``-v`` for the traceback and report it), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from geoevents.cli_gazetteer import check, gaz_app
from geoevents.cli_io import (
    STATE,
    EngineOpt,
    GazetteerOpt,
    OnErrorOpt,
    OverwriteOpt,
    QuietOpt,
    SchedulerOpt,
    StrictOpt,
    WorkersOpt,
    check_file_out,
    finish,
    jsonl_writer,
    open_gazetteer,
    out_console,
    policy,
    progress,
    quiet_logging,
    say,
    setup_logging,
    summary,
)
from geoevents.errors import GazetteerError, GeoeventsError, InputError, Report, UsageError


def _plain_metavars() -> None:
    """Show flags bare and values by metavar (``--workers N``), as click, rio and ogr2ogr do.

    typer 0.29 prints a type after every parameter (``--overwrite <bool>``, ``<list[str]>``);
    its help formatter asks each parameter for that text through ``display_type_rich``.
    """
    from typer import core

    def option_type(self: Any, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        return self.metavar or self.name.upper()

    def argument_type(self: Any, ctx: Any) -> str | None:
        return None  # the name column already shows the metavar

    core.TyperOption.display_type_rich = option_type  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = argument_type  # type: ignore[method-assign]


_plain_metavars()
app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Geocoded strike and attack events from news articles, fully offline.",
)
app.add_typer(gaz_app, name="gazetteer")
app.command()(check)

PathsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH", help="Article files or folders (*.txt, *.html, *.jsonl[.gz]); - for stdin."
    ),
]


def _print_version(value: bool) -> None:
    if value:
        from geoevents import __version__

        out_console.print(f"geoevents {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, metavar="", help="More log output (-vv: debug).")
    ] = 0,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            metavar="",
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Geocoded strike and attack events from news articles, fully offline."""
    setup_logging(verbose)


# --------------------------------------------------------------------------- commands


@app.command("map")
def map_cmd(
    paths: PathsArg,
    out: Annotated[
        str,
        typer.Option(
            "-o", "--out", metavar="OUTDIR", help="Output folder for events.html/.geojson/.gpkg/.csv."
        ),
    ],
    overwrite: OverwriteOpt = False,
    gazetteer: GazetteerOpt = None,
    on_error: OnErrorOpt = "skip",
    workers: WorkersOpt = 1,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Map title.")] = None,
    raw_csv: Annotated[
        bool,
        typer.Option(
            "--raw-csv",
            help="CSV cells verbatim, for machine readers (default: formula-like text gets a leading ').",
        ),
    ] = False,
    png: Annotated[bool, typer.Option("--png", help="Also write OUT/events.png (static map).")] = False,
    svg: Annotated[bool, typer.Option("--svg", help="Also write OUT/events.svg (static map).")] = False,
    quiet: QuietOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Articles -> OUT/events.html (offline map), events.geojson, events.gpkg (QGIS-styled), events.csv."""
    from geoevents.outputs import check_output_dir
    from geoevents.pipeline import map_articles

    quiet_logging(quiet)
    on = policy(on_error)
    folder = check_output_dir(out, overwrite=overwrite, inputs=paths)  # before any work
    gaz = open_gazetteer(gazetteer, quiet)
    with progress("articles", quiet) as advance:
        result = map_articles(
            paths,
            folder,
            overwrite=overwrite,
            gazetteer=gaz,
            on_error=on,
            workers=workers,
            engine=engine,
            scheduler=scheduler,
            title=title,
            progress=advance,
            csv_escape_formulas=not raw_csv,
            images=[fmt for fmt, wanted in (("png", png), ("svg", svg)) if wanted],
        )
    n_loc = sum(len(e.locations) for e in result.events)
    summary(
        result.report,
        f"{len(result.events)} events ({n_loc} locations) in {folder}",
        quiet,
        details="all in run-summary.json",
    )
    finish(result.report, strict)


@app.command()
def ingest(
    paths: PathsArg,
    out: Annotated[str, typer.Option("-o", "--out", metavar="FILE", help="articles.jsonl (- for stdout).")],
    overwrite: OverwriteOpt = False,
    on_error: OnErrorOpt = "skip",
    quiet: QuietOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Read articles -> JSON Lines {id, path, title, url, published, source, text}."""
    from geoevents.ingest import read_articles

    quiet_logging(quiet)
    on = policy(on_error)
    report = Report()
    n = 0
    with jsonl_writer(out, paths, overwrite=overwrite) as write, progress("articles", quiet) as advance:
        for article in read_articles(paths, on_error=on, report=report, exclude=[out] if out != "-" else []):
            write(article.to_dict())
            report.processed += 1
            n += 1
            advance(1)
    summary(report, f"{n} articles in {out}", quiet)
    finish(report, strict)


def _iter_jsonl(path: str, report: Report, policy: Any) -> Iterator[dict[str, Any]]:
    """Rows of a JSON Lines file (or stdin), bad lines handled by the error policy."""
    import gzip
    import io

    from geoevents.ingest.decode import clean_text
    from geoevents.ingest.opening import READ_ERRORS, iter_lines, open_regular, os_error

    if path == "-":
        stream: Any = sys.stdin.buffer
    else:
        if not Path(path).exists():
            raise InputError(f"No such file: {path}")
        try:
            stream = open_regular(path)
        except OSError as err:
            raise os_error(path, err) from None
        if path.endswith(".gz"):
            stream = gzip.GzipFile(fileobj=stream, mode="rb")
    with contextlib.closing(stream) if path != "-" else contextlib.nullcontext(stream):
        lines = iter_lines(io.BufferedReader(stream) if not hasattr(stream, "peek") else stream, 100_000_000)
        while True:
            try:
                item = next(lines, None)
            except READ_ERRORS as err:
                raise InputError(f"{path}: cannot be read to the end ({err})") from None
            if item is None:
                return
            lineno, raw = item
            report.read += 1
            try:
                if raw is None:
                    raise ValueError("line too long")
                row = json.loads(raw.decode("utf-8", errors="replace"))
                if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                    raise ValueError("no 'text' string")
            except (ValueError, RecursionError) as err:
                report.handle(
                    policy,
                    InputError(f"{path}:{lineno}: not a JSON object with 'text' ({type(err).__name__})"),
                    "bad JSON line",
                )
                continue
            row.setdefault("id", f"{Path(path).stem}:{lineno}")
            # the decode policy: lone surrogates become U+FFFD (one for one: spans stay valid)
            yield {k: clean_text(v) if isinstance(v, str) else v for k, v in row.items()}


@app.command()
def geoparse(
    input: Annotated[
        str,
        typer.Argument(
            metavar="INPUT", help='JSON Lines rows {"id","text"[,"toponyms":[{"start","end"}]]}; - for stdin.'
        ),
    ],
    out: Annotated[
        str, typer.Option("-o", "--out", metavar="FILE", help="Output JSON Lines (- for stdout).")
    ],
    gold_spans: Annotated[
        bool,
        typer.Option("--gold-spans", metavar="", help="Resolve the given spans instead of finding them."),
    ] = False,
    overwrite: OverwriteOpt = False,
    gazetteer: GazetteerOpt = None,
    on_error: OnErrorOpt = "skip",
    quiet: QuietOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Find and resolve place names: rows {id, toponyms:[{start,end,name,lat,lon,geonameid,…,score}]}."""
    from geoevents.geoparse import Geoparser

    quiet_logging(quiet)
    on = policy(on_error)
    report = Report()
    writer = jsonl_writer(out, [input], overwrite=overwrite)  # checked before the gazetteer opens
    parser = Geoparser(open_gazetteer(gazetteer, quiet))
    with writer as write, progress("documents", quiet) as advance:
        for row in _iter_jsonl(input, report, on):
            text = row["text"]
            try:
                if gold_spans:
                    spans = []
                    for t in row.get("toponyms") or []:
                        s, e = int(t["start"]), int(t["end"])
                        if not 0 <= s <= e <= len(text):
                            raise InputError(f"{row['id']}: span {s}-{e} is outside the text")
                        spans.append((s, e))
                    toponyms = parser.resolve(text, spans)
                else:
                    toponyms = parser.parse(text, title=row.get("title"))
            except GazetteerError:
                raise
            except (GeoeventsError, KeyError, TypeError, ValueError) as err:
                report.handle(on, InputError(f"{row['id']}: {err}"), "bad document")
                continue
            write({"id": row["id"], "toponyms": [t.to_dict() for t in toponyms]})
            report.processed += 1
            advance(1)
    summary(report, f"documents geoparsed into {out}", quiet)
    finish(report, strict)


@app.command()
def events(
    paths: PathsArg,
    out: Annotated[str, typer.Option("-o", "--out", metavar="FILE", help="events.jsonl (- for stdout).")],
    merge: Annotated[
        bool,
        typer.Option(
            "--merge/--no-merge", metavar="", help="Merge the same event reported by several articles."
        ),
    ] = True,
    parquet: Annotated[
        str | None,
        typer.Option("--parquet", metavar="FILE", help="Also write the events to a GeoParquet file."),
    ] = None,
    overwrite: OverwriteOpt = False,
    gazetteer: GazetteerOpt = None,
    on_error: OnErrorOpt = "skip",
    workers: WorkersOpt = 1,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    quiet: QuietOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Articles -> one event record per line (merged across articles unless --no-merge)."""
    from geoevents.events import merge_events
    from geoevents.ingest import read_articles
    from geoevents.pipeline import events_from_articles

    quiet_logging(quiet)
    on = policy(on_error)
    report = Report()
    pq_path = check_file_out(parquet, paths, overwrite=overwrite) if parquet is not None else None
    if parquet == "-":
        raise UsageError("--parquet needs a file name; GeoParquet cannot go to standard output")
    check_file_out(out, paths, overwrite=overwrite)
    gaz = open_gazetteer(gazetteer, quiet)
    n = 0
    with contextlib.ExitStack() as stack:
        write = stack.enter_context(jsonl_writer(out, paths, overwrite=overwrite))
        advance = stack.enter_context(progress("articles", quiet))
        pq = None
        if pq_path is not None:
            from geoevents.eventstore import GeoParquetWriter

            pq = stack.enter_context(GeoParquetWriter(pq_path, overwrite=overwrite))
        stream = events_from_articles(
            read_articles(
                paths, on_error=on, report=report, exclude=[p for p in (out, parquet) if p and p != "-"]
            ),
            gazetteer=gaz,
            on_error=on,
            report=report,
            workers=workers,
            engine=engine,
            scheduler=scheduler,
            progress=advance,
        )
        # --no-merge streams record by record (flat memory); merging needs all records first
        for ev in merge_events(list(stream)) if merge else stream:
            write(ev.to_dict())
            if pq is not None:
                pq.write([ev])
            n += 1
    summary(report, f"{n} events in {out}", quiet)
    finish(report, strict)


@app.command("eval")
def eval_cmd(
    corpus: Annotated[
        Path,
        typer.Argument(metavar="CORPUS", help="Gold corpus JSON Lines (id, text, toponyms with lat/lon)."),
    ],
    gold_spans: Annotated[
        bool, typer.Option("--gold-spans", metavar="", help="Resolve the gold spans (resolution only).")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, metavar="N", help="Only the first N documents.")
    ] = None,
    gazetteer: GazetteerOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Score the geoparser on a gold corpus: Acc@161 km, mean/median km, AUC, tagging P/R/F1, speed."""
    from geoevents.evaluate import evaluate, format_table
    from geoevents.ingest.opening import is_regular

    quiet_logging(quiet)
    if not corpus.exists():
        raise InputError(f"No such file: {corpus}")
    if not is_regular(corpus):
        raise InputError(f"{corpus}: not a regular file; give a JSON Lines corpus file")
    gaz = open_gazetteer(gazetteer, quiet)
    with progress("documents", quiet) as advance:
        result = evaluate(corpus, gaz, gold_spans=gold_spans, limit=limit, progress=advance)
    # plain text: Markdown that survives `> out.md` (no terminal width, no wrapping)
    sys.stdout.write(format_table([result]).rstrip("\n") + "\n")


def main() -> None:
    """Console entry point: GeoeventsError -> one line and exit 1; a bug -> one line and exit 70."""
    try:
        rv = app(standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except UsageError as err:
        say(f"Usage error: {err}", style="red")
        sys.exit(2)
    except GeoeventsError as err:
        say(f"Error: {err}", style="red")
        sys.exit(1)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        say("Interrupted; the previous outputs are unchanged.", style="red")
        _quiet_exit(130)
    except SystemExit:
        raise
    except Exception as err:  # click usage errors are handled below; anything else is a bug
        import click

        if isinstance(err, click.exceptions.ClickException) or (
            hasattr(err, "show") and isinstance(getattr(err, "exit_code", None), int)
        ):  # usage errors (typer may raise its own ClickException flavour)
            _usage_error(err)
        if isinstance(err, BrokenPipeError):
            _quiet_exit(0)
        if isinstance(err, RecursionError | MemoryError | OverflowError) and not STATE["verbose"]:
            say(
                f"Error: {type(err).__name__} on this input ({err}); it is too deep or too large", style="red"
            )
            sys.exit(1)
        if STATE["verbose"]:
            raise
        say(
            f"Internal error: {type(err).__name__}: {err}. Rerun with -v for details and report it.",
            style="red",
        )
        sys.exit(70)


def _usage_error(err: Any) -> None:
    """Report a bad command line in one line naming the problem and where to look."""
    if type(err).__name__ == "NoArgsIsHelpError" or not hasattr(err, "format_message"):
        err.show()  # `geoevents` alone: the help is the answer
    else:
        ctx = getattr(err, "ctx", None)
        where = ctx.command_path if ctx is not None else "geoevents"
        say(f"Usage error: {err.format_message()} (see {where} --help)", style="red")
    sys.exit(err.exit_code)


def _quiet_exit(code: int) -> None:
    """Exit now without interpreter teardown noise (library threads' tracebacks, closed pipes)."""
    import os

    with contextlib.suppress(Exception):
        sys.stdout.flush()
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
