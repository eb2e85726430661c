"""Writers: GeoJSON (RFC 7946), CSV (ACLED order), GeoPackage (read back), HTML (static), atomicity."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import sqlite3
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools.fixtures import load_fixture, synthetic_events
from geoevents.errors import OutputError, OutputExists
from geoevents.outputs import (
    OUTPUT_NAMES,
    actor_side,
    atomic_target,
    to_geojson,
    write_all,
    write_csv,
    write_geojson,
    write_gpkg,
    write_map,
)
from geoevents.outputs._common import layer_name, overlay_label
from geoevents.outputs.tabular import ACLED_COLUMNS, CSV_COLUMNS
from geoevents.records import EVENT_COLUMNS, Event, EventLocation

FIXTURE = Path(__file__).parent / "data" / "outputs" / "events.json"


@pytest.fixture(scope="module")
def fixture_data():
    """Events and articles from tests/data/outputs/events.json."""
    return load_fixture(FIXTURE)


@pytest.fixture
def events(fixture_data):
    """Return the fixture events (strikes, attacks, a raid, hostile text, one unlocated)."""
    return fixture_data[0]


@pytest.fixture
def articles(fixture_data):
    """Return the fixture articles."""
    return fixture_data[1]


def _n_rows(events):
    return sum(max(1, len(e.locations)) for e in events)


# ------------------------------------------------------------------ GeoJSON
def test_geojson_is_rfc7946(events):
    """FeatureCollection without crs, [lon, lat], one feature per location, null geometry kept."""
    fc = to_geojson(events)
    assert fc["type"] == "FeatureCollection"
    assert "crs" not in fc
    assert len(fc["features"]) == _n_rows(events)
    ids = [f["id"] for f in fc["features"]]
    assert len(set(ids)) == len(ids)
    for feat in fc["features"]:
        assert feat["type"] == "Feature"
        assert set(feat) == {"type", "id", "geometry", "properties"}
        geom = feat["geometry"]
        if geom is not None:
            lon, lat = geom["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert lon == pytest.approx(feat["properties"]["lon"]) and lat == pytest.approx(
                feat["properties"]["lat"]
            )
    # numbers stay numbers, dates ISO text
    akashat = next(f for f in fc["features"] if f["properties"]["place_name"] == "Akashat")
    assert akashat["geometry"]["coordinates"] == [40.7167, 33.7833]  # [lon, lat]
    assert akashat["properties"]["killed"] == 16 and isinstance(akashat["properties"]["geo_precision"], int)
    assert akashat["properties"]["event_date"] == "2024-02-02"
    assert akashat["properties"]["actor_side"] == "US/coalition"
    # the event without coordinates keeps a feature with null geometry
    unlocated = [f for f in fc["features"] if f["properties"]["event_id"] == "EV-XX-005"]
    assert len(unlocated) == 1 and unlocated[0]["geometry"] is None
    # a multi-location event gives one feature per location sharing event_id
    assert sum(f["properties"]["event_id"] == "EV-IQ-001" for f in fc["features"]) == 2


def test_geojson_nan_coordinates_become_null():
    """A NaN coordinate gives a null geometry and valid JSON, not NaN."""
    ev = Event(
        event_id="n",
        event_type="strike",
        locations=(EventLocation(place_name="x", lat=float("nan"), lon=1.0),),
    )
    fc = to_geojson([ev])
    assert fc["features"][0]["geometry"] is None
    json.dumps(fc, allow_nan=False)


def test_geojson_round_trip_geopandas(events, tmp_path):
    """Read the file back with geopandas: with the same points and EPSG:4326."""
    import geopandas as gpd

    path = write_geojson(events, tmp_path / "events.geojson")
    text = path.read_text("utf-8")
    assert '"crs"' not in text
    back = gpd.read_file(path)
    assert len(back) == _n_rows(events)
    assert back.crs.to_epsg() == 4326
    located = back[~back.geometry.isna() & ~back.geometry.is_empty]
    assert len(located) == _n_rows(events) - 1
    row = back[back["place_name"] == "Tower 22"].iloc[0]
    assert row.geometry.x == pytest.approx(38.6928) and row.geometry.y == pytest.approx(33.3236)
    assert list(tmp_path.iterdir()) == [path]


# ------------------------------------------------------------------ CSV
def test_csv_acled_order_and_values(events, tmp_path):
    """ACLED columns and vocabulary come first under ACLED names, then ours; one row per event."""
    path = write_csv(events, tmp_path / "events.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames
        rows = list(reader)
    assert header[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert header[:7] == [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
        "sub_event_type",
    ]
    assert header == list(CSV_COLUMNS)
    assert "lat" not in header and "latitude" in header
    assert len(rows) == len(events)  # one row per event, not per location
    first = rows[0]
    assert (
        first["event_id_cnty"] == "EV-IQ-001" and first["year"] == "2024" and first["time_precision"] == "1"
    )
    assert (
        first["event_type"] == "Explosions/Remote violence" and first["sub_event_type"] == "Air/drone strike"
    )
    assert first["disorder_type"] == "Political violence"
    assert first["geoevents_event_type"] == "strike" and first["geoevents_sub_event_type"] == "air strike"
    assert first["country"] == "Iraq" and first["iso"] == "368" and first["country_code"] == "IQ"
    assert first["fatalities"] == "16" and first["latitude"] == "33.7833"
    assert first["location"] == "Akashat" and first["other_locations"] == "Al Qa'im"
    assert first["n_locations"] == "2"
    week = next(r for r in rows if r["event_id_cnty"] == "EV-SY-003")
    assert week["time_precision"] == "2" and week["fatalities"] == ""  # not reported stays empty
    assert week["sub_event_type"] == "Shelling/artillery/missile attack"  # missile strike
    assert week["actor1"] == "<script>window.__xss=1</script>"  # raw text kept, CSV is data
    raid = next(r for r in rows if r["geoevents_event_type"] == "raid")
    assert (raid["event_type"], raid["sub_event_type"]) == ("", "")  # no ACLED equivalent guessed


# ------------------------------------------------------------------ GeoPackage
def test_gpkg_layers_types_and_nulls(events, articles, tmp_path):
    """Layers per type, real DATE and integer fields, NULL geometry kept, styles and project stored."""
    import pyogrio

    path = write_gpkg(events, tmp_path / "events.gpkg", articles=articles)
    layers = [tuple(x) for x in pyogrio.list_layers(path)]
    assert layers == [
        ("strikes", "Point"),
        ("attacks", "Point"),
        ("raids", "Point"),
        ("base_places", "Point"),
        ("base_countries", "MultiPolygon"),
        ("articles", None),
        ("layer_styles", None),
    ]
    info = pyogrio.read_info(path, layer="strikes")
    assert info["crs"] == "EPSG:4326"
    assert info["geometry_type"] == "Point"
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["killed"] == "int32" and types["geo_precision"] == "int32" and types["injured"] == "int32"
    assert types["geonameid"] == "int64"
    strikes = pyogrio.read_dataframe(path, layer="strikes", use_arrow=True)
    assert len(strikes) == 4  # 2 locations + 1 + 1 unlocated
    assert strikes.geometry.isna().sum() == 1  # kept with NULL geometry, not dropped
    assert set(strikes["event_id"]) == {"EV-IQ-001", "EV-SY-003", "EV-XX-005"}
    art = pyogrio.read_dataframe(path, layer="articles", use_arrow=True)
    assert list(art.columns[:6]) == ["id", "title", "url", "published", "source", "path"]
    con = sqlite3.connect(path)
    try:
        ddl = dict(con.execute("select name, sql from sqlite_master where type='table'").fetchall())
        assert '"event_date" DATE' in ddl["strikes"]  # a real DATE, not TEXT
        assert '"published" DATE' in ddl["articles"]
        assert '"killed" MEDIUMINT' in ddl["strikes"] or '"killed" INTEGER' in ddl["strikes"]
        assert con.execute("pragma application_id").fetchone()[0] == 0x47504B47
        assert con.execute("pragma user_version").fetchone()[0] == 10300  # GeoPackage 1.3
        styles = con.execute(
            "select f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
            "useAsDefault, update_time, styleQML from layer_styles order by id"
        ).fetchall()
        assert [s[2] for s in styles] == ["strikes", "attacks", "raids", "base_places", "base_countries"]
        for cat, schema, name, geom, default, updated, qml in styles:
            assert (cat, schema, geom, default) == ("", "", "geom", 1) and updated
            if not name.startswith("base_"):
                assert 'startField="event_date"' in qml and 'attr="actor_side"' in qml
        assert con.execute(
            "select data_type from gpkg_contents where table_name='layer_styles'"
        ).fetchone() == ("attributes",)
        # category values equal the data values
        values = set(re.findall(r'<category [^>]*value="([^"]*)"', styles[0][6]))
        assert set(strikes["actor_side"]) <= values
        name, meta, content = con.execute("select name, metadata, content from qgis_projects").fetchone()
        assert name == "geoevents" and json.loads(meta)["last_modified_user"] == "geoevents"
        with zipfile.ZipFile(BytesIO(bytes.fromhex(content))) as zf:
            qgs = zf.read("geoevents.qgs").decode("utf-8")
        assert "./events.gpkg|layername=strikes" in qgs and "./events.gpkg|layername=attacks" in qgs
        assert "./events.gpkg|layername=base_countries" in qgs
        assert qgs.count('<temporal enabled="1"') == 3
        assert con.execute("select count(*) from base_places").fetchone()[0] > 1000
        assert con.execute("select count(*) from base_countries where name = 'Iraq'").fetchone()[0] == 1
        md = " ".join(r[0] for r in con.execute("select metadata from gpkg_metadata"))
        assert "GeoNames" in md
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.gpkg"]


def test_gpkg_without_events_still_has_strikes_and_attacks(tmp_path):
    """Empty input still gives (empty) strikes and attacks layers."""
    import pyogrio

    path = write_gpkg([], tmp_path / "empty.gpkg")
    layers = {tuple(x) for x in pyogrio.list_layers(path)}
    assert {("strikes", "Point"), ("attacks", "Point"), ("articles", None)} <= layers
    assert pyogrio.read_info(path, layer="strikes")["features"] == 0
    con = sqlite3.connect(path)
    qgs_hex = con.execute("select content from qgis_projects").fetchone()[0]
    con.close()
    with zipfile.ZipFile(BytesIO(bytes.fromhex(qgs_hex))) as zf:
        assert "./empty.gpkg|layername=strikes" in zf.read("geoevents.qgs").decode()  # file name matters


def test_layer_and_label_names():
    """Type names pluralize into layer names and overlay labels."""
    assert layer_name("strike") == "strikes" and layer_name("attack") == "attacks"
    assert layer_name("air raid") == "air_raids" and layer_name("ambush") == "ambushes"
    assert layer_name("casualty") == "casualties"
    assert overlay_label("strike") == "Strikes"


@pytest.mark.parametrize(
    ("actor", "side"),
    [
        ("United States", "US/coalition"),
        ("U.S. Central Command", "US/coalition"),
        ("the US-led coalition", "US/coalition"),
        ("Kata'ib Hezbollah", "Iran-backed"),
        ("Islamic Resistance in Iraq", "Iran-backed"),
        ("Iran's IRGC", "Iran-backed"),
        (None, "unknown"),
        ("unidentified gunmen", "non-state"),
        ("US and Iran-backed militias", "unknown"),
        ("Russia", "state"),
        ("the Nigerian army", "state"),
        ("", "unknown"),
    ],
)
def test_actor_side(actor, side):
    """Actors map to their side in the actors table; "unknown" only when none is named or sides mix."""
    assert actor_side(actor) == side


# ------------------------------------------------------------------ HTML (static; test_map_browser runs it)
def test_map_is_self_contained_and_escaped(events, tmp_path):
    """No network asset, no raw hostile text, only http(s) links in the data."""
    path = write_map(events, tmp_path / "events.html", title="<b>Map</b> & co")
    html = path.read_text("utf-8")
    # no asset from the network: every script src / stylesheet href is a data: URI
    srcs = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert srcs and all(s.startswith("data:") for s in srcs), [
        s[:40] for s in srcs if not s.startswith("data:")
    ]
    for host in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna.bootstrapcdn.com"):
        assert host not in html
    assert len(srcs) == 7  # leaflet, jquery, markercluster, runtime + 3 stylesheets
    # hostile text never appears raw; the data block has no '<'
    for raw in ("<script>window.__xss", "<img src=x onerror", "<svg onload", "</script><script>"):
        assert raw not in html
    data = re.search(r'<script type="application/json" id="([^"]+)">(.*?)</script>', html, re.S)
    assert data and "<" not in data.group(2) and ">" not in data.group(2)
    payload = json.loads(data.group(2))
    assert [t["label"] for t in payload["types"]] == ["Strikes", "Attacks", "Raids"]
    assert "<title><b>" not in html and "&lt;b&gt;Map&lt;/b&gt; &amp; co" in html
    # javascript: URLs are never shipped as links
    srcs_data = [s for f in payload["features"] for s in f["src"]]
    assert all(s.get("u") is None or s["u"].startswith("https://") for s in srcs_data)
    assert any(s.get("x") == "javascript:window.__xss=7" for s in srcs_data)
    assert "Natural Earth" in html and "GeoNames" in html


def test_map_without_events(tmp_path):
    """An empty map still has both overlays, no date filter data, and valid JSON."""
    html = write_map([], tmp_path / "empty.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [t["label"] for t in data["types"]] == ["Strikes", "Attacks"] and data["features"] == []


def test_map_cdn_variant_links_cdn(events, tmp_path):
    """cdn=True links Leaflet and markercluster from CDNs: a smaller file that needs a connection."""
    html = write_map(events, tmp_path / "cdn.html", cdn=True).read_text("utf-8")
    inline = write_map(events, tmp_path / "inline.html").read_text("utf-8")
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/" in html
    assert len(html) < len(inline) - 150_000


def test_map_max_markers(tmp_path):
    """max_markers keeps the most recent locations and says so."""
    evs = synthetic_events(50, seed=1)
    html = write_map(evs, tmp_path / "m.html", max_markers=10).read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert len(data["features"]) == 10 and "10 most recent of 50" in data["note"]


def test_map_folium_lists_not_mutated(events, tmp_path):
    """Inlining assets never edits folium's shared class-level CDN lists."""
    import folium

    before = list(folium.Map.default_js)
    write_map(events, tmp_path / "a.html")
    assert folium.Map.default_js == before  # per-instance lists; other folium maps keep their CDN list


# ------------------------------------------------------------------ atomicity and clobbering
WRITERS = {
    "geojson": lambda ev, p, **kw: write_geojson(ev, p, **kw),
    "csv": lambda ev, p, **kw: write_csv(ev, p, **kw),
    "gpkg": lambda ev, p, **kw: write_gpkg(ev, p, **kw),
    "html": lambda ev, p, **kw: write_map(ev, p, **kw),
}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_writer_refuses_clobber_and_overwrites(kind, events, tmp_path):
    """Each writer refuses an existing file, replaces it with overwrite, leaves no temp file."""
    target = tmp_path / OUTPUT_NAMES[kind]
    target.write_text("previous")
    with pytest.raises(OutputExists, match="--overwrite"):
        WRITERS[kind](events, target)
    assert target.read_text() == "previous"
    WRITERS[kind](events, target, overwrite=True)
    assert target.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp files left


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_writer_missing_directory(kind, events, tmp_path):
    """A missing directory is an OutputError saying so."""
    with pytest.raises(OutputError, match="does not exist"):
        WRITERS[kind](events, tmp_path / "nope" / OUTPUT_NAMES[kind])


def test_gpkg_failure_midway_keeps_previous_file(events, tmp_path, monkeypatch):
    """A GeoPackage write failing after its first layer leaves the old file intact."""
    import pyogrio

    target = tmp_path / "events.gpkg"
    write_gpkg(events, target)
    before = target.read_bytes()
    real = pyogrio.write_arrow
    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs.get("layer"))
        if len(calls) == 2:  # first layer already written into the temp file
            raise RuntimeError("disk full (simulated)")
        return real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_arrow", flaky)
    with pytest.raises(RuntimeError, match="simulated"):
        write_gpkg(events, target, overwrite=True)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["events.gpkg"]


def test_atomic_target_failure_keeps_previous(tmp_path):
    """atomic_target moves nothing into place when the block raises."""
    target = tmp_path / "x.txt"
    target.write_text("old")
    with pytest.raises(ValueError), atomic_target(target, overwrite=True) as tmp:
        tmp.write_text("half")
        raise ValueError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_write_all(events, articles, tmp_path):
    """write_all writes the four names, refuses to clobber any, and checks the directory."""
    paths = write_all(events, tmp_path, articles=articles)
    assert {k: p.name for k, p in paths.items()} == OUTPUT_NAMES
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_NAMES.values())
    mtimes = {p: p.stat().st_mtime_ns for p in paths.values()}
    with pytest.raises(OutputExists):
        write_all(events, tmp_path)
    assert {p: p.stat().st_mtime_ns for p in paths.values()} == mtimes
    write_all(events, tmp_path, overwrite=True)
    with pytest.raises(OutputError):
        write_all(events, tmp_path / "missing")


def test_rows_cover_event_columns(events):
    """Feature properties start with EVENT_COLUMNS in order; None stays null."""
    fc = to_geojson(events)
    assert list(fc["features"][0]["properties"])[: len(EVENT_COLUMNS)] == list(EVENT_COLUMNS)
    ev = dataclasses.replace(events[0], killed=None)
    assert to_geojson([ev])["features"][0]["properties"]["killed"] is None


@settings(max_examples=60, deadline=None)
@given(st.text(), st.text(), st.text())
def test_script_json_is_inert_and_lossless(place, actor, quote):
    """Any text survives the map's JSON block unchanged and can never close the script element."""
    from geoevents.outputs.html_map import _script_json

    value = {"pn": place, "a1": actor, "ev": [quote]}
    text = _script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
