"""The one table of event sub-types: what each is called, which words name it, its equivalents.

Every other fact about sub-types is generated from :data:`SUBTYPES`: the event-noun matcher
(``mentions``), the strike <-> attack conversions (a "drone attack" by a state's forces is a
"drone strike"), the ACLED / CAMEO columns of the outputs and the table in ``docs/events.md``
(:func:`markdown_table`). Rows are in matching order: at one position in a sentence the first
row whose pattern matches wins, so specific nouns ("drone strikes") come before generic ones
("strikes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "SUBTYPES",
    "SUICIDE_CUE",
    "WEAPON_CUES",
    "SubType",
    "acled_of",
    "as_type",
    "cameo_of",
    "markdown_table",
    "noun_patterns",
]


@dataclass(frozen=True, slots=True)
class SubType:
    """One sub-event type and the facts every stage needs about it."""

    name: str  # our sub_event_type ("" for a noun that does not say: "strikes", "attacks")
    event_type: str  # "strike" | "attack": the type the noun alone suggests
    nouns: str  # regex (lower-case, no groups) of the event nouns that name it
    cues: str  # cue words, for the docs table
    acled: str  # ACLED sub_event_type
    cameo: str  # CAMEO code(s)
    as_strike: str = ""  # sub-type when a state acts (default: the same name)
    as_attack: str = ""  # sub-type when a non-state group acts (default: the same name)


SUBTYPES: tuple[SubType, ...] = (
    SubType(
        "drone strike",
        "strike",
        r"drone\s+strikes?",
        "drone strike, drones hit",
        "Air/drone strike",
        "195",
        as_attack="drone attack",
    ),
    SubType(
        "missile strike",
        "strike",
        r"missile\s+strikes?",
        "missile strike; a state's missiles/rockets",
        "Shelling/artillery/missile attack",
        "195 / 194",
        as_attack="missile attack",
    ),
    SubType(
        "shelling/artillery",
        "strike",
        r"artillery\s+(?:strikes?|fire|shelling|barrages?)|shelling|mortar\s+fire|"
        r"shells?(?=\s+(?:hit|landed|struck|fell|slammed|exploded))",
        'artillery, shelling, mortars, "fired mortars" (an armed group firing them is an *attack* of this '
        "sub-type)",
        "Shelling/artillery/missile attack",
        "194 (fight with artillery and tanks)",
    ),
    SubType(
        "air strike",
        "strike",
        r"air\s*-?\s*strikes?|air\s+raids?|aerial\s+(?:strikes?|attacks?|bombardments?)|bombing\s+raids?|"
        r"air\s+attacks?|dropped\s+(?:[\w-]+\s+){0,2}?(?:barrel\s+|cluster\s+)?bombs?",
        'airstrike(s), air raid, "dropped bombs", jets, warplanes, bombers, aircraft',
        "Air/drone strike",
        "195 (employ aerial weapons)",
    ),
    SubType(
        "drone attack",
        "attack",
        r"drone\s+attacks?|(?:suicide|kamikaze|one-way\s+attack)\s+drones?|(?:launched|sent|flew)\s+(?:\w+\s+)?"
        r"(?:armed\s+|explosive-laden\s+|attack\s+)?drones?(?!\s+(?:attacks?|strikes?))",
        "drone attack, kamikaze drones",
        "Air/drone strike (non-state)",
        "183 / 195",
        as_strike="drone strike",
    ),
    SubType(
        "rocket attack",
        "attack",
        r"rocket\s+(?:attacks?|fire|barrages?)|rockets?\s+(?:were\s+|was\s+)?(?:fired|launched)|"
        r"(?:fired|launched)\s+(?:an?\s+)?(?:barrage\s+of\s+|volley\s+of\s+)?(?:[\w-]+\s+)?rockets?"
        r"(?!\s+(?:attacks?|strikes?))",
        "rocket attack, rockets fired",
        "Shelling/artillery/missile attack",
        "194",
        as_strike="missile strike",
    ),
    SubType(
        "missile attack",
        "attack",
        r"(?:ballistic\s+)?missile\s+attacks?|(?:ballistic|cruise)\s+missiles?\s+(?:were\s+|was\s+)?(?:fired|launched)|"
        r"(?:fired|launched)\s+(?:an?\s+|two\s+|three\s+|several\s+)?(?:[\w-]+\s+)?(?:ballistic\s+|cruise\s+)?missiles?"
        r"(?!\s+(?:attacks?|strikes?))|"
        r"(?:fired|launched)\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:barrage|volley|salvo|wave|swarm)\s+of\s+(?:[\w-]+\s+)?missiles?",
        "ballistic missiles, missile attack",
        "Shelling/artillery/missile attack",
        "194",
        as_strike="missile strike",
    ),
    SubType(
        "suicide bomb",
        "attack",
        r"suicide(?:\s+car|\s+truck|\s+vest)?[\s-]+(?:bombings?|attacks?|attackers?|bombers?|car\s+bombs?|bombs?|"
        r"blasts?)",
        "suicide (car/truck) bombing/attack/bomber/blast; a blast later called a suicide bombing",
        "Suicide bomb",
        "1831",
    ),
    # a second row for shelling: mortars fired by anyone (matched after the suicide-bomb nouns)
    SubType(
        "shelling/artillery",
        "strike",
        r"(?:fired|launched|lobbed)\s+(?:[\w-]+\s+){0,2}?(?:mortars?|mortar\s+(?:rounds|shells|bombs)|artillery\s+shells)"
        r"|mortar\s+(?:attacks?|rounds|shells|bombs)",
        "",
        "Shelling/artillery/missile attack",
        "194",
    ),
    SubType(
        "IED",
        "attack",
        r"IEDs?|roadside\s+bombs?|(?:improvised\s+)?explosive\s+devices?|car\s+bombs?|bombings?|"
        r"bombs?(?=\s+(?:(?:had\s+|was\s+)?(?:exploded|detonated)|went\s+off|blew\s+up|ripped))",
        'IED, roadside bomb, car bomb, (improvised) explosive device, bombing, "a bomb exploded / went off / '
        'detonated"; a blast/explosion when no other event word is in its sentence',
        "Remote explosive/landmine/IED",
        "183 (conduct bombing)",
    ),
    # a blast or explosion: an IED unless another event word in its sentence says what it was
    SubType(
        "explosion",
        "attack",
        r"(?:bomb\s+)?(?:blasts?|explosions?)",
        "",
        "Remote explosive/landmine/IED",
        "183",
    ),
    SubType(
        "armed clash",
        "attack",
        r"(?:armed\s+)?clash(?:es)?|gun\s*fights?|fire\s*fights?|gun\s+battles?|shoot-?outs?|ambush(?:es)?",
        'clash, gunfight, firefight, ambush, "ambushed"',
        "Armed clash",
        "190",
    ),
    SubType(
        "",
        "strike",
        r"(?:precision\s+|retaliatory\s+|targeted\s+)?strikes?|bombardments?",
        '"strikes", "bombardment" with no weapon named (coded `strike`)',
        "Air/drone strike",
        "195",
    ),
    SubType(
        "",
        "attack",
        r"attacks?|assaults?|raids?",
        "attack, assault, raid, with nothing more specific (coded `attack`)",
        "Attack",
        "180 / 18",
    ),
)

# Sub-types with no event noun of their own: named from the weapons around a verb.
_EXTRA: tuple[SubType, ...] = (
    SubType("gunship strike", "strike", "", "AC-130, gunship", "Air/drone strike", "195"),
)

# Weapons named around a verb ("Turkish drones hit ...") -> (sub-type if a strike, if an attack).
WEAPON_CUES: tuple[tuple[re.Pattern[str], str, str], ...] = (
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
    # a bomb, grenade or mine named near an attack verb ("a bomb planted by the roadside ... exploded")
    (re.compile(r"\b(?:bombs?|explosives?|grenades?|(?:land)?mines?)\b", re.I), "", "IED"),
)
# Words that make a bombing a suicide bombing wherever they stand in the event's sentences.
SUICIDE_CUE = re.compile(
    r"\bsuicide\s+(?:bomb|attack|vest|car|truck)\w*|\bblew\s+(?:himself|herself|themselves)\s+up\b|"
    r"\b(?:exploded|detonated)\s+(?:himself|herself|themselves)\b",
    re.I,
)

_BY_NAME = {s.name: s for s in (*SUBTYPES, *_EXTRA) if s.name}


def noun_patterns() -> list[tuple[str, str, str]]:
    """(regex, lexical type, sub-type) per row, in matching order, for the mention matcher."""
    return [(s.nouns, s.event_type, s.name) for s in SUBTYPES]


def as_type(sub: str, lex_type: str, etype: str) -> str:
    """Return the sub-type a noun of type ``lex_type`` has once the event is known to be ``etype``.

    "a drone attack" by a state's forces is a "drone strike"; "a drone strike" by an armed group
    is a "drone attack". Sub-types without a counterpart keep their name.
    """
    row = _BY_NAME.get(sub)
    if row is None or lex_type == etype:
        return sub
    if etype == "strike":
        return row.as_strike or sub
    return row.as_attack or sub


def acled_of(sub: str, etype: str) -> str:
    """ACLED sub_event_type for one of our sub-types (generic ones by event type)."""
    row = _BY_NAME.get(sub)
    if row is not None:
        return row.acled
    return "Air/drone strike" if etype == "strike" else "Attack"


def cameo_of(sub: str, etype: str) -> str:
    """CAMEO code(s) for one of our sub-types."""
    row = _BY_NAME.get(sub)
    if row is not None:
        return row.cameo
    return "195" if etype == "strike" else "180"


def markdown_table() -> str:
    """Return the sub-type table of ``docs/events.md``, generated from :data:`SUBTYPES`."""
    lines = [
        "| `event_type` | `sub_event_type` | cue words | ACLED sub_event_type | CAMEO |",
        "|---|---|---|---|---|",
    ]
    for s in (*SUBTYPES, *_EXTRA):
        if not s.cues:
            continue
        name = s.name or s.event_type
        lines.append(f"| {s.event_type} | {name} | {s.cues} | {s.acled} | {s.cameo} |")
    return "\n".join(lines) + "\n"
