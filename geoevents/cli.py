"""The `geoevents` command line: the only module that prints, sets up logging or exits.

Exit codes: 0 done (skips summarised), 1 a GeoeventsError (one line, no traceback),
2 usage error, 3 ``--strict`` and something was skipped, 70 an internal error (a bug: rerun
with ``-v`` for the traceback and report it).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from geoevents.errors import GeoeventsError, InputError, OutputError, OutputExists, Report, check_policy

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Geocoded strike and attack events from news articles, fully offline.",
)
gaz_app = typer.Typer(no_args_is_help=True, help="Build and query the offline gazetteer.")
app.add_typer(gaz_app, name="gazetteer")

err_console = Console(stderr=True)
out_console = Console()
log = logging.getLogger("geoevents")

GazetteerOpt = Annotated[
    Path | None,
    typer.Option(
        "--gazetteer",
        envvar="GEOEVENTS_GAZETTEER",
        help="Gazetteer SQLite file (default: user cache; built on first use).",
    ),
]
OverwriteOpt = Annotated[bool, typer.Option("--overwrite", help="Replace existing outputs.")]
OnErrorOpt = Annotated[
    str,
    typer.Option(
        "--on-error",
        help="What to do with a bad article: raise (stop with an error), warn or skip (count and report).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 3 if any article was skipped.")]
WorkersOpt = Annotated[
    int, typer.Option("--workers", "-j", min=1, help="Worker processes for the per-article work.")
]
EngineOpt = Annotated[
    str, typer.Option("--engine", help="local (processes) or dask (needs the 'dask' extra).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
]

EXTRAS = {
    "folium": "core",
    "pyogrio": "core",
    "geopandas": "core",
    "pyarrow": "core",
    "trafilatura": "core",
    "dateparser": "core",
    "rapidfuzz": "core",
    "geopy": "core",
    "dask": "dask",
    "distributed": "dask",
    "geotext": "bench",
    "hypothesis": "test",
    "websocket": "test",
}


def _print_version(value: bool) -> None:
    if value:
        from geoevents import __version__

        out_console.print(f"geoevents {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv: debug).")
    ] = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Geocoded strike and attack events from news articles, fully offline."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.captureWarnings(True)
    if verbose:
        os.environ["GEOEVENTS_VERBOSE"] = "1"


# --------------------------------------------------------------------------- helpers


def _policy(value: str) -> Any:
    try:
        return check_policy(value)
    except GeoeventsError as err:
        raise typer.BadParameter(str(err)) from None


def _open_gazetteer(path: Path | None, quiet: bool) -> Any:
    """Open the gazetteer, building it first (with a progress bar) if it is missing."""
    from geoevents.gazetteer import SQLiteGazetteer, default_gazetteer_path

    target = Path(path) if path else default_gazetteer_path()
    if not target.exists():  # an explicit path that does not exist is built there
        _build(target, force=False, quiet=quiet)
    return SQLiteGazetteer.open(target, build=False)


def _build(target: Path, *, force: bool, quiet: bool) -> Path:
    from geoevents.gazetteer import build_gazetteer

    if target.exists() and not force:
        return target
    show = not quiet and err_console.is_terminal
    if not quiet:
        err_console.print(f"Building the offline gazetteer at {escape(str(target))} (once) …")
    if show:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err_console
        ) as bar:
            task = bar.add_task("gazetteer", total=None)

            def cb(done: int, total: int | None, label: str) -> None:
                bar.update(task, completed=done, total=total, description=escape(label))

            return build_gazetteer(target, progress=cb)
    return build_gazetteer(target)


@contextlib.contextmanager
def _progress(label: str, quiet: bool) -> Iterator[Any]:
    """Yield a callable advancing a rich progress display (articles, rate, elapsed); no-op when quiet or not a TTY."""
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


def _check_out(path: Path, overwrite: bool) -> None:
    if str(path) == "-":
        return
    if path.exists() and not overwrite:
        raise OutputExists(f"{path} exists; pass --overwrite to replace it")
    if not path.parent.exists():
        raise OutputError(f"Output folder {path.parent} does not exist; create it first")
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"Output folder {path.parent} is not writable; choose another -o")


@contextlib.contextmanager
def _jsonl_writer(path: Path, overwrite: bool) -> Iterator[Any]:
    """Write JSON Lines incrementally to a temp file beside ``path``; rename only on success."""
    if str(path) == "-":

        def write(obj: dict[str, Any]) -> None:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")

        yield write
        sys.stdout.flush()
        return
    _check_out(path, overwrite)
    from geoevents.outputs import atomic_target

    with atomic_target(path, overwrite=True) as tmp, open(tmp, "w", encoding="utf-8") as fh:

        def write(obj: dict[str, Any]) -> None:
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")

        yield write


def _summary(report: Report, extra: str, quiet: bool) -> None:
    if quiet:
        return
    line = f"{report.summary()} -> {extra}"
    err_console.print(Text(line))
    for msg in report.messages[:5]:
        err_console.print(Text(f"  skipped: {msg}", style="yellow"))
    if len(report.messages) > 5:
        err_console.print(
            Text(f"  … and {len(report.messages) - 5} more (see run-summary.json or use --on-error raise)")
        )


def _finish(report: Report, strict: bool) -> None:
    if strict and report.n_skipped:
        raise typer.Exit(3)


# --------------------------------------------------------------------------- commands


@app.command("map")
def map_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Article files or folders (*.txt, *.html, *.jsonl[.gz]); - for stdin.")
    ],
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Output folder for events.html/.geojson/.gpkg/.csv.")
    ],
    overwrite: OverwriteOpt = False,
    gazetteer: GazetteerOpt = None,
    on_error: OnErrorOpt = "skip",
    workers: WorkersOpt = 1,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    title: Annotated[str | None, typer.Option("--title", help="Map title.")] = None,
    png: Annotated[bool, typer.Option("--png", help="Also write OUT/events.png (static map).")] = False,
    svg: Annotated[bool, typer.Option("--svg", help="Also write OUT/events.svg (static map).")] = False,
    quiet: QuietOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Articles -> OUT/events.html (offline map), events.geojson, events.gpkg (QGIS-styled), events.csv."""
    from geoevents.outputs import OUTPUT_NAMES
    from geoevents.pipeline import map_articles

    policy = _policy(on_error)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file; -o needs a folder")
    images = [f"events.{fmt}" for fmt, wanted in (("png", png), ("svg", svg)) if wanted]
    if not overwrite:
        existing = [n for n in [*OUTPUT_NAMES.values(), *images] if (out / n).exists()]
        if existing:
            raise OutputExists(
                f"{out / existing[0]} exists; pass --overwrite to replace the outputs in {out}"
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"Cannot create output folder {out}: {err.strerror}; choose another -o") from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"Output folder {out} is not writable; choose another -o")
    gaz = _open_gazetteer(gazetteer, quiet)
    with _progress("articles", quiet) as advance:
        result = map_articles(
            paths,
            out,
            overwrite=overwrite,
            gazetteer=gaz,
            on_error=policy,
            workers=workers,
            engine=engine,
            scheduler=scheduler,
            title=title,
            progress=advance,
        )
    for name in images:  # static PNG/SVG of the same map (matplotlib; no browser)
        from geoevents.outputs.static_map import write_static_map

        write_static_map(result.events, out / name, title=title or "geoevents", overwrite=overwrite)
    n_loc = sum(len(e.locations) for e in result.events)
    _summary(result.report, f"{len(result.events)} events ({n_loc} locations) in {out}", quiet)
    _finish(result.report, strict)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders; - for stdin.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="articles.jsonl (- for stdout).")],
    overwrite: OverwriteOpt = False,
    on_error: OnErrorOpt = "skip",
    quiet: QuietOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Read articles -> JSON Lines {id, path, title, url, published, source, text}."""
    from geoevents.ingest import read_articles

    policy = _policy(on_error)
    report = Report()
    n = 0
    with _jsonl_writer(out, overwrite) as write, _progress("articles", quiet) as advance:
        for article in read_articles(paths, on_error=policy, report=report):
            write(article.to_dict())
            report.processed += 1
            n += 1
            advance(1)
    _summary(report, f"{n} articles in {out}", quiet)
    _finish(report, strict)


def _iter_jsonl(path: Path, report: Report, policy: Any) -> Iterator[dict[str, Any]]:
    """Rows of a JSON Lines file (or stdin), bad lines handled by the error policy."""
    import io

    if str(path) == "-":
        fh: Any = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    else:
        if not path.exists():
            raise InputError(f"No such file: {path}")
        if path.suffix == ".gz":
            import gzip

            fh = gzip.open(path, "rt", encoding="utf-8", errors="replace")
        else:
            fh = open(path, encoding="utf-8", errors="replace", newline="")
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            report.read += 1
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                    raise ValueError("no 'text' string")
            except ValueError as err:
                report.handle(
                    policy,
                    InputError(f"{path}:{lineno}: not a JSON object with 'text' ({err})"),
                    "bad JSON line",
                )
                continue
            row.setdefault("id", f"{path.stem}:{lineno}")
            yield row


@app.command()
def geoparse(
    input: Annotated[
        Path,
        typer.Argument(help='JSON Lines rows {"id","text"[,"toponyms":[{"start","end"}]]}; - for stdin.'),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output JSON Lines (- for stdout).")],
    gold_spans: Annotated[
        bool, typer.Option("--gold-spans", help="Resolve the given spans instead of finding them.")
    ] = False,
    overwrite: OverwriteOpt = False,
    gazetteer: GazetteerOpt = None,
    on_error: OnErrorOpt = "skip",
    quiet: QuietOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Find and resolve place names: rows {id, toponyms:[{start,end,name,lat,lon,geonameid,…,score,reason}]}."""
    from geoevents.geoparse import Geoparser

    policy = _policy(on_error)
    report = Report()
    parser = Geoparser(_open_gazetteer(gazetteer, quiet))
    with _jsonl_writer(out, overwrite) as write, _progress("documents", quiet) as advance:
        for row in _iter_jsonl(input, report, policy):
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
            except (GeoeventsError, KeyError, TypeError, ValueError) as err:
                report.handle(policy, InputError(f"{row['id']}: {err}"), "bad document")
                continue
            write({"id": row["id"], "toponyms": [t.to_dict() for t in toponyms]})
            report.processed += 1
            advance(1)
    _summary(report, f"documents geoparsed into {out}", quiet)
    _finish(report, strict)


@app.command()
def events(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders; - for stdin.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="events.jsonl (- for stdout).")],
    merge: Annotated[
        bool, typer.Option("--merge/--no-merge", help="Merge the same event reported by several articles.")
    ] = True,
    parquet: Annotated[
        Path | None, typer.Option("--parquet", help="Also write the events to a GeoParquet file.")
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

    policy = _policy(on_error)
    report = Report()
    if parquet is not None:
        _check_out(parquet, overwrite)
    gaz = _open_gazetteer(gazetteer, quiet)
    n = 0
    with contextlib.ExitStack() as stack:
        write = stack.enter_context(_jsonl_writer(out, overwrite))
        advance = stack.enter_context(_progress("articles", quiet))
        pq = None
        if parquet is not None:
            from geoevents.store import GeoParquetWriter

            pq = stack.enter_context(GeoParquetWriter(parquet, overwrite=overwrite))
        stream = events_from_articles(
            read_articles(paths, on_error=policy, report=report),
            gazetteer=gaz,
            on_error=policy,
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
    _summary(report, f"{n} events in {out}", quiet)
    _finish(report, strict)


@app.command("eval")
def eval_cmd(
    corpus: Annotated[Path, typer.Argument(help="Gold corpus JSON Lines (id, text, toponyms with lat/lon).")],
    gold_spans: Annotated[
        bool, typer.Option("--gold-spans", help="Resolve the gold spans (resolution only).")
    ] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N documents.")] = None,
    gazetteer: GazetteerOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Score the geoparser on a gold corpus: Acc@161 km, mean/median km, AUC, tagging P/R/F1, speed."""
    from geoevents.evaluate import evaluate, format_table

    if not corpus.exists():
        raise InputError(f"No such file: {corpus}")
    gaz = _open_gazetteer(gazetteer, quiet)
    with _progress("documents", quiet) as advance:
        result = evaluate(corpus, gaz, gold_spans=gold_spans, limit=limit, progress=advance)
    out_console.print(format_table([result]), markup=False, highlight=False)


@gaz_app.command("build")
def gaz_build(
    gazetteer: GazetteerOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if the index exists.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Build the offline gazetteer index (SQLite) from the committed GeoNames/WOF/NE extract."""
    from geoevents.gazetteer import SQLiteGazetteer, default_gazetteer_path

    target = Path(gazetteer) if gazetteer else default_gazetteer_path()
    t0 = time.perf_counter()
    _build(target, force=True if force or not target.exists() else False, quiet=quiet)
    with SQLiteGazetteer.open(target, build=False) as gaz:
        msg = f"{target}: {gaz.count():,} places, {gaz.n_names():,} names ({time.perf_counter() - t0:.1f} s)"
    if not quiet:
        err_console.print(Text(msg))


@gaz_app.command("search")
def gaz_search(
    name: Annotated[
        str, typer.Argument(help='Place name, any spelling or script (e.g. "al-Qa\'im", "القائم").')
    ],
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166 alpha-2 code, e.g. IQ.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 10,
    gazetteer: GazetteerOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """Print ranked gazetteer candidates for NAME."""
    gaz = _open_gazetteer(gazetteer, quiet=False)
    found = gaz.candidates(name, country=country.upper() if country else None, limit=limit)
    if as_json:
        from dataclasses import asdict

        for p in found:
            out_console.print_json(json.dumps(asdict(p), ensure_ascii=False))
        return
    table = Table(
        "#",
        "place_id",
        "geonameid",
        "name",
        "feature",
        "country",
        "admin1",
        "population",
        "lat",
        "lon",
        "source",
    )
    for i, p in enumerate(found, 1):
        table.add_row(
            str(i),
            str(p.place_id),
            str(p.geonameid or ""),
            escape(p.name),
            p.feature_code,
            p.country_code,
            escape(p.admin1_name or p.admin1),
            f"{p.population:,}",
            f"{p.lat:.5f}",
            f"{p.lon:.5f}",
            p.source,
        )
    # piped output keeps whole values (rich would squeeze the columns to 80 characters)
    (out_console if out_console.is_terminal else Console(width=220)).print(table)
    if not found:
        err_console.print(
            Text(f"No place named {name!r}" + (f" in {country}" if country else ""), style="yellow")
        )


@app.command()
def check(gazetteer: GazetteerOpt = None) -> None:
    """Report versions, the gazetteer's state, optional extras and real clients (exit 1 if unusable)."""
    import platform
    import shutil
    from importlib.metadata import PackageNotFoundError, version

    from geoevents import __version__

    table = Table("component", "status")
    table.add_row("geoevents", __version__)
    table.add_row("python", f"{platform.python_version()} ({sys.executable})")
    for module, extra in EXTRAS.items():
        if importlib.util.find_spec(module) is None:
            hint = "missing" + ("" if extra == "core" else f": pip install 'geoevents[{extra}]'")
            table.add_row(module, Text(hint, style="yellow"))
        else:
            dist = {"websocket": "websocket-client"}.get(module, module)
            try:
                table.add_row(module, version(dist))
            except PackageNotFoundError:
                table.add_row(module, "installed")
    for tool in ("chromium", "ogrinfo"):
        where = shutil.which(tool)
        table.add_row(tool, where or Text("missing (apt-get install chromium gdal-bin)", style="yellow"))
    qgis_ok = Path("/usr/bin/python3").exists() and any(
        Path(p).exists() for p in ("/usr/lib/python3/dist-packages/qgis", "/usr/share/qgis/python")
    )
    table.add_row(
        "PyQGIS", "present" if qgis_ok else Text("missing (apt-get install python3-qgis)", style="yellow")
    )
    status = 0
    try:
        from geoevents.gazetteer import SQLiteGazetteer, default_gazetteer_path

        target = Path(gazetteer) if gazetteer else default_gazetteer_path()
        if not target.exists():
            table.add_row(
                "gazetteer",
                Text(
                    f"not built yet at {target}: run `geoevents gazetteer build` (or any command builds it)",
                    style="yellow",
                ),
            )
        else:
            with SQLiteGazetteer.open(target, build=False) as gaz:
                table.add_row("gazetteer", f"{gaz.path}: {gaz.count():,} places, {gaz.n_names():,} names")
    except GeoeventsError as exc:
        table.add_row("gazetteer", Text(str(exc), style="red"))
        status = 1
    out_console.print(table)
    if status:
        raise typer.Exit(status)


def main() -> None:
    """Console entry point: GeoeventsError -> one line and exit 1; a bug -> one line and exit 70."""
    try:
        rv = app(standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except GeoeventsError as err:
        err_console.print(Text(f"Error: {err}", style="red"))
        sys.exit(1)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except typer.Abort:
        err_console.print(Text("Aborted.", style="red"))
        sys.exit(130)
    except KeyboardInterrupt:
        err_console.print(Text("Interrupted; outputs already written were left intact.", style="red"))
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as err:  # click usage errors are handled below; anything else is a bug
        import click

        if isinstance(err, click.exceptions.ClickException) or (
            hasattr(err, "show") and isinstance(getattr(err, "exit_code", None), int)
        ):  # usage errors (typer may raise its own ClickException flavour)
            err.show()  # type: ignore[attr-defined]
            sys.exit(err.exit_code)  # type: ignore[attr-defined]
        if isinstance(err, BrokenPipeError):
            sys.exit(0)
        if os.environ.get("GEOEVENTS_VERBOSE"):
            raise
        err_console.print(
            Text(
                f"Internal error: {type(err).__name__}: {err}. Rerun with -v for details and report it.",
                style="red",
            )
        )
        sys.exit(70)


if __name__ == "__main__":
    main()
