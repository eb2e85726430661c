"""Placing: which of the places named in an article is where an event happened.

One decision, one seam. Given the article text, the character span of an event mention's
trigger word ("struck", "attack", "killed") and the geoparser's toponyms, a :class:`Placer`
scores every toponym 0..1 for "the event happened here" and says why. Two placers share the
interface so they can be swapped and compared on the same data
(``benchmarks/placing_accuracy.py``):

* :class:`LearnedPlacer` (the default, :func:`default_placer`): a logistic model over the
  features of :mod:`geoevents.events.placing_features`, trained by
  ``benchmarks/train_placer.py`` on Halterman (2019) event-location sentences and PITF atrocity
  reports, shipped as JSON (``events/models/placer.json``) and scored with plain Python.
  Each score's ``reason`` lists its largest feature contributions.
* :class:`RulePlacer`: the hand-written locative-slot rule of :mod:`geoevents.events.locations`
  (the previous behaviour), as scores.

For both, a toponym is an event place when ``score >= placer.threshold`` (0.5); the list is
sorted best first, so ``scores[0]`` is the single best place.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from geoevents.errors import GeoeventsError
from geoevents.events.placing_features import (
    FEATURES,
    ArticleView,
    _specificity,
    describe,
    featurize_view,
    rule_choices,
)
from geoevents.records import Toponym

__all__ = [
    "LearnedPlacer",
    "PlaceScore",
    "Placer",
    "PlacerModelError",
    "RulePlacer",
    "default_placer",
    "load_placer",
]

log = logging.getLogger(__name__)

MODEL_FILE = "placer.json"


class PlacerModelError(GeoeventsError, ValueError):
    """A placer model file that cannot be used (missing, malformed, or for other features)."""


@dataclass(frozen=True, slots=True)
class PlaceScore:
    """How likely one toponym is where the event happened, and why."""

    toponym_index: int  # index into the toponyms passed in
    score: float  # 0..1, is this toponym where the event happened
    reason: str  # e.g. "object of 'struck' (+2.1); inside another place named (+0.8)"


class Placer(Protocol):
    """Scores the toponyms of an article as the place of one event mention."""

    threshold: float

    def score(self, text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> list[PlaceScore]:
        """One :class:`PlaceScore` per toponym, best first."""
        ...


def _check_trigger(text: str, trigger: tuple[int, int]) -> tuple[int, int]:
    try:
        s, e = int(trigger[0]), int(trigger[1])
    except (TypeError, ValueError, IndexError) as err:
        raise GeoeventsError(f"trigger {trigger!r} is not a (start, end) pair of character offsets") from err
    if not (0 <= s <= e <= len(text)):
        raise GeoeventsError(f"trigger span ({s}, {e}) does not index a text of {len(text)} characters")
    return s, e


def _valid(text: str, toponyms: Sequence[Toponym]) -> list[bool]:
    """Toponyms whose offsets index ``text`` (others get score 0: never guess where a name is)."""
    return [
        isinstance(t, Toponym) and 0 <= t.start < t.end <= len(text) and text[t.start : t.end] == t.name
        for t in toponyms
    ]


def _prepare(
    text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]
) -> tuple[tuple[int, int], list[Toponym], list[int], list[PlaceScore]]:
    """Check the trigger and set aside toponyms whose offsets do not fit the text (score 0).

    Returns the checked trigger, the toponyms kept, their indices, and the set-aside scores.
    """
    trigger = _check_trigger(text, trigger)
    ok = _valid(text, toponyms)
    good = [t for t, v in zip(toponyms, ok, strict=True) if v]
    idx = [i for i, v in enumerate(ok) if v]
    out = [PlaceScore(i, 0.0, "offsets do not fit the text") for i, v in enumerate(ok) if not v]
    return trigger, good, idx, out


def _sorted(scores: list[PlaceScore]) -> list[PlaceScore]:
    return sorted(scores, key=lambda s: (-s.score, s.toponym_index))


class RulePlacer:
    """The hand-written rule, as scores (the baseline for comparison).

    A toponym in a locative slot of the trigger's sentence ("in", "near", "the village of", "south
    of") that the rule gives to this trigger scores 0.9 (0.75 when it is a country or province and a
    more specific chosen place lies in it); other locative places of the sentence 0.4, relation
    anchors ("north of *Baghdad*") 0.3, other places of the sentence 0.2, places elsewhere 0.1
    (0.15 if locative there), demonyms 0.02. Ties go to the place nearer the trigger.
    """

    threshold = 0.5

    def score(self, text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> list[PlaceScore]:
        """One :class:`PlaceScore` per toponym, best first."""
        trigger, good, idx, out = _prepare(text, trigger, toponyms)
        if not good:
            return out
        view = ArticleView(text, trigger, good)
        chosen, locative, anchors, _anchored = rule_choices(view)
        ks = view.trigger_sentence
        ss, se = view.sentences[ks] if ks is not None else (0, len(text))
        word = text[trigger[0] : trigger[1]]
        for j, t in enumerate(good):
            dist = abs(t.start - trigger[1]) if t.start >= trigger[1] else abs(trigger[0] - t.end)
            tie = min(dist, 10_000) / 1e6
            in_sent = ss <= t.start < se
            if t.is_demonym:
                s, why = 0.02, "a demonym, not a place"
            elif j in chosen:
                here = t.place
                broad = (
                    here is not None
                    and _specificity(here) >= 3
                    and any(
                        (other := good[c].place) is not None
                        and _specificity(other) < _specificity(here)
                        and other.country_code == here.country_code
                        for c in chosen
                    )
                )
                s = 0.75 if broad else 0.9
                why = f"rule: locative slot of the sentence of '{word}'" + (
                    "; a more specific place in it is chosen too" if broad else ""
                )
            elif j in anchors:
                s, why = 0.3, "rule: anchor of a relation ('north of' it), not the place itself"
            elif j in locative:
                s, why = 0.4, f"rule: locative, but another clause's or too far from '{word}'"
            elif in_sent:
                s, why = 0.2, f"rule: in the sentence of '{word}' but not in a locative slot"
            else:
                s, why = 0.1, f"rule: outside the sentence of '{word}'"
            out.append(PlaceScore(idx[j], round(s - tie, 6), why))
        return _sorted(out)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


class LearnedPlacer:
    """A model over :data:`~geoevents.events.placing_features.FEATURES`, loaded from JSON.

    A logistic regression or a small boosted-tree ensemble; either way a score's reason lists the
    features that moved its log-odds most.

    Parameters
    ----------
    model : dict
        As written by ``benchmarks/train_placer.py``: ``{"kind": "logistic", "features": [names],
        "coef": [...], "intercept": float}`` (a name "a*b" is the product of two features), or
        ``{"kind": "gbt", "features": [names], "init": float, "learning_rate": float, "trees":
        [{"feature", "threshold", "left", "right", "value"}]}`` (go left where
        ``x[feature] <= threshold``; ``left == -1`` at a leaf; ``value`` at every node, so a
        reason can credit each split on the path). The intercept/init already includes the
        decision threshold chosen on the dev split, so ``score >= 0.5`` means "an event place".

    Raises
    ------
    PlacerModelError
        If the model is malformed or uses features this version does not compute.

    """

    threshold = 0.5
    #: how many feature contributions a reason lists
    REASONS = 3

    def __init__(self, model: dict[str, Any]) -> None:
        if not isinstance(model, dict) or model.get("kind") not in ("logistic", "gbt"):
            raise PlacerModelError("placer model must be a JSON object with kind 'logistic' or 'gbt'")
        self.kind = str(model["kind"])
        names = model.get("features")
        if not isinstance(names, list):
            raise PlacerModelError("placer model needs a 'features' list")
        known = {n: i for i, (n, _d) in enumerate(FEATURES)}
        unknown = [n for n in names if not all(part in known for part in str(n).split("*"))]
        if unknown:
            raise PlacerModelError(
                f"placer model uses features this version does not compute: {unknown}; "
                "retrain it with benchmarks/train_placer.py"
            )
        self.meta = {k: v for k, v in model.items() if k not in ("features", "coef", "trees")}
        self.weights = [0.0] * len(FEATURES)
        # "a*b": the product of two features (an interaction), explained as "a and b"
        self.pairs: list[tuple[int, int, float]] = []
        self.trees: list[tuple[list[int], list[float], list[int], list[int], list[float]]] = []
        try:
            if self.kind == "logistic":
                self._load_logistic(model, names, known)
            else:
                self._load_gbt(model, names, known)
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise PlacerModelError(f"placer model is malformed ({err!r}); retrain it") from err

    def _load_logistic(self, model: dict[str, Any], names: list[str], known: dict[str, int]) -> None:
        coef = model["coef"]
        # optional training means: reasons credit w * (x - mean), the logit is unchanged
        mean = model.get("mean") or [0.0] * len(coef)
        if not len(names) == len(coef) == len(mean):
            raise ValueError("'features', 'coef' and 'mean' differ in length")
        self.means = [0.0] * len(FEATURES)
        self.pair_means: list[float] = []
        for n, w, m in zip(names, coef, mean, strict=True):
            parts = str(n).split("*")
            if len(parts) == 2:
                self.pairs.append((known[parts[0]], known[parts[1]], float(w)))
                self.pair_means.append(float(m))
            elif len(parts) == 1:
                self.weights[known[n]] = float(w)
                self.means[known[n]] = float(m)
            else:
                raise ValueError(f"feature {n!r}: at most two features per product")
        self.intercept = float(model.get("intercept", 0.0))
        # the logit of a candidate whose every feature sits at the training mean
        self.centre = self.intercept + sum(w * m for w, m in zip(self.weights, self.means, strict=True))
        self.centre += sum(wp * m for (_a, _b, wp), m in zip(self.pairs, self.pair_means, strict=True))

    def _load_gbt(self, model: dict[str, Any], names: list[str], known: dict[str, int]) -> None:
        # node values are kept at every node, so each step along a path is one feature's contribution
        lr = float(model["learning_rate"])
        cols = [known[n] for n in names]
        self.intercept = float(model["init"])
        for t in model["trees"]:
            left = [int(v) for v in t["left"]]
            feat = [cols[int(f)] if lo >= 0 else -1 for f, lo in zip(t["feature"], left, strict=True)]
            self.trees.append(
                (
                    feat,
                    [float(v) for v in t["threshold"]],
                    left,
                    [int(v) for v in t["right"]],
                    [lr * float(v) for v in t["value"]],
                )
            )

    def _contributions(self, vals: tuple[float, ...]) -> tuple[float, list[tuple[float, _Why]]]:
        """Return the logit of one row and its additive parts, each with the feature(s) behind it.

        A part's words are written by :func:`_explain` only for the few that make the reason.
        """
        if self.kind == "logistic":
            w, mu = self.weights, self.means
            terms = [(w[f] * (x - mu[f]), f, x) for f, x in enumerate(vals) if w[f] and x != mu[f]]
            z = self.centre + sum([t[0] for t in terms])  # same order, same sum as a generator
            # a reason names what is there, and only the telling absences ("not object of 'struck'")
            parts: list[tuple[float, _Why]] = [
                (c, ("value", f, x)) for c, f, x in terms if x or _ALWAYS_SAID[f]
            ]
            for (a, b, wp), m in zip(self.pairs, self.pair_means, strict=True):
                xy = vals[a] * vals[b]
                if xy != m:
                    z += wp * (xy - m)
                    if xy:
                        parts.append((wp * (xy - m), ("pair", a, b)))
            return z, parts
        z = self.intercept
        by_feature: dict[int, float] = {}
        for feat, thr, left, right, value in self.trees:
            n = 0
            z += value[0]
            while left[n] >= 0:
                f = feat[n]
                nxt = left[n] if vals[f] <= thr[n] else right[n]
                by_feature[f] = by_feature.get(f, 0.0) + value[nxt] - value[n]
                n = nxt
        z += sum(by_feature.values())
        return z, [(c, ("feature", f, 0.0)) for f, c in by_feature.items() if c]

    def score(self, text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> list[PlaceScore]:
        """One :class:`PlaceScore` per toponym, best first."""
        trigger, good, idx, out = _prepare(text, trigger, toponyms)
        if not good:
            return out
        view = ArticleView(text, trigger, good)
        word = text[trigger[0] : trigger[1]] or "the event"
        for j, row in enumerate(featurize_view(view)):
            z, parts = self._contributions(row.values)
            parts.sort(key=lambda cw: -abs(cw[0]))
            reason = "; ".join(f"{_explain(why, word)} ({c:+.1f})" for c, why in parts[: self.REASONS])
            out.append(PlaceScore(idx[j], round(_sigmoid(z), 6), reason or "no evidence either way"))
        return _sorted(out)


#: what a part of a logit stands for: ("value", feature, value), ("pair", feature a, feature b)
#: or ("feature", feature, 0.0) for a tree path
_Why = tuple[str, int, float]


def _explain(why: _Why, word: str) -> str:
    """Return the words for one part of a logit (see :meth:`LearnedPlacer._contributions`)."""
    kind, f, x = why
    if kind == "value":
        return _describe_value(f, x, word)
    if kind == "pair":
        return f"{describe(FEATURES[f][0], word)} and {describe(FEATURES[int(x)][0], word)}"
    return describe(FEATURES[f][0], word)


def _describe_value(f: int, x: float, word: str) -> str:
    """Name feature ``f`` at value ``x``: graded ones with their value, absent yes/no ones as "not ..."."""
    name = FEATURES[f][0]
    if name == "token_distance":
        n = round(math.expm1(x))
        return f"{n} word{'' if n == 1 else 's'} from '{word}'"
    if name == "sentence_distance":
        return f"{round(x * 5)}{'+' if x >= 1 else ''} sentences from '{word}'"
    if name == "log_population":
        return f"population {round(10 ** (x * 7) - 1):,}"
    if name == "mention_count":
        return f"named {round(math.exp(x))} times"
    text = describe(name, word)
    return text if x else f"not {text}"


_GRADED = frozenset({"token_distance", "sentence_distance", "log_population", "mention_count"})
#: yes/no features whose absence is worth saying in a reason
_NOTABLE = frozenset({"rule_choice", "locative_rule", "object_of_trigger", "same_sentence"})
#: per feature: is it named in a reason even at value 0 (graded, or a telling absence)
_ALWAYS_SAID = tuple(name in _GRADED or name in _NOTABLE for name, _d in FEATURES)


def load_placer(path: str | Path) -> LearnedPlacer:
    """Load a :class:`LearnedPlacer` from a model JSON file written by ``benchmarks/train_placer.py``."""
    p = Path(path)
    try:
        model = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise PlacerModelError(f"no placer model at {p}; train one with benchmarks/train_placer.py") from err
    except (OSError, ValueError) as err:
        raise PlacerModelError(
            f"placer model {p} is not readable JSON ({err}); retrain or reinstall"
        ) from err
    return LearnedPlacer(model)


_DEFAULT: LearnedPlacer | None = None


def default_placer() -> Placer:
    """Return the learned placer, loaded once from the JSON shipped in the package.

    Falls back to :class:`RulePlacer`, with a warning, when the shipped model is missing or
    unusable (a broken install), so events are still placed.
    """
    global _DEFAULT
    if _DEFAULT is None:
        try:
            text = (
                resources.files("geoevents.events")
                .joinpath("models")
                .joinpath(MODEL_FILE)
                .read_text(encoding="utf-8")
            )
            _DEFAULT = LearnedPlacer(json.loads(text))
        except (OSError, ValueError) as err:
            log.warning("placer model unusable (%s); using the rule placer", err)
            return RulePlacer()
    return _DEFAULT
