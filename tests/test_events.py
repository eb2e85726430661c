"""Unit tests for geoevents.events, one rule at a time, on hand-written report sentences."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoevents.events import event_id, extract_events, merge_events, same_event
from geoevents.events.casualties import find_casualties, parse_number
from geoevents.events.when import find_dates, resolve_phrase
from geoevents.records import Article, Event, EventLocation, Place, Toponym

# A hand-made gazetteer: name -> Place (feature codes as GeoNames gives them).
PLACES = {
    "Tyre": Place(1, "Tyre", 33.27, 35.20, "P", "PPLA", "LB", admin1_name="South Governorate"),
    "Erbil": Place(2, "Erbil", 36.19, 44.01, "P", "PPLA", "IQ", admin1_name="Erbil"),
    "Qandil": Place(3, "Qandil Mountains", 36.45, 44.98, "T", "MTS", "IQ", admin1_name="Erbil"),
    "Baghdad": Place(4, "Baghdad", 33.34, 44.40, "P", "PPLC", "IQ", admin1_name="Baghdad"),
    "Iraq": Place(5, "Iraq", 33.0, 44.0, "A", "PCLI", "IQ"),
    "Syria": Place(6, "Syria", 35.0, 38.0, "A", "PCLI", "SY"),
    "Jordan": Place(7, "Jordan", 31.0, 36.0, "A", "PCLI", "JO"),
    "Washington": Place(8, "Washington", 38.9, -77.03, "P", "PPLC", "US"),
    "Akashat": Place(9, "Akashat", 33.77, 40.63, "P", "PPL", "IQ", admin1_name="Anbar"),
    "Al-Qaim": Place(10, "Al-Qaim", 34.37, 41.09, "P", "PPL", "IQ", admin1_name="Anbar"),
    "Kirkuk": Place(11, "Kirkuk", 35.47, 44.39, "P", "PPLA", "IQ", admin1_name="Kirkuk"),
    "Gaza": Place(12, "Gaza", 31.5, 34.47, "P", "PPLA", "PS"),
    "Mosul": Place(13, "Mosul", 36.34, 43.13, "P", "PPLA", "IQ", admin1_name="Nineveh"),
    "Taji": Place(14, "Taji", 33.52, 44.27, "P", "PPL", "IQ", admin1_name="Baghdad"),
    "Ain al-Asad": Place(15, "Ain al-Asad Air Base", 33.80, 42.44, "S", "AIRB", "IQ", admin1_name="Anbar"),
    "Lebanon": Place(16, "Lebanon", 33.8, 35.8, "A", "PCLI", "LB"),
}
WED = dt.date(2024, 3, 6)  # a Wednesday


def toponyms(text: str, names: list[str] | None = None) -> list[Toponym]:
    """Every occurrence of the hand gazetteer's names (or ``names``), resolved."""
    out = []
    for name in names or list(PLACES):
        for m in re.finditer(re.escape(name), text):
            out.append(Toponym(m.start(), m.end(), name, PLACES.get(name), score=1.0))
    return sorted(out, key=lambda t: t.start)


def run(text: str, published: dt.date | None = WED, names: list[str] | None = None) -> list[Event]:
    art = Article(
        id="a1", text=text, title="t", url="https://example.org/a1", published=published, source="Wire"
    )
    return extract_events(art, toponyms(text, names))


def only(text: str, **kw: object) -> Event:
    events = run(text, **kw)  # type: ignore[arg-type]
    assert len(events) == 1, [(e.event_type, e.sub_event_type, e.evidence) for e in events]
    return events[0]


# --- type, sub-type, actors -------------------------------------------------------------------


def test_israeli_jets_strike_near_tyre() -> None:
    ev = only("Israeli jets struck Hezbollah positions near Tyre on Sunday, killing two.")
    assert (ev.event_type, ev.sub_event_type, ev.actor1, ev.actor2) == (
        "strike",
        "air strike",
        "Israel",
        "Hezbollah",
    )
    assert ev.event_date == dt.date(2024, 3, 3) and ev.date_precision == "day"
    assert ev.killed == 2 and ev.injured is None
    (loc,) = ev.locations
    assert (loc.place_name, loc.geo_precision, loc.location_relation) == ("Tyre", 2, "near Tyre")


def test_rocket_attack_on_airport() -> None:
    ev = only("A rocket attack on Erbil airport on Monday injured three contractors.")
    assert (ev.event_type, ev.sub_event_type) == ("attack", "rocket attack")
    assert ev.event_date == dt.date(2024, 3, 4) and ev.date_precision == "day"
    assert ev.injured == 3 and ev.killed is None
    assert [(x.place_name, x.geo_precision) for x in ev.locations] == [("Erbil", 1)]


def test_turkish_drones_hit_pkk_in_mountains() -> None:
    ev = only("Turkish drones hit PKK targets in the Qandil mountains.")
    assert (ev.event_type, ev.sub_event_type, ev.actor1, ev.actor2) == (
        "strike",
        "drone strike",
        "Turkey",
        "PKK",
    )
    assert [(x.place_name, x.geo_precision) for x in ev.locations] == [("Qandil", 2)]


def test_militia_drone_attack_on_base_is_attack_at_country_precision() -> None:
    ev = only(
        "Iran-backed militias launched a drone attack on a U.S. base in Jordan, killing three soldiers."
    )
    assert (ev.event_type, ev.sub_event_type, ev.actor1) == ("attack", "drone attack", "Iran-backed militias")
    assert [(x.country_code, x.geo_precision) for x in ev.locations] == [("JO", 3)]
    assert ev.killed == 3


def test_retaliatory_wave_of_airstrikes_is_a_strike() -> None:
    ev = only(
        "The attack prompted a retaliatory wave of U.S. airstrikes targeting militia facilities in Syria."
    )
    assert ev.event_type == "strike" and ev.actor1 == "United States"
    assert [x.country_code for x in ev.locations] == ["SY"]


def test_named_base_is_site_precision_with_relation() -> None:
    ev = only(
        "Rockets were fired at the Ain al-Asad airbase west of Baghdad on Tuesday, wounding four soldiers."
    )
    (loc,) = ev.locations
    assert (loc.place_name, loc.geo_precision, loc.location_relation) == ("Ain al-Asad", 1, "west of Baghdad")
    assert ev.event_type == "attack" and ev.injured == 4


# --- places -----------------------------------------------------------------------------------


def test_two_places_one_event() -> None:
    ev = only("U.S. strikes hit locations in the Akashat and Al-Qaim regions on Friday, killing 10 fighters.")
    assert sorted(x.place_name for x in ev.locations) == ["Akashat", "Al-Qaim"]
    assert all(x.geo_precision == 2 for x in ev.locations)


def test_relative_place_then_named_stronghold_is_one_strike() -> None:
    text = (
        "U.S. airstrikes south of Baghdad killed four members of Kataib Hezbollah on Tuesday. "
        "Kataib Hezbollah, based in the stronghold of Taji south of Baghdad, "
        "confirmed the deaths in the strikes."
    )
    ev = only(text)
    assert [(x.place_name, x.geo_precision, x.location_relation) for x in ev.locations] == [
        ("Taji", 1, "south of Baghdad")
    ]
    assert ev.killed == 4 and len(ev.evidence) == 2


def test_government_metonyms_and_embassies_are_not_places() -> None:
    text = (
        "Iraq summoned the U.S. envoy in Baghdad after the strikes, "
        "citing the political situation in Baghdad. "
        "The United States had carried out airstrikes on Kirkuk on Monday, officials in Washington said."
    )
    ev = only(text)
    assert [x.place_name for x in ev.locations] == ["Kirkuk"]


def test_place_of_another_clause_is_not_used() -> None:
    ev = only("A drone strike hit a car in Mosul on Monday, killing one, while talks continued in Baghdad.")
    assert [x.place_name for x in ev.locations] == ["Mosul"]


def test_unsupported_places_are_never_used() -> None:
    # toponyms that are wrong (a name that is not in the sentence, offsets out of range)
    text = "A rocket attack on Erbil airport on Monday injured three contractors."
    bad = [
        Toponym(0, 5, "Bogus", PLACES["Gaza"]),
        Toponym(10_000, 10_005, "Far", PLACES["Mosul"]),
        Toponym(2, 8, "ocket ", None),
    ]
    ev = extract_events(Article(id="x", text=text, published=WED), bad)
    assert all(loc.place_name not in {"Bogus", "Far"} for e in ev for loc in e.locations)


def test_unresolved_toponym_keeps_name_without_coordinates() -> None:
    text = "A rocket attack on Erbil airport on Monday injured three contractors."
    s = text.index("Erbil")
    (ev,) = extract_events(Article(id="x", text=text, published=WED), [Toponym(s, s + 5, "Erbil", None)])
    (loc,) = ev.locations
    assert (loc.place_name, loc.lat, loc.lon) == ("Erbil", None, None)


# --- not events --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Iraq condemned the decision and summoned the U.S. envoy in Baghdad to protest.",
        "US-led coalition forces in Iraq and Syria have been targeted in more than 150 attacks "
        "since mid-October.",
        "The U.S. had conducted three separate sets of strikes in Syria.",
        "Officials warned of further strikes against the militias in Iraq.",
        "Negotiations in Baghdad were complicated by a recent spate of attacks.",
        "Also Read: Israel Launches Airstrikes on Gaza amid Increasing Calls to Safeguard Civilian Lives",
        "The militias launched attacks on US bases in Syria and Iraq.",
    ],
)
def test_not_coded(text: str) -> None:
    assert run(text) == []


def test_also_read_line_is_skipped_but_report_is_kept() -> None:
    text = (
        "Also Read: Israeli jets strike Gaza, killing 40\n\n"
        "A roadside bomb exploded near Kirkuk on Thursday, killing two policemen.\n"
    )
    ev = only(text)
    assert [x.place_name for x in ev.locations] == ["Kirkuk"] and ev.sub_event_type == "IED"


# --- dates -------------------------------------------------------------------------------------


def _date(phrase: str, ref: dt.date | None) -> tuple[dt.date | None, str | None]:
    (m,) = find_dates(phrase)
    d, p, _note = resolve_phrase(m, ref)
    return d, p


@pytest.mark.parametrize(
    ("phrase", "ref", "want"),
    [
        ("on Wednesday", WED, (WED, "day")),  # same weekday as publication: that day
        ("on Tuesday", WED, (dt.date(2024, 3, 5), "day")),
        ("on Thursday", WED, (dt.date(2024, 2, 29), "day")),  # the previous Thursday
        ("on November 22", dt.date(2024, 1, 10), (dt.date(2023, 11, 22), "day")),  # after pub -> last year
        ("on 3 March", WED, (dt.date(2024, 3, 3), "day")),
        ("on March 3, 2021", None, (dt.date(2021, 3, 3), "day")),  # an explicit year needs no article date
        ("over the weekend", WED, (dt.date(2024, 3, 2), "week")),
        ("last month", WED, (dt.date(2024, 2, 15), "month")),
        ("in the past month", WED, (dt.date(2024, 2, 20), "month")),
        ("yesterday", WED, (dt.date(2024, 3, 5), "day")),
        ("since Tuesday", WED, (WED, "week")),
        ("on Wednesday", None, (None, None)),  # no article date: never today
        ("last week", WED, (dt.date(2024, 2, 28), "week")),
    ],
)
def test_date_phrases(phrase: str, ref: dt.date | None, want: tuple[dt.date | None, str | None]) -> None:
    assert _date(phrase, ref) == want


def test_no_phrase_gives_report_date_week_precision() -> None:
    ev = only("U.S. airstrikes hit militia positions in Kirkuk, killing five.")
    assert (ev.event_date, ev.date_precision) == (WED, "week")


def test_no_article_date_gives_no_event_date() -> None:
    ev = only("U.S. airstrikes hit militia positions in Kirkuk on Monday, killing five.", published=None)
    assert ev.event_date is None and ev.date_precision is None


def test_date_of_a_statement_is_not_the_event_date() -> None:
    ev = only("A drone strike hit a car in Mosul, killing one, the army said on Monday.")
    assert ev.date_precision == "week"


def test_relative_to_another_event() -> None:
    text = (
        "U.S. airstrikes hit militia sites in Kirkuk on Tuesday, killing six. "
        "Just 24 hours before the U.S. strikes, militants fired rockets at Erbil airport, injuring two."
    )
    strike, attack = run(text)
    assert strike.event_date == dt.date(2024, 3, 5)
    assert attack.event_type == "attack" and attack.event_date == dt.date(2024, 3, 4)


# --- casualties --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("The strike resulted in the death of eight members of the group.", 8, None),
        (
            "At least 16 people, including civilians, lost their lives and 25 people sustained injuries.",
            16,
            25,
        ),
        ("The attack resulted in eight injuries.", None, 8),
        ("It caused the deaths of three American service members.", 3, None),
        ("The commander, Abu Bakr, was allegedly killed in the operation.", 1, None),
        ("The jets killed Iranian-backed militants, officials said.", None, None),
        ("Several civilians were killed.", None, None),
        ("Twenty-one people were killed and dozens wounded.", 21, None),
        ("The group, founded in 2014, said 2 fighters were killed.", 2, None),
        ("An AC-130 aircraft engaged the militants.", None, None),
        ("No one was killed in the attack.", 0, None),
    ],
)
def test_casualties(text: str, killed: int | None, injured: int | None) -> None:
    found = find_casualties(text)
    k = [c.n for c in found if c.kind == "killed"]
    i = [c.n for c in found if c.kind == "injured"]
    assert (min(k) if k else None, min(i) if i else None) == (killed, injured)


def test_lowest_figure_and_later_sentence() -> None:
    text = (
        "A U.S. AC-130 gunship engaged and killed Iranian-backed militants near Taji on Tuesday. "
        "The group reported the death of one of its members in this strike. "
        "Other sources said at least three were killed in the strike."
    )
    ev = only(text)
    assert ev.killed == 1 and ev.sub_event_type == "gunship strike"


def test_parse_number() -> None:
    assert [parse_number(x) for x in ("16", "eight", "twenty-one", "1,200", "a dozen", "dozens")] == [
        16,
        8,
        21,
        1200,
        12,
        None,
    ]


# --- several events in one article; coreference -------------------------------------------------


def test_two_events_in_one_sentence() -> None:
    text = (
        "The recent attack in Jordan, which resulted in the deaths of three U.S. service members, "
        "prompted a retaliatory wave of U.S. airstrikes targeting militia facilities in Iraq and Syria."
    )
    attack, strike = run(text)
    assert (
        attack.event_type == "attack"
        and attack.killed == 3
        and [x.country_code for x in attack.locations] == ["JO"]
    )
    assert strike.event_type == "strike" and sorted(x.country_code for x in strike.locations) == ["IQ", "SY"]
    assert strike.killed is None


def test_anaphora_joins_later_details() -> None:
    text = (
        "At least 16 people lost their lives in US airstrikes targeting Iraq.\n\n"
        "The strikes, conducted with B1 bombers, hit locations in the Akashat and Al-Qaim regions. "
        "The casualties included civilians, and 25 people sustained injuries."
    )
    ev = only(text)
    assert (ev.killed, ev.injured) == (16, 25)
    assert sorted(x.place_name for x in ev.locations) == ["Akashat", "Al-Qaim"]  # Iraq: covered


# --- purity, ids, robustness ----------------------------------------------------------------------


def test_pure_and_stable_ids() -> None:
    text = "Israeli jets struck Hezbollah positions near Tyre on Sunday, killing two."
    a, b = run(text), run(text)
    assert a == b and a[0].event_id == b[0].event_id
    assert re.fullmatch(r"[0-9a-f]{16}", a[0].event_id)
    assert event_id(a[0]) == a[0].event_id


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=300),
    spans=st.lists(st.tuples(st.integers(-5, 320), st.integers(0, 40)), max_size=6),
    published=st.one_of(st.none(), st.dates()),
)
def test_never_crashes_on_any_input(
    text: str, spans: list[tuple[int, int]], published: dt.date | None
) -> None:
    tops = [Toponym(s, s + n, text[max(s, 0) : s + n], PLACES["Gaza"] if n % 2 else None) for s, n in spans]
    events = extract_events(Article(id="h", text=text, published=published), tops)
    names = {t.name for t in tops}
    assert all(loc.place_name in names for e in events for loc in e.locations)


@settings(max_examples=40, deadline=None)
@given(filler=st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Zs")), max_size=80))
def test_report_survives_surrounding_noise(filler: str) -> None:
    text = f"{filler}\n\nIsraeli jets struck Hezbollah positions near Tyre on Sunday, killing two.\n"
    events = run(text, names=["Tyre"])
    assert any(e.killed == 2 and e.locations and e.locations[0].place_name == "Tyre" for e in events)


# --- merge ----------------------------------------------------------------------------------------


def _ev(
    src: str,
    *,
    date: dt.date | None = WED,
    prec: str = "week",
    loc: EventLocation | None = None,
    etype: str = "attack",
    sub: str = "attack",
    killed: int | None = None,
) -> Event:
    loc = loc or EventLocation(
        "Jordan", 31.0, 36.0, place_id=7, country_code="JO", feature_code="PCLI", geo_precision=3
    )
    e = Event(
        event_id="",
        event_type=etype,
        sub_event_type=sub,
        event_date=date,
        date_precision=prec,
        locations=(loc,),
        killed=killed,
        evidence=(f"text {src}",),
        source_ids=(src,),
        source_urls=("",),
        source_titles=("",),
        source_names=("",),
    )
    return replace(e, event_id=event_id(e))


TOWER = EventLocation(
    "Tower 22", 33.3, 38.7, place_id=99, country_code="JO", feature_code="MILB", geo_precision=1
)


def test_merge_three_reports_into_one() -> None:
    evs = [
        _ev("a", killed=3, sub="drone attack"),
        _ev("b", date=WED - dt.timedelta(days=1)),
        _ev("c", date=WED + dt.timedelta(days=2), killed=3, loc=TOWER),
    ]
    (m,) = merge_events(evs)
    assert m.n_sources == 3 and m.killed == 3 and m.sub_event_type == "drone attack"
    assert [x.place_name for x in m.locations] == ["Tower 22"]  # the country centroid gives way
    assert m.event_date == WED - dt.timedelta(days=1)


def test_merge_keeps_lowest_casualties() -> None:
    (m,) = merge_events([_ev("a", killed=16), _ev("b", killed=18)])
    assert m.killed == 16


@pytest.mark.parametrize(
    "other",
    [
        _ev("b", date=WED + dt.timedelta(days=20)),  # outside the week window
        _ev("b", etype="strike", sub="air strike"),  # other type
        _ev("b", sub="rocket attack"),  # contradicting sub-type vs drone attack
        _ev("b", killed=40),  # contradicting casualties
        _ev("b", date=None),  # undated: nothing to check against
        _ev("b", loc=EventLocation("Kirkuk", 35.47, 44.39, place_id=11, country_code="IQ", geo_precision=1)),
        _ev("a"),  # the same article: extraction already kept them apart
    ],
)
def test_merge_refuses(other: Event) -> None:
    base = _ev("a", killed=3, sub="drone attack")
    assert not same_event(base, other)
    assert len(merge_events([base, other])) == 2


def test_month_window_and_day_window() -> None:
    assert same_event(_ev("a", prec="month"), _ev("b", date=WED - dt.timedelta(days=25), prec="day"))
    assert not same_event(_ev("a", prec="day"), _ev("b", date=WED - dt.timedelta(days=3), prec="day"))


def test_merge_order_independent_and_idempotent() -> None:
    evs = [_ev("a", killed=3), _ev("b"), _ev("c", loc=TOWER), _ev("d", date=WED + dt.timedelta(days=40))]
    one = merge_events(evs)
    assert [e.to_dict() for e in one] == [e.to_dict() for e in merge_events(list(reversed(evs)))]
    assert [e.event_id for e in merge_events(one)] == [e.event_id for e in one]


# --- more report shapes (generalization) ----------------------------------------------------------


def test_rockets_struck_near_embassy_is_attack() -> None:
    ev = only("Two rockets struck near the U.S. embassy in Baghdad late on Sunday, causing no casualties.")
    assert ev.event_type == "attack" and [x.place_name for x in ev.locations] == ["Baghdad"]
    assert ev.killed == 0 and ev.event_date == dt.date(2024, 3, 3)


def test_gunmen_ambush_is_one_attack() -> None:
    ev = only("Gunmen killed five soldiers in an ambush near Kirkuk on Thursday, police said.")
    assert (ev.event_type, ev.sub_event_type, ev.actor1, ev.killed) == (
        "attack",
        "armed clash",
        "Militants",
        5,
    )
    assert [(x.place_name, x.geo_precision) for x in ev.locations] == [("Kirkuk", 2)]
    assert ev.event_date == dt.date(2024, 2, 29)


def test_militants_fired_missile_at_base() -> None:
    ev = only(
        "Militants fired a ballistic missile at the Ain al-Asad airbase on Monday, injuring two soldiers."
    )
    assert (ev.event_type, ev.sub_event_type, ev.injured) == ("attack", "missile attack", 2)
    assert ev.locations[0].geo_precision == 1


def test_state_verb_with_said() -> None:
    ev = only("The Israeli military said it struck Hamas targets in Gaza overnight, killing 12 people.")
    assert (ev.event_type, ev.actor1, ev.actor2, ev.killed) == ("strike", "Israel", "Hamas", 12)
    assert [x.place_name for x in ev.locations] == ["Gaza"]


def test_near_town_comma_country_keeps_near_precision() -> None:
    ev = only("Israeli drones struck a car near Tyre, Lebanon, on Friday, killing one.")
    got = [(x.place_name, x.geo_precision, x.location_relation) for x in ev.locations]
    assert got == [("Tyre", 2, "near Tyre")]
    assert ev.sub_event_type == "drone strike"


def test_possessor_and_subject_names_are_not_places() -> None:
    text = "Israel struck targets on Monday in Gaza, Lebanon's government said, killing four."
    ev = only(text)
    assert [x.place_name for x in ev.locations] == ["Gaza"]


def test_dateline_date_is_the_report_date() -> None:
    text = (
        "KIRKUK, March 6 (Reuters) - A roadside bomb killed two soldiers near Kirkuk on Monday, police said."
    )
    ev = only(text)
    assert (ev.event_date, ev.date_precision, ev.killed) == (dt.date(2024, 3, 4), "day", 2)


def test_blast_alone_is_an_attack_but_not_beside_a_strike() -> None:
    ev = only("An explosion at a market in Kirkuk on Monday killed four people.")
    assert (ev.event_type, ev.sub_event_type, ev.killed) == ("attack", "IED", 4)
    ev = only(
        "Israeli jets struck near Tyre on Sunday and explosions were heard across the city, killing two."
    )
    assert ev.event_type == "strike"


def test_gunmen_shot_dead() -> None:
    ev = only("Gunmen shot dead two policemen at a checkpoint in Mosul on Tuesday.")
    assert (ev.event_type, ev.actor1, ev.killed) == ("attack", "Militants", 2)
    assert [x.place_name for x in ev.locations] == ["Mosul"]
