"""Issue 14 for the tables: CSV rows that add up, unique ids, ACLED vocabulary, byte-identical outputs."""

from __future__ import annotations

import csv
import dataclasses
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools.fixtures import load_fixture, synthetic_events
from geoevents.outputs import write_csv, write_geojson, write_gpkg
from geoevents.outputs.tabular import ACLED_SUB_EVENT_TYPES, csv_rows
from geoevents.records import Event, EventLocation

FIXTURE = Path(__file__).parent / "data" / "outputs" / "events.json"

# ACLED codebook (2024) values for the violent event types.
ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
ACLED_SUB_TYPES = {
    "Armed clash",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Chemical weapon",
    "Attack",
}


def _multi_location(events: list[Event]) -> list[Event]:
    """Give every third event two more locations (the case that used to triple its fatalities)."""
    out = []
    for i, ev in enumerate(events):
        if i % 3 == 0 and ev.locations:
            loc = ev.locations[0]
            extra = tuple(
                dataclasses.replace(loc, place_name=f"{loc.place_name} {k}", lat=(loc.lat or 0) + k)
                for k in (1, 2)
            )
            ev = dataclasses.replace(ev, locations=(loc, *extra))
        out.append(ev)
    return out


@pytest.fixture(scope="module")
def events() -> list[Event]:
    """Fixture events (one with two locations) plus 300 synthetic ones, a third with three locations."""
    fixture, _articles = load_fixture(FIXTURE)
    return fixture + _multi_location(synthetic_events(300, seed=7))


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _fatalities(rows: list[dict[str, str]]) -> int:
    return sum(int(r["fatalities"]) for r in rows if r["fatalities"])


@pytest.mark.parametrize("rule", ["event", "location"])
def test_csv_fatalities_sum_equals_distinct_events(events, tmp_path, rule):
    """Sum of fatalities over rows equals the sum over distinct events, in both row layouts."""
    rows = _read(write_csv(events, tmp_path / "events.csv", rows=rule))
    truth = sum(e.killed or 0 for e in events)
    assert truth > 0 and _fatalities(rows) == truth
    ids = [r["event_id_cnty"] for r in rows]
    assert len(set(ids)) == len(ids)  # unique id per row
    n_rows = len(events) if rule == "event" else sum(max(1, len(e.locations)) for e in events)
    assert len(rows) == n_rows
    assert {r["event_id"] for r in rows} == {e.event_id for e in events}


def test_csv_location_rows_split_the_count(tmp_path):
    """ACLED's rule: a three-place event is three rows whose fatalities add up to the event's 7."""
    locs = tuple(EventLocation(place_name=n, lat=33.0 + i, lon=44.0) for i, n in enumerate("ABC"))
    ev = Event(event_id="E1", event_type="strike", sub_event_type="drone strike", locations=locs, killed=7)
    rows = _read(write_csv([ev], tmp_path / "e.csv", rows="location"))
    assert [r["event_id_cnty"] for r in rows] == ["E1-1", "E1-2", "E1-3"]
    assert [r["fatalities"] for r in rows] == ["3", "2", "2"]
    assert [r["killed"] for r in rows] == ["7", "7", "7"]  # the event's own figure, for reference
    assert [r["other_locations"] for r in rows] == ["B; C", "A; C", "A; B"]
    one = _read(write_csv([ev], tmp_path / "one.csv"))
    assert len(one) == 1 and one[0]["fatalities"] == "7" and one[0]["other_locations"] == "B; C"


@settings(max_examples=80, deadline=None)
@given(st.one_of(st.none(), st.integers(0, 10_000)), st.integers(1, 8))
def test_csv_split_is_even_and_exact(killed, n):
    """Any count over any number of places: parts add up exactly and differ by at most one."""
    locs = tuple(EventLocation(place_name=str(i), lat=1.0, lon=1.0) for i in range(n))
    ev = Event(event_id="E", event_type="attack", locations=locs, killed=killed)
    parts = [r["fatalities"] for r in csv_rows([ev], rows="location")]
    if killed is None:
        assert parts == [None] * n  # not reported stays not reported
    else:
        assert sum(parts) == killed and max(parts) - min(parts) <= 1


def test_csv_uses_acled_vocabulary(events, tmp_path):
    """ACLED-named columns hold ACLED values (or stay empty); our words live in geoevents_* columns."""
    rows = _read(write_csv(events, tmp_path / "events.csv"))
    assert {r["event_type"] for r in rows} - {""} <= ACLED_EVENT_TYPES
    assert {r["sub_event_type"] for r in rows} - {""} <= ACLED_SUB_TYPES
    assert {r["geoevents_event_type"] for r in rows} == {"strike", "attack", "raid"}
    assert {r["geo_precision"] for r in rows} <= {"1", "2", "3"}
    assert {r["time_precision"] for r in rows} <= {"1", "2", "3", ""}
    assert all(r["iso"].isdigit() for r in rows if r["country_code"])
    for ours, (acled_type, acled_sub) in ACLED_SUB_EVENT_TYPES.items():
        assert acled_type in ACLED_EVENT_TYPES and acled_sub in ACLED_SUB_TYPES, ours


def test_csv_rejects_unknown_row_rule(events, tmp_path):
    """A typo in the row rule is a ValueError naming the valid values, and no file is written."""
    with pytest.raises(ValueError, match=r"'event'.*'location'"):
        write_csv(events, tmp_path / "e.csv", rows="per-location")  # type: ignore[arg-type]
    assert not (tmp_path / "e.csv").exists()


# ------------------------------------------------------------------ determinism
def _write_all_tables(events, articles, out: Path) -> dict[str, bytes]:
    out.mkdir()
    paths = [
        write_gpkg(events, out / "events.gpkg", articles=articles),
        write_csv(events, out / "events.csv"),
        write_geojson(events, out / "events.geojson"),
    ]
    return {p.name: p.read_bytes() for p in paths}


def test_tables_are_byte_identical_across_runs(tmp_path, monkeypatch):
    """The same input gives the same .gpkg, .csv and .geojson bytes (no clock, no random ids)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    events, articles = load_fixture(FIXTURE)
    first = _write_all_tables(events, articles, tmp_path / "a")
    second = _write_all_tables(events, articles, tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name
    con = sqlite3.connect(tmp_path / "a" / "events.gpkg")
    try:  # the data's own date, not today
        stamps = {r[0] for r in con.execute("select last_change from gpkg_contents")}
        stamps |= {r[0] for r in con.execute("select update_time from layer_styles")}
    finally:
        con.close()
    assert stamps == {"2024-02-11T00:00:00.000Z"}


def test_gpkg_follows_source_date_epoch(tmp_path, monkeypatch):
    """SOURCE_DATE_EPOCH, when set, is the one timestamp in the GeoPackage."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    events, articles = load_fixture(FIXTURE)
    path = write_gpkg(events, tmp_path / "events.gpkg", articles=articles, base_layers=False)
    con = sqlite3.connect(path)
    try:
        stamps = {r[0] for r in con.execute("select last_change from gpkg_contents")}
        stamps |= {r[0] for r in con.execute("select update_time from layer_styles")}
    finally:
        con.close()
    assert stamps == {"2023-11-14T22:13:20.000Z"}


def test_csv_ids_stay_unique_when_events_share_an_id(caplog):
    """Two events with one id (a merge upstream went wrong) still give unique row ids, and a warning."""
    loc = (EventLocation(place_name="A", lat=1.0, lon=1.0),)
    twins = [Event(event_id="E", event_type="strike", locations=loc, killed=k) for k in (1, 2)]
    with caplog.at_level("WARNING", logger="geoevents.outputs.tabular"):
        rows = list(csv_rows(twins))
    assert [r["event_id_cnty"] for r in rows] == ["E", "E~2"]
    assert sum(r["fatalities"] for r in rows) == 3
    assert "appears 2 times" in caplog.text


def test_geojson_and_gpkg_fatalities_add_up(events, tmp_path):
    """Per-location features carry their share in ``fatalities``: its sum over features is the event total."""
    import pyogrio

    from geoevents.outputs import to_geojson

    truth = sum(e.killed or 0 for e in events)
    feats = to_geojson(events)["features"]
    assert len(feats) > len(events)  # several features for multi-location events ...
    assert sum(f["properties"]["fatalities"] or 0 for f in feats) == truth  # ... one count
    path = write_gpkg(events, tmp_path / "events.gpkg", base_layers=False)
    total = 0
    for layer in ("strikes", "attacks", "raids"):
        df = pyogrio.read_dataframe(path, layer=layer, columns=["fatalities"], read_geometry=False)
        total += int(df["fatalities"].fillna(0).sum())
    assert total == truth
