"""Explanation: the reason a mention resolved as it did, and the Toponym handed to the caller."""

from __future__ import annotations

import math

from geoevents.geoparse.mention import Mention
from geoevents.geoparse.resolution import softmax
from geoevents.geoparse.weights import COUNTRY_CODES
from geoevents.records import Toponym

__all__ = ["explain", "to_toponym"]


def explain(m: Mention, qualified: bool) -> str:
    """Why ``m`` resolved as it did (``qualified``: its choice matches a qualifier next to it)."""
    if m.best < 0:
        return "no gazetteer entry for this name"
    c = m.cands[m.best]
    kind = (
        "country"
        if c.feature_code in COUNTRY_CODES
        else "first-order admin unit"
        if c.feature_code == "ADM1"
        else "capital"
        if c.feature_code == "PPLC"
        else "populated place"
        if c.feature_class == "P"
        else f"{c.feature_code or c.feature_class or 'place'}"
    )
    n_same = len(m.cands)
    parts = []
    if m.is_demonym:
        parts.append(f"demonym of {c.country_code}")
    elif n_same == 1:
        parts.append(f"only {kind} named {m.name} in the gazetteer ({c.country_code})")
    else:
        top_prior = max(range(n_same), key=m.prior.__getitem__)
        lead = "largest" if top_prior == m.best else "chosen"
        parts.append(f"{lead} {kind} named {m.name} in {c.country_code} (of {n_same} candidates)")
        if qualified:
            parts.append("matches the qualifier next to it")
        if top_prior != m.best:
            parts.append(f"{c.country_code}/{c.admin1 or '-'} fits the document's other places")
        if m.learned:
            parts.append("the learned ranker overrode the rule score")
    if m.inner:
        parts.append(f"the place named inside '{m.name}'")
    if m.relation:
        parts.append(f"relative phrase '{m.relation}'")
    if m.metonymic:
        parts.append("possibly metonymic (the government, not the place)")
    return "; ".join(parts)


def to_toponym(m: Mention) -> Toponym:
    """Return the public record of ``m``: score = the choice's share x recognition's confidence."""
    place = m.cands[m.best] if m.best >= 0 else None
    if place is not None and not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
        place = None
    if place is None:
        score = 0.0
    else:
        p = softmax(m.scores)[m.best]
        conf = 1.0 if m.gold else 1.0 / (1.0 + math.exp(-(m.evidence + 0.5)))
        score = max(0.0, min(1.0, p * conf * (0.5 if m.metonymic else 1.0)))
    return Toponym(
        start=m.start,
        end=m.end,
        name=m.name,
        place=place,
        score=score,
        reason=m.why,
        relation=m.relation,
        is_demonym=m.is_demonym,
        metonymic=m.metonymic,
    )
