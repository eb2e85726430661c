"""Relative location phrases: "30 km south of Baghdad", "near Fallujah", "the outskirts of Mosul".

The phrase is kept, not dropped: the Toponym's ``relation`` holds it and ``place`` is the anchor,
so a downstream stage can lower its precision (ACLED geo_precision 2) instead of pinning an event
on the town centre as if it happened there.
"""

from __future__ import annotations

import re

__all__ = ["relation_before"]

_DIR = (
    r"(?:north|south|east|west)(?:[- ]?(?:north|south|east|west))?(?:ern)?"
    r"|(?:north|south)(?:east|west)(?:ern)?"
)
_UNIT = r"(?:km|kms|kilometers|kilometres|kilometer|kilometre|mi|miles|mile|m|meters|metres)"
_NUM = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|some)"
_TAIL = (
    r"(?:\s+the\s+(?:[A-Z][a-z]+\s+)?(?:city|town|village|province|district|governorate|area|region|capital|"
    r"port|port\s+city|coastal\s+city|border\s+town)(?:\s+of)?)?\s+(?:the\s+)?$"
)
_DIST_DIR = re.compile(
    rf"(?:\b(?:about|around|some|nearly|roughly|approximately|almost)\s+)?"
    rf"\b(?P<num>{_NUM})\s*(?:-\s*)?(?P<unit>{_UNIT})\b\.?\s*(?:\([^)]{{0,25}}\)\s*)?"
    rf"(?:to\s+the\s+)?(?P<dir>{_DIR})\s+of{_TAIL}",
    re.IGNORECASE,
)
_DIR_ONLY = re.compile(rf"\b(?:just\s+|directly\s+|due\s+)?(?P<dir>{_DIR})\s+of{_TAIL}", re.IGNORECASE)
_NEAR = re.compile(
    r"\b(?P<rel>on\s+the\s+outskirts\s+of|the\s+outskirts\s+of|outskirts\s+of|in\s+the\s+vicinity\s+of"
    r"|on\s+the\s+edge\s+of|close\s+to|just\s+outside(?:\s+of)?|outside(?:\s+of)?|near|nearby"
    r"|not\s+far\s+from|on\s+the\s+road\s+to|on\s+the\s+way\s+to|around|surrounding"
    r"|off\s+the\s+coast\s+of|off)" + _TAIL,
    re.IGNORECASE,
)
_CANON = {
    "on the outskirts of": "outskirts of",
    "the outskirts of": "outskirts of",
    "outskirts of": "outskirts of",
    "in the vicinity of": "near",
    "close to": "near",
    "nearby": "near",
    "not far from": "near",
    "near": "near",
    "just outside": "outside",
    "just outside of": "outside",
    "outside of": "outside",
    "outside": "outside",
    "on the edge of": "outskirts of",
    "on the road to": "near",
    "on the way to": "near",
    "around": "near",
    "surrounding": "near",
    "off the coast of": "off the coast of",
    "off": "off the coast of",
}


def _norm_dir(d: str) -> str:
    d = d.lower().replace(" ", "-")
    if d.endswith("ern"):
        d = d[:-3]
    return d


def relation_before(text: str, start: int) -> str | None:
    """Return the relative phrase that ends right before ``text[start:]``, canonicalised.

    Examples: ``"30 km south of"``, ``"south-east of"``, ``"near"``, ``"outskirts of"``; None
    when the mention is not introduced by such a phrase.
    """
    window = text[max(0, start - 80) : start]
    if not window or not window[-1:].isspace():
        return None
    m = _DIST_DIR.search(window)
    if m:
        num = m.group("num").replace(",", ".")
        unit = m.group("unit").lower()
        unit = {
            "kms": "km",
            "kilometers": "km",
            "kilometres": "km",
            "kilometer": "km",
            "kilometre": "km",
            "miles": "miles",
            "mile": "miles",
            "mi": "miles",
            "meters": "m",
            "metres": "m",
        }.get(unit, unit)
        return f"{num} {unit} {_norm_dir(m.group('dir'))} of"
    m = _DIR_ONLY.search(window)
    if m:
        return f"{_norm_dir(m.group('dir'))} of"
    m = _NEAR.search(window)
    if m:
        rel = " ".join(m.group("rel").lower().split())
        return _CANON.get(rel, rel)
    return None
