"""Event mentions: where a sentence names a strike or attack, with its type and cues.

A *mention* is an event noun ("airstrikes", "a drone attack", "the strike") or a verb with an
armed subject ("Israeli jets struck", "gunmen stormed"). :func:`find_mentions` is the rule
detector: it finds every candidate and flags the ones that are not one reported event
(hypothetical "further strikes", aggregate "more than 150 attacks", "in response to strikes").
Which candidates become events is decided by a :class:`MentionDetector` (``detector.py``): the
rules' flags alone, or the learned model over them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from geoevents.events._text import Sentence
from geoevents.events.actors import Actor, find_actors
from geoevents.events.casualties import CasualtyMatch
from geoevents.events.cues import (
    ARREST,
    BROAD_RX,
    BROAD_WORDS,
    CRIME_ASSAULT,
    DISASTER,
    DISASTER_AFTER,
    HABITUAL_AFTER,
    HABITUAL_BEFORE,
    HEARD,
    HIT_ADJECTIVE,
    KILLED_WORD,
    ON_STRIKE,
    POLICY_SUBJECT,
    PROTEST,
    PROTESTED_AGAINST,
    broad_kind,
)
from geoevents.events.locations import LocCandidate
from geoevents.events.subtypes import noun_patterns
from geoevents.events.when import DateMatch

__all__ = [
    "BROAD_WORDS",
    "DISASTER",
    "EVENT_WORDS",
    "MANY",
    "PASSIVE",
    "REACTION",
    "REACTION_RX",
    "WEAPON",
    "EventMention",
    "actors_in",
    "find_mentions",
]

# (regex, lexical type, sub-type or "" when the noun does not say), from the sub-type table
_NOUNS: list[tuple[str, str, str]] = noun_patterns()
_VERBS = (
    r"struck|strikes|hit|hits|bombed|bombs|pounded|shelled|targeted|targeting|attacked|attacks|"
    r"engaged|fired\s+(?:on|at|upon)|launched\s+(?:an?\s+)?(?:\w+\s+)?(?:strikes?|attacks?)|"
    r"killed|ambushed|stormed|raided|bombarded|opened\s+fire|shot\s+dead|shot\s+and\s+killed|gunned\s+down|"
    r"landed|fell|slammed\s+into|crashed\s+into"
)
PASSIVE = re.compile(
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
_PASSIVE_LOW = re.compile(PASSIVE.pattern)  # no capitals in either pattern: for lower-cased ASCII
_BROAD_LOW = re.compile(BROAD_RX.pattern)
# Armed subjects that make a verb an event: weapons, forces, named armed actors.
WEAPON = re.compile(
    r"\b(?:jets?|warplanes?|aircraft|planes?|drones?|bombers?|helicopters?|gunships?|AC-130|artillery|tanks?|"
    r"forces|troops|military|army|navy|air\s+force|militants|militias?|gunmen|fighters|insurgents|rockets?|"
    r"missiles?|shells|soldiers|mortars?|projectiles?|bandits|jihadists|terrorists|assailants|attackers|"
    r"extremists|rebels|separatists)\b",
    re.IGNORECASE,
)
_FIRE = re.compile(r"fire|blaze", re.I)
_ACCIDENT_BLAST = re.compile(
    r"\b(?:gas|gas\s+cylinder|cylinder|boiler|chemical|industrial|factory|fireworks?|transformer|pipeline|"
    r"tanker|fuel\s+tanker|methane|coal\s+mine|mine\s+gas|dust)\s+$",
    re.I,
)
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
MANY = re.compile(
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
_LABOUR = re.compile(
    r"\b(?:hunger|general|labou?r|workers'?|teachers'?|nationwide|doctors'?|nurses'?|drivers'?|truckers'?|"
    r"dockers'?|miners'?|unions?'?|wildcat|sit-down|indefinite|one-day|two-day|24-hour|48-hour|warning)\s+$",
    re.IGNORECASE,
)
# "answering strike calls by unions", "strike action over pay": labour after the word
_LABOUR_AFTER = re.compile(
    r"\s*(?:calls?|action|ballot|vote|pickets?|committee|leaders|by\s+(?:the\s+)?(?:unions?|workers|employees|"
    r"teachers|doctors|nurses|drivers|staff)|over\s+(?:pay|wages|salar\w*|pensions?))\b",
    re.IGNORECASE,
)
_DESCRIPTIVE = re.compile(
    r"\b(?:the|a)\s+(?:largest|biggest|deadliest|worst|most\s+\w+|first|second|third|latest|only)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)

# Substrings without which a sentence has no event mention (a cheap test before the full scan).
EVENT_WORDS = (
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
_PLURAL = re.compile(r"(?:s|es)$", re.IGNORECASE)


REACTION = (
    r"\b(?:said|says|condemn(?:s|ed)?|denounc(?:es|ed)?|critici[sz](?:es|ed)?|protest(?:s|ed)?|welcom(?:es|ed)"
    r"|defend(?:s|ed)?|justif(?:y|ies|ied)|blam(?:es|ed)|accus(?:es|ed)|rebuke|deplor(?:es|ed)|reject(?:s|ed)?"
    r"|slamm?(?:s|ed)|hail(?:s|ed)?|discuss(?:es|ed)?)\b"
)
REACTION_RX = re.compile(REACTION + r"[^.;]{0,40}$", re.IGNORECASE)


@dataclass
class EventMention:
    """One event noun or verb in a sentence, with what the stages attach to it."""

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
    later: list[CasualtyMatch] = field(
        default_factory=list
    )  # of those, from later sentences without a mention
    rel_anchor: object | None = None  # the coref Draft a "two days after the strike" phrase points to
    verb_head: int | None = None  # start of a verb this noun absorbed ("gunmen killed ... in an ambush")
    reaction: bool = False  # object of "condemned / defended / protested ...": a reference, not a report
    aggregate: bool = False  # "a series of strikes": several events in one phrase
    in_response: bool = False  # "in response to Israeli strikes": events answered, told in passing
    weak: bool = False  # from the broad lexicon only ("were killed", "shot dead"): the detector decides
    score: float | None = None  # the learned detector's probability that this is a reported event
    reason: str = ""  # why the detector kept or dropped it

    @property
    def etype(self) -> str:
        """Strike when a state acts, attack when a non-state group does, else the noun's type."""
        if self.weak:
            # "police shot dead ...": a strike only when the words say aerial or artillery fire
            if self.lex_type == "strike" and (self.actor1 is None or self.actor1.state):
                return "strike"
            return "attack"
        if self.actor1 is not None:
            return "strike" if self.actor1.state else "attack"
        if self.actor2 is not None and self.actor2.state and not self.verb:
            return "attack"  # "a drone attack on a U.S. base": the state is the target
        return self.lex_type

    @property
    def has_content(self) -> bool:
        """Whether the mention carries a place, date or casualty figure of its own."""
        return bool(self.locs or self.dates or self.casualties)


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


def actors_in(actors: Sequence[tuple[int, int, Actor]], start: int, end: int) -> list[tuple[int, int, Actor]]:
    """Return the sentence's actors inside [start, end), offsets made relative to ``start``."""
    return [(a - start, b - start, x) for a, b, x in actors if a >= start and b <= end]


def find_mentions(
    s: Sentence,
    exclude: list[tuple[int, int]],
    actors: Sequence[tuple[int, int, Actor]] | None = None,
    *,
    broad: bool = False,
) -> list[EventMention]:
    """Every candidate event mention of a sentence, with the rules' flags (vague, aggregate, ...).

    ``broad`` adds, in a sentence where the rules find no candidate, *weak* candidates from the
    lexicon of violent acts found in real reports ("were killed", "shot dead", "massacred", "set
    ablaze", "a mine hit"): the rules alone do not code them (``weak=True``); the learned
    detector decides.
    """
    text = s.text
    if actors is None:
        actors = find_actors(text)
    out: list[EventMention] = []
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
        if lex == "strike" and (
            _LABOUR.search(before) or ON_STRIKE.search(before) or _LABOUR_AFTER.match(text, m.end())
        ):
            continue  # "teachers went on strike", "a general strike": labour, not arms
        if m.group(0).lower().startswith("assault") and CRIME_ASSAULT.search(before):
            continue  # "aggravated sexual assault of a child": a crime, not an armed attack
        if re.search(r"\bto\s+$", before) and word.lower() in {"strike", "attack", "raid"}:
            continue  # "to strike": a verb, an intention
        plural = bool(_PLURAL.search(word)) and not word.lower().endswith(("ss", "us"))
        out.append(
            EventMention(s, m.start(), m.end(), word, lex, sub, False, _determiner(text, m.start()), plural)
        )
    for m in verb_rx.finditer(scan):
        if any(a <= m.start() < b for a, b in exclude) or any(
            x.start < m.end() and m.start() < x.end for x in out
        ):
            continue
        window = text[max(0, m.start() - 70) : m.start()]
        window = re.split(r"[.;:]", window)[-1]
        w_actors = actors_in(actors, m.start() - len(window), m.start())
        if not (WEAPON.search(window) or w_actors):
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
            # small arms are not a state's strike unless a state's forces fire them
            or (
                re.match(r"killed|opened|shot|gunned", verb) is not None
                and not any(a[2].state for a in w_actors)
            )
            or re.search(
                r"\b(?:rockets?|missiles?|mortars?|shells|projectiles?|gunmen|militants|insurgents|"
                r"militias?|fighters|bandits|jihadists|terrorists|assailants|attackers|extremists|rebels)\s+(?:\w+\s+){0,2}$",
                window,
                re.IGNORECASE,
            )
            else "strike"
        )
        out.append(
            EventMention(s, m.start(), m.end(), text[m.start() : m.end()], lex, "", True, "bare", False)
        )
    # ASCII text: case-sensitive twins on the lower-cased text (same offsets; words read from ``text``)
    ascii_low = low if text.isascii() else None
    passive_rx, broad_rx, scan2 = (
        (_PASSIVE_LOW, _BROAD_LOW, ascii_low) if ascii_low is not None else (PASSIVE, BROAD_RX, text)
    )
    for m in passive_rx.finditer(scan2):
        if any(a <= m.start() < b for a, b in exclude) or any(x.start <= m.start("v") < x.end for x in out):
            continue
        out.append(
            EventMention(
                s, m.start("v"), m.end("v"), text[m.start() : m.end()], "attack", "", True, "bare", False
            )
        )
    if broad and not out:
        # only where the rules found nothing: a weak word never changes how a strong mention reads
        for m in broad_rx.finditer(scan2):
            if any(a <= m.start() < b for a, b in exclude) or any(
                x.start < m.end() and m.start() < x.end for x in out
            ):
                continue
            word = text[m.start() : m.end()]
            if word.lower() in {"hit", "struck", "targeted"} and (
                HIT_ADJECTIVE.search(text, 0, m.start()) or POLICY_SUBJECT.search(text, 0, m.start())
            ):
                continue  # "the worst hit areas", "tariffs that have targeted China"
            lex, sub = broad_kind(word)
            men = EventMention(s, m.start(), m.end(), word, lex, sub, True, "bare", False, weak=True)
            out.append(men)
    out.sort(key=lambda x: x.start)
    for prev, cur in itertools.pairwise(out):
        # "stormed a base ..., sparking a gunfight that left seven dead": the same event goes on
        if not cur.verb and cur.det == "indef" and _CONSEQUENCE.search(text[prev.end : cur.start]):
            cur.det = "def"
    # A verb whose subject is an event noun just before it is the same mention:
    # "The strikes, conducted with B1 bombers, hit ...", "airstrikes targeting Iraq".
    kept: list[EventMention] = []
    for cur in out:
        if cur.verb and kept:
            prev = kept[-1]
            gap = text[prev.end : cur.start]
            if (
                re.fullmatch(r"\s*(?:,[^,.;]{0,60},|,)?\s*(?:[\w'-]+\s+){0,2}", gap)
                or (
                    len(gap) < 80
                    and not re.search(r"[.;:]", gap)
                    and not WEAPON.search(gap)
                    and not actors_in(actors, prev.end, cur.start)
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
        clause = re.split(r"[.;:]|,\s+(?:while|but|and)\b", text[men.end :])[0]
        if HABITUAL_AFTER.search(clause) or HABITUAL_BEFORE.search(before):
            # "have attacked ships in the Red Sea for weeks", "have struck its positions before"
            men.vague = True
        if men.sub == "explosion" and s.index > 0 and HEARD.search(text):
            # "Explosions were heard in both cities": what witnesses noticed of the event told before
            men.vague = True
        if _DESCRIPTIVE.search(before):
            men.descriptive = True
        if men.det == "def" and REACTION_RX.search(text[max(0, men.start - 60) : men.start]):
            men.reaction = True
        if PROTESTED_AGAINST.search(text[max(0, men.start - 120) : men.start]):
            # "thousands protested ... against the NATO air raids", "marched ..., undeterred by the
            # Istanbul suicide bombings": the news is the protest; the strikes are what it is about
            men.vague = True
        if (men.sub == "armed clash" or men.weak) and PROTEST.search(text) and not KILLED_WORD.search(text):
            # "police clashed with protesters, firing tear gas", "protesters stormed the parliament":
            # a protest or riot, not an armed clash or attack
            men.vague = True
        if (men.weak or men.verb) and not WEAPON.search(text) and DISASTER_AFTER.match(text, men.end):
            men.vague = True  # "was killed by the fatal Marburg virus"
        if men.verb and not men.weak and DISASTER.search(before) and not WEAPON.search(before):
            men.vague = True  # "the flooding in Pakistan has now struck four million people"
        if (
            men.weak
            and not WEAPON.search(text)
            and (
                DISASTER.search(before)
                or any(not _FIRE.match(d.group(0)) for d in DISASTER.finditer(text, 0, men.start))
            )
        ):
            # "A bus crash in Peru killed 24", "a cholera outbreak has killed 61", "Hurricane winds
            # tore roofs off homes in Havana on Monday, killing two": the killer named before. A fire
            # further back may have been set (PITF codes such fires as attacks), so only near counts.
            men.vague = True
        if re.match(r"blasts?|explosions?", men.text, re.I) and _ACCIDENT_BLAST.search(before[-25:]):
            men.vague = True  # "a gas explosion", "a boiler blast": an accident, not a bombing
        if men.text.lower().startswith("raid") and ARREST.search(text) and not KILLED_WORD.search(text):
            men.vague = True  # "arrested 12 suspected militants in raids": police raids
    for men in kept:  # after the checks above, which read "explosion" (e.g. "explosions were heard")
        if men.sub == "explosion":
            men.sub = "IED"  # ACLED: remote explosive/landmine/IED when the cause is not named
    return kept


def _after_preposition(before: str) -> str:
    """'killed at least 30 people in attacks': the count before 'in' is of people, not of attacks."""
    return re.split(r"\b(?:in|during|by|from|after|following|with)\s", before)[-1]
