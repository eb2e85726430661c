"""Round 2 of issue 12: casualty phrasings read from the dev misses (composed sentences)."""

from __future__ import annotations

import pytest

from geoevents.events.casualties import find_casualties


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("Four farmers including a boy were yesterday ambushed and killed by bandits.", 4),
        ("No fewer than nine people lost their lives when gunmen stormed the market.", 9),
        ("Not less than 12 villagers were killed in the raid.", 12),
        ("Gunmen followed the trader home on Friday, killed him and wounded his brother.", 1),
        ("Unidentified attackers killed Chief Okon Ita outside his house.", 1),
        ("A gunman shot and killed a 30-year-old female health worker at the clinic.", 1),
        ("The attackers shot and killed all five members of the household.", 5),
        ("Seven people had been martyred in the shelling, residents said.", 7),
        ("No one was killed in the two attacks.", 0),
        ("Officials said no fewer than the usual number of patrols went out.", None),
    ],
)
def test_killed_figures(sentence: str, killed: int | None) -> None:
    got = [c.n for c in find_casualties(sentence) if c.kind == "killed"]
    assert (min(got) if got else None) == killed
