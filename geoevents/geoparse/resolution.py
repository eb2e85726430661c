"""Resolution: which candidate each mention refers to, from its prior and the document's context.

Each candidate's prior is its log population plus a feature-class bonus and a few name cues
(:meth:`Resolver.prior`); then explicit qualifiers ("Paris, Texas", "Syria's Deir ez-Zor",
"Anbar province"), the countries and first-order admin units the other mentions point to, and
the distance to the other confidently resolved places add up (two passes). Where the rules are
unsure, the learned ranker (:mod:`ranker`) re-ranks their top candidates. Every weight is in
:class:`~geoevents.geoparse.weights.Weights`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geoevents.geo import haversine_km
from geoevents.geoparse.candidates import MAX_CANDIDATES
from geoevents.geoparse.mention import Mention
from geoevents.geoparse.ranker import RERANK_BELOW, TOP_K, LearnedRanker, feature_vector
from geoevents.geoparse.tables import NameTables
from geoevents.geoparse.weights import ADMIN_CODES, COUNTRY_CODES, PRIOR_FEATURE_BONUS, Weights, pop_term
from geoevents.records import Place

__all__ = ["CandidateFeatures", "Resolver", "softmax"]

# the admin level a type word after a name asks for
_ADM1_CODES = frozenset({"ADM1", "ADM1H"})
_ADM2_CODES = frozenset({"ADM2", "ADM3", "ADM2H"})
_TYPE_LEVEL = {
    **dict.fromkeys(("province", "governorate", "state", "oblast", "region", "prefecture"), _ADM1_CODES),
    **dict.fromkeys(("district", "lga", "county", "parish", "subdistrict", "municipality"), _ADM2_CODES),
}
# a name's own generic head word and the feature class it names ("Red Sea", "Jordan River")
_HEAD_CLASS = {
    **dict.fromkeys(("sea", "ocean", "gulf", "strait", "river", "lake", "bay", "canal"), "H"),
    **dict.fromkeys(("mountains", "mountain", "desert", "valley", "peninsula", "island", "islands"), "T"),
}
_TYPED_GAP = re.compile(
    r"\s+(?:village|town|city|district|lga|area|neighbou?rhood|suburb|subdistrict|camp)\b", re.I
)
_IN_OF_GAP = re.compile(
    r"(?:\s+(?:village|town|city|district|lga|province|governorate|state|area|region|county|camp|"
    r"neighbou?rhood|suburb|subdistrict))?,?\s+(?:in|of)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_QUAL_KM = 300.0  # a candidate this close to its qualifier is kept even without matching codes
_LIST_NEXT = re.compile(r"\s*(?:,|;|,?\s+(?:and|or))\s+")
_POSSESSIVE_GAP = re.compile(
    r"['’]s?[ \t]+(?:(?:northern|southern|eastern|western|central|north|south|east|"
    r"west|northeastern|northwestern|southeastern|southwestern|restive|"
    r"rebel-held)[ \t]+)?"
)


@dataclass(frozen=True, slots=True)
class CandidateFeatures:
    """One given span's candidates and the learned ranker's feature rows (for training).

    ``order`` indexes ``candidates``: the rule score's top ``TOP_K``, best first, one row of
    :data:`~geoevents.geoparse.ranker.FEATURES` each (empty when the span has one candidate).
    """

    start: int
    end: int
    candidates: tuple[Place, ...]
    order: tuple[int, ...]
    rows: tuple[tuple[float, ...], ...]


def softmax(xs: list[float]) -> list[float]:
    """Each score's share of the evidence (scores are in log10 units, hence the 1.5)."""
    mx = max(xs)
    ex = [math.exp(min(0.0, x - mx) * 1.5) for x in xs]
    t = sum(ex)
    return [e / t for e in ex]


def _explicit_type(m: Mention) -> bool:
    """Tell whether a type word picks the class ("Nad Ali district", "the Red Sea")."""
    return m.type_word in _TYPE_LEVEL or (" " in m.key and m.key.rsplit(" ", 1)[-1] in _HEAD_CLASS)


def _nested(a: Mention, b: Mention) -> bool:
    """Tell whether b may contain a ("Lima, Allen County, Ohio"): an admin unit of a's province."""
    return any(
        cb.feature_class == "A" and ca.country_code == cb.country_code and ca.admin1 == cb.admin1
        for ca in a.cands[:10]
        for cb in b.cands[:10]
        if cb.feature_code not in COUNTRY_CODES
    )


def _nearest_anchor_km(c: Place, anchors: list[tuple[str, Place]], key: str) -> float | None:
    """Return the distance from ``c`` to the nearest anchor of another name (None without one)."""
    return min((haversine_km(c.lat, c.lon, a.lat, a.lon) for k, a in anchors if k != key), default=None)


def _in_list(text: str, ordered: list[Mention], a: Mention, b: Mention) -> bool:
    """Tell whether "a, b" continues into a third item ("a, b, c" or "a, b and c")."""
    i = ordered.index(b)
    if i + 1 < len(ordered) and _LIST_NEXT.fullmatch(text[b.end : ordered[i + 1].start]):
        return True
    j = ordered.index(a)
    return j > 0 and text[ordered[j - 1].end : a.start].strip() in (",", ";")


class Resolver:
    """Choose a candidate for every mention of one document (rules, then the learned ranker)."""

    def __init__(self, tables: NameTables, weights: Weights, model: LearnedRanker | None) -> None:
        self.tables = tables
        self.w = weights
        self.model = model

    def resolve(
        self,
        text: str,
        mentions: list[Mention],
        context: list[Mention],
        collect: list[CandidateFeatures] | None = None,
    ) -> None:
        """Set ``best``/``scores`` of every mention; ``context`` mentions only inform the others.

        ``collect``, when a list, receives the candidate features of every given (gold) span.
        """
        allm = mentions + context
        # repeated mentions of a name share candidates and priors: compute them once
        pcache: dict[tuple[Any, ...], tuple[list[Place], list[float]]] = {}
        for m in allm:
            first = m.cands[0].place_id if m.cands else 0
            ck = (m.key, m.type_hint, m.type_word, m.metonymic, len(m.cands), first)
            hit = pcache.get(ck)
            if hit is not None:
                m.cands, m.prior = hit[0], list(hit[1])
                continue
            prior_fn = self.prior(m)
            if len(m.cands) > MAX_CANDIDATES:
                m.cands = sorted(m.cands, key=prior_fn, reverse=True)[:MAX_CANDIDATES]
            m.prior = [prior_fn(c) for c in m.cands]
            # a big city beats the admin unit named after it ("New York", "Baghdad", "Basra")
            # (and a district named after its seat: "Al-Qaim" is the town unless "district" follows)
            cities = {
                (c.country_code, c.admin1)
                for c in m.cands
                if c.feature_class == "P" and (c.population or 0) >= 100_000
            }
            seats = {
                (c.country_code, c.admin1) for c in m.cands if c.feature_code.startswith(("PPLA", "PPLC"))
            }
            if (cities or seats) and m.type_hint != "A":
                for i, c in enumerate(m.cands):
                    if c.feature_code in ADMIN_CODES and (
                        (c.country_code, c.admin1) in cities
                        or (c.feature_code != "ADM1" and (c.country_code, c.admin1) in seats)
                    ):
                        m.prior[i] -= self.w.city_over_admin
            pcache[ck] = (m.cands, list(m.prior))
        # explicit qualifiers: "X, Y" where Y is a state/country mention
        ordered = sorted(allm, key=lambda m: m.start)
        for a, b in itertools.pairwise(ordered):
            gap = text[a.end : b.start]
            if gap.strip() == "," and _in_list(text, ordered, a, b) and not _nested(a, b):
                continue  # "Mosul, Kirkuk, Tikrit": a list, not "Paris, Texas"
            if gap.strip() in (",", "(", ", (") and len(gap) <= 3 and b.cands:
                b_admin = any(c.feature_class == "A" for c in b.cands)
                for c in b.cands:
                    if c.feature_code in COUNTRY_CODES:
                        a.qual.append(("country", c.country_code, ""))
                    elif c.feature_code == "ADM1":
                        a.qual.append(("admin1", c.country_code, c.admin1))
                    elif c.feature_code == "ADM2":
                        a.qual.append(("admin2", c.country_code, c.admin2))
                    elif c.feature_class == "P" and c.admin1 and not b_admin:
                        # "Mashtal, Baghdad": a neighbourhood or village of the city's province
                        a.qual.append(("admin1_weak", c.country_code, c.admin1))
            elif _POSSESSIVE_GAP.fullmatch(gap) and a.cands and not a.is_demonym:
                # "Syria's Deir ez-Zor", "Balochistan's Kech district": the owner qualifies b
                for c in a.cands[:3]:
                    if c.feature_code in COUNTRY_CODES:
                        b.qual.append(("country", c.country_code, ""))
                    elif c.feature_code == "ADM1":
                        b.qual.append(("admin1", c.country_code, c.admin1))
            elif _IN_OF_GAP.fullmatch(gap) and b.cands:
                # "Kawuri village of Konduga LGA", "Mashtal in Baghdad": X inside Y
                if _TYPED_GAP.match(gap):  # an explicit containment: "X village of Y"
                    a.qual_places.extend(b.cands[:5])
                for c in b.cands:
                    if c.feature_code in COUNTRY_CODES:
                        a.qual.append(("country_weak", c.country_code, ""))
                    elif c.feature_code == "ADM1":
                        a.qual.append(("admin1_weak", c.country_code, c.admin1))
                    elif c.feature_code in ("ADM2", "ADM3") and c.admin2:
                        a.qual.append(("admin2_weak", c.country_code, c.admin2))
                    elif c.feature_class == "P" and c.admin1:
                        a.qual.append(("admin1_weak", c.country_code, c.admin1))

        # a qualifier no candidate fits: "Kawuri village of Konduga LGA" where the only Kawuri in
        # the gazetteer is 500 km away -- the name stays, unresolved, never a far homonym
        for m in allm:
            if (
                m.qual_places
                and m.cands
                and not m.is_demonym
                and not any(self.qual_bonus(m, c) > 0 for c in m.cands)
                and not any(
                    haversine_km(c.lat, c.lon, q.lat, q.lon) < _QUAL_KM
                    for c in m.cands
                    for q in m.qual_places
                )
            ):
                m.cands, m.prior = [], []

        # pass 1: prior + qualifiers
        for m in allm:
            m.scores = [p + self.qual_bonus(m, c) for p, c in zip(m.prior, m.cands, strict=True)]
            m.best = max(range(len(m.cands)), key=m.scores.__getitem__) if m.cands else -1

        mentioned = {
            m.cands[0].country_code
            for m in allm
            if m.cands and ((m.is_demonym and m.evidence >= 0) or m.cands[0].feature_code in COUNTRY_CODES)
        }
        for pass_no in range(2):
            cc_w, ad_w, contrib_cc, contrib_ad = self._context_weights(allm)
            anchors = self._anchors(allm)
            tots: dict[str, tuple[float, float]] = {}
            for m in allm:
                if not m.cands or (m.weak and pass_no == 1):
                    continue  # a weak context name's last scores would inform nothing after them
                own_cc = contrib_cc.get(m.key, {})
                own_ad = contrib_ad.get(m.key, {})
                # normalised by the strongest country/admin1 of the document, so one clear
                # majority counts fully however many names the article has
                tot = tots.get(m.key)
                if tot is None:
                    tot = (
                        max((v - own_cc.get(k, 0.0) for k, v in cc_w.items()), default=0.0),
                        max((v - own_ad.get(k, 0.0) for k, v in ad_w.items()), default=0.0),
                    )
                    tots[m.key] = tot
                tot_cc, tot_ad = tot
                scores = []
                cshare = m.cshare = []
                ashare = m.ashare = []
                for p, c in zip(m.prior, m.cands, strict=True):
                    s = p + self.qual_bonus(m, c)
                    if c.country_code in mentioned:
                        s += self.w.mentioned_country
                    cs = as_ = 0.0
                    if tot_cc > 0:
                        cw = cc_w.get(c.country_code, 0.0) - own_cc.get(c.country_code, 0.0)
                        cs = cw / tot_cc
                        s += self.w.country * cs
                    if tot_ad > 0 and c.admin1:
                        ak = (c.country_code, c.admin1)
                        aw = ad_w.get(ak, 0.0) - own_ad.get(ak, 0.0)
                        if self.w.admin2_as_admin1 and c.admin2:
                            # Natural Earth admin-1 units are GeoNames admin-2 in some countries
                            # (Philippine provinces): a town's admin2 may meet a context admin1
                            a2 = (c.country_code, c.admin2)
                            aw = max(aw, ad_w.get(a2, 0.0) - own_ad.get(a2, 0.0))
                        as_ = aw / tot_ad
                        s += self.w.admin1 * as_
                    scores.append(s)
                    cshare.append(cs)
                    ashare.append(as_)
                if anchors and len(m.cands) > 1:
                    # distance only decides between close competitors: skip hopeless candidates
                    top = max(scores)
                    order = [
                        i
                        for i in sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:6]
                        if scores[i] > top - self.w.near - 0.5
                    ]
                    for i in order if len(order) > 1 else ():
                        c = m.cands[i]
                        if c.feature_code in COUNTRY_CODES or c.feature_code == "ADM1":
                            continue
                        dmin = _nearest_anchor_km(c, anchors, m.key)
                        if dmin is not None:
                            scores[i] += self.w.near * math.exp(-dmin / 150.0)
                m.scores = scores
                m.best = max(range(len(scores)), key=scores.__getitem__)
        if self.model is not None or collect is not None:
            self._rerank(mentions, mentioned, anchors, collect)  # context names are not returned

    def _rerank(
        self,
        allm: list[Mention],
        mentioned: set[str],
        anchors: list[tuple[str, Place]],
        collect: list[CandidateFeatures] | None,
    ) -> None:
        """Re-rank each mention's top rule candidates with the learned model (see ranker.py)."""
        sh = self.tables
        model = self.model
        fcache: dict[tuple[str, int], float | None] = {}
        for m in allm:
            n = len(m.cands)
            if n < 2 or m.is_demonym or _explicit_type(m):  # the text's own type word decides
                if collect is not None and m.gold and n == 1:
                    collect.append(CandidateFeatures(m.start, m.end, tuple(m.cands), (0,), ()))
                continue
            probs = softmax(m.scores)
            if collect is None and probs[m.best] >= RERANK_BELOW:
                continue  # the rules are sure: the model rarely disagrees there, and costs time
            order = sorted(range(n), key=m.scores.__getitem__, reverse=True)[:TOP_K]
            rule_top = m.scores[order[0]]
            prior_top = max(m.prior)
            prior_rank = {i: r for r, i in enumerate(sorted(range(n), key=m.prior.__getitem__, reverse=True))}
            rows = []
            for i in order:
                c = m.cands[i]
                dk = (m.key, c.place_id)
                if dk in fcache:
                    dmin = fcache[dk]
                else:
                    dmin = fcache[dk] = _nearest_anchor_km(c, anchors, m.key)
                rows.append(
                    feature_vector(
                        c=c,
                        rule=m.scores[i],
                        rule_top=rule_top,
                        rule_best=i == m.best,
                        rule_prob=probs[i],
                        pop_term=pop_term(c),
                        prior=m.prior[i],
                        prior_top=prior_top,
                        prior_rank=prior_rank[i],
                        exact=sh.norm(c.name) == m.key,
                        qual=self.qual_bonus(m, c),
                        mentioned=c.country_code in mentioned,
                        cshare=m.cshare[i] if m.cshare else 0.0,
                        ashare=m.ashare[i] if m.ashare else 0.0,
                        dmin=dmin,
                        n_cands=n,
                        type_hint=m.type_hint,
                        metonymic=m.metonymic,
                    )
                )
            if collect is not None and m.gold:
                collect.append(
                    CandidateFeatures(m.start, m.end, tuple(m.cands), tuple(order), tuple(map(tuple, rows)))
                )
            if model is None or probs[m.best] >= RERANK_BELOW:
                continue
            logits = model.score_many(rows)
            # the model's logits become the scores (in the softmax's units); the rest stay below
            floor = min(logits) - 10.0
            new = [floor] * n
            for i, z in zip(order, logits, strict=True):
                new[i] = z / 1.5
            best = max(order, key=new.__getitem__)
            m.learned = best != m.best
            m.scores, m.best = new, best

    def prior(self, m: Mention) -> Callable[[Place], float]:
        """Return the prior of each candidate of ``m``: population, feature class, name and type cues."""
        key = m.key
        sh = self.tables
        hint = m.type_hint
        level = _TYPE_LEVEL.get(m.type_word or "")
        head = key.rsplit(" ", 1)[-1] if " " in key else ""
        head_class = _HEAD_CLASS.get(head)

        def prior(c: Place) -> float:
            s = pop_term(c) + PRIOR_FEATURE_BONUS.get(c.feature_code, 0.0)
            if (
                c.feature_class in ("H", "T", "V", "U", "L", "R")
                and c.feature_code not in PRIOR_FEATURE_BONUS
            ):
                s -= 0.5
            if c.feature_class == "S" and c.feature_code not in PRIOR_FEATURE_BONUS:
                s -= 0.8
            cn = sh.norm(c.name)
            if cn == key:
                s += self.w.exact
            elif c.feature_code == "ADM2" and cn in (key + " county", key + " parish"):
                s += self.w.variant
            if m.metonymic and c.feature_code == "PPLC":
                s += self.w.metonymic_capital  # a capital used for its government: at least the right city
            if hint:
                if c.feature_class == hint:
                    s += self.w.type_hint
                elif hint == "A" and c.feature_class == "P":
                    s -= 0.3
            if level and c.feature_code in level:
                s += self.w.type_level
            if head_class and c.feature_class == head_class:
                s += self.w.type_in_name
            return s

        return prior

    def qual_bonus(self, m: Mention, c: Place) -> float:
        """Return the bonus of candidate ``c`` for the qualifiers next to ``m`` ("Paris, Texas")."""
        b = 0.0
        for kind, cc, code in m.qual:
            if c.country_code != cc:
                continue
            if kind == "country":
                b = max(b, self.w.qual_country)
            elif kind == "admin1" and c.admin1 == code and c.feature_code != "ADM1":
                b = max(b, self.w.qual_admin)
            elif kind == "admin2" and c.admin2 == code:
                b = max(b, self.w.qual_admin)
            elif kind == "country_weak":
                b = max(b, self.w.qual_country * 0.6)
            elif kind == "admin2_weak" and c.admin2 == code and c.feature_code not in ("ADM1", "ADM2"):
                b = max(b, self.w.qual_admin * 0.6)
            elif kind == "admin1_weak" and c.admin1 == code and c.feature_code != "ADM1":
                b = max(b, self.w.qual_admin * 0.6)
        return b

    def _context_weights(self, allm: list[Mention]):
        """Country and admin1 evidence of every distinct name, and each name's own share."""
        cc_w: dict[str, float] = defaultdict(float)
        ad_w: dict[tuple[str, str], float] = defaultdict(float)
        contrib_cc: dict[str, dict[str, float]] = {}
        contrib_ad: dict[str, dict[tuple[str, str], float]] = {}
        seen: set[str] = set()
        for m in allm:
            if not m.cands or m.key in seen:
                continue
            seen.add(m.key)
            own_cc: dict[str, float] = defaultdict(float)
            own_ad: dict[tuple[str, str], float] = defaultdict(float)
            # a weakly recognized name (maybe a person) counts less as context
            mw = 1.0 if m.gold or m.is_demonym else min(1.0, max(0.15, (m.evidence + 1.0) / 3.0))
            if m.inner:
                mw = self.w.inner_context
            if m.is_demonym:
                own_cc[m.cands[0].country_code] += 0.7 if m.evidence >= 0 else 0.2
            else:
                probs = softmax(m.scores)
                for p, c in zip(probs, m.cands, strict=True):
                    if p < 0.02:
                        continue
                    w = 1.5 if c.feature_code in COUNTRY_CODES else 1.0
                    own_cc[c.country_code] += w * p * mw
                    if c.admin1 and c.feature_code not in COUNTRY_CODES:
                        aw = 1.5 if c.feature_code == "ADM1" else 1.0
                        own_ad[(c.country_code, c.admin1)] += aw * p * mw
            for k, v in own_cc.items():
                cc_w[k] += v
            for k2, v in own_ad.items():
                ad_w[k2] += v
            contrib_cc[m.key] = own_cc
            contrib_ad[m.key] = own_ad
        return cc_w, ad_w, contrib_cc, contrib_ad

    def _anchors(self, allm: list[Mention]) -> list[tuple[str, Place]]:
        out: list[tuple[str, Place]] = []
        seen: set[str] = set()
        for m in allm:
            if m.best < 0 or m.is_demonym or m.key in seen:
                continue
            c = m.cands[m.best]
            if c.feature_code in COUNTRY_CODES or c.feature_code in ("ADM1", "CONT", "RGN"):
                continue
            probs = softmax(m.scores)
            if probs[m.best] < 0.6 or (not m.gold and m.evidence < 1.0):
                continue
            seen.add(m.key)
            out.append((m.key, c))
            if len(out) >= 20:
                break
        return out
