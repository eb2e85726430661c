"""Screenshots of an output directory for the README: the HTML map and the GeoPackage in QGIS.

Usage (from a checkout, after ``geoevents`` wrote ``OUT/events.html`` and ``OUT/events.gpkg``)::

    python -m devtools.screenshots OUT [--dest maps]

writes ``maps/screenshot-map.png`` (the map as it opens: region zoom), ``screenshot-map-town.png``
(town zoom on the busiest named place, co-located markers spread), ``screenshot-map-popup.png``
(the same with a popup open) and ``screenshot-map-wide.png`` (two levels out), all in headless
Chromium offline, and ``maps/screenshot-qgis.png`` (PyQGIS render through
``devtools/qgis_check.py`` under ``/usr/bin/python3``). Either part is skipped with a message
when its client is missing.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from devtools.browser import Chromium, find_chromium

__all__ = ["map_screenshot", "map_screenshots", "qgis_screenshot"]

log = logging.getLogger(__name__)

_REPO = Path(__file__).resolve().parents[1]
_WORLD = _REPO / "geoevents" / "outputs" / "ne_110m_countries.json"


def map_screenshot(html: Path, png: Path, *, width: int = 1280, height: int = 800) -> Path:
    """Open ``html`` offline in headless Chromium and save the view as ``png``.

    Raises RuntimeError when the page logs errors: a screenshot of a broken map is worse than none.
    """
    return map_screenshots(html, png.parent, width=width, height=height, stem=png.stem)[0]


# JS: the marker at a named place (not a region/country centroid) whose spot holds the most markers.
_BUSIEST = """(function () {
  var all = [].concat.apply([], geoevents.markers).filter(function (m) { return m.feature.gp !== 3; });
  var best = null, n = -1, count = {};
  all.forEach(function (m) { var k = m.getLatLng().lat.toFixed(2) + ',' + m.getLatLng().lng.toFixed(2);
    count[k] = (count[k] || 0) + 1; if (count[k] > n) { n = count[k]; best = m; } });
  window.__busiest = best; return !!best; })()"""


def map_screenshots(
    html: Path, dest: Path, *, width: int = 1280, height: int = 800, stem: str = "screenshot-map"
) -> list[Path]:
    """Screenshots of the map at its opening (region) zoom, two levels out, and at town zoom.

    The town view centres on the busiest named place with its markers spread apart, then again
    with one popup open: town labels, uncertainty styling and a popup as a reader meets them.
    """
    out = []
    with Chromium(width=width, height=height) as browser:
        browser.open(
            html.resolve().as_uri(), wait_for="window.geoevents && window.geoevents.ready", timeout=120
        )
        browser.wait(1.0)
        out.append(browser.screenshot(dest / f"{stem}.png"))
        browser.evaluate("geoevents.map.setZoom(geoevents.map.getZoom() - 2, {animate: false}); true")
        browser.wait(1.0)
        out.append(browser.screenshot(dest / f"{stem}-wide.png"))
        if browser.evaluate(_BUSIEST):
            browser.evaluate("geoevents.map.setView(__busiest.getLatLng(), 10, {animate: false}); true")
            browser.wait(1.0)
            browser.evaluate("geoevents.reveal(__busiest, function () {}); true")
            browser.wait(1.5)
            out.append(browser.screenshot(dest / f"{stem}-town.png"))
            browser.evaluate("__busiest.openPopup(); true")
            browser.wait(1.0)
            out.append(browser.screenshot(dest / f"{stem}-popup.png"))
        if browser.errors:
            raise RuntimeError(f"{html} logged errors: {browser.errors[:3]}")
    return out


def qgis_screenshot(
    gpkg: Path,
    png: Path,
    *,
    python: str = "/usr/bin/python3",
    script: Path = _REPO / "devtools" / "qgis_check.py",
) -> Path:
    """Render the GeoPackage's embedded QGIS project over Natural Earth outlines to ``png``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    proc = subprocess.run(
        [python, str(script), str(gpkg.resolve()), "--png", str(png.resolve()), "--world", str(_WORLD)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    report = json.loads(lines[-1]) if lines else {"error": proc.stderr[-2000:]}
    if "error" in report or not png.exists():
        raise RuntimeError(f"QGIS render of {gpkg} failed: {report.get('error')}")
    return png


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write both screenshots for an output directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="directory holding events.html and events.gpkg")
    parser.add_argument("--dest", type=Path, default=Path("maps"), help="where the PNGs go (default: maps)")
    args = parser.parse_args(argv)
    args.dest.mkdir(parents=True, exist_ok=True)
    status = 0
    if find_chromium():
        for shot in map_screenshots(args.out_dir / "events.html", args.dest):
            print(shot)
    else:
        print("skipped map screenshot: no Chromium (apt-get install chromium)", file=sys.stderr)
        status = 1
    if Path("/usr/bin/python3").exists():
        try:
            print(qgis_screenshot(args.out_dir / "events.gpkg", args.dest / "screenshot-qgis.png"))
        except RuntimeError as err:
            print(f"QGIS screenshot failed: {err}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
