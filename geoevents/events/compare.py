"""Whether two event records can be the same event: places, sub-types, casualty figures.

Used by coreference inside one article and by merging across articles, so both decide
"same place" the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from geoevents.geo import haversine_km
from geoevents.records import EventLocation

__all__ = [
    "GENERIC_SUBS",
    "PREC_RANK",
    "WINDOW",
    "casualties_compatible",
    "drop_covered",
    "locations_compatible",
    "subs_compatible",
]

WINDOW = {"day": 1, "week": 7, "month": 31}
PREC_RANK = {"day": 0, "week": 1, "month": 2}
GENERIC_SUBS = {"", "strike", "attack"}


def _km(a: EventLocation, b: EventLocation) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _is_country(loc: EventLocation) -> bool:
    return loc.feature_code.startswith("PCL") or (
        loc.geo_precision == 3 and not loc.admin1 and bool(loc.country_code)
    )


def _one_compatible(a: EventLocation, b: EventLocation) -> bool:
    if a.place_id is not None and a.place_id == b.place_id:
        return True
    if a.place_id is None and b.place_id is None and a.place_name.lower() == b.place_name.lower():
        return True
    for x, y in ((a, b), (b, a)):
        if _is_country(x) and x.country_code and x.country_code == y.country_code:
            return True
        if (
            x.geo_precision == 3
            and x.feature_code.startswith("ADM1")
            and x.country_code == y.country_code
            and x.admin1
            and x.admin1 == y.admin1
        ):
            return True
    d = _km(a, b)
    return d is not None and d <= 25.0 and a.geo_precision < 3 and b.geo_precision < 3


def locations_compatible(a: Sequence[EventLocation], b: Sequence[EventLocation]) -> bool:
    """Whether two location lists can describe the same event (any pair compatible)."""
    return any(_one_compatible(x, y) for x in a for y in b)


def subs_compatible(a: str, b: str) -> bool:
    """Whether two sub-types can name one event (a generic one matches any)."""
    return a in GENERIC_SUBS or b in GENERIC_SUBS or a == b


def casualties_compatible(a: int | None, b: int | None) -> bool:
    """Whether two death tolls can be one event's (the larger at most twice the smaller plus 2)."""
    if a is None or b is None:
        return True
    lo, hi = sorted((a, b))
    return hi <= 2 * lo + 2


def drop_covered(locs: list[EventLocation]) -> list[EventLocation]:
    """Drop a country-level location when a more precise one in the same country is present."""
    out = []
    for loc in locs:
        if (
            loc.geo_precision == 3
            and loc.country_code
            and loc.feature_code.startswith(("PCL", "ADM1"))
            and any(o is not loc and o.geo_precision < 3 and o.country_code == loc.country_code for o in locs)
        ):
            continue
        out.append(loc)
    return out
