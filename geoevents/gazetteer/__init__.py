"""Offline gazetteer: GeoNames-based places in a SQLite index, built once from the committed extract.

``SQLiteGazetteer.open()`` opens the cached index (building it on first use, about a minute);
``candidates(name)`` returns ranked places for a name; ``lookup_keys`` resolves many normalized
keys in one query for the geoparser; ``OfflineGeocoder`` (``geoevents.gazetteer.geocoder``) wraps it
as a geopy geocoder. Importing this package reads no file.
"""

from __future__ import annotations

from geoevents.gazetteer.build import SCHEMA_VERSION, build_gazetteer
from geoevents.gazetteer.normalize import name_skeleton, name_variants, normalize_name
from geoevents.gazetteer.store import Gazetteer, SQLiteGazetteer, default_gazetteer_path, search

__all__ = [
    "SCHEMA_VERSION",
    "Gazetteer",
    "OfflineGeocoder",
    "SQLiteGazetteer",
    "build_gazetteer",
    "default_gazetteer_path",
    "name_skeleton",
    "name_variants",
    "normalize_name",
    "search",
]


def __getattr__(name: str):
    """Load the geopy-based geocoder only when it is asked for (geopy is a heavier import)."""
    if name == "OfflineGeocoder":
        from geoevents.gazetteer.geocoder import OfflineGeocoder

        return OfflineGeocoder
    raise AttributeError(f"module 'geoevents.gazetteer' has no attribute {name!r}")
