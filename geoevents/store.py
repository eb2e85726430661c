"""Deprecated name of :mod:`geoevents.eventstore` (the GeoParquet event store), kept for old imports.

``geoevents.gazetteer.store`` is the gazetteer's SQLite store; this event store is now
``geoevents.eventstore``, so the two no longer share a name in code.
"""

from __future__ import annotations

from geoevents.eventstore import *  # noqa: F403
from geoevents.eventstore import __all__  # noqa: F401
