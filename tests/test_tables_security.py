"""Issue 11 for the table sinks: article text is data in the CSV, GeoJSON, QML/QGS XML and GPKG metadata.

Each test feeds the same hostile strings (Jinja2 in all its forms, XML entities and ``]]>``,
spreadsheet formulas, ANSI escapes, control characters, a lone surrogate, the XSS strings) and
checks the sink keeps them as inert text. Run against the writers before issue 11, the CSV,
XML-control-character and surrogate cases fail.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from devtools.fixtures import load_fixture
from geoevents.outputs import to_geojson, write_csv, write_geojson, write_gpkg
from geoevents.outputs._common import overlay_label
from geoevents.outputs._qgis import LayerInfo, project_qgs, style_qml, xml_text
from geoevents.outputs.tabular import neutralise_formula
from geoevents.records import Event, EventLocation

FIXTURE = Path(__file__).parent / "data" / "outputs" / "events.json"

JINJA = ["{{ 7*7 }}", "{% raw %}", "{# note #}", "{{cite web|url=x}}", "{{ cycler.__init__.__globals__.os }}"]
XMLISH = ["&amp; &lt; &#x41;", "<!ENTITY x 'y'>", "]]>", "<![CDATA[x]]>", "\"quoted\" 'single'", "</qgis>"]
FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")', '=1+2";=1+2']
TERMINAL = ["\x1b[2J", "\x1b]0;title\x07", "bell\x07", "nul\x00byte", "\x0bvt\x0cff"]
XSS = ["<script>window.__xss=1</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)"]
HOSTILE = [*JINJA, *XMLISH, *FORMULAS, *TERMINAL, *XSS, "lone \ud800 surrogate"]


def _event(i: int, text: str) -> Event:
    """One event carrying ``text`` in every free-text field."""
    return Event(
        event_id=f"H-{i}",
        event_type="strike",
        sub_event_type="air strike",
        actor1=text,
        actor2=text,
        locations=(
            EventLocation(place_name=text, lat=33.0 + i / 100, lon=44.0, resolved_name=text, admin1=text),
        ),
        killed=1,
        evidence=(text,),
        source_ids=(text,),
        source_urls=(text,),
        source_titles=(text,),
        source_names=(text,),
        notes=text,
    )


@pytest.fixture
def hostile_events() -> list[Event]:
    """One event per hostile string."""
    return [_event(i, s) for i, s in enumerate(HOSTILE)]


def _utf8_safe(text: str) -> str:
    return text.replace("\ud800", "\ufffd")


# ------------------------------------------------------------------ CSV
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12", "-12"),  # numbers stay numbers
        ("+3.5", "+3.5"),
        ("-1.5e3", "-1.5e3"),
        ("Al-Qaim", "Al-Qaim"),  # only the first character matters
        ("", ""),
        (-33.5, -33.5),
        (None, None),
    ],
)
def test_neutralise_formula(value, expected):
    """OWASP: text starting with = + - @ tab CR gets a leading quote; numbers and other text do not."""
    assert neutralise_formula(value) == expected


def test_csv_neutralises_formulas_and_quotes_every_cell(hostile_events, tmp_path):
    """No cell a spreadsheet would evaluate: every formula-looking cell starts with ', all cells quoted."""
    path = write_csv(hostile_events, tmp_path / "events.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        raw = fh.read()
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert len(rows) == len(HOSTILE)
    for row, text in zip(rows, HOSTILE, strict=True):
        for col in ("actor1", "actor2", "location", "notes", "source", "evidence", "place_name"):
            cell = row[col]
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (col, cell)
            kept = cell[1:] if text.startswith(("=", "+", "-", "@", "\t", "\r")) else cell
            assert kept == _utf8_safe(text), (col, cell)  # the text itself is kept after the quote
    assert float(rows[0]["latitude"]) == pytest.approx(33.0) and rows[0]["fatalities"] == "1"
    # every cell quoted, so a ';' or ',' inside a cell can never start a new (formula) cell in
    # a spreadsheet that splits on another delimiter
    first_row = raw.split("\r\n")[1]
    assert first_row.startswith('"H-0","') and first_row.endswith('"')


def test_csv_raw_for_machine_readers(hostile_events, tmp_path):
    """escape_formulas=False keeps every cell byte for byte (only lone surrogates become U+FFFD)."""
    path = write_csv(hostile_events, tmp_path / "events.csv", escape_formulas=False)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["actor1"] for r in rows] == [_utf8_safe(t) for t in HOSTILE]
    assert [r["notes"] for r in rows] == [_utf8_safe(t) for t in HOSTILE]


# ------------------------------------------------------------------ GeoJSON
def test_geojson_keeps_hostile_text_as_json_strings(hostile_events, tmp_path):
    """GeoJSON is JSON only: every string round-trips, nothing is templated or dropped."""
    path = write_geojson(hostile_events, tmp_path / "events.geojson")
    raw = path.read_bytes()
    raw.decode("utf-8")  # valid UTF-8 even with a lone surrogate in the input
    back = json.loads(raw)
    props = [f["properties"] for f in back["features"]]
    assert [p["actor1"] for p in props] == [_utf8_safe(t) for t in HOSTILE]
    assert [p["place_name"] for p in props] == [_utf8_safe(t) for t in HOSTILE]
    assert "49" not in {p["notes"] for p in props}  # {{ 7*7 }} is not evaluated
    assert to_geojson(hostile_events)["features"][0]["properties"]["notes"] == "{{ 7*7 }}"


# ------------------------------------------------------------------ QML / QGS XML
@pytest.mark.parametrize("text", HOSTILE)
def test_qgis_xml_is_well_formed_and_literal(text):
    """Project title, layer titles and file name with hostile text: well-formed XML, text kept literally."""
    gpkg_name = f"ev {text}.gpkg"
    layers = [
        LayerInfo("strikes", f"Strikes {text}", "strike", (40.0, 33.0, 41.0, 34.0)),
        LayerInfo("a", text, None),
    ]
    qgs = project_qgs(gpkg_name, layers, time_range=None, extent=(0, 0, 1, 1), title=text)
    root = ET.fromstring(qgs.split("\n", 1)[1])  # after the DOCTYPE line
    clean = xml_text(text)
    assert root.get("projectname") == clean
    assert root.findtext("title") == clean
    assert [n.get("name") for n in root.iter("layer-tree-layer")] == [f"Strikes {clean}", clean]
    assert [e.text for e in root.iter("layername")] == [f"Strikes {clean}", clean]
    assert next(e.text for e in root.iter("datasource")) == f"./{xml_text(gpkg_name)}|layername=strikes"


@pytest.mark.parametrize("event_type", ["raid {{ 7*7 }}", 'a&b<c>"d"]]>', "bell\x07 \x1b[2J"])
def test_style_qml_is_well_formed_for_any_event_type(event_type):
    """The default style of a layer named after any event type parses as XML."""
    root = ET.fromstring(style_qml(event_type).split("\n", 1)[1])
    assert root.tag == "qgis" and root.find("renderer-v2").get("attr") == "actor_side"


# ------------------------------------------------------------------ GeoPackage
def test_gpkg_hostile_type_title_and_metadata(tmp_path):
    """A hostile event type and title give a valid project, literal layer title and parseable metadata."""
    events, articles = load_fixture(FIXTURE)
    etype = "raid {{ 7*7 }} <b>&amp; ]]> \x1b[2J"
    events = [dataclasses.replace(e, event_type=etype) if e.event_type == "raid" else e for e in events]
    title = "{% raw %} </title> & \x07"
    path = write_gpkg(events, tmp_path / "events.gpkg", articles=articles, title=title, base_layers=False)
    con = sqlite3.connect(path)
    try:
        for (meta,) in con.execute("select metadata from gpkg_metadata"):
            ET.fromstring(meta)  # GDAL's metadata XML stays well-formed
        descs = dict(con.execute("select table_name, description from gpkg_contents"))
        hostile_layer = next(t for t in descs if t.startswith("raid"))
        assert descs[hostile_layer].startswith(xml_text(overlay_label(etype)))
        assert "\x1b" not in descs[hostile_layer]
        (content,) = con.execute("select content from qgis_projects").fetchone()
        (qml,) = con.execute(
            "select styleQML from layer_styles where f_table_name = ?", (hostile_layer,)
        ).fetchone()
    finally:
        con.close()
    ET.fromstring(qml.split("\n", 1)[1])
    with zipfile.ZipFile(io.BytesIO(bytes.fromhex(content))) as zf:
        qgs = zf.read("geoevents.qgs").decode("utf-8")
    root = ET.fromstring(qgs.split("\n", 1)[1])
    assert root.findtext("title") == xml_text(title)
    assert xml_text(overlay_label(etype)) in {e.text for e in root.iter("layername")}


@pytest.mark.parametrize(
    "event_type", ["article", "base place", "layer style", "gpkg_contents", "sqlite master"]
)
def test_gpkg_event_types_never_clobber_our_tables(event_type, tmp_path):
    """An event type named like one of our tables gets its own layer; the articles table survives."""
    import pyogrio

    events, articles = load_fixture(FIXTURE)
    events = [dataclasses.replace(e, event_type=event_type) if e.event_type == "raid" else e for e in events]
    path = write_gpkg(
        events, tmp_path / "events.gpkg", articles=articles, base_layers=event_type == "base place"
    )
    layers = dict(pyogrio.list_layers(path))
    assert layers["articles"] is None and pyogrio.read_info(path, layer="articles")["features"] == len(
        articles
    )
    extra = [
        n
        for n in layers
        if n not in {"strikes", "attacks", "articles", "layer_styles"} and not n.startswith("base_")
    ]
    assert len(extra) == 1 and extra[0].startswith("events_") and layers[extra[0]] == "Point"
    assert pyogrio.read_info(path, layer=extra[0])["features"] == 1


def test_gpkg_event_types_sharing_a_layer_name_get_one_layer_each(tmp_path):
    """'air raid' and 'Air-Raid' slugify alike; both keep their events in layers of their own."""
    import pyogrio

    loc = (EventLocation(place_name="x", lat=33.0, lon=44.0),)
    events = [
        Event(event_id=f"E{i}", event_type=t, locations=loc) for i, t in enumerate(["air raid", "Air-Raid"])
    ]
    path = write_gpkg(events, tmp_path / "events.gpkg", base_layers=False)
    layers = [name for name, _geom in pyogrio.list_layers(path)]
    assert "air_raids" in layers and "air_raids_2" in layers
    assert [pyogrio.read_info(path, layer=n)["features"] for n in ("air_raids", "air_raids_2")] == [1, 1]
