"""The learned candidate ranker: JSON model format, inference, the committed model, parser wiring."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from test_geoparse import FakeGazetteer  # tests/ is on sys.path under pytest

from geoevents.errors import GazetteerError, InputError
from geoevents.geoparse import Geoparser, geoparse
from geoevents.geoparse.ranker import FEATURES, LearnedRanker, load_default_ranker

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _stump(feature: int, threshold: float, lo: float, hi: float) -> dict:
    return {
        "feature": [feature, -2, -2],
        "threshold": [threshold, -2.0, -2.0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "value": [0.0, lo, hi],
    }


def test_gbt_model_scores_by_hand() -> None:
    model = {
        "kind": "gbt",
        "features": list(FEATURES),
        "init": 0.5,
        "learning_rate": 0.1,
        "trees": [_stump(3, 4.0, -1.0, 2.0), _stump(0, -0.5, -3.0, 1.0)],
    }
    r = LearnedRanker(model)
    x = [0.0] * len(FEATURES)
    x[3] = 5.0  # log_pop above 4: right leaf (2.0); rule_gap 0 > -0.5: right leaf (1.0)
    assert r.score(x) == pytest.approx(0.5 + 0.1 * (2.0 + 1.0))
    x[3], x[0] = 3.0, -2.0
    assert r.score(x) == pytest.approx(0.5 + 0.1 * (-1.0 - 3.0))
    assert r.score_many([x, x]) == pytest.approx([0.1, 0.1])
    assert r.proba(x) == pytest.approx(1.0 / (1.0 + np.exp(-0.1)))


def test_logistic_model_folds_standardisation() -> None:
    n = len(FEATURES)
    coef = [0.0] * n
    coef[3] = 2.0
    model = {
        "kind": "logistic",
        "features": list(FEATURES),
        "mean": [1.0] * n,
        "scale": [2.0] * n,
        "coef": coef,
        "intercept": -1.0,
    }
    x = [0.0] * n
    x[3] = 5.0
    assert LearnedRanker(model).score(x) == pytest.approx(-1.0 + 2.0 * (5.0 - 1.0) / 2.0)


def test_model_with_other_features_is_refused() -> None:
    with pytest.raises(GazetteerError, match="retrain"):
        LearnedRanker({"kind": "gbt", "features": ["log_pop"], "init": 0, "learning_rate": 1, "trees": []})
    with pytest.raises(GazetteerError):
        LearnedRanker({"kind": "forest", "features": list(FEATURES)})


def test_exported_sklearn_ensemble_matches_its_decision_function() -> None:
    pytest.importorskip("sklearn")
    from sklearn.ensemble import GradientBoostingClassifier

    sys.path.insert(0, str(BENCH))
    try:
        from train_ranker import export_gbt
    finally:
        sys.path.remove(str(BENCH))
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, len(FEATURES)))
    y = (X[:, 0] + 0.5 * X[:, 3] * X[:, 5] + rng.normal(scale=0.3, size=400) > 0).astype(int)
    clf = GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0).fit(X, y)
    exported = json.loads(json.dumps(export_gbt(clf, X)))
    r = LearnedRanker({"kind": "gbt", "features": list(FEATURES), **exported})
    want = clf.decision_function(X[:50])
    got = [r.score(list(row)) for row in X[:50]]
    assert np.allclose(got, want, atol=1e-4)
    assert np.allclose(r.score_many([list(row) for row in X[:50]]), want, atol=1e-4)


def test_committed_model_loads_and_is_the_default() -> None:
    model = load_default_ranker()
    assert model is not None and model.kind == "gbt" and len(model.trees) >= 10
    assert "'test' never read" in model.meta["heldout_split"]  # trained on benchmarks/splits.py train
    assert Geoparser.DEFAULT_RANKER == "learned"
    assert Geoparser(FakeGazetteer()).ranker == "learned"
    assert Geoparser(FakeGazetteer(), ranker="rules").ranker == "rules"


def test_unknown_ranker_is_an_input_error() -> None:
    with pytest.raises(InputError, match="learned"):
        Geoparser(FakeGazetteer(), ranker="neural")


@pytest.mark.parametrize("ranker", ["rules", "learned"])
def test_both_rankers_resolve_the_basics(ranker: str) -> None:
    gaz = FakeGazetteer()
    text = "Strikes hit Al-Qaim in Iraq. Iraq denied coordination with Washington."
    tops = {t.name: t for t in geoparse(text, gaz, ranker=ranker)}
    assert tops["Al-Qaim"].place.country_code == "IQ"
    assert tops["Iraq"].place.feature_code == "PCLI"
    w = tops.get("Washington")
    if w is not None:
        assert w.metonymic and w.place.feature_code == "PPLC"
