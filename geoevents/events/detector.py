"""The mention decision: whether a candidate is one strike or attack that the text reports.

Two interchangeable detectors (``extract_events(..., detector=...)``):

* :class:`RuleDetector` keeps what the rules in ``mentions.py`` keep (not vague, aggregate or
  hypothetical, and not a weak candidate): the hand-written stage, kept for comparison.
* :class:`LearnedDetector` (the default) scores every candidate, weak ones included, with a
  logistic regression over sparse features of the mention and its sentence (:func:`features`):
  the rules' flags, the trigger word, the words around it, the sentence's words, and cues
  (casualty figure, armed actor, weapon, negation, modal, report verb). It is trained by
  ``benchmarks/train_events_mentions.py`` on real labelled reports (train part of
  ``benchmarks/splits.py``), shipped as JSON (``models/mention_model.json``) and scored with
  a dictionary lookup per feature. Each decision keeps a ``reason``: its largest terms.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Protocol

from geoevents.errors import GeoeventsError
from geoevents.events.casualties import find_casualties
from geoevents.events.mentions import DISASTER as _DISASTER
from geoevents.events.mentions import WEAPON, EventMention

__all__ = [
    "Decision",
    "LearnedDetector",
    "MentionDetector",
    "RuleDetector",
    "default_detector",
    "features",
]

_TOKEN = re.compile(r"[a-z][a-z'-]+|\d+")
_NEG = re.compile(r"\b(?:no|not|never|denied|deny|denies|without|nor)\b[^.;]{0,30}$", re.I)
_MODAL = re.compile(
    r"\b(?:will|would|could|may|might|plans?|planned|planning|threat\w*|vow\w*|warn\w*|fear\w*|"
    r"if|unless|to)\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
_REPORT = re.compile(r"\b(?:said|says|told|reported|according|confirmed|claimed)\b", re.I)
_PAST = re.compile(
    r"\b(?:since|last\s+year|in\s+(?:19|20)\d\d|over\s+the\s+past|so\s+far|this\s+year)\b", re.I
)
# Justice and policing news: the news is the court, the arrest or the seizure, not an attack.
_COURT = re.compile(
    r"\b(?:charged|charges|sentenced|trial|court|guilty|convicted|plea|pleaded|arrested|suspect|jury|"
    r"prosecutors?|indicted|acquitted|verdict|ruled|captured|detained|detention|accused|custody|seized|"
    r"confiscated|raided\s+(?:a|the)\s+home)\b",
    re.I,
)
_STOP = frozenset(
    "the a an of in on at to and or for by with from that this was were is are be been has have had "
    "it its as but which who their his her they he she said".split()
)


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a candidate mention is a reported event, how sure, and why."""

    keep: bool
    score: float
    reason: str


class MentionDetector(Protocol):
    """Decides which candidate mentions of a sentence are reported events."""

    broad: bool  # whether it wants the weak candidates too

    def decide(self, mentions: Sequence[EventMention], first: bool) -> list[Decision]:
        """One decision per mention; ``first`` is True in the article's first prose sentence."""
        ...


class RuleDetector:
    """The hand-written decision: keep a candidate the rules did not flag as vague."""

    broad = False

    def decide(self, mentions: Sequence[EventMention], first: bool) -> list[Decision]:
        """Keep strong candidates without a vague/aggregate/hypothetical flag."""
        return [Decision(not m.vague and not m.weak, 1.0 if not m.vague else 0.0, "rules") for m in mentions]


def _norm_trigger(text: str) -> str:
    words = re.sub(r"\d+", "0", text.lower()).split()
    return " ".join(words) if len(words) <= 2 else f"{words[0]} {words[-1]}"


@lru_cache(maxsize=512)
def _sentence_features(text: str) -> tuple[str, ...]:
    """Return the features of a mention's sentence (computed once per sentence, shared by its candidates)."""
    out: list[str] = []
    seen: set[str] = set()
    for w in _TOKEN.findall(text.lower())[:80]:
        if w not in _STOP and not w.isdigit() and w not in seen:
            seen.add(w)
            out.append(f"S={w}")
    if find_casualties(text):
        out.append("casualty")
    if WEAPON.search(text):
        out.append("weapon")
    if _REPORT.search(text):
        out.append("report_verb")
    if _PAST.search(text):
        out.append("long_ago")
    if _COURT.search(text):
        out.append("court")
    if "?" in text:
        out.append("question")
    return tuple(out)


def features(m: EventMention, first: bool) -> list[str]:
    """Sparse binary features of one candidate mention (documented in ``docs/events.md``)."""
    text = m.sent.text
    low = text.lower()
    before = text[max(0, m.start - 70) : m.start]
    out = [
        "bias",
        f"trig={_norm_trigger(m.text)}",
        f"lex={m.lex_type}",
        f"sub={m.sub or '-'}",
        f"det={m.det}",
    ]
    for flag in ("verb", "weak", "plural", "vague", "aggregate", "in_response", "reaction", "descriptive"):
        if getattr(m, flag):
            out.append(flag)
    left = _TOKEN.findall(low[max(0, m.start - 50) : m.start])[-4:]
    right = _TOKEN.findall(low[m.end : m.end + 50])[:4]
    out += [f"L={w}" for w in left]
    out += [f"R={w}" for w in right]
    if left:
        out.append(f"L1={left[-1]}")
    if right:
        out.append(f"R1={right[0]}")
    out += _sentence_features(text)
    if WEAPON.search(before):
        out.append("armed_before")
    if m.actor1 is not None or m.actor2 is not None:
        out.append("actor")
    if _NEG.search(before):
        out.append("negation")
    if _MODAL.search(before[-40:]):
        out.append("modal")
    near = text[max(0, m.start - 80) : m.end + 80]
    if _DISASTER.search(near):
        out.append("disaster_near")
    if first:
        # a report's lead states its event; kept because dev prefers it (without it dev recall fell
        # 0.974 -> 0.940 and negatives flagged rose), though PITF rows are first sentences by design
        out.append("first_sentence")
    return out


class LearnedDetector:
    """Logistic regression over :func:`features`, loaded from a JSON model."""

    broad = True

    def __init__(self, model: dict[str, object]) -> None:
        try:
            raw = model["weights"]
            if not isinstance(raw, dict):
                raise TypeError("weights is not an object")
            self.weights: dict[str, float] = {str(k): float(v) for k, v in raw.items()}
            self.threshold = float(model["threshold"])  # type: ignore[arg-type]
            self.veto = float(model["veto"])  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise GeoeventsError(
                f"mention model is malformed ({exc}); retrain it with benchmarks/train_events_mentions.py"
            ) from exc

    def score(self, m: EventMention, first: bool) -> tuple[float, str]:
        """Probability that ``m`` is a reported event, and its three largest terms."""
        terms = [(f, w) for f in features(m, first) if (w := self.weights.get(f)) is not None]
        z = sum(w for _f, w in terms)
        p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        top = sorted(terms, key=lambda fw: -abs(fw[1]))[:3]
        return p, ", ".join(f"{f} ({w:+.1f})" for f, w in top)

    def decide(self, mentions: Sequence[EventMention], first: bool) -> list[Decision]:
        """Keep a weak candidate at ``p >= threshold``; drop a strong *verb* below ``veto``.

        Both settings are chosen on dev. Strong nouns ("the strikes", "a drone attack") follow the
        rules: the training rows are first sentences of short reports, so the model has not seen
        the anaphoric nouns of long articles (a veto on them broke coreference). A strong candidate
        the rules flag (hypothetical, aggregate, "in response to") stays dropped.
        """
        out = []
        for m in mentions:
            if not m.weak and (not m.verb or self.veto <= 0.0):
                # nothing to decide: a strong mention is kept unless the rules flag it (saves the scoring)
                out.append(Decision(not m.vague, 1.0 if not m.vague else 0.0, "rules: strong mention"))
                continue
            p, why = self.score(m, first)
            keep = not m.vague and p >= (self.threshold if m.weak else self.veto)
            out.append(Decision(keep, p, f"p={p:.2f}: {why}"))
        return out


@lru_cache(maxsize=1)
def default_detector() -> LearnedDetector:
    """Return the learned detector shipped in the wheel (``geoevents/events/models/mention_model.json``)."""
    try:
        raw = resources.files("geoevents.events").joinpath("models/mention_model.json").read_text("utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise GeoeventsError(
            "the mention model file is missing from the installation; reinstall geoevents or run "
            "benchmarks/train_events_mentions.py"
        ) from exc
    return LearnedDetector(json.loads(raw))
