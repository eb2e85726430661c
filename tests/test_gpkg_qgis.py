"""The GeoPackage in real clients: QGIS (PyQGIS under /usr/bin/python3), GDAL's ogrinfo and validate_gpkg.

Locally these skip when the client is missing; with ``CI`` set they fail instead.
Debian packages: ``python3-qgis qgis-providers`` (QGIS), ``gdal-bin python3-gdal`` (GDAL).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from devtools.fixtures import load_fixture
from geoevents.outputs import write_gpkg
from geoevents.outputs._common import SIDES
from geoevents.outputs._qgis import TEMPORAL_END, TEMPORAL_START

HERE = Path(__file__).parent
FIXTURE = HERE / "data" / "outputs" / "events.json"
SYSTEM_PYTHON = "/usr/bin/python3"


def _need(ok: bool, reason: str) -> None:
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


def _has_module(python: str, module: str) -> bool:
    if not Path(python).exists():
        return False
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return (
        subprocess.run(
            [python, "-c", f"import {module}"], capture_output=True, env=env, timeout=60
        ).returncode
        == 0
    )


# A project title with template syntax, markup, entities and a terminal escape: QGIS must read it literally.
HOSTILE_TITLE = "geoevents {{ 7*7 }} <b>&amp; ]]> \x1b[2J"
EVENT_LAYERS = ("strikes", "attacks", "raids")
# Each event covers its day [event_date, +1 day); see _qgis.TEMPORAL_START for why not mode 1.
TEMPORAL_ON = {
    "active": True,
    "mode": 4,
    "start_field": "event_date",
    "start_expression": TEMPORAL_START,
    "end_expression": TEMPORAL_END,
}
BASE_LAYERS = {"base_places": "Cities (GeoNames)", "base_countries": "Countries (Natural Earth)"}


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    """Write the fixture events once as events.gpkg for every client test."""
    events, articles = load_fixture(FIXTURE)
    out = tmp_path_factory.mktemp("gpkg")
    return write_gpkg(events, out / "events.gpkg", articles=articles, title=HOSTILE_TITLE)


@pytest.fixture(scope="module")
def qgis_report(gpkg):
    """Ask real QGIS what it makes of the GeoPackage (runs devtools/qgis_check.py once)."""
    _need(
        _has_module(SYSTEM_PYTHON, "qgis.core"),
        "PyQGIS not available under /usr/bin/python3 (apt-get install python3-qgis qgis-providers)",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [
            SYSTEM_PYTHON,
            str(HERE.parent / "devtools" / "qgis_check.py"),
            str(gpkg),
            "--png",
            str(gpkg.parent / "qgis-region.png"),
            "--png-zoom",
            str(gpkg.parent / "qgis-town.png"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert lines, f"qgis_check printed no JSON; rc={proc.returncode}\n{proc.stderr[-2000:]}"
    report = json.loads(lines[-1])
    assert "error" not in report, report.get("error")
    return report


def _assert_event_renderer(rend, where):
    assert rend["type"] == "categorizedSymbol", where  # not the single-symbol fallback
    assert rend["attr"] == "actor_side"
    assert [c["value"] for c in rend["categories"]] == [v for v, _l, _c in SIDES]
    assert [c["colour"] for c in rend["categories"]] == [c for _v, _l, c in SIDES]
    assert "killed" in (rend["size_expression"] or "")
    # precision drawn: dashed outline for "near" (2), hollow for a region/country centroid (3)
    assert set(rend["data_defined"]) == {"fillColor", "outlineColor", "outlineStyle", "outlineWidth"}
    assert "geo_precision" in rend["data_defined"]["fillColor"]


@pytest.mark.qgis
def test_qgis_layers_valid_styled_and_counted(qgis_report):
    """Each layer opens valid, categorized (never single symbol), typed, temporal on event_date."""
    layers = qgis_report["layers"]
    assert list(layers) == [*EVENT_LAYERS, *BASE_LAYERS, "articles"]
    expected = {"strikes": 4, "attacks": 2, "raids": 1, "base_countries": 176, "articles": 2}
    for name, info in layers.items():
        assert info["valid"], name
        if name in expected:
            assert info["features"] == expected[name], name
    assert layers["base_places"]["features"] > 1000
    for name in EVENT_LAYERS:
        info = layers[name]
        assert info["crs"] == "EPSG:4326"
        assert info["fields"]["event_date"] == "Date"
        assert info["fields"]["killed"] == "Integer" and info["fields"]["geo_precision"] == "Integer"
        for key in ("renderer_on_load", "renderer_after_default_style"):
            _assert_event_renderer(info[key], (name, key))
        assert info["labels"] is True
        assert info["default_style"]["ok"] is True
        # the PyQGIS constructor resets temporal after loading the style ...
        assert info["temporal_on_load"]["start_field"] == "event_date"
        # ... and the stored style switches it on when applied again
        assert info["temporal_after_default_style"] == TEMPORAL_ON
    shapes = {n: layers[n]["renderer_on_load"]["categories"][0]["shape"] for n in ("strikes", "attacks")}
    assert shapes == {"strikes": "circle", "attacks": "diamond"}  # same shapes as the HTML map
    assert layers["strikes"]["null_geometries"] == 1  # the unlocated event is kept


@pytest.mark.qgis
def test_qgis_layer_dragged_in_plays_in_temporal_controller(qgis_report):
    """A layer added the way QGIS Desktop adds it (Browser, drag and drop) is temporal and categorized."""
    for name in EVENT_LAYERS:
        dragged = qgis_report["layers"][name]["dragged"]
        assert dragged["valid"], name
        assert dragged["temporal"] == TEMPORAL_ON, name
        _assert_event_renderer(dragged["renderer"], (name, "dragged"))
        assert dragged["labels"] is True
    countries = qgis_report["layers"]["base_countries"]["dragged"]
    assert countries["renderer"] == {"type": "singleSymbol", "symbol_type": 2, "colour": "#f4f1ea"}
    assert countries["labels"] is True


@pytest.mark.qgis
def test_qgis_embedded_project_has_temporal_and_base_layers(qgis_report, gpkg):
    """The project opens with sources resolved, temporal active, events over the offline base layers."""
    proj = qgis_report["project"]
    assert proj["read"] is True
    assert proj["title"] == HOSTILE_TITLE.replace("\x1b", "\ufffd")  # literal, not templated or parsed
    assert proj["tree"] == ["Strikes", "Attacks", "Raids", *BASE_LAYERS.values(), "Articles"]
    for name in ("Strikes", "Attacks", "Raids"):
        lyr = proj["layers"][name]
        assert lyr["valid"], lyr
        assert lyr["source"] == f"{gpkg}|layername={name.lower()}"  # relative source resolved to this file
        assert lyr["temporal"] == TEMPORAL_ON
        _assert_event_renderer(lyr["renderer"], name)
    for table, title in BASE_LAYERS.items():
        lyr = proj["layers"][title]
        assert lyr["valid"] and lyr["source"] == f"{gpkg}|layername={table}", lyr
        assert lyr["temporal"]["active"] is False  # the base stays visible at every time step
        assert lyr["renderer"]["type"] == "singleSymbol"
    assert proj["layers"]["Countries (Natural Earth)"]["features"] == 176
    assert proj["layers"]["Strikes"]["features"] == 4
    assert proj["time_range"] == ["2024-01-20", "2024-02-11"]


@pytest.mark.qgis
def test_qgis_temporal_controller_steps_through_the_events(qgis_report):
    """Stepping the project's time range day by day shows each dated event on its day only."""
    frames = qgis_report["project"]["frames"]
    assert set(frames) == {"Strikes", "Attacks", "Raids"}  # base layers stay out of the time filter
    strikes = frames["Strikes"]
    assert len(strikes) == 22  # 2024-01-20 .. 2024-02-10 (the range ends at midnight after), one per day
    undated = min(strikes)  # the unlocated strike has no date either way: shown at every frame
    assert max(strikes) > undated  # the picture changes as the controller plays
    # the two-location strike (2 features) and the week-precision one, each on its own day
    assert sum(n - undated for n in strikes) == 3
    assert sum(frames["Attacks"]) == 2 and sum(frames["Raids"]) == 1
    # on their own day, not the day before: the 2024-01-20 attack is in the first frame, the
    # 2024-01-28 one in the ninth, the 2024-02-10 raid in the last (mode 1 on a DATE field in
    # QGIS 3.22 puts each a frame early and loses the first)
    assert frames["Attacks"][0] == 1 and frames["Attacks"][8] == 1 and frames["Raids"][-1] == 1


@pytest.mark.qgis
def test_qgis_renders_png_at_two_zooms(qgis_report):
    """QGIS draws the project at region and town zoom (the README screenshots)."""
    pngs = qgis_report["png"]
    assert len(pngs) == 2
    scales = sorted(info["scale"] for info in pngs.values())
    assert scales[1] > 2 * scales[0]  # two different zoom levels
    for path in pngs:
        data = Path(path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000


def _gdal(tool: str) -> str:
    found = shutil.which(tool)
    _need(found is not None, f"GDAL's {tool} not found (apt-get install gdal-bin)")
    return found  # type: ignore[return-value]


@pytest.mark.gdal
def test_ogrinfo_lists_layers(gpkg):
    """GDAL's ogrinfo lists the layers in order with DATE and integer fields and no 1.4 warning."""
    out = subprocess.run(
        [_gdal("ogrinfo"), "-so", "-q", str(gpkg)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    listed = [ln.split(":", 1)[1].strip() for ln in out.stdout.splitlines() if ":" in ln and ln[0].isdigit()]
    assert listed[:6] == [
        "strikes (Point)",
        "attacks (Point)",
        "raids (Point)",
        "base_places (Point)",
        "base_countries (Multi Polygon)",
        "articles (None)",
    ]
    assert "may only be partially supported" not in out.stderr  # GeoPackage 1.3, not 1.4
    detail = subprocess.run(
        [_gdal("ogrinfo"), "-so", str(gpkg), "strikes"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "event_date: Date" in detail and "killed: Integer" in detail
    assert "Feature Count: 4" in detail and 'ID["EPSG",4326]' in detail


@pytest.mark.gdal
def test_validate_gpkg_passes(gpkg):
    """GDAL's validate_gpkg finds nothing wrong (GeoPackage 1.3, rtree triggers, contents)."""
    _need(
        _has_module(SYSTEM_PYTHON, "osgeo_utils.samples.validate_gpkg"),
        "GDAL's validate_gpkg not available (apt-get install python3-gdal)",
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [SYSTEM_PYTHON, "-m", "osgeo_utils.samples.validate_gpkg", str(gpkg)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0 and out.stdout.strip() == "" and out.stderr.strip() == "", (
        out.stdout + out.stderr
    )
