"""The small immutable records that flow between stages: ingest -> geoparse -> events -> outputs.

Records are frozen and slotted; change one with ``dataclasses.replace``. Coordinates are named
``lat``/``lon``; the one (x, y) swap happens in ``__geo_interface__``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

__all__ = [
    "EVENT_COLUMNS",
    "Article",
    "Event",
    "EventLocation",
    "Place",
    "Toponym",
]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as ingested: text plus the metadata that dates and credits it."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None  # None when the page gives no date: never "today"
    source: str | None = None  # outlet name, e.g. "ICARO Media Group"
    path: str | None = None  # file it came from (with ":line" for JSON Lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``published`` as ISO text) in the `geoevents ingest` schema."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry.

    ``place_id`` is the gazetteer's own key (stable across builds of the same data);
    ``geonameid`` is None for entries that are not GeoNames records (WOF campus, airport,
    Natural Earth feature, curated entry). ``source`` says which data set it comes from.
    ``admin1_id``/``admin2_id`` give its containment: the gazetteer places of the province and
    district it lies in (None where the data has no such unit), for "X, Y" and "X in Y" checks.
    """

    place_id: int
    name: str
    lat: float
    lon: float
    feature_class: str = ""  # GeoNames class: P populated, A admin, S spot/site, H, T, L ...
    feature_code: str = ""  # GeoNames code: PPLC, PPLA, ADM1, PCLI, AIRB, ...
    country_code: str = ""
    admin1: str = ""  # GeoNames admin1 code, e.g. "01"
    admin1_name: str = ""
    admin2: str = ""
    population: int = 0
    geonameid: int | None = None
    source: str = "geonames"
    admin2_name: str = ""  # the district/LGA/county the place lies in (GeoNames admin-2 name)
    admin1_id: int | None = None  # place_id of the admin-1 unit the place lies in (itself for an ADM1)
    admin2_id: int | None = None  # place_id of the admin-2 unit the place lies in (itself for an ADM2)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Point", "coordinates": (self.lon, self.lat)}


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place mention in a text: where it is (character offsets) and what it resolved to.

    ``text[start:end] == name`` always holds. ``place`` is None when no candidate was good
    enough. ``relation`` keeps relative phrases ("30 km south of") instead of dropping them.
    """

    start: int
    end: int
    name: str
    place: Place | None = None
    score: float = 0.0
    reason: str = ""
    relation: str | None = None  # e.g. "south of", "near", "30 km north-west of"
    is_demonym: bool = False  # "Iraqi": evidence for a country, not a located span
    metonymic: bool = False  # "coordination with Washington": the government, not the place

    def to_dict(self) -> dict[str, Any]:
        """Return the `geoevents geoparse` output row for this mention."""
        p = self.place
        return {
            "start": self.start,
            "end": self.end,
            "name": self.name,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "geonameid": p.geonameid if p else None,
            "place_id": p.place_id if p else None,
            "resolved_name": p.name if p else None,
            "feature_code": p.feature_code if p else None,
            "country_code": p.country_code if p else None,
            "admin1": p.admin1_name if p else None,
            "score": round(self.score, 4),
            "reason": self.reason,
            "relation": self.relation,
            "is_demonym": self.is_demonym,
            "metonymic": self.metonymic,
        }


@dataclass(frozen=True, slots=True)
class EventLocation:
    """Where an event happened, with ACLED's geo_precision.

    geo_precision: 1 the named town or site, 2 near it or part of a district, 3 a region or
    country centroid (ACLED's codes).
    """

    place_name: str  # as written in the article
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    place_id: int | None = None
    resolved_name: str = ""
    feature_code: str = ""
    admin1: str = ""
    country_code: str = ""
    geo_precision: int = 3
    location_relation: str | None = None
    location_reason: str = ""


EventType = Literal["strike", "attack"]


@dataclass(frozen=True, slots=True)
class Event:
    """One distinct real-world event, possibly reported by several articles.

    An event hit at several places ("the Akashat and Al-Qaim regions") has several
    ``locations``; outputs write one feature per location, all sharing ``event_id``.
    ``killed``/``injured`` are the lowest figure reported (ACLED); None means not reported.
    """

    event_id: str
    event_type: str  # "strike" | "attack" (extendable)
    sub_event_type: str = ""  # "air strike", "drone strike", "missile attack", ...
    actor1: str | None = None  # who struck
    actor2: str | None = None  # target
    event_date: dt.date | None = None
    date_precision: str | None = None  # "day" | "week" | "month" (ACLED time_precision 1/2/3)
    locations: tuple[EventLocation, ...] = ()
    killed: int | None = None
    injured: int | None = None
    evidence: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()
    source_titles: tuple[str, ...] = ()
    source_names: tuple[str, ...] = ()
    notes: str = ""

    @property
    def n_sources(self) -> int:
        """Number of distinct articles reporting this event."""
        return len(self.source_ids)

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per location (one row with null coordinates if none), in EVENT_COLUMNS order.

        This is the shape every tabular writer (CSV, GeoPackage, GeoJSON properties) uses.
        """
        locs = self.locations or (EventLocation(place_name="", lat=None, lon=None, geo_precision=3),)
        out = []
        for i, loc in enumerate(locs):
            row: dict[str, Any] = {
                "event_id": self.event_id,
                "event_type": self.event_type,
                "sub_event_type": self.sub_event_type,
                "actor1": self.actor1,
                "actor2": self.actor2,
                "event_date": self.event_date.isoformat() if self.event_date else None,
                "date_precision": self.date_precision,
                "location_index": i,
                "n_locations": len(self.locations),
            }
            for f in fields(EventLocation):
                row[f.name] = getattr(loc, f.name)
            row.update(
                {
                    "killed": self.killed,
                    "injured": self.injured,
                    "evidence": " … ".join(self.evidence),
                    "source_ids": ";".join(self.source_ids),
                    "n_sources": self.n_sources,
                    "source_urls": ";".join(u for u in self.source_urls if u),
                    "source_titles": " | ".join(t for t in self.source_titles if t),
                    "source_names": ";".join(s for s in self.source_names if s),
                    "notes": self.notes,
                }
            )
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Nested JSON-ready dict (the `geoevents events` JSON Lines record)."""
        d = asdict(self)
        d["event_date"] = self.event_date.isoformat() if self.event_date else None
        d["n_sources"] = self.n_sources
        for key in ("evidence", "source_ids", "source_urls", "source_titles", "source_names"):
            d[key] = list(d[key])
        d["locations"] = [dict(loc) for loc in d["locations"]]
        # flat copy of the first location, so simple consumers need not dig
        first = self.locations[0] if self.locations else None
        for key in (
            "place_name",
            "lat",
            "lon",
            "geonameid",
            "geo_precision",
            "location_relation",
            "location_reason",
            "admin1",
            "country_code",
        ):
            d[key] = getattr(first, key) if first else None
        return d

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        feats = []
        for row in self.rows():
            geom = (
                {"type": "Point", "coordinates": (row["lon"], row["lat"])}
                if row["lat"] is not None and row["lon"] is not None
                else None
            )
            feats.append(
                {
                    "type": "Feature",
                    "id": f"{self.event_id}-{row['location_index']}",
                    "geometry": geom,
                    "properties": row,
                }
            )
        return {"type": "FeatureCollection", "features": feats}


EVENT_COLUMNS: tuple[str, ...] = tuple(Event(event_id="", event_type="").rows()[0].keys())
