"""The placing seam: interface contract, the shipped model, reasons, and rule-level features.

Quality is measured by ``benchmarks/placing_accuracy.py`` on held-out data, not here: these tests
check that each feature fires where the rule it encodes says it should, on the real gazetteer.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoevents.errors import GeoeventsError
from geoevents.events.placing import (
    LearnedPlacer,
    PlacerModelError,
    PlaceScore,
    RulePlacer,
    default_placer,
    load_placer,
)
from geoevents.events.placing_features import FEATURES, featurize
from geoevents.geoparse import Geoparser
from geoevents.records import Toponym

UM_SIDRA = (
    "An air force Antonov dropped six bombs on the village of Um Sidra in North Darfur on Monday, "
    "killing four people."
)
TIKRIT = (
    "The army's aerial bombardment of Tikrit city, Salahaddin province, north of Baghdad, killed six people."
)
TOWER = (
    "The drone attack on Sunday on Tower 22, a small U.S. military outpost in northeastern Jordan near the "
    "Syrian border, killed three U.S. soldiers."
)


@pytest.fixture(scope="module")
def parser(gazetteer: object) -> Geoparser:
    return Geoparser(gazetteer)  # type: ignore[arg-type]


def _span(text: str, word: str) -> tuple[int, int]:
    s = text.index(word)
    return s, s + len(word)


def _gold(parser: Geoparser, text: str, names: list[str]) -> list[Toponym]:
    """Resolve given spans with the real geoparser (gold-span mode), as the training data does."""
    return parser.resolve(text, [_span(text, n) for n in names])


def _feats(text: str, trigger: str, tops: list[Toponym]) -> dict[str, set[str]]:
    rows = featurize(text, _span(text, trigger), tops)
    return {
        t.name: {FEATURES[i][0] for i, x in enumerate(r.values) if x} for t, r in zip(tops, rows, strict=True)
    }


@pytest.mark.parametrize("placer", [RulePlacer(), default_placer()], ids=["rules", "default"])
def test_contract_one_score_per_toponym_best_first(parser: Geoparser, placer: object) -> None:
    tops = parser.parse(TIKRIT)
    assert tops
    scores = placer.score(TIKRIT, _span(TIKRIT, "bombardment"), tops)  # type: ignore[attr-defined]
    assert all(isinstance(s, PlaceScore) for s in scores)
    assert sorted(s.toponym_index for s in scores) == list(range(len(tops)))
    assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
    assert all(0.0 <= s.score <= 1.0 and s.reason for s in scores)
    assert 0.0 < placer.threshold < 1.0  # type: ignore[attr-defined]


def test_empty_and_bad_offsets() -> None:
    text = "Shelling hit Donetsk."
    assert RulePlacer().score(text, (0, 8), []) == []
    stray = Toponym(start=40, end=47, name="Donetsk")  # offsets outside the text
    for placer in (RulePlacer(), default_placer()):
        (only,) = placer.score(text, (0, 8), [stray])
        assert only.score == 0.0 and "offsets" in only.reason


def test_bad_trigger_is_an_actionable_error() -> None:
    with pytest.raises(GeoeventsError, match="trigger span"):
        RulePlacer().score("Shelling hit Donetsk.", (5, 99), [])


def test_model_file_errors(tmp_path: object) -> None:
    bad = tmp_path / "placer.json"  # type: ignore[operator]
    bad.write_text(json.dumps({"kind": "logistic", "features": ["no_such_feature"], "coef": [1.0]}))
    with pytest.raises(PlacerModelError, match="retrain"):
        load_placer(bad)
    with pytest.raises(PlacerModelError, match="no placer model"):
        load_placer(tmp_path / "missing.json")  # type: ignore[operator]
    bad.write_text("{not json")
    with pytest.raises(PlacerModelError, match="not readable"):
        load_placer(bad)


def test_object_of_strike_verb_and_container(parser: Geoparser) -> None:
    tops = _gold(parser, UM_SIDRA, ["Um Sidra", "North Darfur"])
    f = _feats(UM_SIDRA, "dropped", tops)
    assert {"object_of_trigger", "of_site", "prep_on", "contained_next"} <= f["Um Sidra"]
    assert "container_of_previous" in f["North Darfur"]
    assert "object_of_trigger" not in f["North Darfur"]


def test_relation_anchor_is_not_the_place(parser: Geoparser) -> None:
    tops = _gold(parser, TIKRIT, ["Tikrit", "Salahaddin", "Baghdad"])
    f = _feats(TIKRIT, "bombardment", tops)
    assert "object_of_trigger" in f["Tikrit"]
    assert "prep_direction_of" in f["Baghdad"]
    assert "object_of_trigger" not in f["Baghdad"]
    assert "container_of_previous" in f["Salahaddin"]


def test_appositive_site_and_adjectival_country(parser: Geoparser) -> None:
    tops = _gold(parser, TOWER, ["Tower 22", "U.S.", "Jordan"])
    f = _feats(TOWER, "attack", tops)
    assert {"appositive", "prep_on"} <= f["Tower 22"]
    assert "adjectival" in f["U.S."]
    assert "prep_in" in f["Jordan"]


def test_shipped_model_loads_and_explains() -> None:
    placer = default_placer()
    assert isinstance(placer, LearnedPlacer), "the wheel must ship events/models/placer.json"
    assert placer.meta["kind"] == "logistic" and "trained_on" in placer.meta
    text = "Gunmen attacked a checkpoint in Baqubah on Tuesday."
    tops = [Toponym(start=text.index("Baqubah"), end=text.index("Baqubah") + 7, name="Baqubah")]
    (only,) = placer.score(text, _span(text, "attacked"), tops)
    # the reason lists signed feature contributions, e.g. "after 'in'/'inside'/'across' (+0.3)"
    assert "(+" in only.reason or "(-" in only.reason


@pytest.mark.parametrize(
    ("text", "trigger", "names", "expected"),
    [
        (UM_SIDRA, "dropped", ["Um Sidra", "North Darfur"], "Um Sidra"),
        (TIKRIT, "bombardment", ["Tikrit", "Salahaddin", "Baghdad"], "Tikrit"),
        (TOWER, "attack", ["Tower 22", "U.S.", "Jordan", "Syrian"], "Tower 22"),
    ],
)
def test_learned_placer_ranks_the_struck_place_first(
    parser: Geoparser, text: str, trigger: str, names: list[str], expected: str
) -> None:
    tops = _gold(parser, text, names)
    best = default_placer().score(text, _span(text, trigger), tops)[0]
    assert tops[best.toponym_index].name == expected, best.reason


def test_tree_model_scores_and_credits_each_split() -> None:
    # one stump on "object_of_trigger" and one on "demonym": the reason names both splits
    tree = {"feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1]}
    model = {
        "kind": "gbt",
        "features": ["object_of_trigger", "demonym"],
        "init": 0.0,
        "learning_rate": 1.0,
        "trees": [
            {**tree, "value": [0.0, -1.0, 2.0]},
            {**tree, "feature": [1, -1, -1], "value": [0.0, 0.5, -3.0]},
        ],
    }
    placer = LearnedPlacer(model)
    text = "Jets struck Raqqa and Iraqi forces said so."
    tops = [
        Toponym(start=12, end=17, name="Raqqa"),
        Toponym(start=22, end=27, name="Iraqi", is_demonym=True),
    ]
    scores = placer.score(text, _span(text, "struck"), tops)
    by_name = {tops[s.toponym_index].name: s for s in scores}
    assert scores[0].toponym_index == 0
    # Raqqa: object of 'struck' (+2), not a demonym (+0.5) -> sigmoid(2.5)
    assert by_name["Raqqa"].score == pytest.approx(1 / (1 + math.exp(-2.5)), abs=1e-5)
    assert "object of 'struck' (+2.0)" in by_name["Raqqa"].reason
    assert "a demonym ('Iraqi') (-3.0)" in by_name["Iraqi"].reason
    with pytest.raises(PlacerModelError, match="malformed"):
        LearnedPlacer({**model, "trees": [{"feature": [0]}]})


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab Cd,.;:\n-'’"), min_size=0, max_size=120),
    spans=st.lists(st.tuples(st.integers(0, 130), st.integers(1, 12)), max_size=6),
    trig=st.tuples(st.integers(0, 130), st.integers(0, 10)),
    demonym=st.booleans(),
)
def test_any_input_keeps_the_contract(
    text: str, spans: list[tuple[int, int]], trig: tuple[int, int], demonym: bool
) -> None:
    """Odd texts, stray or overlapping spans, a trigger anywhere: one score each, never a crash."""
    tops = [
        Toponym(start=s, end=s + n, name=text[s : s + n] or "X", is_demonym=demonym and k % 2 == 0)
        for k, (s, n) in enumerate(spans)
    ]
    s = min(trig[0], len(text))
    trigger = (s, min(len(text), s + trig[1]))
    for placer in (RulePlacer(), default_placer()):
        scores = placer.score(text, trigger, tops)
        assert sorted(x.toponym_index for x in scores) == list(range(len(tops)))
        assert all(0.0 <= x.score <= 1.0 and x.reason for x in scores)
