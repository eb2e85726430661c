"""How the slot rules and the learned placer combine (``extract_events(placing=...)``).

Composed sentences with hand-made toponyms: the default "refine" mode swaps a lone country or
province the rules chose for a precise place the placer finds inside it, and nothing else.
"""

from __future__ import annotations

import pytest

from geoevents.errors import GeoeventsError
from geoevents.events import extract_events
from geoevents.events.extract import PLACING_MODES
from geoevents.records import Article, Event, Place, Toponym

PLACES = {
    "Mexico": Place(1, "Mexico", 23.0, -102.0, "A", "PCLI", "MX"),
    "Chihuahua": Place(2, "Chihuahua", 28.63, -106.09, "P", "PPLA", "MX", admin1_name="Chihuahua"),
    "Iraq": Place(3, "Iraq", 33.0, 44.0, "A", "PCLI", "IQ"),
    "Syria": Place(4, "Syria", 35.0, 38.0, "A", "PCLI", "SY"),
    "Baghdad": Place(5, "Baghdad", 33.34, 44.4, "P", "PPLC", "IQ", admin1_name="Baghdad"),
    "El Paso": Place(6, "El Paso", 31.76, -106.49, "P", "PPLA2", "US", admin1_name="Texas"),
}


def _events(text: str, placing: str = "refine") -> list[Event]:
    tops = []
    for name, place in PLACES.items():
        at = text.find(name)
        if at >= 0:
            tops.append(Toponym(at, at + len(name), name, place))
    tops.sort(key=lambda t: t.start)
    return extract_events(Article(id="t", text=text), tops, placing=placing)


LEAD = "A gunman opened fire in a bar in northern Mexico on Thursday, killing seven people, prosecutors said."


def test_lone_country_is_refined_to_the_town_the_report_names() -> None:
    text = LEAD + " The shooter walked into the bar in the city of Chihuahua and began shooting."
    (ev,) = _events(text)
    (loc,) = ev.locations
    assert loc.place_name == "Chihuahua" and loc.geo_precision == 1
    assert loc.location_reason.startswith("placer") and "inside Mexico" in loc.location_reason
    (ev,) = _events(text, "rules-first")
    assert [x.place_name for x in ev.locations] == ["Mexico"]


def test_a_town_in_another_country_does_not_refine() -> None:
    (ev,) = _events(LEAD + " The shooter had crossed from El Paso in the morning.")
    assert [x.place_name for x in ev.locations] == ["Mexico"]


def test_several_countries_stay_as_they_are() -> None:
    text = (
        "The United States carried out airstrikes on militia sites in Iraq and Syria on Friday. "
        "The Iraqi government protested to the U.S. Embassy in Baghdad."
    )
    evs = _events(text)
    assert sorted(x.place_name for e in evs for x in e.locations) == ["Iraq", "Syria"]


def test_unknown_mode_is_an_actionable_error() -> None:
    assert "refine" in PLACING_MODES
    with pytest.raises(GeoeventsError, match="rules-first"):
        _events(LEAD, "placer")
