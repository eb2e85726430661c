"""The small actor table: who strikes, who attacks, and their normalized names.

``state`` actors (a state's armed forces) make an event a *strike*; non-state armed groups make
it an *attack*. Names not in the table fall back to the capitalized noun phrase as written.
The table is documented in ``docs/events.md``; extend it there and here together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ACTORS", "ACTOR_SIDES", "Actor", "find_actors", "side_of"]


@dataclass(frozen=True, slots=True)
class Actor:
    """A normalized actor name and whether it is a state's armed forces."""

    name: str
    state: bool


# (pattern, normalized name, is a state military). Specific groups first: first match wins.
ACTORS: list[tuple[str, str, bool]] = [
    (r"Islamic Resistance in Iraq", "Islamic Resistance in Iraq", False),
    (
        r"Kata[ei]i?b\s+Hez?bollah|Kataeb\s+Hezbollah|Ketaeb\s+Hezbollah|Hezbollah Brigades",
        "Kataib Hezbollah",
        False,
    ),
    (r"Harakat\s+(?:al-)?Nujaba|Nujaba", "Harakat al-Nujaba", False),
    (r"Popular Mobili[sz]ation (?:Forces|Units)|\bPMF\b|Hashd", "Popular Mobilization Forces", False),
    (r"Hezbollah", "Hezbollah", False),
    (r"Hamas", "Hamas", False),
    (r"Islamic Jihad", "Palestinian Islamic Jihad", False),
    (r"Houthis?|Ansar Allah", "Houthis", False),
    (r"\bPKK\b|Kurdistan Workers'? Party", "PKK", False),
    (r"\bYPG\b|\bSDF\b|Syrian Democratic Forces", "SDF/YPG", False),
    (r"Islamic State|\bISIS\b|\bISIL\b|\bIS\b|Daesh", "Islamic State", False),
    (r"al-Shabaab|Shabaab", "al-Shabaab", False),
    (r"Taliban", "Taliban", False),
    (r"Al[- ]Qaeda|al-Qaida", "al-Qaeda", False),
    (
        r"Iran(?:ian)?[- ](?:backed|aligned|linked|affiliated|sponsored|supported)\s+(?:[A-Z][a-z]+\s+)?"
        r"(?:armed\s+)?(?:militias?|militants|"
        r"groups?|factions?|forces|fighters|armed groups?)|Iranian-sponsored militias|(?:pro-Iran(?:ian)?)\s+"
        r"(?:militias?|groups?|factions?)",
        "Iran-backed militias",
        False,
    ),
    (r"(?i:militias?|militants|armed groups?|insurgents|gunmen|jihadists)\b", "Militants", False),
    (
        r"U\.\s?S\.(?:-led)?\s+(?:-led\s+)?coalition|US-led coalition|"
        r"(?:international|global|anti-IS|anti-ISIS)\s+coalition"
        r"|coalition (?:forces|aircraft|jets|warplanes)",
        "US-led coalition",
        True,
    ),
    (
        r"Central Command|CENTCOM|Pentagon|U\.\s?S\.|\bUS\b|\bUSA\b|United States|American|"
        r"Biden administration"
        r"|B-?1 bombers?|AC-130",
        "United States",
        True,
    ),
    (r"Israel(?:i)?|\bIDF\b", "Israel", True),
    (r"Turk(?:ey|ish|iye)|Türkiye", "Turkey", True),
    (
        r"Iran(?:ian)?(?: Revolutionary Guards?| military| forces|'s Revolutionary Guard)?"
        r"(?![- ](?:backed|aligned|linked|"
        r"affiliated|sponsored|supported|allied))|\bIRGC\b",
        "Iran",
        True,
    ),
    (r"Russia(?:n)?", "Russia", True),
    (r"British|U\.K\.|\bUK\b|United Kingdom|Royal Air Force|\bRAF\b", "United Kingdom", True),
    (r"French|France", "France", True),
    (r"Jordan(?:ian)?", "Jordan", True),
    (r"Syrian (?:government|army|regime|forces|Arab Army)|Syrian army", "Syria", True),
    (r"Iraqi (?:army|military|forces|security forces|air force)", "Iraq", True),
    (r"Saudi(?:-led)?(?: coalition)?|Saudi Arabia", "Saudi-led coalition", True),
    (r"Pakistani? (?:army|military|forces|jets)|Pakistan", "Pakistan", True),
    (r"Ukrain(?:e|ian)", "Ukraine", True),
]
# The side column of the table above (one row per normalized name; checked at import): the colour
# class every output uses. "US/coalition" = the US and the states fighting beside it in these
# reports; "Iran-backed" = Iran and the groups it arms (the "Axis of Resistance"); "state" = any
# other state's forces; "non-state" = any other armed group. "unknown" only when no actor is named.
ACTOR_SIDES: dict[str, str] = {
    "Islamic Resistance in Iraq": "Iran-backed",
    "Kataib Hezbollah": "Iran-backed",
    "Harakat al-Nujaba": "Iran-backed",
    "Popular Mobilization Forces": "Iran-backed",
    "Hezbollah": "Iran-backed",
    "Hamas": "Iran-backed",
    "Palestinian Islamic Jihad": "Iran-backed",
    "Houthis": "Iran-backed",
    "Iran-backed militias": "Iran-backed",
    "Iran": "Iran-backed",
    "PKK": "non-state",
    "SDF/YPG": "non-state",
    "Islamic State": "non-state",
    "al-Shabaab": "non-state",
    "Taliban": "non-state",
    "al-Qaeda": "non-state",
    "Militants": "non-state",
    "US-led coalition": "US/coalition",
    "United States": "US/coalition",
    "United Kingdom": "US/coalition",
    "France": "US/coalition",
    "Israel": "US/coalition",
    "Jordan": "US/coalition",
    "Turkey": "state",
    "Russia": "state",
    "Syria": "state",
    "Iraq": "state",
    "Saudi-led coalition": "state",
    "Pakistan": "state",
    "Ukraine": "state",
}
_missing = {n for _p, n, _s in ACTORS} - ACTOR_SIDES.keys()
if _missing:  # pragma: no cover - a table edit that forgot the side column
    raise RuntimeError(f"actors table rows without a side: {sorted(_missing)}")
_STATE_WORDS = re.compile(
    r"\b(army|military|air force|armed forces|government|regime|navy|security forces|police|troops|"
    r"soldiers)\b",
    re.IGNORECASE,
)


def side_of(actor: str | None) -> str:
    """Return the side (colour class) of an actor as written in an event record.

    A normalized table name gives its table side; other text is scanned for a table actor
    ("Kataib Hezbollah fighters"), then for state-force words ("the Nigerian army" -> "state");
    any other named actor is a "non-state" armed group. "unknown" when no actor is named, or
    when the text names actors of different sides together.
    """
    if not actor or not actor.strip():
        return "unknown"
    if actor in ACTOR_SIDES:
        return ACTOR_SIDES[actor]
    sides = {ACTOR_SIDES[a.name] for _s, _e, a in find_actors(actor)}
    if len(sides) == 1:
        return sides.pop()
    if sides:  # "US and Iran-backed militias": opposing sides named together; a colour would guess
        return "unknown"
    if _STATE_WORDS.search(actor):
        return "state"
    return "non-state"


# One alternation, one scan per text: at a position the earlier table row wins. Case-sensitive on
# purpose: "US" the country, not "us".
_ONE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<a{i}>{p})" for i, (p, _n, _s) in enumerate(ACTORS)) + r")(?![\w])"
)
_BY_GROUP = {f"a{i}": Actor(n, s) for i, (_p, n, s) in enumerate(ACTORS)}
_HINT = re.compile(r"[A-Z]|milit|gunmen|insurgent|jihadist|armed group")


def find_actors(text: str) -> list[tuple[int, int, Actor]]:
    """Actors named in ``text``: (start, end, Actor), left to right, longest table entry first."""
    if not _HINT.search(text):
        return []
    return [(m.start(), m.end(), _BY_GROUP[m.lastgroup or ""]) for m in _ONE.finditer(text)]
