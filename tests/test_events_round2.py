"""Round 2 of issue 12: casualty phrasings and killing words read from the dev misses (composed sentences)."""

from __future__ import annotations

import pytest

from geoevents.events import extract_events
from geoevents.events.casualties import find_casualties
from geoevents.records import Article, Event, Place, Toponym


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


@pytest.mark.parametrize(
    ("sentence", "killed"),
    [
        ("Militants decapitated two farmers near the river.", 2),  # not "dec" of a month
        ("The bodies of five men with gunshot wounds were found near the market.", 5),
        ("Gunmen clubbed to death two village heads.", 2),
        ("Gunmen killed 4 on Dec. 3 near the border.", 4),
        ("On 12 February 2024, gunmen killed a local official.", 1),
    ],
)
def test_killed_words_of_round_two(sentence: str, killed: int) -> None:
    assert min(c.n for c in find_casualties(sentence) if c.kind == "killed") == killed


KANO = Place(113, "Kano", 12.0, 8.52, "P", "PPLA", "NG", admin1_name="Kano")


def _kano_events(text: str) -> list[Event]:
    at = text.find("Kano")
    return extract_events(Article(id="k", text=text), [Toponym(at, at + 4, "Kano", KANO)])


@pytest.mark.parametrize(
    "text",
    [
        "The bodies of five men with gunshot wounds were found near a market in Kano on Sunday.",
        "Gunmen clubbed to death a village head and his son in Kano on Sunday, police said.",
        "A local councillor was slain by unknown assailants in Kano on Sunday, police said.",
    ],
)
def test_killings_worded_without_an_attack_word_are_events(text: str) -> None:
    (ev,) = _kano_events(text)
    assert ev.event_type == "attack" and ev.locations[0].place_name == "Kano"


@pytest.mark.parametrize(
    "text",
    [
        "The state's bodies of water near Kano were declared clean on Sunday, officials said.",
        "A new clinic for chronic wounds opened in Kano on Sunday, officials said.",
    ],
)
def test_bodies_and_wounds_alone_are_not_events(text: str) -> None:
    assert _kano_events(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Some 35,000 people demonstrated in Kano, answering strike calls by unions in the arms industry.",
        "A doctors' strike shut hospitals in Kano on Monday.",
        "Hundreds demonstrated in Kano in protest against what was assumed to be a racist attack.",
        "Dozens demonstrated in Kano on Thursday after last week's bombings in the capital.",
    ],
)
def test_labour_strikes_and_protests_about_attacks_are_not_events(text: str) -> None:
    assert _kano_events(text) == []


def test_an_attack_told_before_a_protest_is_still_an_event() -> None:
    (ev,) = _kano_events(
        "Gunmen attacked a village near Kano on Thursday, killing 12; residents later marched."
    )
    assert ev.killed == 12


def test_small_arms_of_an_unnamed_group_are_an_attack_and_a_workplace_mine_is_no_bomb() -> None:
    (ev,) = _kano_events("In Kano, gunmen believed to be political thugs shot and killed a party chieftain.")
    assert (ev.event_type, ev.sub_event_type) == ("attack", "attack")
    (ev,) = _kano_events("A union official at a platinum mine in Kano has been shot dead, a spokesman said.")
    assert ev.sub_event_type == "attack"
    (ev,) = _kano_events("A landmine killed two children near Kano on Monday.")
    assert (ev.sub_event_type, ev.killed) == ("IED", 2)


@pytest.mark.parametrize(
    "text",
    [
        "A bus crashed into a ravine near Kano on Monday, killing 18 passengers.",
        "Hurricane winds tore roofs off homes in Kano on Monday, killing two people.",
        "A gas explosion in a residential building in Kano killed four people on Tuesday.",
    ],
)
def test_accidents_and_disasters_named_before_the_deaths_are_not_attacks(text: str) -> None:
    assert _kano_events(text) == []


def test_a_bombing_is_still_an_attack() -> None:
    (ev,) = _kano_events("A bomb explosion at a bus station in Kano killed four people on Tuesday.")
    assert ev.sub_event_type == "IED"


@pytest.mark.parametrize(
    "text",
    [
        "Aid poured into the worst hit areas near Kano after the earthquake that has killed 300 people.",
        "The flooding in Kano has now struck more than four million people, officials said.",
        "A tourist visiting Kano was recently killed by the fatal Marburg virus, health officials said.",
        "Police in Kano arrested a man on Monday on a charge of aggravated sexual assault of a child.",
    ],
)
def test_disasters_diseases_and_crimes_are_not_attacks(text: str) -> None:
    assert _kano_events(text) == []


def test_killed_by_gunmen_is_still_an_attack() -> None:
    (ev,) = _kano_events("A farmer was killed by gunmen in Kano on Monday, police said.")
    assert ev.event_type == "attack" and ev.killed == 1


def test_policy_that_targets_a_country_is_not_an_attack() -> None:
    assert (
        _kano_events("New tariffs that have targeted Kano's textile exporters took effect on Monday.") == []
    )
