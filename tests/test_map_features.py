"""Issue 14's map rows in real headless Chromium (network cut off): labels, time, list, precision.

Same driver and skip/fail rule as ``test_map_browser.py``; plus the static guarantees that need
no browser (deterministic bytes, key evidence first, labels near the events).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from devtools.browser import Chromium
from devtools.fixtures import load_fixture, synthetic_events
from geoevents.outputs import write_map
from geoevents.outputs.html_map import map_data
from geoevents.records import Event, EventLocation

FIXTURE = Path(__file__).parent / "data" / "outputs" / "events.json"
READY = "window.geoevents && window.geoevents.ready"


def _payload(html: str, block: str = "geoevents-data") -> dict:
    found = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


# ------------------------------------------------------------------ static: no browser needed
def test_same_events_same_bytes(tmp_path):
    """Regenerating the map gives identical bytes: no random ids, no timestamps."""
    events = synthetic_events(300, seed=5)
    a = write_map(events, tmp_path / "a.html").read_bytes()
    b = write_map(list(reversed(events))[::-1], tmp_path / "b.html").read_bytes()
    assert a == b
    assert not re.search(rb"[0-9a-f]{32}", a.split(b"<script src=")[0]), "no uuid-like ids in the page"


def test_key_sentences_first_rest_behind_more():
    """Of many evidence sentences the ones naming the place and the strike come first."""
    noise = tuple(f"Officials held talks on the economy in week {i}." for i in range(11))
    ev = Event(
        event_id="E1",
        event_type="strike",
        locations=(EventLocation(place_name="Jurf al-Sakhar", lat=32.9, lon=44.1, geo_precision=1),),
        killed=4,
        evidence=(*noise[:5], "A drone strike hit Jurf al-Sakhar, killing 4 fighters.", *noise[5:]),
    )
    feat = map_data([ev])["features"][0]
    assert feat["evk"] == 1 and len(feat["ev"]) == 12  # the noise does not state the event
    assert feat["ev"][0].startswith("A drone strike hit Jurf al-Sakhar")


def test_base_labels_cover_the_events_area(tmp_path):
    """Country names everywhere; regions, rivers and towns around the events, each with a zoom."""
    events, _ = load_fixture(FIXTURE)
    base = _payload(write_map(events, tmp_path / "m.html").read_text("utf-8"), "geoevents-base")
    by_kind: dict[str, set[str]] = {}
    for name, _la, _lo, kind, zoom, _rank in base["labels"]:
        assert 3 <= zoom <= 10
        by_kind.setdefault(kind, set()).add(name)
    assert {"Iraq", "Syria", "Jordan"} <= by_kind["country"]
    assert "Baghdad" in by_kind["capital"] and "Euphrates" in by_kind["river"]
    assert "Al Anbar" in by_kind["region"] or "Anbar" in " ".join(by_kind["region"])
    assert len(by_kind["town"]) > 100


# ------------------------------------------------------------------ browser
@pytest.fixture(scope="module")
def browser():
    """One offline headless Chromium for the module."""
    from tests.test_map_browser import _need_chromium

    with Chromium(_need_chromium()) as b:
        yield b


def _open(b: Chromium, path: Path) -> None:
    b.errors.clear()
    b.failed_requests.clear()
    b.dialogs.clear()
    b.open(path.as_uri(), wait_for=READY)
    b.wait(0.3)


LABELS = (
    "Array.from(document.querySelectorAll('.ge-label')).map(function (e) {"
    " return [/ge-label-(\\w+)/.exec(e.className)[1], e.textContent]; })"
)


@pytest.mark.browser
def test_labels_at_region_and_town_zoom(browser, tmp_path):
    """Region zoom shows country and big-city names; town zoom shows towns, not countries."""
    events, _ = load_fixture(FIXTURE)
    _open(browser, write_map(events, tmp_path / "m.html"))
    browser.evaluate("geoevents.map.setView([33.5, 42.5], 5, {animate: false}); true")
    browser.wait(0.3)
    region = browser.evaluate(LABELS)
    names = {n for _k, n in region}
    assert {"Iraq", "Syria"} <= names and "Baghdad" in names
    assert not any(k == "town" for k, _n in region)
    browser.evaluate("geoevents.map.setView([34.37, 41.09], 10, {animate: false}); true")
    browser.wait(0.3)
    town = browser.evaluate(LABELS)
    assert sum(1 for k, _n in town if k == "town") >= 3
    assert not any(k == "country" for k, _n in town)
    assert browser.errors == [] and browser.failed_requests == []


@pytest.mark.browser
def test_time_slider_plays(browser, tmp_path):
    """Play starts from the first day; the shown count grows as it advances and ends at all."""
    path = write_map(synthetic_events(400, seed=2), tmp_path / "t.html")
    _open(browser, path)
    total = "geoevents.shownCounts().reduce(function (a, b) { return a + b; }, 0)"
    assert browser.evaluate(total) == 400
    bars = browser.evaluate(
        "(function () { var c = document.querySelector('.ge-hist'), d = c.getContext('2d')"
        ".getImageData(0, 0, c.width, c.height).data, n = 0;"
        " for (var i = 3; i < d.length; i += 4) { if (d[i]) { n++; } } return n; })()"
    )
    assert bars > 500  # the per-day histogram is drawn
    browser.evaluate("document.querySelector('.ge-play').click(); true")
    browser.wait(0.4)
    seen = [browser.evaluate(total)]
    for _ in range(6):
        browser.wait(0.4)
        seen.append(browser.evaluate(total))
    assert seen[0] < 400 and seen == sorted(seen) and len(set(seen)) >= 3, seen
    browser.wait(3)
    assert browser.evaluate(total) == 400 and browser.evaluate("geoevents.time.playing()") is False
    assert browser.errors == []


ROWS = "Array.from(document.querySelectorAll('.ge-list .ge-row')).map(function (r) { return r.textContent; })"


@pytest.mark.browser
def test_side_list_filters_with_layers_and_search(browser, tmp_path):
    """The list follows the type layers and the search box, and a click opens that event."""
    events, _ = load_fixture(FIXTURE)
    _open(browser, write_map(events, tmp_path / "m.html"))
    browser.wait(0.3)
    rows = browser.evaluate(ROWS)
    assert len(rows) == 6 and rows[0].startswith("2024-02-10")  # newest first
    click = (
        "Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
        ".find(function (l) { return l.textContent.trim() === 'Strikes'; }).querySelector('input').click()"
    )
    browser.evaluate(click)
    browser.wait(0.3)
    rows = browser.evaluate(ROWS)
    assert len(rows) == 3 and not any("Strike" in r for r in rows)
    browser.evaluate(click)
    browser.evaluate(
        "var s = document.querySelector('.ge-search'); s.value = 'islamic resistance';"
        "s.dispatchEvent(new Event('input')); true"
    )
    browser.wait(0.3)
    rows = browser.evaluate(ROWS)
    assert len(rows) == 1 and "Tower 22" in rows[0]
    assert browser.evaluate("geoevents.shownCounts()") == [0, 1, 0]
    browser.evaluate("document.querySelector('.ge-list .ge-row').click(); true")
    browser.wait(1.5)
    assert "Tower 22" in browser.evaluate("document.querySelector('.leaflet-popup-content').textContent")
    assert browser.errors == []


def _two_at_one_place() -> list[Event]:
    loc = EventLocation(place_name="Ain al-Asad", lat=33.8, lon=42.44, geo_precision=1)
    return [
        Event(event_id="S1", event_type="strike", actor1="United States", locations=(loc,)),
        Event(event_id="A1", event_type="attack", actor1="Islamic Resistance in Iraq", locations=(loc,)),
    ]


@pytest.mark.browser
def test_overlapping_strike_and_attack_both_clickable(browser, tmp_path):
    """A strike and an attack at one spot spread apart (spiderfy) and each opens its own popup."""
    _open(browser, write_map(_two_at_one_place(), tmp_path / "o.html"))
    browser.evaluate(
        "window.__s = geoevents.markers[0][0]; window.__a = geoevents.markers[1][0];"
        "geoevents.reveal(window.__s, function () {}); true"
    )
    browser.wait(1.5)
    assert browser.evaluate("geoevents.map.hasLayer(__s) && geoevents.map.hasLayer(__a)")
    pts = browser.evaluate(
        "[__s, __a].map(function (m) { var p = geoevents.map.latLngToContainerPoint(m.getLatLng());"
        " return [p.x, p.y]; })"
    )
    assert abs(pts[0][0] - pts[1][0]) + abs(pts[0][1] - pts[1][1]) > 10, pts  # visibly apart
    for (x, y), title in zip(pts, ("Strike", "Attack"), strict=True):
        browser.evaluate(
            "(function (x, y) { var c = geoevents.map.getContainer(), r = c.getBoundingClientRect();"
            " var t = document.elementFromPoint(r.left + x, r.top + y);"
            " ['mousedown', 'mouseup', 'click'].forEach(function (k) { t.dispatchEvent(new MouseEvent(k,"
            f" {{bubbles: true, clientX: r.left + x, clientY: r.top + y}})); }}); }})({x}, {y}); true"
        )
        browser.wait(0.6)
        text = browser.evaluate("document.querySelector('.leaflet-popup-content').textContent")
        assert text.startswith(title), text[:60]
    assert browser.errors == []


@pytest.mark.browser
def test_precision_styling(browser, tmp_path):
    """Exact place solid; near / district with a dashed ring; region/country hollow and listed apart."""

    def ev(i: int, gp: int) -> Event:
        loc = EventLocation(place_name=f"P{gp}", lat=33.0 + i, lon=43.0 + i, geo_precision=gp)
        return Event(event_id=f"G{gp}", event_type="strike", actor1="United States", locations=(loc,))

    _open(browser, write_map([ev(0, 1), ev(1, 2), ev(2, 3)], tmp_path / "p.html"))
    style = browser.evaluate(
        "geoevents.markers[0].map(function (m) { return [m.feature.gp, m.options.fillOpacity,"
        " m.options.dashArray || null, !!m.ring]; })"
    )
    assert style[0] == [1, 0.85, None, False]
    assert style[1][0] == 2 and style[1][1] == 0.85 and style[1][2] and style[1][3] is True
    assert style[2][0] == 3 and style[2][1] < 0.2 and style[2][2]
    browser.evaluate("geoevents.map.setView([34, 44], 8, {animate: false}); true")
    browser.wait(0.4)
    assert browser.evaluate("geoevents.rings.getLayers().length") == 1
    browser.evaluate("geoevents.map.setView([34, 44], 5, {animate: false}); true")
    browser.wait(0.4)
    rows = browser.evaluate(ROWS)
    assert rows[-1].startswith("undated") and "\u2248 P3" in rows[-1]  # listed apart, last
    assert "region/country level" in browser.evaluate("document.querySelector('.ge-count').textContent")
    assert browser.errors == []


@pytest.mark.browser
def test_long_popup_stays_in_viewport_with_sources(browser, tmp_path):
    """A merged event's 13 sentences: the one stating it shown, the rest behind "more", sources in view."""
    events, _ = load_fixture(FIXTURE)
    many = tuple(f"Background sentence number {i} about regional politics and diplomacy." for i in range(12))
    big = dataclasses.replace(
        events[0],
        evidence=(*many[:6], events[0].evidence[0], *many[6:]),
        source_ids=tuple(f"s{i}" for i in range(6)),
        source_urls=tuple(f"https://example.org/{i}" for i in range(6)),
        source_titles=tuple(f"Source title {i}" for i in range(6)),
        source_names=("Outlet",) * 6,
    )
    _open(browser, write_map([big], tmp_path / "b.html"))
    browser.evaluate(
        "window.__m = geoevents.markers[0][0]; geoevents.map.setView(__m.getLatLng(), 7, {animate: false});"
        "geoevents.reveal(__m, function () { __m.openPopup(); }); true"
    )
    browser.wait(1.5)
    rect = browser.evaluate(
        "(function () { var r = document.querySelector('.leaflet-popup').getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight]; })()"
    )
    left, top, right, bottom, width, height = rect
    assert left >= 0 and top >= 0 and right <= width and bottom <= height, rect
    shown = browser.evaluate(
        "Array.from(document.querySelectorAll('.ge-popup > .ge-evidence'))"
        ".map(function (q) { return q.textContent; })"
    )
    assert len(shown) in (1, 2) and "85 targets" in shown[0]
    assert browser.evaluate("document.querySelectorAll('.ge-more .ge-evidence').length") == 13 - len(shown)
    src = browser.evaluate(
        "(function () { var s = document.querySelector('.ge-sources').getBoundingClientRect(),"
        " w = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();"
        " return s.top >= w.top && s.top < w.bottom; })()"
    )
    assert src, "the sources list starts inside the visible popup"
    links = browser.evaluate(
        "Array.from(document.querySelectorAll('.ge-sources a')).map(function (a) { return a.href; })"
    )
    assert len(links) == 6 and all(u.startswith("https://") for u in links)
    assert browser.errors == []
