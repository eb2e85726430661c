"""Which place mentions in a sentence are where an event happened.

The rule (documented in ``docs/events.md``): a toponym is an event location only when it sits in
a *locative slot* (after "in/at/on/near/inside/outside/across", "south of", "targeting",
"the stronghold/city/town of", or right before the event noun as in "the Erbil attack") and is
not used for a government or a political setting ("with Washington", "the situation in
Baghdad", "the embassy in Baghdad", "the war on Gaza"). Each locative toponym belongs to the
nearest event mention before it in the sentence; a toponym before every mention belongs to the
first one after it. "X south of Y" makes Y the anchor of X's relation, not a second location.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geoevents.events.cues import partial_name
from geoevents.geoparse.relative import relation_before  # one grammar for relative phrases
from geoevents.records import EventLocation, Place, Toponym

__all__ = [
    "LocCandidate",
    "is_adjectival",
    "is_locative",
    "location_at",
    "sentence_locations",
    "to_event_location",
]

_DIR = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
# Words between a locative preposition and the toponym that keep the slot locative.
_FILLER = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "and",
    "or",
    "of",
    "city",
    "town",
    "village",
    "province",
    "district",
    "governorate",
    "region",
    "area",
    "areas",
    "capital",
    "stronghold",
    "outskirts",
    "western",
    "eastern",
    "northern",
    "southern",
    "central",
    "city's",
    "town's",
    "nearby",
    "u.s.",
    "us",
    "american",
    "military",
    "air",
    "base",
    "bases",
    "camp",
    "border",
    "neighbouring",
    "neighboring",
    "occupied",
    "disputed",
    "restive",
    "northwestern",
    "northeastern",
    "southwestern",
    "southeastern",
    "parts",
    "part",
    "north",
    "south",
    "east",
    "west",
    "mountainous",
    "rural",
    "key",
    "strategic",
    "militia",
    "militia's",
    "group's",
    "coalition",
    "positions",
    "targets",
    "locations",
    "sites",
    "facilities",
    "facility",
    "headquarters",
    "compound",
    "checkpoint",
    "this",
    "that",
    "major",
    "main",
    "former",
    "largest",
    "second-largest",
    "small",
    "remote",
    "frontline",
}
_PREP = {
    "in",
    "at",
    "on",
    "near",
    "inside",
    "outside",
    "across",
    "into",
    "around",
    "throughout",
    "within",
    "over",
    "through",
    "besieged",
    "shelling",
    "captured",
    "seized",
    "stormed",
    "entered",
    "overran",
    "targeting",
    "targeted",
    "hit",
    "hitting",
    "struck",
    "striking",
    "bombed",
    "bombing",
    "shelled",
    "pounded",
    "attacked",
    "raided",
    "toward",
    "towards",
    "along",
    "nearby",
    "above",
    "off",
    "downtown",
    "invaded",
    "patrolled",
    "patrolling",
    "attacking",
    "besieging",
    "beyond",
}
_OF_SITE = re.compile(
    r"\b(?:city|cities|towns?|villages?|provinces?|districts?|governorates?|regions?|areas?|strongholds?|outskirts|"
    r"suburbs?|neighbou?rhoods?|camps?|bases?|ports?|port\s+city|harbou?r|capital|heart|centre|center|south|north|east|west|vicinity|"
    r"countryside|streets|square|courtyard|corner|localities|settlements?|municipality|state|island|"
    r"hometown|home town|birthplace|slopes|skies|waters|environs|locality)"
    r"\s*(?:of|:)\s+(?:the\s+)?(?:[A-Z][\w'’-]*,?\s+(?:and\s+)?){0,4}$",
    re.IGNORECASE,
)
# "the aerial bombardment of Tikrit", "the shelling of Donetsk": the object of an event noun
_EVENT_OF = re.compile(
    r"(?<!during its )(?<!during their )(?<!during the )(?<!amid the )(?<!amid its )(?<!since the )"
    r"\b(?:bombardments?|shelling|bombings?|airstrikes?|air\s+strikes?|strikes?|raids?|assaults?|siege|"
    r"storming|attacks?)\s+of\s+(?:the\s+)?(?:(?:city|town|village|district|province)\s+of\s+)?$",
    re.IGNORECASE,
)
# "situation in Baghdad", "embassy in Baghdad", "talks with Washington", "war on Gaza", "troops in Iraq"
_NOT_EVENT_PLACE = re.compile(
    r"\b(?:situation|politics|political|government|ambassador|envoy|d['’]affaires|relations?|"
    r"talks|negotiations|presence|deployed|stationed|ally|allies|war|conflict|"
    r"campaign|interests|policy|parliament|meeting|summit|visit|trip|election|protests?|rally|"
    r"support|aid|officials?|ministry|minister|spokesman|spokesperson|office|court|"
    r"invasion|occupation|crisis|tensions?|ties|coordination|cooperation|headquartered|stability|"
    r"security|concerns?|peace|influence|role|opinion|economy|ceasefire|truce|deal)\s+(?:\w+\s+){0,1}(?:in|with|on|to|of|from|at|against|into)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "the Akashat and Al-Qaim regions": a coordinated list ending in a plural area noun
_AREA_LIST_AFTER = re.compile(
    r"^(?:\s*(?:,|and|or|,\s*and)\s*(?:the\s+)?[A-Z][\w'’-]*(?:[\s-][A-Z][\w'’-]*){0,3})+\s+"
    r"(?:regions|areas|districts|provinces|governorates|countrysides|outskirts)\b"
)
_SITE_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:air\s?base|airbase|airfield|air\s+field|airport|base|military base|camp|port|"
    r"checkpoint|compound|barracks|outpost)\b",
    re.IGNORECASE,
)
_AREA_AFTER = re.compile(
    r"^\s*(?:regions?|areas?|districts?|outskirts|countryside|suburbs?|mountains|desert|border area|"
    r"province|governorate|valley)\b",
    re.IGNORECASE,
)
_GOV_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:government|officials?|authorities|ministry|prime minister|president|parliament|"
    r"said|says|has|have|had|is|was|will|would|condemned|accused|denied|summoned|warned|called|issued|"
    r"criticized|criticised|rejected|announced|demanded)\b",
    re.IGNORECASE,
)
_SITE_WORDS = (
    r"(?:air\s?base|airbase|airport|base|camp|towns?|city|village|area|region|district|stronghold|port(?:\s+city)?|"
    r"mountains|province|governorate|county|commune|neighbou?rhood|suburb|refugee camp|state)"
)
_RELATION_GAP = re.compile(
    r",?\s*(?:"
    + _SITE_WORDS
    + r"\s*,?\s+)?(?:(?:about|some)\s+)?(?:\d+(?:\.\d+)?\s*(?:km|kilomet(?:er|re)s?|"
    r"miles?)\s+(?:\(\d+\s*\w+\)\s+)?)?"
    + _DIR
    + r"\s+of\s+(?:the\s+)?(?:(?:\w+\s+)?(?:capital|city|town)\s*,?\s+(?:of\s+)?)?",
    re.IGNORECASE,
)
_CONTAINER_GAP = re.compile(
    r"(?:\s+" + _SITE_WORDS + r")?\s*,?\s*(?:in|of|near|outside)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}"
    r"|(?:\s+" + _SITE_WORDS + r")?\s*,\s*",
    re.IGNORECASE,
)
_CONTAINED_GAP = re.compile(
    r"(?:['’]s\s+(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"|\s+" + _SITE_WORDS + r"\s+of\s+(?:the\s+)?)",
)
_TOKEN = re.compile(r"[\w.'’-]+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class LocCandidate:
    """A toponym in a locative slot of a sentence (offsets relative to the sentence)."""

    toponym: Toponym
    start: int
    end: int
    relation: str | None  # "south of" etc. when the toponym is itself the anchor
    anchor_of: int | None  # index of the candidate this one is the anchor of ("X south of Y": Y)
    area: bool  # "the Akashat region": near/part of the place, not the place itself
    site: bool  # "Ain al-Asad airbase", "Erbil airport"


_ADJECTIVAL = re.compile(
    r"^(?:-(?:led|backed|aligned|based|linked|made|supplied)|\s+(?:forces|troops|military|army|navy|government|"
    r"officials?|authorities|embassy|personnel|soldiers|service|servicemen|citizens|coalition|ally|allies|"
    r"air\s?strikes?|strikes?|drones?|jets|warplanes|armed|militias?|militants|security|interests|support|"
    r"president|prime|leaders?|administration|ministry|spokesman|officers?|nationals|contractors|"
    r"diplomats?|envoy|intelligence|defen[cs]e|war|bombers?|aircraft|fighter|warships?|navy|marines|"
    r"(?:central|africa|european|southern|northern|special\s+operations)\s+command|command)\b)",
    re.IGNORECASE,
)
_POSSESSIVE_NOUN_AFTER = re.compile(r"^['’]s\s+([a-z][\w-]*)")
_DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north-eastern",
    "north-western",
    "south-eastern",
    "south-western",
    "restive",
    "embattled",
    "besieged",
    "rebel-held",
}
_TIME_WORDS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_BASE_AFTER = re.compile(r"^\s+(?:military\s+)?bases?\b", re.IGNORECASE)


def is_adjectival(sentence: str, end: int, toponym: Toponym | None = None) -> bool:
    """'U.S. forces', 'Iraqi armed group', 'U.S.-led': a name used as an adjective, not a place."""
    after = sentence[end : end + 30]
    if _ADJECTIVAL.match(after):
        return True
    # "America's list", "Iraq's government": a possessor, not a place ("Iraq's northern Nineveh" is)
    pm = _POSSESSIVE_NOUN_AFTER.match(after)
    if (
        pm
        and pm.group(1).lower() not in _DIRECTIONS
        and not re.match(r"^\s+(?:[a-z][\w-]*\s+)?[A-Z]", after[pm.end() :])
    ):
        return True
    name = toponym.name if toponym else ""
    country = bool(toponym and toponym.place and toponym.place.feature_code.startswith("PCL"))
    if _BASE_AFTER.match(after) and (country or name.endswith(("i", "ian", "ish", "ese", "an", "."))):
        return True
    if name.endswith("i") and re.match(
        r"^\s+(?:capital|city|town|government|army|forces|military|border|"
        r"side|port|coast|territory|soil|troops|officials|authorities)\b",
        after,
    ):
        return True  # "the Somali capital", "the Yemeni city": a demonym the geoparser did not flag
    return bool(name.endswith(("ian", "ish", "ese")) and re.match(r"^\s+[a-z]", after))


def is_locative(sentence: str, start: int, end: int, trigger_spans: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether the mention at ``sentence[start:end]`` sits where an event's place is named."""
    before = sentence[max(0, start - 80) : start]
    if _NOT_EVENT_PLACE.search(before[-50:]):
        return False
    if relation_before(sentence, start):
        return True
    if (" of " in before or ":" in before) and (_OF_SITE.search(before) or _EVENT_OF.search(before)):
        return True
    after = sentence[end : end + 40]
    # "the Baghdad attack", "an Erbil rocket attack": the toponym modifies the event noun
    for ts, _te in trigger_spans:
        gap = sentence[end:ts]
        if (
            0 <= ts - end <= 20
            and re.fullmatch(r"\s*(?:[\w-]+\s+){0,2}", gap)
            and not _GOV_AFTER.match(after)
            # a determiner before it: "Israel captured" is a subject, "the Erbil attack" a place
            and re.search(
                r"\b(?:the|a|an|this|that|last|latest|recent|deadly|weekend|[A-Z]\w+day['’]s)\s+$",
                before,
                re.IGNORECASE,
            )
        ):
            return True
    tokens = _TOKEN.findall(before)
    skipped = 0
    for tok in reversed(tokens):
        low = tok.lower()
        if low in _TIME_WORDS:
            return False  # "on Tuesday, the U.S. ...": the preposition took the date, not this name
        if low in _PREP:
            return not _GOV_AFTER.match(after) or low not in {"on", "at"}
        if low == "," or low in _FILLER or (tok[:1].isupper() and skipped < 4):
            # "in the Akashat and Al-Qaim regions": the preposition is a few words back
            skipped += 1
            if skipped > 5:
                return False
            continue
        return False
    return False


def sentence_locations(
    sentence: str, toponyms: Sequence[Toponym], offset: int, trigger_spans: Sequence[tuple[int, int]] = ()
) -> list[LocCandidate]:
    """Locative toponyms of one sentence; ``offset`` is the sentence's start in the article."""
    inside = [
        t for t in toponyms if offset <= t.start and t.end <= offset + len(sentence) and not t.is_demonym
    ]
    inside.sort(key=lambda t: t.start)
    cands: list[LocCandidate] = []
    anchors: dict[int, int] = {}
    for i, t in enumerate(inside):
        s, e = t.start - offset, t.end - offset
        if sentence[s:e] != t.name and t.name:
            # offsets that do not fit the text: do not guess where the name is
            continue
        # "Jurf al-Sakhar south of Baghdad", "Ain al-Asad airbase west of Baghdad": Y anchors X;
        # "Sharifah in western Palmyra", "Vedeno region of southern Chechnya": Y contains X.
        if i > 0:
            prev = inside[i - 1]
            gap = sentence[prev.end - offset : s]
            if _CONTAINED_GAP.fullmatch(gap):
                # "the Baghdad neighbourhood of Al-Bayaa", "Iraq's Nineveh province", "the Black Sea
                # port of Odesa": the first name describes where the second is
                anchors[i - 1] = i
            elif _RELATION_GAP.fullmatch(gap) or _CONTAINER_GAP.fullmatch(gap):
                anchors[i] = i - 1
        if is_adjectival(sentence, e, t) or not is_locative(sentence, s, e, trigger_spans):
            continue
        if partial_name(sentence, s, e, t):
            continue
        after = sentence[e : e + 30]
        rel = t.relation or relation_before(sentence, s)
        cands.append(
            LocCandidate(
                toponym=t,
                start=s,
                end=e,
                relation=rel,
                anchor_of=None,
                area=bool(_AREA_AFTER.match(after) or _AREA_LIST_AFTER.match(sentence[e : e + 120])),
                site=bool(_SITE_AFTER.match(after)),
            )
        )
    # mark anchors: an anchor candidate is not a location of its own
    by_start = {c.start: k for k, c in enumerate(cands)}
    for i, j0 in anchors.items():
        j = j0
        seen = {i}
        # "Tikrit city, Salahaddin province, north of Baghdad": Baghdad anchors the province, which
        # is not a place of its own here, so the relation describes the place it contains
        while inside[j].start - offset not in by_start and j in anchors and j not in seen:
            seen.add(j)
            j = anchors[j]
        s = inside[i].start - offset
        ps = inside[j].start - offset
        if s in by_start and ps in by_start:
            k = by_start[s]
            c = cands[k]
            cands[k] = LocCandidate(c.toponym, c.start, c.end, c.relation, by_start[ps], c.area, c.site)
    return cands


def _precision(c: LocCandidate) -> int:
    p = c.toponym.place
    code = p.feature_code if p else ""
    if code.startswith("PCL") or code in {"ADM1", "ADM1H", "RGN", "CONT", "ADMD", "ZN"}:
        return 3
    if c.relation or c.area or code in {"ADM2", "ADM3", "MTS", "MT", "VAL", "DSRT", "PLN", "AREA"}:
        return 2
    if code in {"SEA", "GULF", "BAY", "STRT", "OCN", "CHN", "SD"}:
        # "a tanker in the Gulf of Aden": somewhere on a body of water, not a point
        return 2
    return 1


def to_event_location(c: LocCandidate, anchored: LocCandidate | None = None, *, reason: str) -> EventLocation:
    """Build the EventLocation for a candidate; ``anchored`` is "Y" when the candidate is "X south of Y"."""
    t = c.toponym
    p = t.place
    relation = None
    if c.relation:
        relation = f"{c.relation} {t.name}"
    if anchored is not None and anchored.relation:
        relation = f"{anchored.relation} {anchored.toponym.name}"
    prec = _precision(c)
    if anchored is not None and anchored.relation and not c.relation and prec == 2 and not c.area:
        prec = 1  # "Jurf al-Sakhar south of Baghdad": the named town itself
    return location_at(p, place_name=t.name, geo_precision=prec, reason=reason, relation=relation)


def location_at(
    p: Place | None, *, place_name: str, geo_precision: int, reason: str, relation: str | None = None
) -> EventLocation:
    """Return an event location at a resolved place's point (no point when unresolved), named as written."""
    if p is None:
        return EventLocation(
            place_name=place_name,
            lat=None,
            lon=None,
            geo_precision=geo_precision,
            location_relation=relation,
            location_reason=reason,
        )
    return EventLocation(
        place_name=place_name,
        lat=p.lat,
        lon=p.lon,
        geonameid=p.geonameid,
        place_id=p.place_id,
        resolved_name=p.name,
        feature_code=p.feature_code,
        admin1=p.admin1_name,
        country_code=p.country_code,
        geo_precision=geo_precision,
        location_relation=relation,
        location_reason=reason,
    )
