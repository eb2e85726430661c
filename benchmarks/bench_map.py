"""HTML map at scale: file size, write time and headless-Chromium load/pan time for 1k/10k/100k events.

Baseline (same run, same machine, same offline assets): the usual folium way, one
``CircleMarker`` with a ``Popup`` per event in a FeatureGroup per type, i.e. one JS statement
block per marker. Candidate: ``geoevents.outputs.write_map`` (one JSON blob, canvas markers,
markercluster per overlay). The baseline is skipped above ``--baseline-max`` events.

    python benchmarks/bench_map.py [--sizes 1000 10000 100000] [--baseline-max 10000]

Load time is navigation start to "all markers built" (``geoevents.readyMs``; for the baseline
the load event); pan is the synchronous work of 20 un-animated ``panBy`` calls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools/ (not in the wheel)

from devtools.browser import Chromium
from devtools.fixtures import synthetic_events
from geoevents.outputs import write_map

PAN_JS = """(function () {
  var map = %s, t = performance.now();
  for (var i = 0; i < 20; i++) { map.panBy([i %% 2 ? -300 : 300, 0], {animate: false}); }
  return (performance.now() - t) / 20;
})()"""


def naive_folium(events, path: Path) -> None:
    """Write the baseline: one folium CircleMarker + Popup per event, offline assets like ours."""
    import folium

    from geoevents.outputs.html_map import _assets

    assets = _assets()
    m = folium.Map(location=[33, 42], zoom_start=5, tiles=None)
    m.default_js = [(k, assets[k]) for k in ("leaflet", "jquery")]
    m.default_css = [("leaflet_css", assets["leaflet_css"])]
    groups = {t: folium.FeatureGroup(name=t.capitalize() + "s").add_to(m) for t in ("strike", "attack")}
    for ev in events:
        loc = ev.locations[0]
        folium.CircleMarker(
            location=(loc.lat, loc.lon),
            radius=6,
            color="#1f5fbf",
            fill=True,
            popup=folium.Popup(
                html.escape(f"{ev.event_type} {ev.event_date} {loc.place_name} {ev.evidence[0]}")
            ),
        ).add_to(groups[ev.event_type])
    folium.LayerControl(collapsed=False).add_to(m)
    path.write_text(m.get_root().render(), encoding="utf-8")


def measure(browser: Chromium, path: Path, ready: str, map_expr: str) -> tuple[float, float]:
    """Open ``path`` offline; return (load ms, ms per un-animated pan)."""
    browser.errors.clear()
    browser.open(path.as_uri(), wait_for=ready, timeout=600)
    if "geoevents" in ready:
        load_ms = browser.evaluate("geoevents.readyMs")
    else:
        load_ms = browser.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    pan_ms = browser.evaluate(PAN_JS % map_expr)
    if browser.errors:
        raise RuntimeError(f"{path.name}: {browser.errors[:3]}")
    return load_ms, pan_ms


def main() -> None:
    """Print the Markdown table of sizes, write, load and pan times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--baseline-max", type=int, default=10_000)
    args = parser.parse_args()
    print(
        f"# bench_map on {platform.node()} ({platform.processor() or platform.machine()}), "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    )
    print("| events | variant | file MB | write s | load ms | pan ms |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp, Chromium(timeout=600) as browser:
        write_map(synthetic_events(5), Path(tmp) / "warm.html")  # imports and asset encoding, untimed
        for n in args.sizes:
            events = synthetic_events(n, seed=0)  # built outside the timers
            ours = Path(tmp) / f"ours-{n}.html"
            t0 = time.perf_counter()
            write_map(events, ours)
            w_ours = time.perf_counter() - t0
            load, pan = measure(browser, ours, "window.geoevents && window.geoevents.ready", "geoevents.map")
            assert (
                browser.evaluate("geoevents.markers.reduce(function (a, l) { return a + l.length; }, 0)") == n
            )
            print(
                f"| {n:,} | geoevents | {ours.stat().st_size / 1e6:.1f} | {w_ours:.2f} | {load:.0f} "
                f"| {pan:.1f} |",
                flush=True,
            )
            if n <= args.baseline_max:
                base = Path(tmp) / f"naive-{n}.html"
                t0 = time.perf_counter()
                naive_folium(events, base)
                w_base = time.perf_counter() - t0
                name = "Object.values(window).find(function (v) { return v instanceof L.Map; })"
                bload, bpan = measure(browser, base, "document.readyState === 'complete'", name)
                print(
                    f"| {n:,} | folium marker-per-event | {base.stat().st_size / 1e6:.1f} | {w_base:.2f} | "
                    f"{bload:.0f} | {bpan:.1f} |",
                    flush=True,
                )
                print(
                    f"|  | ratio baseline/geoevents | | x{w_base / w_ours:.1f} | x{bload / load:.1f} | "
                    f"x{bpan / pan if pan else float('nan'):.1f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
