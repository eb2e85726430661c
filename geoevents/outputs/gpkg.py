"""GeoPackage 1.3 with one styled point layer per event type, an articles table and a QGIS project.

Layout of ``events.gpkg``:

- ``strikes``, ``attacks`` (always, possibly empty), then one layer per further event type
  (``layer_name``): one point per event location, EPSG:4326, geometry column ``geom``.
  Events without coordinates are kept in their layer with a NULL geometry (never dropped):
  QGIS lists them in the attribute table, ``WHERE geom IS NULL`` finds them.
- ``base_places`` (capitals, admin-1 seats, cities of 250,000+) and ``base_countries`` (Natural
  Earth 1:110m): the offline base map, shipped with geoevents (``_gpkg_base``).
- ``articles``: attribute table (id, title, url, published DATE, source, path).
- ``layer_styles``: one default QML style per map layer. QGIS Desktop applies it to a layer
  added from the Browser or by drag and drop (``loadDefaultStyle()`` after creating the layer),
  which brings the categorized symbols and **temporal on** ``event_date``.
- ``qgis_projects``: project ``geoevents`` with the event layers over the base layers, styled
  and temporal active (open it with Project > Open From > GeoPackage).
- gpkg_metadata: the attribution text, per layer and for the dataset.

The same input gives the same bytes: timestamps come from ``SOURCE_DATE_EPOCH`` when set, else
from the newest event date (``OGR_CURRENT_DATE`` for GDAL's own), ids are uuid5 of the file
name and table, the project zip carries a fixed date, and the file is VACUUMed last.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geoevents.outputs._common import (
    ATTRIBUTION,
    atomic_target,
    layer_name,
    ordered_types,
    overlay_label,
)
from geoevents.outputs._gpkg_base import COUNTRIES_LAYER, PLACES_LAYER, countries, places
from geoevents.outputs._qgis import (
    PROJECT_NAME,
    LayerInfo,
    base_style_qml,
    project_qgs,
    project_qgz,
    style_qml,
    xml_text,
)
from geoevents.outputs.tabular import located_rows
from geoevents.records import Article, Event

__all__ = ["ARTICLE_LAYER", "build_timestamp", "write_gpkg"]

log = logging.getLogger(__name__)

ARTICLE_LAYER = "articles"

_INT_FIELDS = {
    "location_index",
    "n_locations",
    "geo_precision",
    "killed",
    "injured",
    "n_sources",
    "fatalities",
}
_BIGINT_FIELDS = {"geonameid", "place_id"}
_FLOAT_FIELDS = {"lat", "lon"}
_DATE_FIELDS = {"event_date"}

_LAYER_STYLES_DDL = (
    'CREATE TABLE IF NOT EXISTS "layer_styles" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
    '"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), '
    '"f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, '
    '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)


def _columns() -> list[str]:
    from geoevents.records import EVENT_COLUMNS

    return [*EVENT_COLUMNS, "actor_side", "fatalities"]


def _arrow_type(pa: Any, name: str) -> Any:
    if name in _INT_FIELDS:
        return pa.int32()
    if name in _BIGINT_FIELDS:
        return pa.int64()
    if name in _FLOAT_FIELDS:
        return pa.float64()
    if name in _DATE_FIELDS:
        return pa.date32()
    return pa.string()


def _event_table(pa: Any, shapely: Any, rows: list[dict[str, Any]]) -> Any:
    cols: dict[str, Any] = {}
    for name in _columns():
        values = [r[name] for r in rows]
        if name in _DATE_FIELDS:
            values = [dt.date.fromisoformat(v) if v else None for v in values]
        elif name not in _INT_FIELDS | _BIGINT_FIELDS | _FLOAT_FIELDS:
            values = [None if v is None else str(v) for v in values]
        cols[name] = pa.array(values, _arrow_type(pa, name))
    cols["wkb"] = pa.array(
        [
            shapely.to_wkb(shapely.Point(r["lon"], r["lat"]))
            if r["lat"] is not None and r["lon"] is not None
            else None
            for r in rows
        ],
        pa.binary(),
    )
    return pa.table(cols)


def _article_table(pa: Any, articles: Sequence[Article]) -> Any:
    return pa.table(
        {
            "id": pa.array([a.id for a in articles], pa.string()),
            "title": pa.array([a.title for a in articles], pa.string()),
            "url": pa.array([a.url for a in articles], pa.string()),
            "published": pa.array([a.published for a in articles], pa.date32()),
            "source": pa.array([a.source for a in articles], pa.string()),
            "path": pa.array([a.path for a in articles], pa.string()),
        }
    )


def _extent(rows: Iterable[dict[str, Any]]) -> tuple[float, float, float, float] | None:
    pts = [(r["lon"], r["lat"]) for r in rows if r["lat"] is not None and r["lon"] is not None]
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


_RESERVED = {ARTICLE_LAYER, COUNTRIES_LAYER, PLACES_LAYER, "layer_styles", "qgis_projects"}


def _event_table_name(event_type: str) -> str:
    """``layer_name``, prefixed ``events_`` when that names a table of ours, GeoPackage's or SQLite's."""
    name = layer_name(event_type)
    if name in _RESERVED or name.startswith(("gpkg_", "rtree_", "sqlite_")):
        return f"events_{name}"
    return name


def build_timestamp(events: Sequence[Event], articles: Sequence[Article] = ()) -> dt.datetime:
    """Return the one timestamp written into the file (styles, contents, project), never the clock.

    ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) wins when set; else midnight UTC after the
    newest event or article date, so the file says when its data ends; else the Unix epoch.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            log.warning("SOURCE_DATE_EPOCH=%r is not a whole number of seconds; ignored", epoch)
    dates = [e.event_date for e in events if e.event_date] + [a.published for a in articles if a.published]
    if dates:
        newest = max(dates)
        return dt.datetime.combine(newest + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _iso_ms(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@contextmanager
def _gdal_current_date(value: str) -> Iterator[None]:
    """Make GDAL stamp ``gpkg_contents.last_change`` with ``value`` instead of the clock."""
    import pyogrio  # type: ignore[import-untyped,unused-ignore]

    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})


def _base_tables(pa: Any, shapely: Any) -> tuple[Any, Any]:
    rows = countries()
    polys = [shapely.geometry.shape(r["geometry"]) for r in rows]
    multi = [p if p.geom_type == "MultiPolygon" else shapely.MultiPolygon([p]) for p in polys]
    ctab = pa.table(
        {
            "name": pa.array([r["name"] for r in rows], pa.string()),
            "iso_a2": pa.array([r["iso_a2"] for r in rows], pa.string()),
            "wkb": pa.array([shapely.to_wkb(g) for g in multi], pa.binary()),
        }
    )
    pts = places()
    ptab = pa.table(
        {
            "geonameid": pa.array([p["geonameid"] for p in pts], pa.int64()),
            "name": pa.array([p["name"] for p in pts], pa.string()),
            "feature_code": pa.array([p["feature_code"] for p in pts], pa.string()),
            "country_code": pa.array([p["country_code"] for p in pts], pa.string()),
            "population": pa.array([p["population"] for p in pts], pa.int64()),
            "capital": pa.array([p["capital"] for p in pts], pa.bool_()),
            "wkb": pa.array([shapely.to_wkb(shapely.Point(p["lon"], p["lat"])) for p in pts], pa.binary()),
        }
    )
    return ctab, ptab


def write_gpkg(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    articles: Sequence[Article] = (),
    overwrite: bool = False,
    base_layers: bool = True,
    title: str = PROJECT_NAME,
) -> Path:
    """Write events (and the articles they came from) as a QGIS-ready GeoPackage.

    A layer added to QGIS Desktop from the file (Browser, drag and drop, Add Layer) gets its
    stored default style: categorized by actor side, precision drawn, labels, and temporal on
    ``event_date``. The embedded project ``geoevents`` shows the event layers over the offline
    base layers with temporal already active. The project refers to the layers as
    ``./<file name>``: keep the file name, or repair the links in QGIS after renaming.

    Parameters
    ----------
    events : iterable of Event
        One feature per event location goes into the layer of the event's type.
    path : path-like
        Target ``.gpkg``; written beside itself first and moved into place when complete.
    articles : sequence of Article
        Rows of the ``articles`` table (the sources), possibly empty.
    overwrite : bool
        Replace an existing file.
    base_layers : bool
        Add ``base_places`` and ``base_countries`` (about 0.5 MB) and draw them in the project.
    title : str
        The project's title (shown by QGIS); any text, stored as XML text.

    Raises
    ------
    OutputExists
        ``path`` exists and ``overwrite`` is false.
    OutputError
        The directory is missing or not writable.

    """
    import pyarrow as pa  # core dependencies, imported late so `import geoevents` stays light
    import pyogrio  # type: ignore[import-untyped,unused-ignore]
    import shapely

    path = Path(path)
    events = list(events)
    rows = list(located_rows(events))
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in ordered_types(events)}
    for row in rows:
        by_type[row["event_type"]].append(row)
    stamp = build_timestamp(events, articles)

    with atomic_target(path, overwrite=overwrite) as tmp, _gdal_current_date(_iso_ms(stamp)):
        layers: list[LayerInfo] = []
        used: set[str] = set()
        for i, (etype, type_rows) in enumerate(by_type.items()):
            table = base = _event_table_name(etype)
            n = 1
            while table in used:  # "air raid" and "air-raid" share a slug: one layer each
                n += 1
                table = f"{base}_{n}"
            used.add(table)
            pyogrio.write_arrow(
                _event_table(pa, shapely, type_rows),
                str(tmp),
                layer=table,
                driver="GPKG",
                geometry_name="wkb",
                geometry_type="Point",
                crs="EPSG:4326",
                dataset_options={"VERSION": "1.3"} if i == 0 else None,
                layer_metadata={
                    "DESCRIPTION": xml_text(
                        f"{overlay_label(etype)} reported in news articles, one point per event location"
                    ),
                    "ATTRIBUTION": ATTRIBUTION,
                },
            )
            layers.append(LayerInfo(table, xml_text(overlay_label(etype)), etype, _extent(type_rows)))
        if base_layers:
            ctab, ptab = _base_tables(pa, shapely)
            for table, data, gtype, title_, kind, desc in (
                (PLACES_LAYER, ptab, "Point", "Cities (GeoNames)", "places", _PLACES_DESC),
                (
                    COUNTRIES_LAYER,
                    ctab,
                    "MultiPolygon",
                    "Countries (Natural Earth)",
                    "countries",
                    _COUNTRIES_DESC,
                ),
            ):
                pyogrio.write_arrow(
                    data,
                    str(tmp),
                    layer=table,
                    driver="GPKG",
                    geometry_name="wkb",
                    geometry_type=gtype,
                    crs="EPSG:4326",
                    layer_metadata={"DESCRIPTION": desc, "ATTRIBUTION": ATTRIBUTION},
                )
                layers.append(LayerInfo(table, title_, None, base=kind))  # type: ignore[arg-type]
        pyogrio.write_arrow(
            _article_table(pa, articles),
            str(tmp),
            layer=ARTICLE_LAYER,
            driver="GPKG",
            layer_metadata={"DESCRIPTION": "Articles the events were read from"},
        )
        layers.append(LayerInfo(ARTICLE_LAYER, "Articles", None))
        _add_qgis_tables(tmp, layers, rows, stamp=stamp, title=title)
    return path


_PLACES_DESC = (
    "Base map: capitals, first-order administrative seats and cities of 250,000+ people "
    "(GeoNames cities500, CC BY 4.0)"
)
_COUNTRIES_DESC = "Base map: country outlines, Natural Earth 1:110m (public domain)"


def _add_qgis_tables(
    gpkg: Path,
    layers: Sequence[LayerInfo],
    rows: Sequence[dict[str, Any]],
    *,
    stamp: dt.datetime,
    title: str,
) -> None:
    """Add ``layer_styles`` and ``qgis_projects`` to a closed GeoPackage, then VACUUM it."""
    now = _iso_ms(stamp)
    dates = sorted(r["event_date"] for r in rows if r["event_date"])
    time_range = (dt.date.fromisoformat(dates[0]), dt.date.fromisoformat(dates[-1])) if dates else None
    extent = _extent(rows) or (-180.0, -90.0, 180.0, 90.0)
    pad = 0.5
    extent = (extent[0] - pad, extent[1] - pad, extent[2] + pad, extent[3] + pad)
    qgs = project_qgs(gpkg.name, layers, time_range=time_range, extent=extent, title=title)
    qgz = project_qgz(qgs, timestamp=stamp.replace(tzinfo=None))
    con = sqlite3.connect(gpkg)
    try:
        with con:
            con.execute(_LAYER_STYLES_DDL)
            for lyr in layers:
                if lyr.event_type is not None:
                    qml = style_qml(lyr.event_type)
                elif lyr.base is not None:
                    qml = base_style_qml(lyr.base)
                else:
                    continue
                con.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                    "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, "
                    "ui, update_time) VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?, 'geoevents', "
                    "NULL, ?)",
                    (lyr.table, lyr.table, qml, f"geoevents default style for {lyr.title}", now),
                )
            con.execute(
                "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, "
                "last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', "
                "'QGIS layer styles', ?)",
                (now,),
            )
            con.execute(
                "CREATE TABLE IF NOT EXISTS qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)"
            )
            meta = json.dumps({"last_modified_time": now, "last_modified_user": "geoevents"})
            con.execute(
                "INSERT OR REPLACE INTO qgis_projects VALUES (?, ?, ?)", (PROJECT_NAME, meta, qgz.hex())
            )
        con.execute("VACUUM")  # compact pages: no leftovers from GDAL's writes, same input -> same bytes
    finally:
        con.close()
