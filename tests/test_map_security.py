"""Issue 11: article text is data in the HTML map, never template code or markup.

Every string that can come from an article (body-derived evidence, title, source name, URL,
actor, place, notes, a JSON Lines field) and ``--title`` must reach the page unchanged, as
escaped JSON, without ever being compiled by Jinja2 (branca/folium's template engine).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from geoevents.outputs import write_map
from geoevents.records import Event, EventLocation

RCE = "{{ cycler.__init__.__globals__.os.popen('echo PWNED > pwned.txt').read() }}"
HOSTILE = [
    "{{ 7*7 }}",
    "{% raw %}",
    "{% raw",
    "{% endraw %}",
    "{# hidden #} shown",
    "{#",
    "{%",
    "{{",
    "}} {% endif %} {{",
    "{{cite web|url=x}}",
    "{{ self.__init__.__globals__ }}",
    "{% for x in range(10**6) %}x{% endfor %}",
    "${7*7} `${alert(1)}`",
    "<script>window.__xss=1</script>",
    RCE,
]


def _event(text: str) -> Event:
    """Build an event with ``text`` in every free-text field an article can fill."""
    return Event(
        event_id=f"EV {text}",
        event_type="strike",
        sub_event_type=text,
        actor1=text,
        actor2=text,
        locations=(
            EventLocation(
                place_name=text,
                lat=34.37,
                lon=41.09,
                resolved_name=text,
                admin1=text,
                location_reason=text,
            ),
        ),
        evidence=(text, "A second sentence."),
        source_ids=(text,),
        source_urls=(f"https://example.org/?q={text}",),
        source_titles=(text,),
        source_names=(text,),
        notes=text,
    )


def _payload(html: str) -> dict:
    found = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert found, "the map has one JSON data block"
    return json.loads(found.group(1))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("text", HOSTILE)
def test_template_syntax_reaches_the_map_unchanged(text, tmp_path, monkeypatch):
    """Jinja2 syntax in any field or the title is written as-is: not evaluated, not an error."""
    monkeypatch.chdir(tmp_path)
    html = write_map([_event(text)], tmp_path / "events.html", title=text).read_text("utf-8")
    data = _payload(html)
    assert data["title"] == text
    strings = _strings(data["features"])
    for field in (text, f"EV {text}", f"https://example.org/?q={text}"):
        assert field in strings
    assert "49" not in "".join(strings) or "49" in text
    assert not (tmp_path / "pwned.txt").exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "events.html"]


def test_no_article_text_is_compiled_by_jinja(tmp_path, monkeypatch):
    """The class of bug, not the instance: no template source that Jinja2 compiles holds article text."""
    sentinel = "ZqSENTINELqZ"
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def spy(self, source, *args, **kwargs):
        compiled.append(source if isinstance(source, str) else "")
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    write_map([_event(sentinel)], tmp_path / "events.html", title=sentinel)
    assert not [src[:120] for src in compiled if sentinel in src]


def test_page_title_is_escaped_html(tmp_path):
    """The <title> element carries the title as escaped text, never markup."""
    title = "</title><script>window.__xss=9</script>{{ 7*7 }}"
    html = write_map([], tmp_path / "e.html", title=title).read_text("utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;window.__xss=9&lt;/script&gt;{{ 7*7 }}</title>" in html
    assert "<script>window.__xss" not in html


def test_hostile_url_schemes_are_never_links(tmp_path):
    """Only http(s) URLs travel as link targets; others are shown as text."""
    ev = dataclasses.replace(
        _event("x"),
        source_ids=("a", "b", "c"),
        source_urls=("javascript:alert(1)", "data:text/html,<b>", "https://example.org/ok"),
        source_titles=("a", "b", "c"),
        source_names=("a", "b", "c"),
    )
    data = _payload(write_map([ev], tmp_path / "e.html").read_text("utf-8"))
    links = [s["u"] for f in data["features"] for s in f["src"] if s.get("u")]
    assert links == ["https://example.org/ok"]


def test_cli_article_from_the_issue_creates_no_file(tmp_path, gazetteer_path):
    """Issue 11's article: `geoevents map` exits 0, writes the map, and runs nothing."""
    article = {
        "id": "x1",
        "title": "Report {{ 7*7 }} {% raw",
        "published": "2024-01-05",
        "text": "A US air strike hit a militia depot in Al-Qaim on Friday, killing four fighters. "
        + RCE
        + " {{cite web|url=x}} {# gone? #}",
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "GEOEVENTS_VERBOSE"}
    gaz_args = ["--gazetteer", str(gazetteer_path), "--title", "{{ 7*7 }}"]
    proc = subprocess.run(
        [sys.executable, "-m", "geoevents.cli", "map", "a.jsonl", "-o", "out", "-q", *gaz_args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "pwned.txt").exists()
    assert not (tmp_path / "out" / "pwned.txt").exists()
    data = _payload((tmp_path / "out" / "events.html").read_text("utf-8"))
    assert data["title"] == "{{ 7*7 }}"
    assert data["features"], "the strike in Al-Qaim is on the map"
    assert "Report {{ 7*7 }} {% raw" in _strings(data["features"])
