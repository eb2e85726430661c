"""Geoparser unit tests on hand-written sentences against a small in-memory gazetteer.

The fake gazetteer implements the same API as SQLiteGazetteer (lookup_keys, candidates, country,
demonyms, country_names) with hand-made entries, so recognition and ranking are tested without
the real index; tests/test_geoparse_corpora.py runs the real one.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoevents.errors import GeoeventsError, InputError
from geoevents.gazetteer.normalize import normalize_name
from geoevents.geoparse import Geoparser, geoparse, relation_before, resolve_spans
from geoevents.records import Place

_ID = iter(range(1, 10_000))


def P(
    name: str,
    lat: float,
    lon: float,
    fcode: str,
    cc: str,
    admin1: str = "",
    pop: int = 0,
    gid: int | None = None,
    alt: Iterable[str] = (),
) -> tuple[Place, list[str]]:
    fclass = "A" if fcode.startswith(("ADM", "PCL")) else "S" if fcode in ("AIRB", "AIRP") else "P"
    return (Place(next(_ID), name, lat, lon, fclass, fcode, cc, admin1, "", "", pop, gid), [name, *alt])


ENTRIES = [
    P("Iraq", 33.0, 44.0, "PCLI", "IQ", pop=38_000_000, gid=99237),
    P("Syria", 35.0, 38.0, "PCLI", "SY", pop=22_000_000),
    P("Jordan", 31.0, 36.0, "PCLI", "JO", pop=10_000_000, gid=248816),
    P("Jordan", 44.66, -93.62, "PPL", "US", "MN", pop=6_000),
    P("United States", 39.76, -98.5, "PCLI", "US", pop=327_000_000, alt=["USA", "America"]),
    P("France", 46.0, 2.0, "PCLI", "FR", pop=67_000_000),
    P("Baghdad", 33.34058, 44.40088, "PPLC", "IQ", "07", pop=7_216_000, gid=98182),
    P("Baghdad", 33.3, 44.4, "ADM1", "IQ", "07", gid=98180),
    P("Al Qā’im", 34.39251, 40.98945, "PPLA2", "IQ", "01", gid=92138, alt=["Al-Qaim", "Husaybah"]),
    P(
        "Jurf as Sakhr",
        32.8736,
        44.19388,
        "PPL",
        "IQ",
        "06",
        gid=95069,
        alt=["Jurf Al Sakhar", "Jurf al-Sahkar"],
    ),
    P("Anbar", 33.4, 42.0, "ADM1", "IQ", "01", alt=["Al Anbar"]),
    P("Anbar", 30.0, 50.0, "PPL", "IR", "10", pop=20_000),
    P("Ain al-Asad Air Base", 33.7836, 42.4388, "AIRB", "IQ", "01", alt=["Ayn al Asad", "Ain al-Asad"]),
    P("Paris", 48.8534, 2.3488, "PPLC", "FR", "11", pop=2_138_551),
    P("Paris", 33.66094, -95.55551, "PPLA2", "US", "TX", pop=24_782),
    P("Texas", 31.25, -99.25, "ADM1", "US", "TX"),
    P("Alexandria", 31.2001, 29.9187, "PPLA", "EG", "06", pop=3_811_516),
    P("Alexandria", 31.31129, -92.44514, "PPLA2", "US", "LA", pop=47_889),
    P("Louisiana", 31.0, -92.0, "ADM1", "US", "LA"),
    P("Pineville", 31.32240, -92.43430, "PPL", "US", "LA", pop=14_555),
    P("Washington", 38.89511, -77.03637, "PPLC", "US", "DC", pop=689_545),
    P("Washington", 47.5, -120.5, "ADM1", "US", "WA"),
    P("Mobile", 30.69436, -88.04305, "PPLA2", "US", "AL", pop=187_041),
    P("Police", 53.55214, 14.57182, "PPL", "PL", "78", pop=33_000),
    P("Reading", 51.45625, -0.97113, "PPL", "GB", "ENG", pop=318_014),
    P("Mosul", 36.335, 43.11889, "PPLA", "IQ", "15", pop=1_739_800),
    P("Fallujah", 33.34913, 43.78599, "PPL", "IQ", "01", pop=190_159),
    P("Gaza", 31.50161, 34.46672, "PPLA", "PS", "GZ", pop=410_000),
    P("Lincoln", 40.8, -96.67, "PPLA", "US", "NE", pop=258_379),
    P("بغداد", 33.34058, 44.40088, "PPLC", "IQ", "07", pop=7_216_000, gid=98182),
]


class FakeGazetteer:
    """The SQLiteGazetteer API over a list of hand-made Places."""

    path = "fake-gazetteer"

    def __init__(self) -> None:
        self.index: dict[str, list[Place]] = {}
        self.calls = 0
        for place, names in ENTRIES:
            for n in names:
                self.index.setdefault(normalize_name(n), []).append(place)
        self._countries = {p.country_code: p for p, _ in ENTRIES if p.feature_code == "PCLI"}

    def lookup_keys(self, keys):
        """Map keys to their places."""
        self.calls += 1
        return {k: list(self.index[k]) for k in keys if k in self.index}

    def candidates(self, name, country=None, limit=20):
        """Return the exact-key places of a name."""
        c = self.index.get(normalize_name(name), [])
        return [p for p in c if country in (None, p.country_code)][:limit]

    def country(self, iso2):
        """Return the country entry."""
        return self._countries.get(iso2)

    def demonyms(self):
        """Return a few demonyms."""
        return {"iraqi": "IQ", "syrian": "SY", "american": "US", "french": "FR", "jordanian": "JO"}

    def country_names(self):
        """Return the countries' names."""
        return {normalize_name(p.name): p.country_code for p in self._countries.values()}


@pytest.fixture
def gaz() -> FakeGazetteer:
    return FakeGazetteer()


def _places(text: str, gaz: FakeGazetteer) -> dict[str, Place | None]:
    return {t.name: t.place for t in geoparse(text, gaz) if not t.is_demonym}


def test_offsets_index_the_text_and_one_lookup_per_document(gaz: FakeGazetteer) -> None:
    text = "U.S. jets struck Al-Qaim and Jurf al-Sakhar, south of Baghdad, on Friday."
    tops = geoparse(text, gaz)
    assert gaz.calls <= 2  # one for the document (+ one for the shared tables on first use)
    for t in tops:
        assert text[t.start : t.end] == t.name
        assert 0.0 <= t.score <= 1.0
    found = {t.name: t.place.geonameid for t in tops if t.place}
    assert found["Al-Qaim"] == 92138
    assert found["Jurf al-Sakhar"] == 95069
    assert found["Baghdad"] == 98182
    assert [t.start for t in tops] == sorted(t.start for t in tops)


def test_relative_phrase_kept_with_anchor(gaz: FakeGazetteer) -> None:
    text = "The strike hit a farm 30 km south of Baghdad and another near Fallujah."
    tops = {t.name: t for t in geoparse(text, gaz)}
    assert tops["Baghdad"].relation == "30 km south of"
    assert tops["Baghdad"].place.feature_code == "PPLC"
    assert tops["Fallujah"].relation == "near"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("about 25 kilometres (15 miles) north-west of the city of ", "25 km north-west of"),
        ("on the outskirts of ", "outskirts of"),
        ("just outside ", "outside"),
        ("southeast of ", "southeast of"),
        ("in ", None),
        ("the governor of ", None),
    ],
)
def test_relation_before(phrase: str, expected: str | None) -> None:
    text = phrase + "Mosul"
    assert relation_before(text, len(phrase)) == expected


def test_qualifier_state_beats_population(gaz: FakeGazetteer) -> None:
    assert _places("The festival in Paris, Texas drew crowds.", gaz)["Paris"].country_code == "US"
    assert _places("The festival in Paris drew crowds.", gaz)["Paris"].country_code == "FR"
    p = _places("An Alexandria, La. woman was charged on Monday.", gaz)["Alexandria"]
    assert (p.country_code, p.admin1) == ("US", "LA")


def test_document_context_beats_population(gaz: FakeGazetteer) -> None:
    text = (
        "Police in Pineville said the man drove to Alexandria. Louisiana troopers "
        "later found the car near Alexandria."
    )
    tops = [t for t in geoparse(text, gaz) if t.name == "Alexandria"]
    assert tops and all(t.place.country_code == "US" for t in tops)
    assert "US" in tops[0].reason


def test_country_context_from_demonyms(gaz: FakeGazetteer) -> None:
    text = "Iraqi officials said the convoy reached Anbar before dawn."
    tops = geoparse(text, gaz)
    assert any(t.is_demonym and t.place.country_code == "IQ" for t in tops)
    anbar = next(t for t in tops if t.name == "Anbar")
    assert anbar.place.country_code == "IQ"


def test_type_word_after_prefers_admin_unit(gaz: FakeGazetteer) -> None:
    tops = {t.name: t for t in geoparse("Fighting spread across Al Anbar province on Sunday.", gaz)}
    assert tops["Al Anbar"].place.feature_code == "ADM1"


def test_common_words_and_people_are_not_places(gaz: FakeGazetteer) -> None:
    text = (
        "Reading the report, Police said President Lincoln and Mr. Jordan met in March. "
        "Mobile phones were seized."
    )
    found = _places(text, gaz)
    assert "Police" not in found
    assert "Lincoln" not in found
    assert "Jordan" not in found
    assert "Mobile" not in found
    assert "Reading" not in found


def test_places_after_cues_are_kept(gaz: FakeGazetteer) -> None:
    found = _places("Protesters gathered in Mobile and later marched in Reading.", gaz)
    assert found["Mobile"].country_code == "US"
    assert found["Reading"].country_code == "GB"


def test_country_vs_town_named_jordan(gaz: FakeGazetteer) -> None:
    found = _places("Drones launched from Iraq struck a base in Jordan near the Syria border.", gaz)
    assert found["Jordan"].feature_code == "PCLI"
    assert found["Syria"].country_code == "SY"


def test_arabic_script(gaz: FakeGazetteer) -> None:
    text = "قصف في بغداد"
    tops = geoparse(text, gaz)
    assert [t.place.geonameid for t in tops] == [98182]
    assert text[tops[0].start : tops[0].end] == "بغداد"


def test_resolve_gold_spans(gaz: FakeGazetteer) -> None:
    text = "Rockets hit Ain al-Asad airbase in western Iraq; a Syrian group claimed it."
    spans = [(12, 24), (12, 32), (43, 47), (51, 57), (0, 7)]
    tops = resolve_spans(text, spans, gaz)
    assert [(t.start, t.end) for t in tops] == spans
    assert tops[0].place.feature_code == "AIRB"
    assert tops[1].place.feature_code == "AIRB"  # "airbase" stripped as a type word
    assert tops[2].place.country_code == "IQ"
    assert tops[3].is_demonym and tops[3].place.country_code == "SY"
    assert tops[4].place is None and tops[4].score == 0.0


def test_resolve_rejects_bad_spans(gaz: FakeGazetteer) -> None:
    with pytest.raises(InputError):
        Geoparser(gaz).resolve("Baghdad", [(0, 99)])
    with pytest.raises(InputError):
        Geoparser(gaz).parse(b"Baghdad")  # type: ignore[arg-type]


def test_metonymic_capital_flagged(gaz: FakeGazetteer) -> None:
    tops = {t.name: t for t in geoparse("Iraq denied coordination with Washington. Washington said no.", gaz)}
    assert tops["Iraq"].place.country_code == "IQ"
    first = tops["Washington"]  # the dict keeps the last one; both must be flagged
    for t in geoparse("Iraq denied coordination with Washington. Washington said no.", gaz):
        if t.name == "Washington":
            assert "metonymic" in t.reason and t.score < 0.5
            assert t.metonymic
            assert t.place.feature_code == "PPLC"  # never the state of Washington
    assert first.place is not None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_other_errors(text: str) -> None:
    gaz = FakeGazetteer()
    try:
        tops = geoparse(text, gaz)
    except GeoeventsError:
        return
    for t in tops:
        assert text[t.start : t.end] == t.name
        assert 0 <= t.start < t.end <= len(text)
        if t.place is not None:
            assert -90 <= t.place.lat <= 90 and -180 <= t.place.lon <= 180


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Baghdad",
                "in",
                "Paris",
                ",",
                "Texas",
                "Al-Qaim",
                "Iraqi",
                "\u0085",
                "St.",
                "Mr.",
                "30 km south of",
                "\n",
                "بغداد",
                "U.S.",
                "la",
                "of",
            ]
        ),
        max_size=30,
    )
)
def test_place_like_text_offsets(words: list[str]) -> None:
    text = " ".join(words)
    tops = geoparse(text, FakeGazetteer())
    assert all(text[t.start : t.end] == t.name for t in tops)
    spans = resolve_spans(text, [(t.start, t.end) for t in tops], FakeGazetteer())
    assert len(spans) == len(tops)


def test_given_span_falls_back_to_its_head_name(gaz: FakeGazetteer) -> None:
    from geoevents.geoparse.forms import fallback_forms as _fallback_forms

    assert _fallback_forms("Hamilton Township") == ["Hamilton"]
    assert _fallback_forms("Iowans") == ["Iowa"]
    assert "South Ossetia" in _fallback_forms("South Ossetians")
    assert _fallback_forms("Baghdad") == []
    text = "Shelling hit Greater Baghdad and the Jordan Valley."
    s1, s2 = text.index("Greater Baghdad"), text.index("Jordan Valley")
    tops = resolve_spans(text, [(s1, s1 + 15), (s2, s2 + 13)], gaz)
    assert tops[0].place is not None and tops[0].place.geonameid == 98182
    assert tops[1].place is not None and tops[1].place.country_code == "JO"
