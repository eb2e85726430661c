"""The rule placer: which places of an event's sentences are where it happened.

``assign_places`` gives each place in a locative slot of a sentence to one event mention;
``rule_locations`` turns an event's places into ``EventLocation`` records, with fallbacks
(country named in the sentence, "the Somali capital", the place of the event a response
answers, the article's dominant country). A learned :class:`~geoevents.events.placing.Placer`
can replace the slot choice (``extract_events(..., placer=...)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from geoevents.events.actors import Actor
from geoevents.events.compare import drop_covered
from geoevents.events.coref import Draft
from geoevents.events.identity import place_key
from geoevents.events.locations import LocCandidate, is_adjectival, location_at, to_event_location
from geoevents.events.mentions import EventMention
from geoevents.geo import haversine_km
from geoevents.records import Article, EventLocation, Place, Toponym

__all__ = ["PlacerLike", "assign_places", "placer_locations", "refine_locations", "rule_locations"]


class _Scored(Protocol):
    @property
    def toponym_index(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def reason(self) -> str: ...


class PlacerLike(Protocol):
    """What extraction needs of a placer (``geoevents.events.placing.Placer`` has this shape)."""

    threshold: float

    def score(self, text: str, trigger: tuple[int, int], toponyms: Sequence[Toponym]) -> Sequence[_Scored]:
        """One score per toponym, best first."""
        ...


_CLAUSE_BREAK = re.compile(
    r",\s+(?:stating|saying|calling|accusing|adding|claiming|asserting|arguing|according|while|whereas|"
    r"although|but|urging|warning|noting|describing|condemning|insisting)\b|[;:]|\b(?:said|says|stated)\b",
    re.IGNORECASE,
)


def assign_places(
    text: str,
    spans: Sequence[tuple[int, int]],
    cands: Sequence[LocCandidate],
    actor_spans: Sequence[tuple[int, int, Actor]] = (),
) -> dict[int, list[tuple[LocCandidate, LocCandidate | None]]]:
    """Give each locative place of a sentence to one event mention (index into ``spans``).

    A place belongs to the nearest mention before it, if no clause break ("..., stating that")
    lies between and it is within 150 characters; a place before every mention belongs to the
    first mention after it, and is used only when that mention has no place of its own after it
    ("Kataib Hezbollah, based in ... Jurf al-Sakhar, confirmed ... killed in the strikes").
    Relation anchors ("south of Baghdad" in "Jurf al-Sakhar south of Baghdad") travel with the
    place they anchor and are not places of their own.
    """
    post: dict[int, list[tuple[LocCandidate, LocCandidate | None]]] = {}
    pre: dict[int, list[tuple[LocCandidate, LocCandidate | None]]] = {}
    if not spans:
        return post
    for c in cands:
        if c.anchor_of is not None:
            continue
        anchor = next((a for a in cands if a.anchor_of is not None and cands[a.anchor_of] is c), None)
        if any(a0 <= c.start and c.end <= a1 and a1 - a0 > c.end - c.start for a0, a1, _a in actor_spans):
            continue  # "the Islamic Resistance in Iraq": part of a name
        before = [k for k, (_s, e) in enumerate(spans) if e <= c.start]
        if before:
            k = before[-1]
            if _CLAUSE_BREAK.search(text[spans[k][1] : c.start]) or c.start - spans[k][1] > 150:
                continue  # another clause's place, or too far from the event noun
            post.setdefault(k, []).append((c, anchor))
        else:
            after = [k for k, (st, _e) in enumerate(spans) if st >= c.end]
            pre.setdefault(after[0] if after else 0, []).append((c, anchor))
    for k, items in pre.items():
        if k not in post:
            post[k] = items
    return post


def placer_locations(d: Draft, text: str, tops: Sequence[Toponym], placer: PlacerLike) -> list[EventLocation]:
    """Return the places a placer scores at or above its threshold for the event's first mention.

    Only places in the event's own sentences count (the placer scores the whole article). A place
    the placer picks keeps the placer's reason; its relation ("north of Baghdad") comes from the
    geoparser's ``Toponym.relation``.
    """
    m = d.mentions[0]
    trigger = (m.sent.start + m.start, m.sent.start + m.end)
    spans = [(x.sent.start, x.sent.end) for x in d.mentions]
    locs: list[EventLocation] = []
    for ps in placer.score(text, trigger, tops):
        if ps.score < placer.threshold:
            break
        t = tops[ps.toponym_index]
        if t.place is None or t.is_demonym or not any(a <= t.start < b for a, b in spans):
            continue  # only a place of the event's own sentences
        if any(x.actor1 is not None and x.actor1.name == t.place.name for x in d.mentions):
            continue  # "U.S. airstrikes": the acting state's own country is not where it struck
        c = LocCandidate(t, t.start, t.end, t.relation, None, False, False)
        loc = to_event_location(c, reason=f"placer {ps.score:.2f}: {ps.reason}")
        if not any(place_key(x) == place_key(loc) for x in locs):
            locs.append(loc)
    return drop_covered(locs)


def refine_locations(
    d: Draft,
    text: str,
    tops: Sequence[Toponym],
    placer: PlacerLike,
    locs: list[EventLocation],
    *,
    threshold: float,
    after: int,
    sentences: Sequence[tuple[int, int]],
) -> list[EventLocation]:
    """Refine a lone country or province of the rules to a precise place the placer finds inside it.

    "A gunman opened fire in a bar in northern Mexico ... The shooter walked into the Mogavi bar
    in the city of Chihuahua": the rules read the lead's locative slot (Mexico, precision 3); the
    placer, scoring the whole article from the event's trigger, ranks Chihuahua first. Its best
    place at or above ``threshold`` that lies inside one of ``locs`` (same country, and the same
    province when the rule's place is one), in the event's sentences or the ``after`` sentences
    that follow them (``sentences``: the article's sentence spans), replaces them. ``locs`` are
    returned unchanged when none qualifies.
    """
    if len(locs) != 1 or locs[0].geo_precision < 3:
        return locs  # "airstrikes in Iraq and Syria": several countries are not one refinable place
    m = d.mentions[0]
    trigger = (m.sent.start + m.start, m.sent.start + m.end)
    own = {k for k, (a, b) in enumerate(sentences) for x in d.mentions if a <= x.sent.start < b}
    spans = [sentences[k] for k in range(len(sentences)) if any(0 <= k - j <= after for j in own)]
    acting = {x.actor1.name for x in d.mentions if x.actor1 is not None}
    outer = locs[0]

    def fits(t: Toponym) -> bool:
        p = t.place
        return (
            p is not None
            and not t.is_demonym
            and not p.feature_code.startswith(("PCL", "ADM1"))
            and p.name not in acting
            and p.country_code == outer.country_code
            and (
                not outer.feature_code.startswith("ADM1") or not outer.admin1 or outer.admin1 == p.admin1_name
            )
            and any(a <= t.start < b for a, b in spans)
        )

    if not any(fits(t) for t in tops):
        return locs  # nothing to refine to: the placer is not asked (a fifth of extraction time)
    for ps in placer.score(text, trigger, tops):
        if ps.score < threshold:
            break
        t = tops[ps.toponym_index]
        if not fits(t):
            continue
        c = LocCandidate(t, t.start, t.end, t.relation, None, False, False)
        loc = to_event_location(c, reason=f"placer {ps.score:.2f}, inside {outer.place_name}: {ps.reason}")
        if loc.geo_precision < 3:
            return [loc]
    return locs


def rule_locations(
    d: Draft,
    article: Article,
    tops: Sequence[Toponym],
    claimed: set[int],
    placed: list[tuple[Draft, list[EventLocation]]],
) -> list[EventLocation]:
    """Where one drafted event happened, by the locative-slot rules (``docs/events.md``).

    Places in the event's locative slots first (a relation-only place gives way to the place it
    names); else a country named in its sentence; else "the Somali capital"; else the place of
    the event it responds to; else the article's dominant country.
    """
    ms = d.mentions
    # locations, deduplicated; a relation-only place gives way to the place it names
    locs: list[EventLocation] = []
    for m in ms:
        for c0, anchor0 in m.locs:
            c, anchor = _trust_container(c0, anchor0)
            kind = "near/relative" if c.relation or anchor else "locative"
            reason = f"{kind} mention in: {m.sent.text[:80]!r}"
            if c is not c0:
                reason += f"; {c0.toponym.name!r} resolved outside its container {c.toponym.name!r}"
            loc = to_event_location(c, anchor, reason=f"place named where the event happened ({reason})")
            if _CAPITAL_AFTER.match(m.sent.text, c.end):
                loc = _capital(loc.country_code, tops, f"'{c.toponym.name}'s capital'") or loc
            if anchor is not None and anchor.relation:
                locs = [x for x in locs if not (x.location_relation and x.place_name == anchor.toponym.name)]
            if any(place_key(x) == place_key(loc) for x in locs):
                continue
            locs.append(loc)
    if not locs:
        # no place in a locative slot: fall back to a country named in the event's own sentence
        for m in ms[:1]:
            for t in tops:
                p = t.place
                rel_s, rel_e = t.start - m.sent.start, t.end - m.sent.start
                if (
                    p is not None
                    and not t.is_demonym
                    and p.feature_code.startswith("PCL")
                    and m.sent.start <= t.start
                    and t.end <= m.sent.end
                    and id(t) not in claimed
                    and m.sent.text[rel_s:rel_e] == t.name
                    and not is_adjectival(m.sent.text, rel_e, t)
                    and not (m.actor1 is not None and m.actor1.name == p.name)
                ):
                    loc = location_at(
                        p,
                        place_name=t.name,
                        geo_precision=3,
                        reason=("country named in the event's sentence; no place given for the event"),
                    )
                    if not any(place_key(x) == place_key(loc) for x in locs):
                        locs.append(loc)
    if not locs or all(x.geo_precision == 3 for x in locs):
        # "in the Somali capital": a demonym the slot rule skips, naming the capital
        for m in ms[:1]:
            for t in tops:
                rel = t.start - m.sent.start
                if (
                    t.place is not None
                    and (t.is_demonym or t.place.feature_code.startswith("PCL"))
                    and 0 <= rel
                    and t.end <= m.sent.end
                ):
                    before = m.sent.text[max(0, rel - 4) : rel].lower()
                    if before.endswith("the ") and _CAPITAL_AFTER.match(m.sent.text, rel + len(t.name)):
                        cap = _capital(t.place.country_code, tops, f"'the {t.name} capital'")
                        if cap is not None:
                            locs = [cap]
                            break
    if not locs:
        locs = _response_location(d, placed)
    if not locs and (any(m.casualties for m in ms) or any(m.det != "def" for m in ms)):
        # a bare reference ("The attack prompted ...") with nothing of its own stays uncoded
        locs = _article_country(article.text or "", tops, ms[0])
    return drop_covered(locs)


_RESPONSE_CUE = re.compile(
    r"\b(?:in\s+(?:response|retaliation|reprisal)|responding|retaliat(?:ed|ing|ion)|in\s+return)\b",
    re.IGNORECASE,
)


def _response_location(d: Draft, placed: list[tuple[Draft, list[EventLocation]]]) -> list[EventLocation]:
    """'In response, an AC-130 engaged ...': an unplaced reaction happens near the event it answers.

    The answered event is the latest earlier event told in the two sentences before, with a place
    at precision 1-2; the reaction gets that place at precision 2 ("near" it), because the
    responders hit the attackers where they attacked from, not the same spot.
    """
    m = d.mentions[0]
    if not _RESPONSE_CUE.search(m.sent.text[: m.start]):
        return []
    for other, locs in reversed(placed):
        if other is d or m.sent.index - other.last_sentence > 2 or other.last_sentence > m.sent.index:
            continue
        precise = [x for x in locs if x.geo_precision < 3 and x.lat is not None]
        if not precise:
            continue
        return [
            replace(
                x,
                geo_precision=2,
                location_relation=f"near {x.place_name}",
                location_reason=(
                    f"no place named; responds to the event at {x.place_name} ({m.sent.text[:60]!r}), "
                    "placed near it"
                ),
            )
            for x in precise
        ]
    return []


def _article_country(text: str, tops: Sequence[Toponym], first: EventMention) -> list[EventLocation]:
    """Return the article's dominant country, for an event whose sentences name no usable place.

    Counts the resolved place mentions of the whole article by country (not demonyms, not
    metonyms like "talks with Washington", not adjectives like "U.S. forces", not the acting
    state's own country) and returns that country at precision 3, with coordinates from a
    mention of the country itself; nothing when no such mention exists or countries tie.
    """
    counts: dict[str, int] = {}
    country_top: dict[str, Toponym] = {}
    actor = first.actor1.name if first.actor1 is not None else None
    for t in tops:
        p = t.place
        if p is None or not p.country_code or t.metonymic:
            continue
        if p.feature_code.startswith("PCL"):
            country_top.setdefault(p.country_code, t)
            if p.name == actor:
                continue
        if t.is_demonym or is_adjectival(text, t.end, t):
            continue
        counts[p.country_code] = counts.get(p.country_code, 0) + 1
    if not counts:
        return []
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return []  # two countries as often: no dominant one
    cc = ranked[0][0]
    top = country_top.get(cc)
    if top is None or top.place is None or top.place.name == actor:
        return []
    p = top.place
    return [
        location_at(
            p,
            place_name=p.name,
            geo_precision=3,
            reason=(
                "no place named for the event; the article's dominant country "
                f"({counts[cc]} of its place mentions)"
            ),
        )
    ]


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _trust_container(
    c: LocCandidate, anchor: LocCandidate | None
) -> tuple[LocCandidate, LocCandidate | None]:
    """'Mogadishu's Lido beach area' with Lido resolved in Italy: the container is the better place.

    When a place named inside a container ("X in Y", "Y's X") is unresolved, or resolved in
    another country than the container, or more than 150 km from a container town, the event is
    placed at the container instead, as part of it (precision 2 for a town, 3 for a region).
    """
    if anchor is None or anchor.relation or anchor.toponym.place is None:
        return c, anchor
    outer = anchor.toponym.place
    inner = c.toponym.place
    wrong = inner is None or (outer.country_code and inner.country_code != outer.country_code)
    if not wrong and inner is not None and outer.feature_class == "P" and _km(inner, outer) > 150:
        wrong = True
    if not wrong:
        return c, anchor
    return replace(anchor, anchor_of=None, area=True), None


_CAPITAL_AFTER = re.compile(r"(?:['’]s)?\s+capital\b(?!\s+of\b)")


def _capital(cc: str, tops: Sequence[Toponym], phrase: str) -> EventLocation | None:
    """Return the capital of country ``cc`` when the article names it ("Somalia's capital" + "Mogadishu")."""
    for t in tops:
        p = t.place
        if p is not None and p.feature_code == "PPLC" and p.country_code == cc and not t.is_demonym:
            return location_at(
                p,
                place_name=t.name,
                geo_precision=1,
                reason=f"{phrase}: the capital the article names ({t.name})",
            )
    return None
