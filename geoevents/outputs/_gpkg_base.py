"""Offline base layers for the GeoPackage: Natural Earth countries and GeoNames cities, both shipped.

So the embedded QGIS project (and a user dragging layers in) has context without a network:
country outlines with names from the vendored Natural Earth 1:110m file (public domain), and
capitals, first-order seats and cities of 250,000+ people from the GeoNames ``cities500`` extract
the gazetteer ships (CC BY 4.0). Read once per process.
"""

from __future__ import annotations

import functools
import gzip
import json
from importlib import resources
from typing import Any

__all__ = ["COUNTRIES_LAYER", "PLACES_LAYER", "countries", "places"]

COUNTRIES_LAYER = "base_countries"
PLACES_LAYER = "base_places"
MIN_POPULATION = 250_000
_SEATS = {"PPLC", "PPLA"}


@functools.lru_cache(maxsize=1)
def countries() -> tuple[dict[str, Any], ...]:
    """Natural Earth countries as ``{"name", "iso_a2", "geometry"}`` (GeoJSON geometry), by name."""
    text = resources.files("geoevents.outputs").joinpath("ne_110m_countries.json").read_text("utf-8")
    feats = json.loads(text)["features"]
    rows = [
        {
            "name": f["properties"]["name"],
            "iso_a2": f["properties"].get("iso_a2") or None,
            "geometry": f["geometry"],
        }
        for f in feats
        if f.get("geometry")
    ]
    return tuple(sorted(rows, key=lambda r: r["name"]))


@functools.lru_cache(maxsize=1)
def places() -> tuple[dict[str, Any], ...]:
    """Capitals, admin-1 seats and big cities from GeoNames ``cities500``, by geonameid.

    Returns an empty tuple when the gazetteer data package is not installed (the layer is then
    written empty rather than failing the whole GeoPackage).
    """
    try:
        src = resources.files("geoevents_gazetteer_data").joinpath("cities500.txt.gz")
        raw = src.open("rb")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - shipped with geoevents
        return ()
    rows = []
    with raw, gzip.open(raw, "rt", encoding="utf-8") as lines:  # streamed: the file is 60 MB unpacked
        for line in lines:
            cols = line.split("\t")
            if len(cols) < 15:
                continue
            code, pop = cols[7], int(cols[14] or 0)
            if code not in _SEATS and pop < MIN_POPULATION:
                continue
            rows.append(
                {
                    "geonameid": int(cols[0]),
                    "name": cols[1],
                    "lat": float(cols[4]),
                    "lon": float(cols[5]),
                    "feature_code": code,
                    "country_code": cols[8],
                    "population": pop,
                    "capital": code == "PPLC",
                }
            )
    return tuple(sorted(rows, key=lambda r: r["geonameid"]))
