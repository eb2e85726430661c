"""A learned candidate ranker: a small model over per-candidate features, stored as JSON.

The rule-based resolver (:class:`~geoevents.geoparse.parser.Geoparser`) scores every gazetteer
candidate of a mention by population, feature type, qualifiers and document context. Those
hand-set weights add up evidence on one scale; a learned model can weigh the same evidence
against each other (how much a country share is worth against a population of 10,000 vs 1M) from
annotated news. This module holds the feature definition shared by training
(``benchmarks/train_ranker.py``) and inference, and the model itself: either a standardised
linear (logistic) score or a tiny ensemble of depth-3 regression trees (gradient boosting),
written as plain JSON by the training script, so inference is pure Python with no pickle and no
scikit-learn at run time.

The features are computed after the rule-based context passes, so the rule score is one feature
among others. Only mentions where the rules are unsure (the winner's softmax share below
:data:`RERANK_BELOW`) are re-ranked, and only among the rule's top :data:`TOP_K` candidates (the
right one is almost always among them, see the training report): that keeps the model's cost to
a few percent of parsing time.
"""

from __future__ import annotations

import json
import logging
import math
from importlib import resources
from typing import Any

from geoevents.errors import GazetteerError
from geoevents.geoparse.weights import COUNTRY_CODES

__all__ = ["FEATURES", "RERANK_BELOW", "TOP_K", "LearnedRanker", "load_default_ranker"]

log = logging.getLogger(__name__)

TOP_K = 5
RERANK_BELOW = 0.9
MODEL_FILE = "ranker.json"


FEATURES: tuple[str, ...] = (
    "rule_gap",  # rule score minus the best rule score (<= 0)
    "rule_best",  # the rule-based resolver's choice
    "rule_prob",  # its softmax share
    "log_pop",  # log10 population (imputed for admin units without a figure)
    "has_pop",  # the gazetteer has a population figure
    "is_country",
    "is_adm1",
    "is_adm2",  # ADM2/ADM3
    "is_capital",  # PPLC
    "is_admin_seat",  # PPLA..PPLA4
    "is_ppl",  # any other populated place
    "is_other_a",  # other admin/region features (CONT, RGN, ...)
    "is_s",  # spot features: airports, bases, buildings
    "is_other",  # hydrography, terrain, ...
    "exact_name",  # the candidate's own name, not an alternate, matches
    "prior_gap",  # prior minus the best prior among the candidates (<= 0)
    "prior_rank",  # rank by prior, /10, capped at 1
    "qualifier",  # "Paris, Texas" style qualifier bonus, /4
    "mentioned_country",  # the article names this country or uses its demonym
    "country_share",  # the document's country evidence for this candidate, normalised
    "admin1_share",  # the same for first-order admin units
    "near",  # exp(-d/150) to the nearest confidently resolved other place
    "log_dist",  # log10(1 + d)/4; 0 without anchors
    "no_anchor",  # the document has no anchors to measure distance to
    "log_n_cands",  # log10 of the number of candidates
    "type_hint",  # a following word asks for this feature class ("province", "city of")
    "metonymic_capital",  # a metonymic use and the candidate is a capital
    "pop_x_share",  # log_pop * country_share
    "exact_x_pop",  # exact_name * log_pop
)


class LearnedRanker:
    """A candidate scorer loaded from JSON: a logistic model or a small gradient-boosted tree ensemble.

    Parameters
    ----------
    model : dict
        ``kind == "logistic"``: ``{"features", "mean", "scale", "coef", "intercept"}``, score
        ``b + sum(w_i * (x_i - mean_i) / scale_i)``. ``kind == "gbt"``: ``{"features", "init",
        "learning_rate", "trees"}`` where each tree is parallel lists ``feature``,
        ``threshold``, ``left``, ``right`` (-1 at a leaf) and ``value``; score ``init +
        learning_rate * sum(leaf values)``, going left where ``x[feature] <= threshold`` as
        scikit-learn does. The feature names must equal :data:`FEATURES` in order, so a model
        trained on another feature set is refused instead of silently mis-scored.

    Raises
    ------
    GazetteerError
        If the model does not match this feature definition.

    """

    def __init__(self, model: dict[str, Any]) -> None:
        feats = tuple(model.get("features", ()))
        if feats != FEATURES:
            raise GazetteerError(
                "The ranker model was trained on another feature set "
                f"({len(feats)} features, expected {len(FEATURES)}); retrain it with "
                "benchmarks/train_ranker.py"
            )
        self.kind = model.get("kind", "logistic")
        self.meta = {k: v for k, v in model.items() if k not in ("mean", "scale", "coef", "trees")}
        if self.kind == "logistic":
            mean = [float(x) for x in model["mean"]]
            scale = [float(x) or 1.0 for x in model["scale"]]
            coef = [float(x) for x in model["coef"]]
            # fold the standardisation into the weights: one dot product per candidate
            self.w = [c / s for c, s in zip(coef, scale, strict=True)]
            shift = sum(c * m / s for c, m, s in zip(coef, mean, scale, strict=True))
            self.b = float(model["intercept"]) - shift
            self.trees: list[tuple[list[int], list[float], list[int], list[int], list[float]]] = []
        elif self.kind == "gbt":
            self.b = float(model["init"])
            lr = float(model["learning_rate"])
            self.trees = []
            for t in model["trees"]:
                f, th, lo, hi = (
                    [int(v) for v in t["feature"]],
                    [float(v) for v in t["threshold"]],
                    [int(v) for v in t["left"]],
                    [int(v) for v in t["right"]],
                )
                if any(not 0 <= i < len(FEATURES) for i, left in zip(f, lo, strict=True) if left >= 0):
                    raise GazetteerError("The ranker model names a feature out of range; retrain it")
                self.trees.append((f, th, lo, hi, [lr * float(v) for v in t["value"]]))
            self._pack()
        else:
            raise GazetteerError(f"Unknown ranker model kind {self.kind!r}; retrain it")

    def _pack(self) -> None:
        """Lay the trees out as (trees x nodes) arrays so a batch is scored in a few numpy steps.

        Leaves point to themselves with an infinite threshold, so every row can take the same
        number of steps (the deepest tree's depth) whatever leaf it reaches first.
        """
        import numpy as np

        t, nmax = len(self.trees), max((len(tr[0]) for tr in self.trees), default=1)
        feat = np.zeros((t, nmax), dtype=np.intp)
        thr = np.full((t, nmax), np.inf)
        lo = np.tile(np.arange(nmax), (t, 1))
        hi = lo.copy()
        val = np.zeros((t, nmax))
        depth = 0
        for i, (f, th, left, right, v) in enumerate(self.trees):
            d = [0] * len(f)
            for n in range(len(f)):
                val[i, n] = v[n]
                if left[n] >= 0:
                    feat[i, n], thr[i, n], lo[i, n], hi[i, n] = f[n], th[n], left[n], right[n]
                    d[left[n]] = d[right[n]] = d[n] + 1
            depth = max(depth, *d)
        self._np = (np, feat, thr, lo, hi, val, depth, np.arange(t))

    def score_many(self, rows: list[list[float]]) -> list[float]:
        """Return the logits of several feature vectors (one mention's candidates) at once."""
        if not self.trees:
            return [self.score(x) for x in rows]
        np, feat, thr, lo, hi, val, depth, ti = self._np
        x = np.asarray(rows, dtype=float)
        node = np.zeros((len(rows), len(ti)), dtype=np.intp)
        r = np.arange(len(rows))[:, None]
        for _ in range(depth):
            go_left = x[r, feat[ti, node]] <= thr[ti, node]
            node = np.where(go_left, lo[ti, node], hi[ti, node])
        return (self.b + val[ti, node].sum(axis=1)).tolist()

    def score(self, x: list[float]) -> float:
        """Return the model's logit for one feature vector."""
        if not self.trees:
            return self.b + sum(w * v for w, v in zip(self.w, x, strict=True))
        z = self.b
        for f, th, lo, hi, val in self.trees:
            n = 0
            while lo[n] >= 0:
                n = lo[n] if x[f[n]] <= th[n] else hi[n]
            z += val[n]
        return z

    def proba(self, x: list[float]) -> float:
        """Return the model's probability that the candidate is within 161 km of the intended place."""
        z = self.score(x)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


_DEFAULT: list[LearnedRanker | None] = []


def load_default_ranker() -> LearnedRanker | None:
    """Return the committed model (``geoevents/geoparse/models/ranker.json``), or None if missing.

    Missing or unreadable means the parser falls back to the rule-based ranking, with a warning,
    so a packaging slip degrades accuracy a little instead of breaking geoparsing.
    """
    if not _DEFAULT:
        try:
            ref = resources.files("geoevents.geoparse").joinpath("models").joinpath(MODEL_FILE)
            _DEFAULT.append(LearnedRanker(json.loads(ref.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError, GazetteerError) as err:
            log.warning("No usable learned ranker model (%s); using the rule-based ranking", err)
            _DEFAULT.append(None)
    return _DEFAULT[0]


def feature_vector(
    *,
    c: Any,
    rule: float,
    rule_top: float,
    rule_best: bool,
    rule_prob: float,
    pop_term: float,
    prior: float,
    prior_top: float,
    prior_rank: int,
    exact: bool,
    qual: float,
    mentioned: bool,
    cshare: float,
    ashare: float,
    dmin: float | None,
    n_cands: int,
    type_hint: str | None,
    metonymic: bool,
) -> list[float]:
    """Return the :data:`FEATURES` vector of one candidate ``c`` (a Place) of one mention."""
    fc, cls = c.feature_code or "", c.feature_class or ""
    is_country = fc in COUNTRY_CODES
    is_adm1 = fc == "ADM1"
    is_adm2 = fc in ("ADM2", "ADM3")
    is_cap = fc == "PPLC"
    is_seat = fc.startswith("PPLA")
    is_ppl = cls == "P" and not (is_cap or is_seat)
    is_other_a = cls == "A" and not (is_country or is_adm1 or is_adm2)
    is_s = cls == "S"
    is_other = not (is_country or is_adm1 or is_adm2 or is_cap or is_seat or is_ppl or is_other_a or is_s)
    near = math.exp(-dmin / 150.0) if dmin is not None else 0.0
    ld = math.log10(1.0 + dmin) / 4.0 if dmin is not None else 0.0
    return [
        rule - rule_top,
        1.0 if rule_best else 0.0,
        rule_prob,
        pop_term,
        1.0 if (c.population or 0) > 0 else 0.0,
        float(is_country),
        float(is_adm1),
        float(is_adm2),
        float(is_cap),
        float(is_seat),
        float(is_ppl),
        float(is_other_a),
        float(is_s),
        float(is_other),
        1.0 if exact else 0.0,
        prior - prior_top,
        min(1.0, prior_rank / 10.0),
        qual / 4.0,
        1.0 if mentioned else 0.0,
        cshare,
        ashare,
        near,
        ld,
        1.0 if dmin is None else 0.0,
        math.log10(max(1, n_cands)),
        1.0 if type_hint and cls == type_hint else 0.0,
        1.0 if metonymic and is_cap else 0.0,
        pop_term * cshare,
        (1.0 if exact else 0.0) * pop_term,
    ]
