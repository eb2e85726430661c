"""Coreference: which mentions of one article tell the same event.

A mention either refers back to an event already mentioned ("the strikes", "this strike") or
starts a new one ("a drone attack on a U.S. base in Jordan"); :func:`resolve_mention` decides,
from the determiner, the type, the weapon and whether the places are compatible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geoevents.events.compare import locations_compatible
from geoevents.events.locations import LocCandidate, to_event_location
from geoevents.events.mentions import EventMention
from geoevents.events.subtypes import WEAPON_CUES
from geoevents.records import EventLocation

__all__ = ["Draft", "is_precise", "resolve_mention"]


@dataclass
class Draft:
    """The mentions of one article joined into one event so far."""

    mentions: list[EventMention] = field(default_factory=list)

    @property
    def etype(self) -> str:
        """Type of the first mention with an actor, else of the first mention."""
        for m in self.mentions:
            if m.actor1 is not None:
                return m.etype
        return self.mentions[0].etype

    @property
    def last_sentence(self) -> int:
        """Index of the sentence of the latest mention."""
        return self.mentions[-1].sent.index

    def locations(self) -> list[tuple[LocCandidate, LocCandidate | None]]:
        """All places assigned to the event's mentions."""
        return [loc for m in self.mentions for loc in m.locs]


def compatible_places(a: list[EventLocation], b: list[EventLocation]) -> bool:
    return not a or not b or locations_compatible(a, b)


def _weapon_key(m: EventMention) -> str:
    """'drone', 'air', 'missile', ... from the noun, or for verbs from the weapons around them."""
    if m.sub:
        if m.sub == "suicide bomb":
            return "IED"  # "two explosions ... the twin suicide bombings": one bombing, told twice
        return m.sub.split()[0].split("/")[0]
    if m.verb:
        text = m.sent.text
        window = text[max(0, m.start - 60) : min(len(text), m.end + 60)]
        for rx, ssub, asub in WEAPON_CUES:
            if rx.search(window):
                return (ssub or asub).split()[0].split("/")[0]
    return ""


def resolve_mention(m: EventMention, drafts: list[Draft]) -> Draft | None:
    """Return the earlier event this mention refers to, or None when it introduces a new event."""
    if m.det == "indef" and not m.descriptive:
        return None  # "a drone attack", "another strike": a new event
    for d in sorted(drafts, key=lambda x: -x.mentions[-1].sent.index * 10_000 - x.mentions[-1].start):
        et = d.etype
        if m.actor1 is not None:
            if m.etype != et:
                continue
        elif m.lex_type == "strike" and et != "strike":
            continue
        elif m.lex_type == "attack" and (m.has_content or m.sub) and et != "attack":
            continue
        keys = {k for k in (_weapon_key(x) for x in [*d.mentions, m]) if k}
        if len(keys) > 1:
            continue  # a "drone strike" is not the "air strike" mentioned before
        mine = [to_event_location(c, a, reason="") for c, a in m.locs]
        theirs = [to_event_location(c, a, reason="") for c, a in d.locations()]
        if not compatible_places(mine, theirs) and not _relation_upgrade(m, d):
            if m.reaction:
                # "The Taliban condemned the strikes in Kabul": the place is the reaction's
                m.locs = []
                return d
            continue
        if (
            m.det == "def"
            or m.descriptive
            or (m.det == "bare" and (not m.has_content or not d.locations() or mine))
        ):
            return d
        return None
    return None


def _relation_upgrade(m: EventMention, d: Draft) -> bool:
    """'Jurf al-Sakhar south of Baghdad' names the place an earlier 'south of Baghdad' left open."""
    for _c, anchor in m.locs + m.pre_locs:
        if anchor is None or not anchor.relation:
            continue
        for dc, _da in d.locations():
            if dc.relation and dc.toponym.name == anchor.toponym.name and dc.relation == anchor.relation:
                return True
    return False


def is_precise(c: LocCandidate, a: LocCandidate | None) -> bool:
    """Whether a place candidate gives a location finer than admin-1 (precision 1-2)."""
    return to_event_location(c, a, reason="").geo_precision < 3
