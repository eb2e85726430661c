"""Outputs: offline layered HTML map, RFC 7946 GeoJSON, QGIS-styled GeoPackage, ACLED-order CSV.

Every writer is atomic (written beside the target, then renamed), refuses to replace an
existing file unless ``overwrite=True`` (``OutputExists``), and raises ``OutputError`` for a
missing or unwritable directory. Heavy libraries (folium, pyogrio) load on first use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from geoevents.outputs._common import OUTPUT_NAMES, actor_side, atomic_target
from geoevents.outputs.geojson import to_geojson, write_geojson
from geoevents.outputs.gpkg import write_gpkg
from geoevents.outputs.html_map import write_map
from geoevents.outputs.tabular import write_csv
from geoevents.records import Article, Event

__all__ = [
    "OUTPUT_NAMES",
    "actor_side",
    "atomic_target",
    "to_geojson",
    "write_all",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "write_map",
]


def write_all(
    events: Iterable[Event],
    out_dir: str | os.PathLike[str],
    *,
    articles: Sequence[Article] = (),
    overwrite: bool = False,
    title: str = "geoevents",
    csv_escape_formulas: bool = True,
) -> dict[str, Path]:
    """Write the four outputs named in ``OUTPUT_NAMES`` into ``out_dir``.

    All targets are checked before anything is written, so a refused overwrite leaves the
    directory unchanged rather than half-updated. ``csv_escape_formulas=False`` writes CSV
    cells verbatim for machine readers (see ``write_csv``).

    Returns
    -------
    dict
        ``{"html": Path, "geojson": Path, "gpkg": Path, "csv": Path}``.

    Raises
    ------
    OutputExists
        One of the files exists and ``overwrite`` is false (the message names it).
    OutputError
        ``out_dir`` is missing or not writable.

    """
    from geoevents.errors import OutputError, OutputExists

    out = Path(out_dir)
    if not out.is_dir():
        raise OutputError(f"Output directory {out} does not exist; create it first (mkdir -p {out})")
    targets = {kind: out / name for kind, name in OUTPUT_NAMES.items()}
    if not overwrite:
        for target in targets.values():
            if target.exists():
                raise OutputExists(f"{target} exists; pass overwrite=True (CLI: --overwrite) to replace it")
    events = list(events)
    return {
        "html": write_map(events, targets["html"], overwrite=overwrite, title=title),
        "geojson": write_geojson(events, targets["geojson"], overwrite=overwrite),
        "gpkg": write_gpkg(events, targets["gpkg"], articles=articles, overwrite=overwrite, title=title),
        "csv": write_csv(events, targets["csv"], overwrite=overwrite, escape_formulas=csv_escape_formulas),
    }
