"""HTML map at scale: file size, write time and headless-Chromium load/pan time for 1k/10k/100k events.

Baselines (same run, same machine, same input, same browser):

- ``--baseline-ref REF``: the map writer of an earlier commit (``git archive REF``, written in a
  subprocess from that tree), e.g. the map before the labelled base and side list, to show the
  new map stays within the old one's size and load time;
- the usual folium way, one ``CircleMarker`` with a ``Popup`` per event in a FeatureGroup per
  type (one JS statement block per marker), skipped above ``--baseline-max`` events.

Candidate: ``geoevents.outputs.write_map`` (one JSON blob, canvas markers, markercluster).

    python benchmarks/bench_map.py [--sizes 1000 10000 100000] [--baseline-max 10000] [--baseline-ref REF]

Load time is navigation start to "all markers built" (``geoevents.readyMs``; for the folium
baseline the load event); pan is the synchronous work of 20 un-animated ``panBy`` calls right
after loading. Each figure is the median of 3 loads, after one warm-up load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # devtools/ (not in the wheel)

from devtools.browser import Chromium  # noqa: E402
from devtools.fixtures import synthetic_events  # noqa: E402
from geoevents.outputs import write_map  # noqa: E402

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


def write_at_ref(ref: str, n: int, path: Path, tree: Path) -> float:
    """Write the map of ``synthetic_events(n, seed=0)`` with the code of commit ``ref``; seconds."""
    if not (tree / "geoevents").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", ref], capture_output=True, check=True, cwd=ROOT).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    code = (
        "import sys, time; sys.path.insert(0, '.');"
        "from devtools.fixtures import synthetic_events; from geoevents.outputs import write_map;"
        f"ev = synthetic_events({n}, seed=0); write_map(synthetic_events(5), {str(path) + '.warm'!r});"
        f"t = time.perf_counter(); write_map(ev, {str(path)!r}); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def measure(
    browser: Chromium, path: Path, ready: str, map_expr: str, repeats: int = 3
) -> tuple[float, float]:
    """Open ``path`` offline ``repeats`` times; return the medians of (load ms, ms per un-animated pan).

    The pan is measured right after each load, so it includes first-time work (label markers).
    """
    loads, pans = [], []
    for _ in range(repeats):
        browser.errors.clear()
        browser.open(path.as_uri(), wait_for=ready, timeout=600)
        if "geoevents" in ready:
            loads.append(browser.evaluate("geoevents.readyMs"))
        else:
            loads.append(browser.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        pans.append(browser.evaluate(PAN_JS % map_expr))
        if browser.errors:
            raise RuntimeError(f"{path.name}: {browser.errors[:3]}")
    return statistics.median(loads), statistics.median(pans)


def main() -> None:
    """Print the Markdown table of sizes, write, load and pan times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--baseline-max", type=int, default=10_000)
    parser.add_argument("--baseline-ref", help="git commit whose map writer is the baseline")
    args = parser.parse_args()
    print(
        f"# bench_map on {platform.node()} ({platform.processor() or platform.machine()}), "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    )
    print("| events | variant | file MB | write s | load ms | pan ms |")
    print("|---:|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp, Chromium(timeout=600) as browser:
        warm = write_map(synthetic_events(5), Path(tmp) / "warm.html")  # imports and asset encoding, untimed
        measure(browser, warm, "window.geoevents && window.geoevents.ready", "geoevents.map")  # warm browser
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
                f"| {n:,} | geoevents | {ours.stat().st_size / 1e6:.2f} | {w_ours:.2f} | {load:.0f} "
                f"| {pan:.1f} |",
                flush=True,
            )
            if args.baseline_ref:
                old = Path(tmp) / f"ref-{n}.html"
                w_old = write_at_ref(args.baseline_ref, n, old, Path(tmp) / "ref-tree")
                oload, opan = measure(
                    browser, old, "window.geoevents && window.geoevents.ready", "geoevents.map"
                )
                print(
                    f"| {n:,} | map at {args.baseline_ref} | {old.stat().st_size / 1e6:.2f} | {w_old:.2f} "
                    f"| {oload:.0f} | {opan:.1f} |",
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
