"""The offline base of the HTML and static maps: country outlines and place labels, shipped.

Outlines are the vendored Natural Earth 1:110m countries; labels come from
``map_base_labels.json.gz`` (built by ``devtools/make_map_base.py`` from the gazetteer extract:
Natural Earth country, admin-1 and physical label points, GeoNames towns). A map carries the
country names and big cities of the whole world, and the regions, rivers and towns of the area
its events cover, each with the zoom level from which it shows, so the file stays small.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

__all__ = ["base_labels", "world_geojson"]

# Leaflet zoom from which a label shows. Static renders map their scale to the same levels.
_CITY_ZOOMS = ((1_000_000, 5), (250_000, 6), (50_000, 8), (10_000, 9), (0, 10))
_MARGIN_DEG = 3.0  # regions, rivers and towns within this margin around the events are kept
_MAX_LOCAL_CITIES = 4_000
_DEFAULT_BBOX = (28.0, 40.0, 34.0, 50.0)  # lat_min, lat_max, lon_min, lon_max: no events, Iraq/Syria


@functools.lru_cache(maxsize=1)
def world_geojson() -> dict[str, Any]:
    """Natural Earth 1:110m countries as a GeoJSON FeatureCollection (public domain)."""
    text = resources.files("geoevents.outputs").joinpath("ne_110m_countries.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@functools.lru_cache(maxsize=1)
def _labels() -> dict[str, list[list[Any]]]:
    raw = resources.files("geoevents.outputs").joinpath("map_base_labels.json.gz").read_bytes()
    data: dict[str, list[list[Any]]] = json.loads(gzip.decompress(raw))
    return data


def _city_zoom(pop: int, capital: int) -> int:
    if capital:
        return 4
    return next(z for floor, z in _CITY_ZOOMS if pop >= floor)


def bbox_of(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lon_min, lon_max) of ``points`` plus the margin; a default without any."""
    if not points:
        return _DEFAULT_BBOX
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    m = _MARGIN_DEG
    return min(lats) - m, max(lats) + m, min(lons) - m, max(lons) + m


def base_labels(points: Sequence[tuple[float, float]]) -> list[list[Any]]:
    """Labels for a map of events at ``points`` ((lat, lon) pairs).

    Returns ``[name, lat, lon, kind, min_zoom, rank]`` rows, kind one of ``country``, ``sea``,
    ``region``, ``river``, ``lake``, ``capital``, ``city``, ``town``; rank orders labels of a
    kind (bigger first), so a renderer that must drop overlapping labels keeps the important
    ones. Sorted, so the same events give the same bytes.
    """
    lat0, lat1, lon0, lon1 = bbox_of(points)
    data = _labels()

    def near(lat: float, lon: float) -> bool:
        return lat0 <= lat <= lat1 and lon0 <= lon <= lon1

    rows: list[list[Any]] = [[n, la, lo, "country", 3, 0] for n, la, lo, _cc in data["countries"]]
    for name, la, lo, kind, length in data["physical"]:
        if kind == "sea":
            rows.append([name, la, lo, "sea", 4, 0])
        elif near(la, lo):
            zoom = 6 if kind == "river" and length >= 500 else 7
            rows.append([name, la, lo, kind, zoom, -length])
    rows += [[n, la, lo, "region", 6, 0] for n, la, lo, _cc in data["regions"] if near(la, lo)]
    local = 0
    for name, la, lo, pop, cap in data["cities"]:  # biggest first
        zoom = _city_zoom(pop, cap)
        kind = "capital" if cap else ("city" if pop >= 100_000 else "town")
        if zoom <= 5:
            rows.append([name, la, lo, kind, zoom, -pop])
        elif near(la, lo) and local < _MAX_LOCAL_CITIES:
            rows.append([name, la, lo, kind, zoom, -pop])
            local += 1
    rows.sort(key=lambda r: (r[4], r[5], r[0], r[1], r[2]))
    return rows
