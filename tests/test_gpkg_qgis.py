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


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    """Write the fixture events once as events.gpkg for every client test."""
    events, articles = load_fixture(FIXTURE)
    out = tmp_path_factory.mktemp("gpkg")
    return write_gpkg(events, out / "events.gpkg", articles=articles)


@pytest.fixture(scope="module")
def qgis_report(gpkg):
    """Ask real QGIS what it makes of the GeoPackage (runs devtools/qgis_check.py once)."""
    _need(
        _has_module(SYSTEM_PYTHON, "qgis.core"),
        "PyQGIS not available under /usr/bin/python3 (apt-get install python3-qgis qgis-providers)",
    )
    png = gpkg.parent / "qgis.png"
    world = Path(__file__).parents[1] / "geoevents" / "outputs" / "ne_110m_countries.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        [
            SYSTEM_PYTHON,
            str(HERE.parent / "devtools" / "qgis_check.py"),
            str(gpkg),
            "--png",
            str(png),
            "--world",
            str(world),
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


@pytest.mark.qgis
def test_qgis_layers_valid_styled_and_counted(qgis_report):
    """Each layer opens valid, categorized (never single symbol), typed, temporal on event_date."""
    layers = qgis_report["layers"]
    assert list(layers) == ["strikes", "attacks", "raids", "articles"]
    expected = {"strikes": 4, "attacks": 2, "raids": 1, "articles": 2}
    for name, info in layers.items():
        assert info["valid"], name
        assert info["features"] == expected[name], name
    for name in ("strikes", "attacks", "raids"):
        info = layers[name]
        assert info["crs"] == "EPSG:4326"
        assert info["fields"]["event_date"] == "Date"
        assert info["fields"]["killed"] == "Integer" and info["fields"]["geo_precision"] == "Integer"
        for key in ("renderer_on_load", "renderer_after_default_style"):
            rend = info[key]
            assert rend["type"] == "categorizedSymbol", (name, key)  # not the single-symbol fallback
            assert rend["attr"] == "actor_side"
            assert [c["value"] for c in rend["categories"]] == [v for v, _l, _c in SIDES]
            assert [c["colour"] for c in rend["categories"]] == [c for _v, _l, c in SIDES]
            assert "killed" in (rend["size_expression"] or "")
        assert info["labels"] is True
        assert info["default_style"]["ok"] is True
        # QGIS resets temporal after the constructor's style load (CLIENTS.md) ...
        assert info["temporal_on_load"]["start_field"] == "event_date"
        # ... and the stored style switches it on when applied again
        assert info["temporal_after_default_style"] == {
            "active": True,
            "mode": 1,
            "start_field": "event_date",
        }
    shapes = {n: layers[n]["renderer_on_load"]["categories"][0]["shape"] for n in ("strikes", "attacks")}
    assert shapes == {"strikes": "circle", "attacks": "diamond"}  # same shapes as the HTML map
    assert layers["strikes"]["null_geometries"] == 1  # the unlocated event is kept


@pytest.mark.qgis
def test_qgis_embedded_project_has_temporal_active(qgis_report, gpkg):
    """The embedded project opens with relative sources resolved and temporal already active."""
    proj = qgis_report["project"]
    assert proj["read"] is True
    assert set(proj["layers"]) == {"Strikes", "Attacks", "Raids", "Articles"}
    for name in ("Strikes", "Attacks", "Raids"):
        lyr = proj["layers"][name]
        assert lyr["valid"], lyr
        assert lyr["source"] == f"{gpkg}|layername={name.lower()}"  # relative source resolved to this file
        assert lyr["temporal"] == {"active": True, "mode": 1, "start_field": "event_date"}
        assert lyr["renderer"]["type"] == "categorizedSymbol"
    assert proj["layers"]["Strikes"]["features"] == 4
    assert proj["time_range"] == ["2024-01-20", "2024-02-11"]


@pytest.mark.qgis
def test_qgis_renders_png(qgis_report):
    """QGIS draws the layers to a PNG (the README screenshot path)."""
    png = Path(qgis_report["png"])
    data = png.read_bytes()
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
    assert listed[:4] == ["strikes (Point)", "attacks (Point)", "raids (Point)", "articles (None)"]
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
