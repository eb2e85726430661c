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

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from geoevents.events.compare import (
    GENERIC_SUBS,
    PREC_RANK,
    WINDOW,
    casualties_compatible,
    drop_covered,
    locations_compatible,
    subs_compatible,
)
from geoevents.events.identity import event_id, place_key
from geoevents.records import Event, EventLocation

__all__ = ["locations_compatible", "merge_events", "same_event"]


def same_event(a: Event, b: Event) -> bool:
    """Apply the merge rule to two records (see the module docstring)."""
    if a.event_type != b.event_type or not subs_compatible(a.sub_event_type, b.sub_event_type):
        return False
    if set(a.source_ids) & set(b.source_ids):
        return False
    if a.event_date is None or b.event_date is None or not a.locations or not b.locations:
        return False
    window = max(WINDOW.get(a.date_precision or "month", 31), WINDOW.get(b.date_precision or "month", 31))
    if abs((a.event_date - b.event_date).days) > window:
        return False
    if not casualties_compatible(a.killed, b.killed):
        return False
    return locations_compatible(a.locations, b.locations)


def _min(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _combine(group: list[Event]) -> Event:
    if len(group) == 1:
        return group[0]
    # the most precise date wins; among equals the earliest (a report date is an upper bound)
    dated = [e for e in group if e.event_date is not None]
    best = min(dated, key=lambda e: (PREC_RANK.get(e.date_precision or "month", 2), e.event_date))
    locs: dict[str, EventLocation] = {}
    for e in sorted(group, key=lambda e: min((x.geo_precision for x in e.locations), default=3)):
        for loc in e.locations:
            k = place_key(loc)
            if k not in locs or loc.geo_precision < locs[k].geo_precision:
                locs[k] = loc
    subs = [e.sub_event_type for e in group if e.sub_event_type not in GENERIC_SUBS]
    evidence: list[str] = []
    seen_evidence: set[str] = set()
    srcs: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for e in group:
        for x in e.evidence:
            if x not in seen_evidence:
                seen_evidence.add(x)
                evidence.append(x)
        for i, sid in enumerate(e.source_ids):  # the other tuples may be shorter: never drop a source
            if sid not in seen:
                seen.add(sid)
                srcs.append(
                    (
                        sid,
                        *(
                            t[i] if i < len(t) else ""
                            for t in (e.source_urls, e.source_titles, e.source_names)
                        ),
                    )
                )
    srcs.sort()
    merged = Event(
        event_id="",
        event_type=group[0].event_type,
        sub_event_type=subs[0] if subs else group[0].sub_event_type,
        actor1=next((e.actor1 for e in group if e.actor1), None),
        actor2=next((e.actor2 for e in group if e.actor2), None),
        event_date=best.event_date,
        date_precision=best.date_precision,
        locations=tuple(drop_covered(sorted(locs.values(), key=lambda x: (x.geo_precision, place_key(x))))),
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


def _loc_signature(locs: Sequence[EventLocation]) -> tuple[tuple[object, ...], ...]:
    return tuple(
        sorted(
            (
                x.place_id,
                x.place_name.lower(),
                x.lat,
                x.lon,
                x.geo_precision,
                x.feature_code,
                x.country_code,
                x.admin1,
            )
            for x in locs
        )
    )


class _Group:
    """A group of records of one event with the aggregates that make complete linkage cheap.

    ``accepts(e)`` equals ``all(same_event(e, x) for x in members)`` but costs O(distinct
    location lists) instead of O(members): dates, casualties, sub-types and sources are checked
    against per-group bounds, locations once per distinct location list.
    """

    def __init__(self, first: Event) -> None:
        self.members: list[Event] = []
        self.sources: set[str] = set()
        self.specific_subs: set[str] = set()
        self.dates: dict[str, tuple[dt.date, dt.date]] = {}  # precision -> (min date, max date)
        self.killed: tuple[int, int] | None = None
        self.signatures: dict[tuple[tuple[object, ...], ...], Sequence[EventLocation]] = {}
        self._seen: dict[tuple[object, object], bool] = {}
        self.add(first)

    def add(self, e: Event) -> None:
        self.members.append(e)
        self.sources.update(e.source_ids)
        if e.sub_event_type not in GENERIC_SUBS:
            self.specific_subs.add(e.sub_event_type)
        if e.event_date is not None:
            key = e.date_precision or "month"
            lo, hi = self.dates.get(key, (e.event_date, e.event_date))
            self.dates[key] = (min(lo, e.event_date), max(hi, e.event_date))
        if e.killed is not None:
            self.killed = (
                (e.killed, e.killed)
                if self.killed is None
                else (min(self.killed[0], e.killed), max(self.killed[1], e.killed))
            )
        self.signatures.setdefault(_loc_signature(e.locations), e.locations)

    def accepts(self, e: Event) -> bool:
        first = self.members[0]
        if e.event_type != first.event_type or e.event_date is None or not e.locations:
            return False
        if e.sub_event_type not in GENERIC_SUBS and self.specific_subs - {e.sub_event_type}:
            return False
        if self.sources & set(e.source_ids):
            return False
        w_e = WINDOW.get(e.date_precision or "month", 31)
        for prec, (lo, hi) in self.dates.items():
            window = max(w_e, WINDOW.get(prec, 31))
            if abs((e.event_date - lo).days) > window or abs((hi - e.event_date).days) > window:
                return False
        if e.killed is not None and self.killed is not None:
            if not (
                casualties_compatible(e.killed, self.killed[0])
                and casualties_compatible(e.killed, self.killed[1])
            ):
                return False
        sig = _loc_signature(e.locations)
        for other_sig, locs in self.signatures.items():
            key = (sig, other_sig)
            ok = self._seen.get(key)
            if ok is None:
                ok = locations_compatible(e.locations, locs)
                self._seen[key] = ok
            if not ok:
                return False
        return True


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
            PREC_RANK.get(e.date_precision or "month", 3),
            e.event_id,
        )
    )
    groups: list[_Group] = []
    by_type: dict[str, list[_Group]] = {}
    for e in items:
        if e.event_date is None or not e.locations:  # nothing to check a match against
            groups.append(_Group(e))
            continue
        for g in by_type.get(e.event_type, ()):
            if g.accepts(e):
                g.add(e)
                break
        else:
            g = _Group(e)
            groups.append(g)
            by_type.setdefault(e.event_type, []).append(g)
    out = [_combine(g.members) for g in groups]
    out.sort(key=lambda e: (e.event_date or dt.date.min, e.event_id))
    return out
