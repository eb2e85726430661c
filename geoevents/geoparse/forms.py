"""Other written forms of a name to look up: fallbacks for a given span, transliteration variants.

A span a caller hands in ("Hamilton Township", "South Ossetians", "the city of Mosul") may have no
gazetteer entry as written; these are the forms tried after it, in order. Arabic, Persian and
Pashto names have several common romanizations ("Daikundi"/"Daykundi"); one change each is tried
where the context says the name is surely a place.
"""

from __future__ import annotations

import re

__all__ = ["fallback_forms", "span_forms", "translit_variants"]

_POSSESSIVE = re.compile(r"['’]s?$")
_TRAILING_TYPE = re.compile(
    r"\s+(?:province|governorate|district|county|parish|state|region|city|town|village|airbase|"
    r"air base|airport|base|area|municipality|subdistrict|camp)$",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:the|city of|town of|village of|state of|province of|republic of)\s+", re.IGNORECASE
)
# last-resort forms of a given span that has no entry as written: a generic tail ("Hamilton
# Township", "Neches River", "Pott Co."), a leading direction ("South Los Angeles", "Greater
# Mumbai") or an inhabitant noun ("South Ossetians", "Iowans", "Londoner", "Ontarians")
_FALLBACK_TAIL = re.compile(
    r"\s+(?:township|twp\.?|co\.?|river|lake|park|valley|creek|bay|station|estate|colony|"
    r"national park|proving ground|square|district|peninsula)$",
    re.IGNORECASE,
)
_FALLBACK_HEAD = re.compile(
    r"^(?:north|south|east|west|northern|southern|eastern|western|central|greater|upper|lower|"
    r"lake|mount|port of|n\.|s\.|e\.|w\.)\s+",
    re.IGNORECASE,
)
_TRANSLIT = (
    ("ai", "ay"),
    ("ay", "ai"),
    ("ei", "ey"),
    ("ey", "ei"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("k", "q"),
    ("dh", "d"),
    ("e", "a"),
    ("iy", "i"),
)


def fallback_forms(name: str) -> list[str]:
    """Forms to try, in order, when a given span has no gazetteer entry as written."""
    out = []
    tail = _FALLBACK_TAIL.sub("", name)
    if tail != name and tail:
        out.append(tail)
    for x in (name, tail):
        head = _FALLBACK_HEAD.sub("", x)
        if head != x and head:
            out.append(head)
    w = name.rstrip()
    if tail == name and w[:1].isupper() and len(w) > 4 and not w.lower().endswith(("river", "lake")):
        sing = w[:-1] if w.endswith("s") else w
        if sing.endswith("ian"):
            out += [sing[:-1], sing[:-3] + "io"]  # Ossetian -> Ossetia, Ontarian -> Ontario
        elif sing.endswith("an"):
            out.append(sing[:-1])  # Iowan -> Iowa
            if sing[-3:-2] in ("o", "e"):
                out.append(sing[:-2])  # Ohioan -> Ohio
        elif sing.endswith("er"):
            out.append(sing[:-2])  # Londoner -> London
    return out


def span_forms(name: str) -> list[str]:
    """Return the written forms of a given span to look up, most literal first (not yet normalized)."""
    v = _POSSESSIVE.sub("", name.strip())
    v2 = _LEADING.sub("", v)
    v3 = _TRAILING_TYPE.sub("", v2)
    return [name, v, v2, v3, *fallback_forms(v2)]


def translit_variants(key: str) -> list[str]:
    """Return common alternative romanizations of an Arabic/Persian/Pashto name, one change each."""
    if not key or len(key) < 4:
        return []
    out = []
    for a, b in _TRANSLIT:
        if a in key:
            v = key.replace(a, b)
            if v != key and v not in out:
                out.append(v)
    return out
