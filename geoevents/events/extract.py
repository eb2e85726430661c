"""Strike and attack records from one article and its resolved place mentions.

How a report becomes events (each step documented with its rule in ``docs/events.md``):

1. Prose sentences only (headlines, "Also Read:" lines, related-story blocks are skipped).
2. Event *mentions*: event nouns ("airstrikes", "a drone attack", "the strike") and verbs with an
   armed subject ("Israeli jets struck", "Turkish drones hit", "forces were targeted").
   Hypothetical ("further strikes", "no plans for"), and aggregate mentions ("more than 150
   attacks", "a series of", "three separate sets of strikes") are not coded as single events.
3. Each mention either refers back to an event already mentioned ("the strikes", "this strike")
   or starts a new one ("a drone attack on a U.S. base in Jordan").
4. Places (locative slots only), dates, casualty figures and actors attach to the nearest mention
   in their sentence; casualty sentences without a mention ("The casualties included ... 25
   people sustained injuries") attach to the event of the sentence before.
5. Strike vs attack comes from the actor (a state's forces strike; armed groups attack), then
   from the words ("airstrike" vs "rocket attack").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from geoevents.events._text import Sentence, split_sentences
from geoevents.events.actors import Actor, find_actors
from geoevents.events.casualties import CasualtyMatch, find_casualties
from geoevents.events.dates import DateMatch, find_dates, resolve_phrase
from geoevents.events.locations import LocCandidate, is_adjectival, sentence_locations, to_event_location
from geoevents.geo import haversine_km
from geoevents.records import Article, Event, EventLocation, Place, Toponym

__all__ = ["event_id", "extract_events"]

# (regex, lexical type, sub-type or "" when the noun does not say, is a verb)
_NOUNS: list[tuple[str, str, str]] = [
    (r"drone\s+strikes?", "strike", "drone strike"),
    (r"missile\s+strikes?", "strike", "missile strike"),
    (
        r"artillery\s+(?:strikes?|fire|shelling|barrages?)|shelling|mortar\s+fire",
        "strike",
        "shelling/artillery",
    ),
    (
        r"air\s*-?\s*strikes?|air\s+raids?|aerial\s+(?:strikes?|attacks?|bombardments?)|bombing\s+raids?|"
        r"air\s+attacks?",
        "strike",
        "air strike",
    ),
    (
        r"drone\s+attacks?|(?:suicide|kamikaze|one-way\s+attack)\s+drones?|(?:launched|sent|flew)\s+(?:\w+\s+)?"
        r"(?:armed\s+|explosive-laden\s+|attack\s+)?drones?(?!\s+(?:attacks?|strikes?))",
        "attack",
        "drone attack",
    ),
    (
        r"rocket\s+(?:attacks?|fire|barrages?)|rockets?\s+(?:were\s+|was\s+)?(?:fired|launched)|"
        r"(?:fired|launched)\s+(?:an?\s+)?(?:barrage\s+of\s+|volley\s+of\s+)?(?:[\w-]+\s+)?rockets?(?!\s+(?:attacks?|strikes?))",
        "attack",
        "rocket attack",
    ),
    (
        r"(?:ballistic\s+)?missile\s+attacks?|(?:ballistic|cruise)\s+missiles?\s+(?:were\s+|was\s+)?(?:fired|launched)|"
        r"(?:fired|launched)\s+(?:an?\s+|two\s+|three\s+|several\s+)?(?:[\w-]+\s+)?(?:ballistic\s+|cruise\s+)?missiles?(?!\s+(?:attacks?|strikes?))|"
        r"(?:fired|launched)\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:barrage|volley|salvo|wave|swarm)\s+of\s+(?:[\w-]+\s+)?missiles?",
        "attack",
        "missile attack",
    ),
    (
        r"suicide(?:\s+car|\s+truck|\s+vest)?[\s-]+(?:bombings?|attacks?|bombers?|car\s+bombs?|bombs?|blasts?)",
        "attack",
        "suicide bomb",
    ),
    (
        r"(?:fired|launched|lobbed)\s+(?:[\w-]+\s+){0,2}?(?:mortars?|mortar\s+(?:rounds|shells|bombs)|artillery\s+shells)"
        r"|mortar\s+(?:attacks?|rounds|shells|bombs)",
        "strike",
        "shelling/artillery",
    ),
    (
        r"IEDs?|roadside\s+bombs?|(?:improvised\s+)?explosive\s+devices?|car\s+bombs?|bombings?|"
        r"bombs?(?=\s+(?:(?:had\s+|was\s+)?(?:exploded|detonated)|went\s+off|blew\s+up|ripped))",
        "attack",
        "IED",
    ),
    (r"(?:bomb\s+)?(?:blasts?|explosions?)", "attack", "explosion"),
    (r"(?:armed\s+)?clash(?:es)?|gun\s*fights?|fire\s*fights?|ambush(?:es)?", "attack", "armed clash"),
    (r"(?:precision\s+|retaliatory\s+|targeted\s+)?strikes?|bombardments?", "strike", ""),
    (r"attacks?|assaults?|raids?", "attack", ""),
]
_VERBS = (
    r"struck|strikes|hit|hits|bombed|bombs|pounded|shelled|targeted|targeting|attacked|attacks|"
    r"engaged|fired\s+(?:on|at|upon)|launched\s+(?:an?\s+)?(?:\w+\s+)?(?:strikes?|attacks?)|"
    r"killed|ambushed|stormed|raided|bombarded|opened\s+fire|shot\s+dead|shot\s+and\s+killed|gunned\s+down|"
    r"landed|fell|slammed\s+into|crashed\s+into"
)
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?(?P<v>hit|struck|targeted|attacked|shelled|bombed|ambushed)\b",
    re.IGNORECASE,
)
_NOUN_SRC = (
    r"(?<![\w-])(?:" + "|".join(f"(?P<n{i}>{rx})" for i, (rx, _t, _s) in enumerate(_NOUNS)) + r")(?![\w-])"
)
_VERB_SRC = r"(?<![\w-])(?P<v>" + _VERBS + r")(?![\w-])"
# Case-insensitive scans are several times slower in ``re``: the scans run on the lower-cased
# sentence with lower-case patterns, and fall back to IGNORECASE when lower-casing changes length.
_NOUN_RX = re.compile(_NOUN_SRC, re.IGNORECASE)
_VERB_RX = re.compile(_VERB_SRC, re.IGNORECASE)
_NOUN_LOW = re.compile(_NOUN_SRC.replace("IED", "ied").replace("AC-130", "ac-130"))
_VERB_LOW = re.compile(_VERB_SRC)
# Armed subjects that make a verb an event: weapons, forces, named armed actors.
_WEAPON = re.compile(
    r"\b(?:jets?|warplanes?|aircraft|planes?|drones?|bombers?|helicopters?|gunships?|AC-130|artillery|tanks?|"
    r"forces|troops|military|army|navy|air\s+force|militants|militias?|gunmen|fighters|insurgents|rockets?|"
    r"missiles?|shells|soldiers|mortars?|projectiles?|bandits|jihadists|terrorists|assailants|attackers|"
    r"extremists|rebels|separatists)\b",
    re.IGNORECASE,
)
_WEAPON_SUB = [
    (re.compile(r"\b(?:AC-130|gunships?)\b", re.I), "gunship strike", "attack"),
    (re.compile(r"\bdrones?\b|\bUAVs?\b", re.I), "drone strike", "drone attack"),
    (re.compile(r"\b(?:ballistic\s+|cruise\s+)?missiles?\b", re.I), "missile strike", "missile attack"),
    (re.compile(r"\brockets?\b", re.I), "missile strike", "rocket attack"),
    (
        re.compile(
            r"\b(?:jets?|warplanes?|aircraft|bombers?|B-?1|B-?52|F-\d+|helicopters?|air\s+raid|airstrikes?|"
            r"(?:guided|glide|aerial|cluster|barrel)\s+bombs?)\b",
            re.I,
        ),
        "air strike",
        "attack",
    ),
    (
        re.compile(r"\b(?:artillery|shell(?:ed|ing|s)?|mortars?)\b", re.I),
        "shelling/artillery",
        "shelling/artillery",
    ),
    (re.compile(r"\b(?:IEDs?|roadside\s+bombs?|explosive\s+devices?)\b", re.I), "", "IED"),
]
_DET_DEF = {"the", "this", "these", "those", "that", "such", "its", "their", "his", "her", "our", "latest"}
_DET_INDEF = {"a", "an", "another", "one", "new", "fresh"}
_HYPOTHETICAL = re.compile(
    r"\b(?:no|not|never|further|future|possible|potential|more|any|threat(?:en(?:ed|s|ing)?)?(?:\s+(?:of|to))?|"
    r"plans?\s+(?:to|for)|would|could|will|may|might|vowed\s+to|warned\s+of|to\s+deter|prevent|"
    r"against\s+possible|risk\s+of|fear\s+of|avoid|without)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_AGGREGATE = re.compile(
    r"(?:\b(?:more\s+than|over|nearly|almost|some|about|at\s+least|dozens\s+of|hundreds\s+of|scores\s+of|"
    r"several|multiple|numerous|many|a\s+number\s+of|number\s+of|series\s+of|spate\s+of|string\s+of|"
    r"rounds?\s+of|sets?\s+of|separate|waves\s+of|wave\s+of\s+attacks|campaign\s+of|dozens)\b|"
    r"\b\d[\d,]*\b|\b(?:two|three|four|five|six|seven|eight|nine|ten)\b)\s*(?:[\w,-]+\s+){0,4}$",
    re.IGNORECASE,
)
_ALWAYS_VAGUE = re.compile(
    r"\b(?:series|spate|string|number|sets?|rounds?|campaign|separate|dozens|hundreds|scores|more\s+than|over|"
    r"several|multiple|numerous|many)\b",
    re.IGNORECASE,
)
# The noun is the munitions of one attack, not a count of attacks.
_MUNITIONS = re.compile(
    r"(?:(?:ballistic|cruise)\s+)?(?:rockets?|missiles?|drones?|mortars?|shells)\b(?!\s+(?:attacks?|strikes?|fire|barrages?))"
    r"|(?:fired|launched|lobbed|sent|flew)\b",
    re.IGNORECASE,
)
# Quantities that say "many events over time", never one operation at one place.
_MANY = re.compile(
    r"\b(?:numerous|many|dozens|hundreds|scores|thousands|more\s+than|over|countless|repeated|frequent)\s+"
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_FEW = re.compile(r"\b(?:two|three|twin|2|3|a\s+pair\s+of)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# "in response to Israeli strikes on southern Lebanon": the events a reaction answers, told in passing.
_RESPONSE = re.compile(
    r"\b(?:in\s+(?:response|retaliation|reprisal)\s+(?:to|for)|to\s+avenge|retaliation\s+for|"
    r"response\s+to)\s+(?:[\w.-]+\s+){0,3}$",
    re.IGNORECASE,
)
_CONSEQUENCE = re.compile(
    r"^[^.;]{0,120}\b(?:sparking|triggering|igniting|prompting|leading\s+to|(?:which|that)\s+(?:sparked|triggered))"
    r"\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_LABOUR = re.compile(r"\b(?:hunger|general|labou?r|workers'?|teachers'?|nationwide)\s+$", re.IGNORECASE)
_DESCRIPTIVE = re.compile(
    r"\b(?:the|a)\s+(?:largest|biggest|deadliest|worst|most\s+\w+|first|second|third|latest|only)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_ORPHAN_BLOCK = re.compile(
    r"\b(?:war|conflict|fighting|since|in\s+(?:19|20)\d\d|year|overall|total|previously|"
    r"in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december))\b",
    re.I,
)
# Substrings without which a sentence has no event mention (a cheap test before the full scan).
_EVENT_WORDS = (
    "strike",
    "attack",
    "raid",
    "bomb",
    "clash",
    "fight",
    "ambush",
    "struck",
    "hit",
    "target",
    "shell",
    "fire",
    "kill",
    "engag",
    "rocket",
    "missile",
    "ied",
    "explos",
    "blast",
    "assault",
    "storm",
    "pound",
    "shot",
    "gunned",
    "drone",
    "mortar",
    "projectile",
    "landed",
    "fell",
)
# Wire datelines: "KIRKUK, March 6 (Reuters) -", "MOSUL, Iraq, Feb 12 (Reuters) -", "DAMASCUS, Syria
# (AP) —", "Sanaa (AFP) -", "ERBIL (Kurdistan24) -", "QUETTA:". The city is in capitals, or any
# capitalised word directly before an (Agency) in parentheses.
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'’-]{1,40}|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?=\s*(?:,\s*[A-Z][\w'’ -]{1,30})?\s*\())"
    r"(?:\s*/[A-Z .-]+)?(?:,\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})?"
    r",?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*"
    r"(?:\([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2}\)\s*)?[-–—:]+\s"
)
_CLAUSE_BREAK = re.compile(
    r",\s+(?:stating|saying|calling|accusing|adding|claiming|asserting|arguing|according|while|whereas|"
    r"although|but|urging|warning|noting|describing|condemning|insisting)\b|[;:]|\b(?:said|says|stated)\b",
    re.IGNORECASE,
)
_PLURAL = re.compile(r"(?:s|es)$", re.IGNORECASE)


@dataclass
class _Mention:
    sent: Sentence
    start: int  # in sentence
    end: int
    text: str
    lex_type: str
    sub: str
    verb: bool
    det: str  # "def" | "indef" | "bare"
    plural: bool
    vague: bool = False
    descriptive: bool = False
    actor1: Actor | None = None
    actor2: Actor | None = None
    locs: list[tuple[LocCandidate, LocCandidate | None]] = field(default_factory=list)
    pre_locs: list[tuple[LocCandidate, LocCandidate | None]] = field(default_factory=list)
    dates: list[DateMatch] = field(default_factory=list)
    casualties: list[CasualtyMatch] = field(default_factory=list)
    rel_anchor: _Draft | None = None
    verb_head: int | None = None  # start of a verb this noun absorbed ("gunmen killed ... in an ambush")
    reaction: bool = False  # object of "condemned / defended / protested ...": a reference, not a report
    aggregate: bool = False  # "a series of strikes": several events in one phrase
    in_response: bool = False  # "in response to Israeli strikes": events answered, told in passing

    @property
    def etype(self) -> str:
        if self.actor1 is not None:
            return "strike" if self.actor1.state else "attack"
        if self.actor2 is not None and self.actor2.state and not self.verb:
            return "attack"  # "a drone attack on a U.S. base": the state is the target
        return self.lex_type

    @property
    def has_content(self) -> bool:
        return bool(self.locs or self.dates or self.casualties)


@dataclass
class _Draft:
    mentions: list[_Mention] = field(default_factory=list)

    @property
    def etype(self) -> str:
        for m in self.mentions:
            if m.actor1 is not None:
                return m.etype
        return self.mentions[0].etype

    @property
    def last_sentence(self) -> int:
        return self.mentions[-1].sent.index

    def locations(self) -> list[tuple[LocCandidate, LocCandidate | None]]:
        return [loc for m in self.mentions for loc in m.locs]


def _determiner(sentence: str, start: int) -> str:
    words = re.findall(r"[\w.'’-]+|[,;:()\"“”]", sentence[max(0, start - 60) : start])
    for w in reversed(words[-6:]):
        low = w.lower()
        if low in _DET_DEF:
            return "def"
        if low in _DET_INDEF:
            return "indef"
        if low in {
            ",",
            ";",
            ":",
            "(",
            ")",
            "in",
            "by",
            "from",
            "after",
            "following",
            "with",
            "to",
            "for",
            "amid",
            "during",
            "and",
            "that",
            "which",
            "out",
            "conducted",
            "carried",
            "launched",
        }:
            return "bare"
    return "bare"


def _actors_in(
    actors: Sequence[tuple[int, int, Actor]], start: int, end: int
) -> list[tuple[int, int, Actor]]:
    """Return the sentence's actors inside [start, end), offsets made relative to ``start``."""
    return [(a - start, b - start, x) for a, b, x in actors if a >= start and b <= end]


def _find_mentions(
    s: Sentence, exclude: list[tuple[int, int]], actors: Sequence[tuple[int, int, Actor]] | None = None
) -> list[_Mention]:
    text = s.text
    if actors is None:
        actors = find_actors(text)
    out: list[_Mention] = []
    low = text.lower()
    same_len = len(low) == len(text)
    noun_rx, verb_rx, scan = (_NOUN_LOW, _VERB_LOW, low) if same_len else (_NOUN_RX, _VERB_RX, text)
    for m in noun_rx.finditer(scan):
        i = next(int(k[1:]) for k, v in m.groupdict().items() if v is not None)
        _rx, lex, sub = _NOUNS[i]
        if any(a <= m.start() < b for a, b in exclude):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        word = text[m.start() : m.end()]
        if lex == "strike" and _LABOUR.search(before):
            continue
        if re.search(r"\bto\s+$", before) and word.lower() in {"strike", "attack", "raid"}:
            continue  # "to strike": a verb, an intention
        plural = bool(_PLURAL.search(word)) and not word.lower().endswith(("ss", "us"))
        out.append(
            _Mention(s, m.start(), m.end(), word, lex, sub, False, _determiner(text, m.start()), plural)
        )
    for m in verb_rx.finditer(scan):
        if any(a <= m.start() < b for a, b in exclude) or any(
            x.start < m.end() and m.start() < x.end for x in out
        ):
            continue
        window = text[max(0, m.start() - 70) : m.start()]
        window = re.split(r"[.;:]", window)[-1]
        w_actors = _actors_in(actors, m.start() - len(window), m.start())
        if not (_WEAPON.search(window) or w_actors):
            continue
        if re.search(r"\b(?:to|will|would|could|may|might|not|never)\s+$", window, re.IGNORECASE):
            continue
        verb = m.group("v").lower()
        if verb.startswith(("landed", "fell", "slammed", "crashed")) and not re.search(
            r"\b(?:rockets?|missiles?|mortars?|mortar\s+(?:rounds|shells)|shells|projectiles?|drones?|bombs?)\s+"
            r"(?:\w+\s+){0,2}$",
            window,
            re.IGNORECASE,
        ):
            continue  # "forces landed", "the town fell": only munitions landing are an event
        if verb in {"killed", "attacks", "strikes", "hits", "bombs"} and not (
            re.search(
                r"\b(?:gunmen|militants|insurgents|fighters|jets|drones?|warplanes|forces|bandits|jihadists|"
                r"terrorists|assailants|attackers|extremists|rebels|separatists)\s+$",
                window,
                re.I,
            )
            or (verb == "killed" and w_actors and not w_actors[-1][2].state)
        ):
            continue
        if re.search(r"\b(?:was|were|been|being|be|is|are)\s+(?:\w+ly\s+)?$", window):
            continue  # passive: handled below, the subject is the target
        lex = (
            "attack"
            if verb in {"attacked", "attacks", "ambushed", "stormed", "raided"}
            or re.search(
                r"\b(?:rockets?|missiles?|mortars?|shells|projectiles?|gunmen|militants|insurgents|"
                r"militias?|fighters|bandits|jihadists|terrorists|assailants|attackers|extremists|rebels)\s+(?:\w+\s+){0,2}$",
                window,
                re.IGNORECASE,
            )
            else "strike"
        )
        out.append(_Mention(s, m.start(), m.end(), text[m.start() : m.end()], lex, "", True, "bare", False))
    for m in _PASSIVE.finditer(text):
        if any(a <= m.start() < b for a, b in exclude) or any(x.start <= m.start("v") < x.end for x in out):
            continue
        out.append(_Mention(s, m.start("v"), m.end("v"), m.group(0), "attack", "", True, "bare", False))
    out.sort(key=lambda x: x.start)
    for prev, cur in itertools.pairwise(out):
        # "stormed a base ..., sparking a gunfight that left seven dead": the same event goes on
        if not cur.verb and cur.det == "indef" and _CONSEQUENCE.search(text[prev.end : cur.start]):
            cur.det = "def"
    # A verb whose subject is an event noun just before it is the same mention:
    # "The strikes, conducted with B1 bombers, hit ...", "airstrikes targeting Iraq".
    kept: list[_Mention] = []
    for cur in out:
        if cur.verb and kept:
            prev = kept[-1]
            gap = text[prev.end : cur.start]
            if (
                re.fullmatch(r"\s*(?:,[^,.;]{0,60},|,)?\s*(?:[\w'-]+\s+){0,2}", gap)
                or (
                    len(gap) < 80
                    and not re.search(r"[.;:]", gap)
                    and not _WEAPON.search(gap)
                    and not _actors_in(actors, prev.end, cur.start)
                )
                or (len(gap) < 60 and re.search(r"\b(?:and|then)\s+$", gap) and prev.verb)
            ):
                continue
        if not cur.verb and kept and kept[-1].verb:
            # "were targeted in more than 150 attacks": the verb is described by the noun
            # "Gunmen killed five soldiers in an ambush": one event, told by the noun
            gap = text[kept[-1].end : cur.start]
            if re.fullmatch(r"\s*(?:in|by|with)\s+(?:[\w,-]+\s+){0,4}", gap, re.IGNORECASE) or re.fullmatch(
                r"[^,;:.]{0,50}?\b(?:in|with|during)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}",
                gap,
                re.IGNORECASE,
            ):
                verb = kept.pop()
                cur.verb_head = verb.start
        kept.append(cur)
    if any(k.sub != "explosion" for k in kept):
        # "explosions were heard after the strikes": the blast is the other event's
        kept = [k for k in kept if k.sub != "explosion"]
    for k in kept:
        if k.sub == "explosion":
            k.sub = "IED"  # ACLED: remote explosive/landmine/IED when the cause is not named
    for men in kept:
        before = text[max(0, men.start - 45) : men.start]
        if _HYPOTHETICAL.search(before):
            men.vague = True
        elif (
            not men.verb
            and _AGGREGATE.search(_after_preposition(before))
            and (men.plural or _ALWAYS_VAGUE.search(before[-30:]))
            and not _MUNITIONS.match(men.text)
            and not (men.sub in {"explosion", "IED", "suicide bomb"} and _FEW.search(before))
        ):
            # "more than 150 attacks": many events. Not "several rockets were fired" (munitions of
            # one attack) nor "two explosions ripped through" (one coordinated bombing).
            men.vague = True
            men.aggregate = True
        elif men.plural and men.det == "bare" and not men.verb and _RESPONSE.search(before):
            men.in_response = True
        if _DESCRIPTIVE.search(before):
            men.descriptive = True
        if men.det == "def" and _REACTION_RX.search(text[max(0, men.start - 60) : men.start]):
            men.reaction = True
    return kept


def _after_preposition(before: str) -> str:
    """'killed at least 30 people in attacks': the count before 'in' is of people, not of attacks."""
    return re.split(r"\b(?:in|during|by|from|after|following|with)\s", before)[-1]


def _weapon_sub(m: _Mention, etype: str) -> str:
    """Sub-event type from the noun itself, else from weapons named around the mention."""
    if m.sub:
        if etype == "strike" and m.lex_type == "attack":
            return {
                "drone attack": "drone strike",
                "missile attack": "missile strike",
                "rocket attack": "missile strike",
            }.get(m.sub, m.sub)
        if etype == "attack" and m.lex_type == "strike":
            return {
                "drone strike": "drone attack",
                "missile strike": "missile attack",
                "air strike": "air strike",
            }.get(m.sub, m.sub)
        return m.sub
    text = m.sent.text
    if m.verb and m.text.lower().startswith("ambush"):
        return "armed clash"  # "gunmen ambushed a convoy", as the noun "ambush" is
    window = text[max(0, m.start - 60) : min(len(text), m.end + 80)]
    for rx, ssub, asub in _WEAPON_SUB:
        if rx.search(window):
            return ssub if etype == "strike" else asub
    return "strike" if etype == "strike" else "attack"


_REACTION = (
    r"\b(?:said|says|condemn(?:s|ed)?|denounc(?:es|ed)?|critici[sz](?:es|ed)?|protest(?:s|ed)?|welcom(?:es|ed)"
    r"|defend(?:s|ed)?|justif(?:y|ies|ied)|blam(?:es|ed)|accus(?:es|ed)|rebuke|deplor(?:es|ed)|reject(?:s|ed)?"
    r"|slamm?(?:s|ed)|hail(?:s|ed)?|discuss(?:es|ed)?)\b"
)
_REACTION_RX = re.compile(_REACTION + r"[^.;]{0,40}$", re.IGNORECASE)
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


def _actors(
    m: _Mention, prev_end: int, next_start: int, actors: Sequence[tuple[int, int, Actor]] | None = None
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
        subj = _actors_in(actors, head - len(clause), head)
        if subj:
            m.actor1 = subj[-1][2]
    pre_start = max(prev_end, m.start - 90)
    pre = text[pre_start : m.start]
    post = text[m.end : min(next_start, m.end + 140)]
    passive = m.verb and bool(_PASSIVE.match(m.text))
    pre_actors = _actors_in(actors, pre_start, m.start)
    post_actors = _actors_in(actors, m.end, m.end + len(post))
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
        subj = _actors_in(actors, m.start - len(clause), m.start)
        actor2 = subj[-1][2] if subj else None
    else:
        for _s0, e0, a in reversed(pre_actors):
            gap = pre[e0:]
            if re.fullmatch(r"(?:['’]s)?\s*(?:[\w-]+\s+){0,3}", gap) and not re.search(
                r"\b(?:for|of|against|on|with|to|and|that|which|by)\s|\b[a-z]+ed\s|" + _REACTION, gap
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


def _place_key(loc: EventLocation) -> str:
    if loc.place_id is not None:
        return f"p{loc.place_id}"
    return "n" + re.sub(r"\W+", "", loc.place_name.lower())


def event_id(ev: Event) -> str:
    """Stable id from the record's content: type, sub-type, date, places, sources and evidence.

    Uses sha1 (not Python's salted ``hash``), sorts every collection, so the id is the same across
    runs and input orders; after a merge it is recomputed from the merged content.
    """
    parts = [
        ev.event_type,
        ev.sub_event_type,
        ev.event_date.isoformat() if ev.event_date else "",
        ev.date_precision or "",
        ",".join(sorted(_place_key(loc) for loc in ev.locations)),
        ",".join(sorted(ev.source_ids)),
        "|".join(sorted(ev.evidence)),
    ]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _compatible_places(a: list[EventLocation], b: list[EventLocation]) -> bool:
    from geoevents.events.merge import locations_compatible

    return not a or not b or locations_compatible(a, b)


_PREC_RANK = {"day": 0, "week": 1, "month": 2}


def _weapon_key(m: _Mention) -> str:
    """'drone', 'air', 'missile', ... from the noun, or for verbs from the weapons around them."""
    if m.sub:
        if m.sub == "suicide bomb":
            return "IED"  # "two explosions ... the twin suicide bombings": one bombing, told twice
        return m.sub.split()[0].split("/")[0]
    if m.verb:
        text = m.sent.text
        window = text[max(0, m.start - 60) : min(len(text), m.end + 60)]
        for rx, ssub, asub in _WEAPON_SUB:
            if rx.search(window):
                return (ssub or asub).split()[0].split("/")[0]
    return ""


def _resolve(m: _Mention, drafts: list[_Draft]) -> _Draft | None:
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
        if not _compatible_places(mine, theirs) and not _relation_upgrade(m, d):
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


def _relation_upgrade(m: _Mention, d: _Draft) -> bool:
    """'Jurf al-Sakhar south of Baghdad' names the place an earlier 'south of Baghdad' left open."""
    for _c, anchor in m.locs + m.pre_locs:
        if anchor is None or not anchor.relation:
            continue
        for dc, _da in d.locations():
            if dc.relation and dc.toponym.name == anchor.toponym.name and dc.relation == anchor.relation:
                return True
    return False


def _PRECISE(c: LocCandidate, a: LocCandidate | None) -> bool:
    return to_event_location(c, a, reason="").geo_precision < 3


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


def _attach_nearest(
    items: Sequence[tuple[int, object]], mentions: list[_Mention]
) -> list[tuple[object, _Mention]]:
    out = []
    for pos, item in items:
        before = [m for m in mentions if m.end <= pos]
        after = [m for m in mentions if m.start >= pos]
        if before:
            out.append((item, before[-1]))
        elif after:
            out.append((item, after[0]))
    return out


def extract_events(article: Article, toponyms: Sequence[Toponym]) -> list[Event]:
    """Strike and attack events reported in one article.

    Pure: no I/O, clock or globals, so Dask can map it over articles. Any toponym list is
    accepted (wrong, unresolved, out-of-range offsets included): a place only becomes an event
    location when its mention sits in a locative slot of the event's sentence, so a bad list
    can cost a location but never crash or place an event somewhere the text does not say.

    Parameters
    ----------
    article : Article
        Text and metadata; ``published`` dates relative phrases ("on Wednesday"). Without it,
        only phrases with an explicit year give dates, and other events get ``event_date=None``.
    toponyms : sequence of Toponym
        Place mentions with offsets into ``article.text`` (``geoevents.geoparse``).

    Returns
    -------
    list of Event
        One record per distinct event in the article (an event hit at several places has
        several ``locations``), in order of first mention.

    """
    return _extract(article, toponyms, resolve_phrase)


def _extract(
    article: Article,
    toponyms: Sequence[Toponym],
    resolver: Callable[..., tuple[dt.date | None, str | None, str]],
) -> list[Event]:
    text = article.text or ""
    tops = [t for t in toponyms if isinstance(t, Toponym) and 0 <= t.start < t.end <= len(text)]
    drafts: list[_Draft] = []
    last_draft: _Draft | None = None
    for s in split_sentences(text):
        near_event = last_draft is not None and s.index - last_draft.last_sentence <= 2
        low = s.text.lower()
        if not any(w in low for w in _EVENT_WORDS):
            # no event word: only "The casualties included ... 25 injured" after an event matters
            if near_event and last_draft is not None and not _ORPHAN_BLOCK.search(s.text):
                last_draft.mentions[-1].casualties.extend(find_casualties(s.text))
            continue
        dates = find_dates(s.text)
        dl = _DATELINE.match(s.text)
        if dl:  # "BAGHDAD, Jan 5 (Reuters) -": the report's date and place, not the event's
            dates = [d for d in dates if d.start >= dl.end()]
        exclude = [(d.start, d.end) for d in dates if d.kind == "rel_event"]
        actor_spans = find_actors(s.text)
        mentions = _find_mentions(s, exclude, actor_spans)
        cas = find_casualties(s.text)
        if not mentions:
            if cas and near_event and last_draft is not None and not _ORPHAN_BLOCK.search(s.text):
                last_draft.mentions[-1].casualties.extend(cas)
            continue
        spans = [(m.start, m.end) for m in mentions]
        cands = sentence_locations(s.text, tops, s.start, spans)
        for k, m in enumerate(mentions):
            prev_end = mentions[k - 1].end if k else 0
            next_start = mentions[k + 1].start if k + 1 < len(mentions) else len(s.text)
            _actors(m, prev_end, next_start, actor_spans)
        placed = assign_places(s.text, [(m.start, m.end) for m in mentions], cands, actor_spans)
        for k, m in enumerate(mentions):
            m.locs = placed.get(k, [])
        for item, m in _attach_nearest([(d.start, d) for d in dates if not d.reporting], mentions):
            m.dates.append(item)  # type: ignore[arg-type]
        for item, m in _attach_nearest([(c.start, c) for c in cas], mentions):
            m.casualties.append(item)  # type: ignore[arg-type]
        for d in dates:
            if d.kind == "rel_event":
                target = next((m for m in mentions if m.start >= d.end), None)
                ref_type = (
                    "strike" if re.search(r"strike|raid|bomb", d.group("ref") or "", re.I) else "attack"
                )
                anchor = next((x for x in reversed(drafts) if x.etype == ref_type), None)
                if target is not None and anchor is not None:
                    target.rel_anchor = anchor
        for m in mentions:
            if (
                not m.vague
                and not m.verb
                and m.plural
                and m.det == "bare"
                and (m.lex_type == "attack" or m.in_response)
                and (not m.sub or m.in_response)
                and not any(_PRECISE(c, a) for c, a in m.locs)
                and not (m.verb_head is not None and m.casualties)  # "Bandits killed 30 people in attacks"
            ):
                # "launching attacks on US bases in Syria", "in response to Israeli strikes on
                # southern Lebanon": several events, none placed, named in passing
                m.vague = True
            if (
                m.vague
                and m.aggregate
                and any(_PRECISE(c, a) for c, a in m.locs)
                and (m.dates or m.casualties)
                and not _MANY.search(m.sent.text[max(0, m.start - 45) : m.start])
            ):
                # "a series of strikes on the outskirts of Baalbek on Monday": one place, so one
                # event for it (ACLED codes one event per location and day)
                m.vague = False
            if m.vague:
                continue
            draft = _resolve(m, drafts)
            if draft is None:
                draft = _Draft()
                drafts.append(draft)
            draft.mentions.append(m)
            last_draft = draft
    return _finish(article, drafts, tops, resolver)


def _finish(
    article: Article,
    drafts: list[_Draft],
    tops: Sequence[Toponym],
    resolver: Callable[..., tuple[dt.date | None, str | None, str]],
) -> list[Event]:
    events: list[Event] = []
    dated: dict[int, tuple[dt.date, str]] = {}
    claimed = {
        id(c.toponym)
        for d in drafts
        for m in d.mentions
        for c, _a in m.locs
        if any(x.casualties or x.actor1 for x in d.mentions)
    }
    placed: list[tuple[_Draft, list[EventLocation]]] = []  # earlier events and where they were
    for d in drafts:
        etype = d.etype
        ms = d.mentions
        notes: list[str] = []
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
                    locs = [
                        x for x in locs if not (x.location_relation and x.place_name == anchor.toponym.name)
                    ]
                if any(_place_key(x) == _place_key(loc) for x in locs):
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
                        loc = EventLocation(
                            place_name=t.name,
                            lat=p.lat,
                            lon=p.lon,
                            geonameid=p.geonameid,
                            place_id=p.place_id,
                            resolved_name=p.name,
                            feature_code=p.feature_code,
                            admin1=p.admin1_name,
                            country_code=p.country_code,
                            geo_precision=3,
                            location_reason=(
                                "country named in the event's sentence; no place given for the event"
                            ),
                        )
                        if not any(_place_key(x) == _place_key(loc) for x in locs):
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
        locs = _drop_covered(locs)
        placed.append((d, locs))
        killed = [c.n for m in ms for c in m.casualties if c.kind == "killed"]
        injured = [c.n for m in ms for c in m.casualties if c.kind == "injured"]
        actor1 = next((m.actor1.name for m in ms if m.actor1 is not None), None)
        actor2 = next((m.actor2.name for m in ms if m.actor2 is not None), None)
        if not locs and not killed and not injured:
            continue  # nothing to code: neither where nor what it did
        # date: an explicit phrase (most precise first), else relative to another event, else the report
        date: dt.date | None = None
        prec: str | None = None
        for m in ms:
            # "overnight into Sunday": the weekday says which night, so "overnight" comes last
            for dm in sorted(m.dates, key=lambda x: x.kind == "overnight"):
                if dm.kind == "rel_event":
                    continue
                dd, pp, note = resolver(dm, article.published)
                if dd is not None and (prec is None or _PREC_RANK[pp or "month"] < _PREC_RANK[prec]):
                    date, prec = dd, pp
                    notes.append(f"date: {note}")
        if date is None:
            for m in ms:
                if m.rel_anchor is not None and id(m.rel_anchor) in dated:
                    rel = next(x for x in find_dates(m.sent.text) if x.kind == "rel_event")
                    dd, pp, note = resolve_phrase(rel, article.published, dated[id(m.rel_anchor)])
                    if dd is not None:
                        date, prec = dd, pp
                        notes.append(f"date: {note}")
                        break
        if date is None and article.published is not None:
            date, prec = article.published, "week"
            notes.append("date: no date phrase; coded to the report date (week precision)")
        if date is not None and prec is not None:
            dated[id(d)] = (date, prec)
        sub = (
            next((_weapon_sub(m, etype) for m in ms if m.sub), None)
            or next((s for s in (_weapon_sub(m, etype) for m in ms) if s not in {"strike", "attack"}), None)
            or ("strike" if etype == "strike" else "attack")
        )
        if sub == "IED" and any(m.sub == "suicide bomb" for m in ms):
            sub = "suicide bomb"  # a blast later said to be a suicide bombing
        evidence: list[str] = []
        for m in ms:
            if m.sent.text not in evidence:
                evidence.append(m.sent.text)
        ev = Event(
            event_id="",
            event_type=etype,
            sub_event_type=sub,
            actor1=actor1,
            actor2=actor2,
            event_date=date,
            date_precision=prec,
            locations=tuple(locs),
            killed=_lowest(killed),
            injured=_lowest(injured),
            evidence=tuple(evidence),
            source_ids=(article.id,),
            source_urls=(article.url or "",),
            source_titles=(article.title or "",),
            source_names=(article.source or "",),
            notes="; ".join(notes),
        )
        events.append(_with_id(ev))
    return _drop_background(events, article.published)


def _drop_background(events: list[Event], published: dt.date | None) -> list[Event]:
    """Drop events recalled as background in a report about a recent one.

    "... after the Palestinian group's Oct. 7 attack on southern Israel" in a March report is the
    story's context, not what it reports: an event dated (by its own phrase, day or month
    precision) more than 30 days before the article is dropped when the article also reports an
    event within the last 7 days. Reports about an old event (no recent one) keep it.
    """
    if published is None or len(events) < 2:
        return events

    def age(e: Event) -> int | None:
        return (published - e.event_date).days if e.event_date is not None else None

    recent = any((a := age(e)) is not None and 0 <= a <= 7 for e in events)
    if not recent:
        return events
    return [
        e
        for e in events
        if not ((a := age(e)) is not None and a > 30 and e.date_precision in {"day", "month"})
    ]


_RESPONSE_CUE = re.compile(
    r"\b(?:in\s+(?:response|retaliation|reprisal)|responding|retaliat(?:ed|ing|ion)|in\s+return)\b",
    re.IGNORECASE,
)


def _response_location(d: _Draft, placed: list[tuple[_Draft, list[EventLocation]]]) -> list[EventLocation]:
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


def _article_country(text: str, tops: Sequence[Toponym], first: _Mention) -> list[EventLocation]:
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
    t = country_top.get(cc)
    if t is None or t.place is None or t.place.name == actor:
        return []
    p = t.place
    return [
        EventLocation(
            place_name=p.name,
            lat=p.lat,
            lon=p.lon,
            geonameid=p.geonameid,
            place_id=p.place_id,
            resolved_name=p.name,
            feature_code=p.feature_code,
            admin1=p.admin1_name,
            country_code=p.country_code,
            geo_precision=3,
            location_reason=(
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
            return EventLocation(
                place_name=t.name,
                lat=p.lat,
                lon=p.lon,
                geonameid=p.geonameid,
                place_id=p.place_id,
                resolved_name=p.name,
                feature_code=p.feature_code,
                admin1=p.admin1_name,
                country_code=p.country_code,
                geo_precision=1,
                location_reason=f"{phrase}: the capital the article names ({t.name})",
            )
    return None


def _lowest(figures: list[int]) -> int | None:
    """Lowest figure reported; a 0 ("no casualties") only when no sentence gives a number."""
    positive = [n for n in figures if n > 0]
    if positive:
        return min(positive)
    return 0 if figures else None


def _with_id(ev: Event) -> Event:
    return replace(ev, event_id=event_id(ev))


def _drop_covered(locs: list[EventLocation]) -> list[EventLocation]:
    """Drop a country-level location when a more precise one in the same country is present."""
    out = []
    for loc in locs:
        if (
            loc.geo_precision == 3
            and loc.country_code
            and loc.feature_code.startswith(("PCL", "ADM1"))
            and any(o is not loc and o.geo_precision < 3 and o.country_code == loc.country_code for o in locs)
        ):
            continue
        out.append(loc)
    return out
