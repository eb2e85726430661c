"""Identity of an event record: the one place key and the content-derived ``event_id``.

Both extraction and merging key places with :func:`place_key`, so "Al-Qaim" and "Al Qaim" are one
place for the id and for merging alike.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from geoevents.records import Event, EventLocation

__all__ = ["event_id", "place_key", "with_id"]


def place_key(loc: EventLocation) -> str:
    """Gazetteer place id, else the name without case, spaces or punctuation."""
    if loc.place_id is not None:
        return f"p{loc.place_id}"
    return "n" + re.sub(r"\W+", "", loc.place_name.lower())


def event_id(ev: Event) -> str:
    """Stable id from the record's content: type, sub-type, date, places, sources and evidence.

    Uses sha1 (not Python's salted ``hash``), sorts every collection, so the id is the same across
    runs and input orders; after a merge it is recomputed from the merged content.
    """
    parts = [
        ev.event_type,
        ev.sub_event_type,
        ev.event_date.isoformat() if ev.event_date else "",
        ev.date_precision or "",
        ",".join(sorted(place_key(loc) for loc in ev.locations)),
        ",".join(sorted(ev.source_ids)),
        "|".join(sorted(ev.evidence)),
    ]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def with_id(ev: Event) -> Event:
    """Return the record with its ``event_id`` computed from its content."""
    return replace(ev, event_id=event_id(ev))
