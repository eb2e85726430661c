"""Events from JSON and synthetic events at scale, for tests, benchmarks and screenshots.

Not part of the public API; nothing in the writers uses it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geoevents.records import Article, Event, EventLocation

__all__ = ["article_from_dict", "event_from_dict", "load_fixture", "synthetic_events"]


def event_from_dict(d: Mapping[str, Any]) -> Event:
    """Inverse of ``Event.to_dict`` (the flat first-location copy is ignored)."""
    date = d.get("event_date")
    return Event(
        event_id=d["event_id"],
        event_type=d["event_type"],
        sub_event_type=d.get("sub_event_type") or "",
        actor1=d.get("actor1"),
        actor2=d.get("actor2"),
        event_date=dt.date.fromisoformat(date) if date else None,
        date_precision=d.get("date_precision"),
        locations=tuple(EventLocation(**loc) for loc in d.get("locations") or ()),
        killed=d.get("killed"),
        injured=d.get("injured"),
        evidence=tuple(d.get("evidence") or ()),
        source_ids=tuple(d.get("source_ids") or ()),
        source_urls=tuple(d.get("source_urls") or ()),
        source_titles=tuple(d.get("source_titles") or ()),
        source_names=tuple(d.get("source_names") or ()),
        notes=d.get("notes") or "",
    )


def article_from_dict(d: Mapping[str, Any]) -> Article:
    """Inverse of ``Article.to_dict``."""
    pub = d.get("published")
    return Article(
        id=d["id"],
        text=d.get("text") or "",
        title=d.get("title"),
        url=d.get("url"),
        published=dt.date.fromisoformat(pub) if pub else None,
        source=d.get("source"),
        path=d.get("path"),
    )


def load_fixture(path: str | Path) -> tuple[list[Event], list[Article]]:
    """Read ``{"events": [...], "articles": [...]}`` (or JSON Lines of events) into records."""
    path = Path(path)
    text = path.read_text("utf-8")
    if path.suffix == ".jsonl":
        return [event_from_dict(json.loads(line)) for line in text.splitlines() if line.strip()], []
    data = json.loads(text)
    return (
        [event_from_dict(e) for e in data.get("events", [])],
        [article_from_dict(a) for a in data.get("articles", [])],
    )


_PLACES = (
    ("Baghdad", 33.3406, 44.4009, "IQ"),
    ("Erbil", 36.1912, 44.0094, "IQ"),
    ("Al Qaim", 34.3688, 41.0945, "IQ"),
    ("Deir ez-Zor", 35.3359, 40.1408, "SY"),
    ("Al Tanf", 33.4833, 38.6667, "SY"),
    ("Tower 22", 33.3236, 38.6928, "JO"),
    ("Amman", 31.9552, 35.9450, "JO"),
    ("Kirkuk", 35.4681, 44.3922, "IQ"),
    ("Sanaa", 15.3547, 44.2066, "YE"),
)
_ACTORS = (
    "United States",
    "Kata'ib Hezbollah",
    "Islamic Resistance in Iraq",
    None,
    "Israel",
    "unidentified gunmen",
)
_SUBTYPES = {
    "strike": ("air strike", "drone strike", "missile strike"),
    "attack": ("drone attack", "rocket attack", "armed clash"),
}


def synthetic_events(n: int, *, seed: int = 0) -> list[Event]:
    """``n`` plausible events scattered around Middle-East places, for scale tests and benchmarks."""
    rng = random.Random(seed)
    start = dt.date(2023, 10, 1)
    out = []
    for i in range(n):
        etype = "strike" if rng.random() < 0.55 else "attack"
        name, lat, lon, cc = rng.choice(_PLACES)
        killed = rng.choice((None, 0, 1, 2, 5, 12, 40))
        out.append(
            Event(
                event_id=f"SYN-{i:06d}",
                event_type=etype,
                sub_event_type=rng.choice(_SUBTYPES[etype]),
                actor1=rng.choice(_ACTORS),
                actor2=rng.choice(_ACTORS),
                event_date=start + dt.timedelta(days=rng.randrange(200)),
                date_precision="day",
                locations=(
                    EventLocation(
                        place_name=name,
                        lat=lat + rng.uniform(-0.6, 0.6),
                        lon=lon + rng.uniform(-0.6, 0.6),
                        resolved_name=name,
                        country_code=cc,
                        geo_precision=rng.choice((1, 2, 3)),
                        location_reason="synthetic",
                    ),
                ),
                killed=killed,
                injured=rng.choice((None, 0, 3)),
                evidence=(f"Synthetic report {i} of a {etype} near {name}.",),
                source_ids=(f"s{i}",),
                source_urls=(f"https://example.org/{i}",),
                source_titles=(f"Report {i}",),
                source_names=("Synthetic",),
            )
        )
    return out
