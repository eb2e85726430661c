"""Attributes of a mention: who acted and who was targeted, sub-type, casualty and date attachment.

Each function reads one mention's sentence; the figures and dates of an event are combined in
``extract`` (lowest death toll reported, most precise date phrase).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geoevents.events.actors import Actor, find_actors
from geoevents.events.mentions import PASSIVE, REACTION, EventMention, actors_in
from geoevents.events.subtypes import WEAPON_CUES, as_type

__all__ = ["assign_actors", "attach_nearest", "lowest", "weapon_sub"]

_AGENTIVE = re.compile(
    r"^[^.;]{0,50}?\b(?:carried out|carries out|carry out|carrying out|conducted|conducts|conducting|"
    r"launched|launches|launching|claimed(?: responsibility| credit)?(?: for)?|executed|staged|mounted|"
    r"(?:has|have|had) (?:carried out|"
    r"conducted|launched|executed|staged))\b[^.;]{0,40}$",
    re.IGNORECASE,
)
_TARGET_CUE = re.compile(
    r"\b(?:on|against|targeting|targeted|targets?|at|hit|hitting|struck|striking|of)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)


def assign_actors(
    m: EventMention, prev_end: int, next_start: int, actors: Sequence[tuple[int, int, Actor]] | None = None
) -> None:
    """Who acted and who was targeted, from the mention's own noun phrase and clause.

    Actor 1 is a name modifying the event noun ("U.S. airstrikes", "Israeli jets struck"), the
    subject of "carried out / claimed responsibility for", or the "by X" after the noun; the
    target is a name after "on/against/targeting" ("a drone attack on a U.S. base").
    """
    text = m.sent.text
    if actors is None:
        actors = find_actors(text)
    if m.verb_head is not None:
        head = m.verb_head
        clause = re.split(r"[,;:]", text[max(prev_end, head - 70) : head])[-1]
        subj = actors_in(actors, head - len(clause), head)
        if subj:
            m.actor1 = subj[-1][2]
    pre_start = max(prev_end, m.start - 90)
    pre = text[pre_start : m.start]
    post = text[m.end : min(next_start, m.end + 140)]
    passive = m.verb and bool(PASSIVE.match(m.text))
    pre_actors = actors_in(actors, pre_start, m.start)
    post_actors = actors_in(actors, m.end, m.end + len(post))
    by_rx = (
        r"\bby\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"
        if passive
        else r"^\s*,?\s*(?:(?:carried out|conducted|launched|claimed|staged|perpetrated)\s+)?by\s+"
        r"(?:the\s+)?(?:[\w-]+\s+){0,2}$"
    )
    by = [a for a in post_actors if re.search(by_rx, post[: a[0]])]
    targets = [
        a
        for a in post_actors
        if a not in by
        and (
            _TARGET_CUE.search(post[: a[0]])
            or (m.verb and re.fullmatch(r"\s*(?:the\s+|an?\s+)?(?:[a-z][\w-]*\s+){0,2}", post[: a[0]]))
        )
    ]
    actor1: Actor | None = m.actor1
    actor2: Actor | None = None
    if passive:
        actor1 = by[0][2] if by else None
        clause = re.split(r"[,;:]", pre)[-1]
        subj = actors_in(actors, m.start - len(clause), m.start)
        actor2 = subj[-1][2] if subj else None
    else:
        for _s0, e0, a in reversed(pre_actors):
            gap = pre[e0:]
            if re.fullmatch(r"(?:['’]s)?\s*(?:[\w-]+\s+){0,3}", gap) and not re.search(
                r"\b(?:for|of|against|on|with|to|and|that|which|by)\s|\b[a-z]+ed\s|" + REACTION, gap
            ):
                actor1 = a  # premodifier or the verb's subject right before it
                break
            if _AGENTIVE.match(gap):
                actor1 = a
                break
            if m.verb and not re.search(r"[,;:]", gap) and len(gap) < 60:
                actor1 = a
                break
        if by:
            actor1 = by[0][2]
        if m.verb_head is not None and m.actor1 is not None:
            actor1 = m.actor1
        specific = [a for a in targets if a[2].name != "Militants"] or targets
        if specific:
            actor2 = specific[0][2]
    if actor1 is not None and actor2 is not None and actor1.name == actor2.name:
        actor2 = None
    m.actor1, m.actor2 = actor1, actor2


def weapon_sub(m: EventMention, etype: str) -> str:
    """Sub-event type from the noun itself, else from weapons named around the mention."""
    if m.sub:
        return as_type(m.sub, m.lex_type, etype)
    text = m.sent.text
    if m.verb and m.text.lower().startswith("ambush"):
        return "armed clash"  # "gunmen ambushed a convoy", as the noun "ambush" is
    window = text[max(0, m.start - 60) : min(len(text), m.end + 80)]
    for rx, ssub, asub in WEAPON_CUES:
        if rx.search(window):
            return ssub if etype == "strike" else asub
    return "strike" if etype == "strike" else "attack"


def attach_nearest(
    items: Sequence[tuple[int, object]], mentions: list[EventMention]
) -> list[tuple[object, EventMention]]:
    """Pair each (position, item) with the nearest mention before it, else the first after it."""
    out = []
    for pos, item in items:
        before = [m for m in mentions if m.end <= pos]
        after = [m for m in mentions if m.start >= pos]
        if before:
            out.append((item, before[-1]))
        elif after:
            out.append((item, after[0]))
    return out


def lowest(figures: list[int]) -> int | None:
    """Lowest figure reported; a 0 ("no casualties") only when no sentence gives a number."""
    positive = [n for n in figures if n > 0]
    if positive:
        return min(positive)
    return 0 if figures else None
