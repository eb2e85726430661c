"""RFC 7946 GeoJSON: one Feature per event location, built in plain Python (no GDAL needed)."""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geoevents.outputs._common import atomic_target
from geoevents.outputs.tabular import located_rows
from geoevents.records import Event

__all__ = ["to_geojson", "write_geojson"]

# RFC 7946 section 11.2: 7 decimals is about 1 cm, more is noise from the gazetteer.
_DECIMALS = 7


_SURROGATE = re.compile("[\ud800-\udfff]")


def _number(value: Any) -> Any:
    """Keep JSON valid UTF-8: NaN/inf become null, lone surrogates (no UTF-8 form) U+FFFD.

    Text is otherwise kept as written: JSON has no markup or template syntax to escape, and
    ``json`` escapes quotes, backslashes and control characters.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and not value.isascii():
        return _SURROGATE.sub("\ufffd", value)
    return value


def to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    """Build an RFC 7946 FeatureCollection from events.

    Each event location becomes one Feature (``id`` ``"<event_id>-<location_index>"``), so a
    strike on two towns is two points sharing ``event_id``. Coordinates are ``[lon, lat]`` in
    WGS 84 with no ``crs`` member (RFC 7946 forbids one); an event without coordinates keeps its
    Feature with ``"geometry": null`` instead of disappearing. Properties are the columns of
    ``Event.rows()`` plus ``actor_side`` (the colour class the map and GeoPackage use) and
    ``fatalities`` (this location's share of ``killed``, so sums over features hold): numbers
    stay JSON numbers, dates are ISO 8601 text, missing values are null.

    Parameters
    ----------
    events : iterable of Event
        Events in the order they should appear.

    Returns
    -------
    dict
        A JSON-ready ``{"type": "FeatureCollection", "features": [...]}``.

    """
    features = []
    for row in located_rows(events):
        lat, lon = _number(row["lat"]), _number(row["lon"])
        geometry = (
            {"type": "Point", "coordinates": [round(float(lon), _DECIMALS), round(float(lat), _DECIMALS)]}
            if lat is not None and lon is not None
            else None
        )
        props = {k: _number(v) for k, v in row.items()}
        features.append(
            {
                "type": "Feature",
                "id": _number(f"{row['event_id']}-{row['location_index']}"),
                "geometry": geometry,
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(events: Iterable[Event], path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``to_geojson(events)`` to ``path`` atomically (UTF-8, media type application/geo+json).

    Raises
    ------
    OutputExists
        ``path`` exists and ``overwrite`` is false.
    OutputError
        The directory is missing or not writable.

    """
    path = Path(path)
    data = to_geojson(events)
    with atomic_target(path, overwrite=overwrite) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, allow_nan=False)
        fh.write("\n")
    return path
