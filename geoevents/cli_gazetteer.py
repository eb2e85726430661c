"""The ``geoevents gazetteer build|search`` and ``geoevents check`` commands."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from geoevents.cli_io import GazetteerOpt, QuietOpt, build, open_gazetteer, out_console, say, term_safe
from geoevents.errors import GeoeventsError

__all__ = ["check", "gaz_app"]

gaz_app = typer.Typer(no_args_is_help=True, help="Build and query the offline gazetteer.")

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


@gaz_app.command("build")
def gaz_build(
    gazetteer: GazetteerOpt = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Rebuild even if the index exists.")
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Build the offline gazetteer index (SQLite) from the committed GeoNames/WOF/NE extract."""
    from geoevents.gazetteer import SQLiteGazetteer, default_gazetteer_path

    target = Path(gazetteer) if gazetteer else default_gazetteer_path()
    t0 = time.perf_counter()
    build(target, force=force, quiet=quiet)  # a first build running elsewhere is waited for
    with SQLiteGazetteer.open(target, build=False) as gaz:
        gaz.check_health()
        msg = f"{target}: {gaz.count():,} places, {gaz.n_names():,} names ({time.perf_counter() - t0:.1f} s)"
    if not quiet:
        say(msg)


@gaz_app.command("search")
def gaz_search(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help='Place name, any spelling or script (e.g. "al-Qa\'im", "القائم").'
        ),
    ],
    country: Annotated[
        str | None, typer.Option("--country", metavar="CC", help="ISO 3166 alpha-2 code, e.g. IQ.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, metavar="N", help="At most N candidates.")] = 10,
    gazetteer: GazetteerOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", metavar="", help="JSON Lines (one object per line) instead of a table.")
    ] = False,
) -> None:
    """Print ranked gazetteer candidates for NAME."""
    gaz = open_gazetteer(gazetteer, quiet=False, check=False)
    found = gaz.candidates(name, country=country.upper() if country else None, limit=limit)
    if as_json:
        from dataclasses import asdict

        for p in found:
            sys.stdout.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
        sys.stdout.flush()
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
            escape(term_safe(p.name)),
            p.feature_code,
            p.country_code,
            escape(term_safe(p.admin1_name or p.admin1)),
            f"{p.population:,}",
            f"{p.lat:.5f}",
            f"{p.lon:.5f}",
            p.source,
        )
    # piped output keeps whole values (rich would squeeze the columns to 80 characters)
    (out_console if out_console.is_terminal else Console(width=220)).print(table)
    if not found:
        say(f"No place named {name!r}" + (f" in {country}" if country else ""), style="yellow")


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
        from geoevents.gazetteer import default_gazetteer_path

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
            with open_gazetteer(target, quiet=True) as gaz:
                table.add_row(
                    "gazetteer", f"{gaz.path}: {gaz.count():,} places, {gaz.n_names():,} names (healthy)"
                )
    except GeoeventsError as exc:
        table.add_row("gazetteer", Text(term_safe(exc), style="red"))
        status = 1
    out_console.print(table)
    if status:
        raise typer.Exit(status)
