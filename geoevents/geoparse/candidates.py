"""Candidates: the gazetteer entries a recognized or given span may refer to.

One batched ``lookup_keys`` call per document fetches every key (plus "<key> county"/"<key>
parish", since local news writes "Barrow" for Barrow County); here each mention's key becomes its
candidate list: the country for a country name, the continent for "European", county variants
as ADM2 candidates, and US state abbreviations ("Alexandria, La.") as the state itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from geoevents.gazetteer.protocol import Gazetteer
from geoevents.geoparse._usstates import US_STATE_ABBREV
from geoevents.geoparse.mention import Mention
from geoevents.geoparse.tables import NameTables
from geoevents.records import Place

__all__ = [
    "MAX_CANDIDATES",
    "add_state_abbrevs",
    "candidates_for",
    "lookup",
    "state_abbrev",
    "with_variants",
]

MAX_CANDIDATES = 60

_STATE_AFTER = re.compile(r",[ \t]*((?:[A-Z][a-z]{1,4}\.)|(?:[A-Z]\.){2,3}|[A-Z]\.[A-Z][a-z]\.|[A-Z]{2}\b)")


def lookup(gaz: Gazetteer, keys: Sequence[str]) -> dict[str, list[Place]]:
    """Every key's places in one gazetteer call; keys without any are left out."""
    if not keys:
        return {}
    res = gaz.lookup_keys(list(dict.fromkeys(keys)))
    return {k: v for k, v in res.items() if v}


def with_variants(sh: NameTables, keys: list[str]) -> list[str]:
    """Keys plus "<key> county"/"<key> parish": local news writes "Barrow" for Barrow County."""
    out = list(keys) + [sh.region_alias[k] for k in keys if k in sh.region_alias]
    for k in keys:
        if k and len(k) > 2 and not k.endswith((" county", " parish")) and k.count(" ") < 2:
            out.append(k + " county")
            out.append(k + " parish")
    return out


def candidates_for(sh: NameTables, key: str, hits: dict[str, list[Place]]) -> list[Place]:
    """Return the candidate places of one key, from the document's batched lookup."""
    alias = sh.region_alias.get(key)
    if alias is not None:
        cont = [c for c in hits.get(alias, ()) if c.feature_code == "CONT"]
        if cont:
            return cont[:1]
    cands = list(hits.get(key, ()))
    for suffix in (" county", " parish"):
        extra = hits.get(key + suffix)
        if extra:
            have = {c.place_id for c in cands}
            cands.extend(c for c in extra if c.feature_code == "ADM2" and c.place_id not in have)
    iso = sh.country_names.get(key)
    if iso and iso in sh.countries:
        cp = sh.countries[iso]
        # "Tunis" is Tunisia in some languages, but in English the capital of that name
        foreign = sh.norm(cp.name) != key and any(
            c.country_code == iso
            and c.feature_class == "P"
            and (c.population or 0) >= 100_000
            and sh.norm(c.name) == key
            for c in cands
        )
        if foreign:  # the country's foreign name is the city's own: drop the country
            cands = [c for c in cands if c.place_id != cp.place_id]
        elif all(c.place_id != cp.place_id for c in cands):
            cands.insert(0, cp)
    return cands


def state_abbrev(sh: NameTables, text: str, s: int, e: int) -> Place | None:
    """Return the US state for an abbreviation span ("La.", "Ill.", "N.Y.", "TX") after a comma."""
    w = text[s:e].strip()
    if not w or not text[:s].rstrip().endswith(","):
        return None
    if len(w) == 2 and w.isupper() and w.isalpha():
        code = US_STATE_ABBREV.get(w)
    elif w.endswith(".") or text[e : e + 1] == ".":
        code = US_STATE_ABBREV.get(w.rstrip(".").lower())
    else:
        code = None
    return sh.us_states.get(code) if code else None


def add_state_abbrevs(sh: NameTables, text: str, mentions: list[Mention]) -> list[Mention]:
    """Add "Ga." in "Athens, Ga." as a mention of the state (LGL-style gold tags it)."""
    extra = []
    for m in mentions:
        mm = _STATE_AFTER.match(text, m.end)
        if not mm:
            continue
        s, e = mm.start(1), mm.end(1)
        place = state_abbrev(sh, text, s, e)
        if place is None or any(s < o.end and o.start < e for o in mentions):
            continue
        extra.append(Mention(s, e, text[s:e], "", cands=[place], evidence=2.0))
    if not extra:
        return mentions
    return sorted(mentions + extra, key=lambda m: m.start)
