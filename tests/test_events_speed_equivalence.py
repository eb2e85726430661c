"""The event stage's fast scans give what the plain IGNORECASE scans give.

Date and casualty scans run case-sensitive patterns on the lower-cased sentence when it is ASCII,
and the IGNORECASE originals otherwise. A leading non-ASCII word forces the original path, so
each sentence is scanned both ways and the matches (offsets shifted back) must be the same.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from geoevents.events._text import split_sentences
from geoevents.events.casualties import find_casualties
from geoevents.events.when import find_dates

ROOT = Path(__file__).resolve().parents[1]
_PREFIX = "é "  # non-ASCII, not a word any pattern looks at, a word boundary before the text

_TRICKY = [
    "On 12 February 2024, gunmen killed Seven villagers in District Two of Kabul.",
    "Since last week, Forty-Two People Were Killed and 1,200 wounded, officials said on MONDAY.",
    "No one was hurt; the strike on Tuesday killed a commander and two other people.",
    "The Attack Late On Sunday Left 3 Dead, Two Days After The Raid, In Mid-March 2023.",
    "Over the weekend, in early January, a dozen were injured; this morning one person died.",
    "In 2014 the army killed 16 militants, and on the 3rd of May a bomb wounded eight.",
    "Officials in Zone Three died in the blast; residents of Block Four were wounded.",
    "The attack on Camp Six killed Three people.",
]


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    reports = json.loads((ROOT / "tests" / "data" / "events_reports.json").read_text(encoding="utf-8"))
    texts += [r["text"] for r in reports["reports"]]
    out = [s.text for t in texts for s in split_sentences(t)]
    return [s for s in out + _TRICKY if s.isascii()]


def _shifted(items: list, by: int) -> list:
    return [dataclasses.replace(x, start=x.start - by, end=x.end - by) for x in items]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    found = _sentences()
    assert len(found) > 100
    return found


@pytest.mark.parametrize("find", [find_dates, find_casualties], ids=["dates", "casualties"])
def test_fast_scan_matches_ignorecase_scan(sentences: list[str], find: Callable[[str], list]) -> None:
    n = 0
    for s in sentences:
        fast = find(s)
        slow = _shifted(find(_PREFIX + s), len(_PREFIX))
        assert fast == slow, s
        n += len(fast)
    assert n > 20  # the sample does exercise the patterns


def test_casualties_memo_hands_out_fresh_lists() -> None:
    s = "A drone strike killed 4 people and wounded 9 on Monday."
    first = find_casualties(s)
    first.clear()
    assert [(c.kind, c.n) for c in find_casualties(s)] == [("killed", 4), ("injured", 9)]
