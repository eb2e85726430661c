"""Context cues for event mentions: what a weak candidate is, what makes a mention not an attack.

The violent-act lexicon of weak candidates, the phrases that say a mention is habitual, a
protest, an arrest or a disaster rather than a reported attack, and the partial-name test for
place mentions ("Um" of "Um Sidra").

Checked against real reports (``python benchmarks/train_events_mentions.py --vocab``); used by
``mentions.find_mentions`` (the rules' flags) and ``detector.features``.
"""

from __future__ import annotations

import re

from geoevents.records import Toponym

__all__ = [
    "ARREST",
    "BROAD_RX",
    "BROAD_WORDS",
    "CRIME_ASSAULT",
    "DISASTER",
    "DISASTER_AFTER",
    "HABITUAL_AFTER",
    "HABITUAL_BEFORE",
    "HEARD",
    "HIT_ADJECTIVE",
    "KILLED_WORD",
    "MINE_WEAPON",
    "ON_STRIKE",
    "POLICY_SUBJECT",
    "PROTEST",
    "PROTESTED_AGAINST",
    "broad_kind",
    "partial_name",
]

# A mine as a weapon, not a workplace ("a Lonmin mine", "gold mine workers"): a landmine, or a mine
# that blew up or that someone stepped on, hit or laid.
MINE_WEAPON = (
    r"landmines?|anti-(?:personnel|tank)\s+mines?|(?:stepped\s+on|hit|struck|drove\s+over|ran\s+over|planted|"
    r"laid|triggered)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+)?mines?|mines?(?=\s+(?:blast|explosion|exploded|went\s+off|"
    r"detonated|attack))"
)

# Violent acts as real reports word them (checked against PITF and Halterman, see
# benchmarks/train_events_mentions.py --vocab): weak candidates, coded only when the detector agrees.
_BROAD = (
    r"killed|killing|killings|kills|shot(?!\s+up\b)|shooting|shootings|gunned|gunfire|massacred|massacres?|murdered|"
    r"murders?|beheaded|beheadings?|slaughtered|hacked|stabbed|lynched|butchered|executed|burned|burnt|"
    r"torched|set\s+(?:\w+\s+){0,3}?(?:ablaze|on\s+fire)|set\s+fire|razed|abducted|kidnapped|"
    r"opened\s+fire|fired|stormed|raided|invaded|attacked|ambushed|clashed|clashes|fighting|violence|"
    r"rampage|blew\s+(?:himself|herself|themselves)\s+up|blew\s+up|detonated|exploded|went\s+off|"
    + MINE_WEAPON
    + r"|grenades?|explosives?|bombed|shelled|pounded|struck|hit|targeted|dropped\s+"
    r"(?:[\w-]+\s+){0,2}?bombs?|slain|decapitated|clubbed|bludgeoned|found\s+dead|"
    # bodies only where they are found: "the bodies of seven men were found", "recovered 12 bodies"
    r"(?:dead\s+)?bodies(?=[^.;]{0,80}?\b(?:found|recovered|discovered|dumped|retrieved)\b)|"
    r"(?:found|recovered|discovered|retrieved)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?bodies|"
    r"(?:gunshot|bullet|machete)\s+wounds?"
)
BROAD_RX = re.compile(r"(?<![\w-])(?:" + _BROAD + r")(?![\w-])", re.IGNORECASE)
_BROAD_KIND: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"blew\s+(?:himself|herself|themselves)", re.I), "attack", "suicide bomb"),
    (re.compile(r"mine|grenade|explosive|detonated|exploded|went\s+off|blew\s+up", re.I), "attack", "IED"),
    (re.compile(r"dropped|bombed", re.I), "strike", "air strike"),
    (re.compile(r"shelled|pounded", re.I), "strike", "shelling/artillery"),
    (re.compile(r"clash|fighting", re.I), "attack", "armed clash"),
)


# Stems whose absence rules out a weak candidate (a cheap test before the broad scan).
BROAD_WORDS = (
    "kill",
    "shot",
    "shoot",
    "gun",
    "massacr",
    "murder",
    "behead",
    "slaughter",
    "hack",
    "stab",
    "lynch",
    "butcher",
    "execut",
    "burn",
    "torch",
    "ablaze",
    "fire",
    "raze",
    "abduct",
    "kidnap",
    "storm",
    "raid",
    "invad",
    "attack",
    "ambush",
    "clash",
    "fight",
    "violence",
    "rampage",
    "blew",
    "detonat",
    "explod",
    "went off",
    "mine",
    "grenade",
    "explosive",
    "bomb",
    "shell",
    "pound",
    "struck",
    "hit",
    "target",
    "slain",
    "decapitat",
    "clubbed",
    "bludgeon",
    "found dead",
    "bodies",
    "wounds",
)


def broad_kind(word: str) -> tuple[str, str]:
    """(lexical type, sub-type) a weak candidate's own word says; ("attack", "") when it says none."""
    for rx, lex, sub in _BROAD_KIND:
        if rx.search(word):
            return lex, sub
    return "attack", ""


HABITUAL_AFTER = re.compile(
    r"\b(?:for\s+(?:(?:several|many|the\s+past|the\s+last)\s+)?(?:days|weeks|months|years)|before\s*$|"
    r"previously|in\s+the\s+past|repeatedly|regularly|frequently|since\s+(?:the\s+)?(?:start|beginning|war))\b",
    re.IGNORECASE,
)
HABITUAL_BEFORE = re.compile(
    r"\b(?:previously|repeatedly|regularly|frequently|often)\s+(?:\w+\s+){0,2}$", re.I
)
HEARD = re.compile(r"\b(?:heard|hearing)\b", re.IGNORECASE)


# Non-human causes of death and damage: "a cholera outbreak killed", "the flood struck", "a fire killed".
DISASTER = re.compile(
    r"\b(?:epidemic|outbreak|virus|disease|cholera|flu|infect\w*|flood\w*|earthquake|quake|storm|cyclone|"
    r"hurricane|typhoon|tornado|tsunami|landslide|mudslide|avalanche|drought|heat\s*wave|fire|blaze|crash\w*|"
    r"accident|collision|wreck|derail\w*|stampede|collapse\w*|lightning|drown\w*|poison\w*)\b",
    re.I,
)
PROTESTED_AGAINST = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|marche?d?|rall(?:y|ied)|rallies)\b[^.;]{0,90}\b(?:against|over|at|after|"
    r"following|condemning|denouncing)\s+(?:(?:what|was|were|is|assumed|believed|called|to|be|the|a|an|last|"
    r"this|week's|month's|year's)\s+){0,6}(?:[\w.'’-]+\s+){0,3}$"
    r"|\b(?:undeterred\s+by|in\s+protest\s+(?:at|over|against)|mourn\w*|commemorat\w*|anniversary\s+of)\s+"
    r"(?:the\s+|a\s+)?(?:[\w.-]+\s+){0,3}$",
    re.IGNORECASE,
)
PROTEST = re.compile(
    r"\b(?:protesters|protestors|demonstrators|rioters|tear\s*gas|riot\s+police|marched|marchers|"
    r"demonstrations?|protests?|rall(?:y|ies))\b",
    re.I,
)
ON_STRIKE = re.compile(
    r"\b(?:go|goes|went|gone|going|be|is|are|was|were|been|remain\w*|stay\w*)\s+on\s+$", re.I
)
# "arrested 12 suspected militants in raids": police raids for arrests are not attacks
ARREST = re.compile(r"\b(?:arrest\w*|detain\w*|seiz\w*|confiscat\w*|search\s+warrant)\b", re.I)
KILLED_WORD = re.compile(r"\b(?:killed|dead|died|deaths?)\b", re.I)


# Words that begin a longer name and never stand alone as one ("Um Sidra", "Ain Issa", "Tal Abyad").
_NAME_PREFIXES = frozenset(
    "um umm al el ad ar as ash at az abu bir tal tell ain ein wadi deir dayr kafr kfar beit bayt jabal jebel "
    "ras khan sidi bani beni bab ban mar san santa".split()
)
_NEXT_CAP = re.compile(r"^[\s-]+[A-Z][\w'’-]*")
_NEXT_NUMBER = re.compile(
    r"^\s+\d{1,3}\b(?!\s*(?:km|kilomet|miles?|people|persons|civilians|soldiers|%|percent))"
)


def partial_name(sentence: str, start: int, end: int, toponym: Toponym) -> bool:
    """Whether the geoparser matched only the start of a name ("Um" of "Um Sidra", "Tower" of "Tower 22").

    Such a match resolves to some other place named like the first word (Ireland's "Tower",
    the US Minor Outlying Islands' "UM"); the event is better left to the places around it.
    """
    after = sentence[end : end + 25]
    if _NEXT_NUMBER.match(after):
        return True
    return toponym.name.lower() in _NAME_PREFIXES and bool(_NEXT_CAP.match(after))


# "sexual assault", "aggravated assault": crimes, not armed attacks (the word before the noun)
CRIME_ASSAULT = re.compile(r"\b(?:sexual|indecent|aggravated|domestic|physical|verbal|common)\s+$", re.I)
# "tariffs that have targeted China", "sanctions hit Iran's economy": policy, not arms
POLICY_SUBJECT = re.compile(
    r"\b(?:tariffs?|sanctions|duties|taxes|tax|levies|measures|polic(?:y|ies)|legislation|laws?|regulations?|"
    r"ads|adverts?|advertisements?|campaigns?|inflation|prices|recession|crisis|layoffs|cuts)\b[^.;,]{0,40}$",
    re.I,
)
# "the worst hit areas", "hard-hit villages": an adjective, not an act
HIT_ADJECTIVE = re.compile(r"\b(?:worst|hardest|hard|badly|severely|most)[\s-]+$", re.I)
# "was killed by the fatal Marburg virus": the killer named right after the word
DISASTER_AFTER = re.compile(
    r"\s+(?:by|in|after|during)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?" + DISASTER.pattern, re.I
)
