"""Geocoded strike and attack events from news text, fully offline.

Stages, each usable alone: ``geoevents.ingest`` (articles), ``geoevents.gazetteer`` (offline
GeoNames-based index), ``geoevents.geoparse`` (find and resolve places), ``geoevents.events``
(strike/attack records), ``geoevents.outputs`` (HTML map, GeoJSON, GeoPackage, CSV).
Importing reads no file, opens no socket and sets up no logging.
"""

from __future__ import annotations

import logging
import multiprocessing as _mp
from typing import Any

if getattr(_mp.current_process(), "_inheriting", False):  # pragma: no cover - in spawned workers
    # A worker process being spawned (Dask's, a pool's): Ctrl-C reaches the whole process group
    # and is its parent's to answer; ignored from here, the worker prints no KeyboardInterrupt.
    import signal as _signal

    _signal.signal(_signal.SIGINT, _signal.SIG_IGN)

from geoevents.errors import GeoeventsError
from geoevents.records import Article, Event, EventLocation, Place, Toponym

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Event",
    "EventLocation",
    "Gazetteer",
    "GeoeventsError",
    "OfflineGeocoder",
    "Place",
    "SQLiteGazetteer",
    "Toponym",
    "extract_events",
    "geoparse",
    "map_articles",
    "read_articles",
    "to_geojson",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

_LAZY = {
    "SQLiteGazetteer": "geoevents.gazetteer",
    "Gazetteer": "geoevents.gazetteer",
    "OfflineGeocoder": "geoevents.gazetteer.geocoder",
    "geoparse": "geoevents.geoparse",
    "extract_events": "geoevents.events",
    "read_articles": "geoevents.ingest",
    "to_geojson": "geoevents.outputs",
    "map_articles": "geoevents.pipeline",
}


def __getattr__(name: str) -> Any:
    """Load the heavier stage modules only when their names are first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geoevents' has no attribute {name!r}")
