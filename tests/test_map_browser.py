"""The HTML map in real headless Chromium with the network cut off.

Driven over the DevTools protocol (``devtools.browser``), so only Debian's
``chromium`` package is needed (no chromedriver). Without Chromium these tests skip locally
and FAIL when ``CI`` is set: a CI run that cannot see the map has tested nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devtools.browser import Chromium, find_chromium
from devtools.fixtures import load_fixture, synthetic_events
from geoevents.outputs import write_map
from geoevents.outputs._common import SIDES

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "data" / "outputs" / "events.json"
READY = "window.geoevents && window.geoevents.ready"


def _need_chromium() -> str:
    found = find_chromium()
    if found:
        return found
    reason = "headless Chromium not found (apt-get install chromium; or set GEOEVENTS_CHROMIUM)"
    if os.environ.get("CI"):
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One offline headless Chromium for the module."""
    binary = _need_chromium()
    with Chromium(binary) as b:
        yield b


@pytest.fixture(scope="module")
def fixture_map(tmp_path_factory):
    """Write the hostile-text fixture events once as an HTML map."""
    events, _ = load_fixture(FIXTURE)
    return events, write_map(events, tmp_path_factory.mktemp("map") / "events.html")


def _reset(b: Chromium) -> None:
    b.errors.clear()
    b.failed_requests.clear()
    b.dialogs.clear()


def _open_popup(b: Chromium, type_index: int, event_id: str) -> bool:
    """Zoom until the marker is out of its cluster (spiderfied if need be), then open its popup."""
    find = f"geoevents.markers[{type_index}].find(function (x) {{ return x.feature.id === {event_id!r}; }})"
    b.evaluate(
        f"window.__m = {find}; geoevents.reveal(window.__m, function () {{ window.__m.openPopup(); }}); true"
    )
    b.wait(1.2)
    return bool(b.evaluate("geoevents.map.hasLayer(window.__m) && window.__m.isPopupOpen()"))


def test_map_loads_offline_with_layers_and_markers(browser, fixture_map):
    """Offline, Leaflet loads, every located event is a marker, overlays and legend show, nothing errs."""
    events, path = fixture_map
    _reset(browser)
    browser.open(path.as_uri(), wait_for=READY)
    browser.wait(0.5)
    assert browser.evaluate("typeof window.L") == "object"
    assert browser.evaluate("L.version") == "1.9.3"
    located = sum(1 for e in events for loc in e.locations if loc.lat is not None)
    per_type = browser.evaluate("geoevents.markers.map(function (l) { return l.length; })")
    assert per_type == [3, 2, 1] and sum(per_type) == located
    # every marker is really in the (shared) cluster group, and the type layers are on the map
    assert browser.evaluate("geoevents.shownCounts()") == [3, 2, 1]
    assert browser.evaluate("geoevents.cluster.getLayers().length") == 6
    assert browser.evaluate("geoevents.groups.every(function (g) { return geoevents.map.hasLayer(g); })")
    labels = browser.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
        ".map(function (l) { return l.textContent.trim(); })"
    )
    assert labels[:2] == ["Strikes", "Attacks"] and labels == ["Strikes", "Attacks", "Raids"]
    bases = browser.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-control-layers-base label'))"
        ".map(function (l) { return [l.textContent.trim(), l.querySelector('input').checked]; })"
    )
    assert bases == [["Countries and places (offline)", True], ["OpenStreetMap (online)", False]]
    legend = browser.evaluate(
        "document.querySelector('.ge-legend') && document.querySelector('.ge-legend').textContent"
    )
    assert legend and "Strikes (3)" in legend
    assert all(label in legend for _value, label, _colour in SIDES)  # the actors table's sides
    assert browser.evaluate("document.querySelectorAll('.leaflet-overlay-pane canvas').length") >= 1
    assert (
        browser.evaluate("document.querySelectorAll('#' + geoevents.map.getContainer().id + ' path').length")
        > 50
    )
    assert browser.errors == []  # no SEVERE console entry, no uncaught exception
    assert browser.failed_requests == []  # nothing tried the network (OSM is off by default)
    assert browser.dialogs == []
    assert browser.evaluate("typeof window.__xss") == "undefined"


def test_toggling_overlay_hides_its_markers(browser, fixture_map):
    """Unticking an overlay in the layer control removes exactly that type's markers."""
    _events, path = fixture_map
    _reset(browser)
    browser.open(path.as_uri(), wait_for=READY)
    click = (
        "Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
        ".find(function (l) { return l.textContent.trim() === %r; }).querySelector('input').click()"
    )
    on_map = (
        "geoevents.markers.map(function (list) { return list.filter(function (m) {"
        " return geoevents.cluster.hasLayer(m) && geoevents.map.hasLayer(geoevents.cluster); }).length; })"
    )
    assert browser.evaluate(on_map) == [3, 2, 1]
    browser.evaluate(click % "Strikes")
    assert browser.evaluate("geoevents.map.hasLayer(geoevents.groups[0])") is False
    assert browser.evaluate(on_map) == [0, 2, 1]
    browser.evaluate(click % "Attacks")
    assert browser.evaluate(on_map) == [0, 0, 1]
    browser.evaluate(click % "Strikes")
    assert browser.evaluate(on_map) == [3, 0, 1]
    assert browser.errors == []


def test_date_filter(browser, fixture_map):
    """The date inputs and the slider filter markers by event_date."""
    _events, path = fixture_map
    _reset(browser)
    browser.open(path.as_uri(), wait_for=READY)
    counts = "geoevents.shownCounts()"
    browser.evaluate(
        "var i = document.querySelector('.ge-from'); i.value = '2024-02-01';"
        "i.dispatchEvent(new Event('change'))"
    )
    assert browser.evaluate(counts) == [3, 0, 1]  # strikes on 2024-02-02/03, raid 2024-02-10
    browser.evaluate(
        "var s = document.querySelector('.ge-slider');"
        "s.value = String(Math.round(Date.parse('2024-02-02T00:00:00Z') / 86400000));"
        "s.dispatchEvent(new Event('input'))"
    )
    assert browser.evaluate("document.querySelector('.ge-to').value") == "2024-02-02"
    assert browser.evaluate(counts) == [2, 0, 0]
    assert browser.errors == []


def test_hostile_text_is_inert_and_shown_as_text(browser, fixture_map):
    """Script, onerror and template-literal payloads show as popup text and never run."""
    _events, path = fixture_map
    _reset(browser)
    browser.open(path.as_uri(), wait_for=READY)
    # open the popup of the event whose every field is hostile
    assert _open_popup(browser, 0, "EV-SY-003")
    text = browser.evaluate("document.querySelector('.leaflet-popup-content').textContent")
    assert "<script>window.__xss=1</script>" in text
    assert '<img src=x onerror="window.__xss=2">' in text
    assert "</script><script>window.__xss=4</script><!--" in text
    assert "`${window.__xss=3}`" in text
    # none of it became markup
    assert (
        browser.evaluate(
            "document.querySelectorAll('.leaflet-popup-content script, "
            ".leaflet-popup-content img, .leaflet-popup-content svg').length"
        )
        == 0
    )
    # non-http "URLs" are text, never links
    hrefs = browser.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-popup-content a'))"
        ".map(function (a) { return a.href; })"
    )
    assert hrefs == []
    # the Tower 22 popup links only its https source; the javascript: one is plain text
    assert _open_popup(browser, 1, "EV-JO-002")
    hrefs = browser.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-popup-content a'))"
        ".map(function (a) { return a.href; })"
    )
    assert hrefs == ["https://example.org/tower22"]
    assert "javascript:window.__xss=7" in browser.evaluate(
        "document.querySelector('.leaflet-popup-content').textContent"
    )
    browser.wait(0.5)
    assert browser.evaluate("typeof window.__xss") == "undefined"
    assert browser.dialogs == []
    assert browser.errors == []


def test_unescaped_payload_would_be_caught(browser, tmp_path):
    """The XSS probe can fail: the same payload in a raw page does set window.__xss."""
    page = tmp_path / "raw.html"
    page.write_text("<html><body><div>" + '<img src=x onerror="window.__xss=2">' + "</div></body></html>")
    _reset(browser)
    browser.open(page.as_uri())
    browser.wait(0.3)
    assert browser.evaluate("window.__xss") == 2


@pytest.mark.slow
def test_ten_thousand_events_one_data_blob(browser, tmp_path):
    """10,000 events load from one data block and stay clustered."""
    events = synthetic_events(10_000, seed=3)
    path = write_map(events, tmp_path / "big.html")
    html = path.read_text("utf-8")
    assert html.count("<script") < 20  # one data block, not 10,000 marker scripts
    _reset(browser)
    seconds = browser.open(path.as_uri(), wait_for=READY, timeout=60)
    assert browser.evaluate("geoevents.markers.reduce(function (a, l) { return a + l.length; }, 0)") == 10_000
    # clustered: far fewer drawn objects than markers at the initial zoom
    assert browser.evaluate("document.querySelectorAll('.marker-cluster').length") < 500
    browser.evaluate("geoevents.map.setZoom(geoevents.map.getZoom() + 2); true")
    browser.wait(0.5)
    assert browser.errors == []
    assert seconds < 30


def test_empty_map_opens_cleanly(browser, tmp_path):
    """No events: the map still opens offline with both overlays and no errors."""
    path = write_map([], tmp_path / "empty.html")
    _reset(browser)
    browser.open(path.as_uri(), wait_for=READY)
    assert browser.evaluate("geoevents.markers.map(function (l) { return l.length; })") == [0, 0]
    assert browser.evaluate("document.querySelector('.ge-time') === null")
    assert browser.errors == [] and browser.failed_requests == []


def test_template_syntax_shows_literally(browser, tmp_path):
    """Issue 11: ``{{ 7*7 }}`` in the title and an article's sentence is shown as written, not 49."""
    import dataclasses

    events, _ = load_fixture(FIXTURE)
    ev = dataclasses.replace(
        events[0], evidence=("Militia said {{ 7*7 }} rockets hit {% raw the base {# note #}.",)
    )
    path = write_map([ev], tmp_path / "tpl.html", title="Strikes {{ 7*7 }}")
    _reset(browser)
    browser.open(path.as_uri(), wait_for=READY)
    assert browser.evaluate("document.title") == "Strikes {{ 7*7 }}"
    assert "Strikes {{ 7*7 }}" in browser.evaluate("document.body.innerText")
    assert _open_popup(browser, 0, ev.event_id)
    text = browser.evaluate("document.querySelector('.leaflet-popup-content').textContent")
    assert "Militia said {{ 7*7 }} rockets hit {% raw the base {# note #}." in text
    assert "49" not in browser.evaluate("document.body.innerText")
    assert browser.errors == [] and browser.dialogs == []
