"""merge_events' indexed complete linkage gives exactly the naive all-pairs result, and scales."""

from __future__ import annotations

import datetime as dt
import random

from geoevents.events import merge_events, same_event
from geoevents.events.merge import _combine
from geoevents.records import Event, EventLocation

PLACES = [
    EventLocation(
        "Baghdad", 33.34, 44.40, place_id=1, feature_code="PPLC", country_code="IQ", geo_precision=1
    ),
    EventLocation("Iraq", 33.0, 44.0, place_id=2, feature_code="PCLI", country_code="IQ", geo_precision=3),
    EventLocation("Jordan", 31.0, 36.0, place_id=3, feature_code="PCLI", country_code="JO", geo_precision=3),
    EventLocation("Erbil", 36.19, 44.01, place_id=4, feature_code="PPLA", country_code="IQ", geo_precision=1),
    EventLocation("Near Erbil", 36.25, 44.05, place_id=5, country_code="IQ", geo_precision=2),
]


def _random_events(n: int, seed: int) -> list[Event]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        out.append(
            Event(
                event_id=f"e{i:04d}",
                event_type=rng.choice(["strike", "attack"]),
                sub_event_type=rng.choice(["", "air strike", "drone strike", "attack", "rocket attack"]),
                event_date=rng.choice([None, dt.date(2024, 2, 1) + dt.timedelta(days=rng.randint(0, 40))]),
                date_precision=rng.choice(["day", "week", "month"]),
                locations=tuple(rng.sample(PLACES, rng.randint(0, 2))),
                killed=rng.choice([None, 1, 3, 8, 20]),
                source_ids=(f"a{rng.randint(0, 30)}",),
            )
        )
    return out


def _naive(events: list[Event]) -> list[Event]:
    items = sorted(
        events,
        key=lambda e: (
            min((x.geo_precision for x in e.locations), default=4),
            {"day": 0, "week": 1, "month": 2}.get(e.date_precision or "month", 3),
            e.event_id,
        ),
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
    return sorted(out, key=lambda e: (e.event_date or dt.date.min, e.event_id))


def test_indexed_merge_equals_naive_complete_linkage() -> None:
    for seed in range(6):
        events = _random_events(250, seed)
        assert [e.to_dict() for e in merge_events(events)] == [e.to_dict() for e in _naive(events)]


def test_many_reports_of_one_event_merge_without_quadratic_blowup() -> None:
    loc = PLACES[0]
    events = [
        Event(
            event_id=f"e{i}",
            event_type="attack",
            event_date=dt.date(2024, 2, 5),
            date_precision="week",
            locations=(loc,),
            source_ids=(f"a{i}",),
        )
        for i in range(20_000)
    ]
    merged = merge_events(events)
    assert len(merged) == 1 and merged[0].n_sources == 20_000
