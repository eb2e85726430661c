"""One record per real-world event, from reports of it in several articles.

Two records are the same event when all of these hold (``docs/events.md``, "Merge rule"):

* same ``event_type``, and sub-types that do not contradict ("drone strike" vs "air strike" do;
  a generic "attack"/"strike" matches any);
* compatible places: the same gazetteer place, places within 25 km, or one side at country
  (or admin-1) precision with the other inside that country (admin-1);
* both dated, and dates within a window set by both precisions: 1 day when both are
  day-precise, 7 days when either is week-precise, 31 days when either is month-precise;
* casualty figures that do not contradict: when both sides report deaths, the larger is at
  most twice the smaller plus 2;
* from different articles: an article's own mentions were already joined by extraction, so
  two records from one article are two events.

Records without a date or without a location are never merged: there is nothing to check the
match against, and an over-merge loses an event while an under-merge only duplicates one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace

from geoevents.records import Event, EventLocation

__all__ = ["locations_compatible", "merge_events", "same_event"]

_WINDOW = {"day": 1, "week": 7, "month": 31}
_PREC_RANK = {"day": 0, "week": 1, "month": 2}
_GENERIC_SUBS = {"", "strike", "attack"}


def _km(a: EventLocation, b: EventLocation) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


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


def _subs_compatible(a: str, b: str) -> bool:
    return a in _GENERIC_SUBS or b in _GENERIC_SUBS or a == b


def _casualties_compatible(a: int | None, b: int | None) -> bool:
    if a is None or b is None:
        return True
    lo, hi = sorted((a, b))
    return hi <= 2 * lo + 2


def same_event(a: Event, b: Event) -> bool:
    """Apply the merge rule to two records (see the module docstring)."""
    if a.event_type != b.event_type or not _subs_compatible(a.sub_event_type, b.sub_event_type):
        return False
    if set(a.source_ids) & set(b.source_ids):
        return False
    if a.event_date is None or b.event_date is None or not a.locations or not b.locations:
        return False
    window = max(_WINDOW.get(a.date_precision or "month", 31), _WINDOW.get(b.date_precision or "month", 31))
    if abs((a.event_date - b.event_date).days) > window:
        return False
    if not _casualties_compatible(a.killed, b.killed):
        return False
    return locations_compatible(a.locations, b.locations)


def _min(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _loc_key(loc: EventLocation) -> str:
    return f"p{loc.place_id}" if loc.place_id is not None else "n" + loc.place_name.lower()


def _combine(group: list[Event]) -> Event:
    from geoevents.events.extract import _drop_covered, event_id

    if len(group) == 1:
        return group[0]
    # the most precise date wins; among equals the earliest (a report date is an upper bound)
    dated = [e for e in group if e.event_date is not None]
    best = min(dated, key=lambda e: (_PREC_RANK.get(e.date_precision or "month", 2), e.event_date))
    locs: dict[str, EventLocation] = {}
    for e in sorted(group, key=lambda e: min((x.geo_precision for x in e.locations), default=3)):
        for loc in e.locations:
            k = _loc_key(loc)
            if k not in locs or loc.geo_precision < locs[k].geo_precision:
                locs[k] = loc
    subs = [e.sub_event_type for e in group if e.sub_event_type not in _GENERIC_SUBS]
    evidence: list[str] = []
    srcs: list[tuple[str, str, str, str]] = []
    for e in group:
        evidence.extend(x for x in e.evidence if x not in evidence)
        for row in zip(e.source_ids, e.source_urls, e.source_titles, e.source_names, strict=False):
            if row[0] not in {s[0] for s in srcs}:
                srcs.append(row)
    srcs.sort()
    merged = Event(
        event_id="",
        event_type=group[0].event_type,
        sub_event_type=subs[0] if subs else group[0].sub_event_type,
        actor1=next((e.actor1 for e in group if e.actor1), None),
        actor2=next((e.actor2 for e in group if e.actor2), None),
        event_date=best.event_date,
        date_precision=best.date_precision,
        locations=tuple(_drop_covered(sorted(locs.values(), key=lambda x: (x.geo_precision, _loc_key(x))))),
        killed=_min(e.killed for e in group),
        injured=_min(e.injured for e in group),
        evidence=tuple(evidence),
        source_ids=tuple(s[0] for s in srcs),
        source_urls=tuple(s[1] for s in srcs),
        source_titles=tuple(s[2] for s in srcs),
        source_names=tuple(s[3] for s in srcs),
        notes=f"merged from {len(group)} reports; " + " | ".join(sorted({e.notes for e in group if e.notes})),
    )
    return replace(merged, event_id=event_id(merged))


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Join records of the same real-world event reported by several articles.

    Deterministic and independent of input order: records are sorted by content first, then
    grouped greedily; a record joins a group when it matches every member (complete linkage),
    so chains of near matches (A~B, B~C, A!~C) do not snowball into one over-merged event.

    Returns
    -------
    list of Event
        One record per group, with all sources, the union of locations (a country-level place
        dropped when a precise one in that country is present), the most precise date, and the
        lowest casualty figures (ACLED's rule). Ordered by date, then id.

    """
    items = sorted(
        events,
        key=lambda e: (
            e.event_date or __import__("datetime").date.min,
            -len(e.locations),
            e.event_id,
            min((x.geo_precision for x in e.locations), default=3),
        ),
    )
    # more precise records first, so they seed the groups
    items.sort(
        key=lambda e: (
            min((x.geo_precision for x in e.locations), default=4),
            _PREC_RANK.get(e.date_precision or "month", 3),
            e.event_id,
        )
    )
    groups: list[list[Event]] = []
    for e in items:
        for g in groups:
            if all(same_event(e, x) for x in g):
                g.append(e)
                break
        else:
            groups.append([e])
    out = [_combine(g) for g in groups]
    import datetime as dt

    out.sort(key=lambda e: (e.event_date or dt.date.min, e.event_id))
    return out
