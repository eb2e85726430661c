"""Outputs: offline layered HTML map, RFC 7946 GeoJSON, QGIS-styled GeoPackage, ACLED-order CSV.

Every writer is atomic (written beside the target, then renamed), refuses to replace an
existing file unless ``overwrite=True`` (``OutputExists``), and raises ``OutputError`` for a
missing or unwritable directory. Heavy libraries (folium, pyogrio) load on first use.

:func:`write_output_set` writes the four files and ``run-summary.json`` as one set (staged,
with a manifest, renamed into place together; see ``outputs.outset``): what ``geoevents map``
and ``geoevents.map_articles`` use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from geoevents.ingest.decode import safe_name
from geoevents.outputs._common import IMAGE_NAMES, OUTPUT_NAMES, actor_side, atomic_target
from geoevents.outputs.geojson import to_geojson, write_geojson
from geoevents.outputs.gpkg import write_gpkg
from geoevents.outputs.html_map import write_map
from geoevents.outputs.outset import SUMMARY_NAME, OutputSet, check_output_dir, set_names
from geoevents.outputs.tabular import write_csv
from geoevents.records import Article, Event

__all__ = [
    "IMAGE_NAMES",
    "OUTPUT_NAMES",
    "SUMMARY_NAME",
    "OutputSet",
    "actor_side",
    "atomic_target",
    "check_output_dir",
    "set_names",
    "to_geojson",
    "write_all",
    "write_csv",
    "write_geojson",
    "write_gpkg",
    "write_map",
    "write_output_set",
]


def write_all(
    events: Iterable[Event],
    out_dir: str | os.PathLike[str],
    *,
    articles: Sequence[Article] = (),
    overwrite: bool = False,
    title: str = "geoevents",
    csv_escape_formulas: bool = True,
    images: Sequence[str] = (),
) -> dict[str, Path]:
    """Write the four outputs named in ``OUTPUT_NAMES`` into ``out_dir``, and static images.

    ``images`` names static renderings of the same map to add (``"png"``, ``"svg"``; see
    ``outputs.static_map``), written as ``IMAGE_NAMES`` give.

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
    unknown = sorted(set(images) - IMAGE_NAMES.keys())
    if unknown:
        raise OutputError(f"Unknown image format {unknown[0]!r}; choose from {sorted(IMAGE_NAMES)}")
    targets = {kind: out / name for kind, name in OUTPUT_NAMES.items()}
    targets.update({fmt: out / IMAGE_NAMES[fmt] for fmt in images})
    if not overwrite:
        for target in targets.values():
            if target.exists():
                raise OutputExists(f"{target} exists; pass overwrite=True (CLI: --overwrite) to replace it")
    events = list(events)
    written = {
        "html": write_map(events, targets["html"], overwrite=overwrite, title=title),
        "geojson": write_geojson(events, targets["geojson"], overwrite=overwrite),
        "gpkg": write_gpkg(events, targets["gpkg"], articles=articles, overwrite=overwrite, title=title),
        "csv": write_csv(events, targets["csv"], overwrite=overwrite, escape_formulas=csv_escape_formulas),
    }
    if images:
        from geoevents.outputs.static_map import write_static_map

        for fmt in images:
            written[fmt] = write_static_map(events, targets[fmt], title=title, overwrite=overwrite)
    return written


def write_output_set(
    events: Iterable[Event],
    out_dir: str | os.PathLike[str],
    summary: dict[str, object],
    *,
    articles: Sequence[Article] = (),
    title: str = "geoevents",
    csv_escape_formulas: bool = True,
    images: Sequence[str] = (),
) -> dict[str, Path]:
    """Write the four outputs (and any static ``images``) and ``run-summary.json`` as one set.

    The folder ends up holding the whole new set, or (after any failure: disk full, a writer
    error, Ctrl-C) the whole previous one. Call :func:`check_output_dir` first: this replaces
    what is there. ``summary`` gets ``outputs`` (the final paths) and ``manifest`` (bytes and
    SHA-256 per file) added.

    Returns
    -------
    dict
        ``{"html", "geojson", "gpkg", "csv", "summary"}`` to the final paths.

    Raises
    ------
    OutputError
        The set could not be written ("no space left on ..." when the disk is full); the
        previous outputs are unchanged.

    """
    out = Path(out_dir)
    events = list(events)
    with OutputSet(out) as outset:
        staged = write_all(
            events,
            outset.write_dir,
            articles=articles,
            overwrite=True,
            title=title,
            csv_escape_formulas=csv_escape_formulas,
            images=images,
        )
        final = {kind: out / path.name for kind, path in staged.items()}
        outset.commit({**summary, "outputs": {k: safe_name(v) for k, v in final.items()}})
    return {**final, "summary": out / SUMMARY_NAME}
