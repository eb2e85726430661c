"""GeoNames admin-2 units (districts, LGAs, counties, raions), placed at the median of their member places.

``admin2Codes.txt`` names each unit and gives its geonameid but no coordinate, so the point of a
unit is the component-wise **median** of the points of its member populated places (GeoNames
class P records with the same country, admin-1 and admin-2 code, from cities500, the via-WOF files
and the additions). The median, unlike the mean, is not dragged off by one misfiled village. A unit
with no member is placed at its seat when one is found: a populated place of the same admin-1 with
the unit's name (an admin seat PPLA2/PPLA/PPLA3 first, else the most populous PPL). A unit with
neither gets no entry. Units another source already placed
(Natural Earth US counties, WOF counties, at their label points) only gain the GeoNames names here.

Some countries' places carry newer admin-2 codes than the 2017 code table (Afghanistan: "AF.10.2308"
for the unit the table calls "AF.10.7053029"). Such a code is linked to the table's unit through its
seat: the group's PPLA2 place, named like the unit once a "district centre" head ("Ḩukūmat-e",
"Wulêswālī", "Markaz-e", "‘Alāqahdārī") is dropped. ``Builder.admin2_alias`` keeps the link, so
the places of the group know their district too.

The name without its generic head or tail ("Nād ‘Alī District" -> "Nād ‘Alī", "Konduga LGA") is
added as an alternate name, so "Nad Ali district" and "Nad Ali" both find the unit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from statistics import median

from geoevents.gazetteer.builder import PRIO_ALT, PRIO_MAIN, Builder
from geoevents.gazetteer.normalize import normalize_name

NAME = "geonames_admin2"
ID_OFFSET = 0  # place_id is the geonameid of the unit
ATTRIBUTION = "Contains data from GeoNames (geonames.org), CC BY 4.0"

_GENERIC = re.compile(
    r"^(?:district|province|county|municipality|region|city|department|prefecture)\s+of\s+|"
    r"\s+(?:district|municipality|county|raion|rayon|province|region|department|prefecture|lga|"
    r"local government area|sub-?district|city|shahrestan|wilayah|mudiriyah|qada|qadaa|nahiya)$",
    re.IGNORECASE,
)


_SEAT_HEAD_TOKENS = frozenset(
    {"markaz", "hukumat", "hukumati", "wuleswali", "wuluswali", "woluswali", "uluswali", "alakahdari"}
    | {"alakadari", "e", "i"}
)
"""Leading words (normalized) of a seat's name that mean "district centre" ("Ḩukūmat-e", "Wulêswālī")."""
_SEAT_RANK = {"PPLA2": 0, "PPLA": 1, "PPLA3": 2, "PPLC": 3}  # admin seats only


def base_name(name: str) -> str:
    """Return ``name`` without a generic head or tail word ("Nād ‘Alī District" -> "Nād ‘Alī"), or ""."""
    base = _GENERIC.sub("", name.strip()).strip()
    return base if base and base != name.strip() and len(base) >= 3 else ""


def _seat_key(name: str) -> str:
    toks = normalize_name(name).split()
    while len(toks) > 1 and toks[0] in _SEAT_HEAD_TOKENS:
        toks = toks[1:]
    return " ".join(toks)


def _unit_keys(name: str, ascii_name: str) -> set[str]:
    keys = {normalize_name(n) for n in (name, ascii_name, base_name(name), base_name(ascii_name)) if n}
    keys.discard("")
    return keys


def link_new_codes(b: Builder) -> None:
    """Fill ``b.admin2_alias`` for admin-2 codes of places that the code table lacks, through their seat."""
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, (name, ascii_name, _gid) in b.admin2.items():
        parent = code.rsplit(".", 1)[0]
        for k in _unit_keys(name, ascii_name):
            by_name[(parent, k)].add(code)
    for p in b.places.values():
        if p[4] != "PPLA2" or not p[6] or not p[7]:
            continue
        code = f"{p[5]}.{p[6]}.{p[7]}"
        if code in b.admin2 or code in b.admin2_alias:
            continue
        hits = by_name.get((f"{p[5]}.{p[6]}", _seat_key(p[0])), set())
        if len(hits) == 1:
            b.admin2_alias[code] = next(iter(hits))


def _seats(b: Builder, wanted: dict[str, set[str]]) -> dict[tuple[str, str], tuple[float, float]]:
    """Return (CC.A1, name key) -> point of the best populated place of that name (a seat candidate).

    ``wanted`` maps the admin-1 codes of units that have no member to the casefolded names of those
    units; an admin seat (PPLA*) is matched on its normalized name, another populated place only
    when its name is one of those (a cheap test: most places are not looked at twice).
    """
    best: dict[tuple[str, str], tuple[int, int, float, float]] = {}
    for p in b.places.values():
        if p[3] != "P" or not p[6]:
            continue
        parent = f"{p[5]}.{p[6]}"
        names = wanted.get(parent)
        if names is None:
            continue
        rank = _SEAT_RANK.get(p[4])
        if rank is None:
            if p[0].casefold() not in names:
                continue
            rank = len(_SEAT_RANK)
        key = (parent, _seat_key(p[0]))
        cand = (rank, -p[8], p[1], p[2])
        if key not in best or cand < best[key]:
            best[key] = cand
    return {k: (v[2], v[3]) for k, v in best.items()}


def member_points(b: Builder) -> dict[str, tuple[list[float], list[float], int]]:
    """Return "CC.A1.A2" -> (member latitudes, longitudes, cities500 population) over GeoNames places."""
    groups: dict[tuple[str, str, str], tuple[list[float], list[float]]] = {}
    for p in b.places.values():
        if not p[7] or p[3] != "P" or not p[6] or p[10] != "geonames":
            continue
        key = (p[5], p[6], p[7])
        g = groups.get(key)
        if g is None:
            g = groups[key] = ([], [])
        g[0].append(p[1])
        g[1].append(p[2])
    acc: dict[str, tuple[list[float], list[float], int]] = {}
    for (cc, a1, a2), (lats, lons) in groups.items():
        code = f"{cc}.{a1}.{a2}"
        code = b.admin2_alias.get(code, code)
        if code in acc:  # a newer code linked to a unit that also has members under the table's code
            acc[code][0].extend(lats)
            acc[code][1].extend(lons)
        else:
            acc[code] = (lats, lons, b.adm2_pop.get(code, 0))
    return acc


def load_admin2(b: Builder) -> None:
    """Add every GeoNames admin-2 unit that can be placed, or add its names to the unit placed already."""
    link_new_codes(b)
    members = member_points(b)
    wanted: dict[str, set[str]] = defaultdict(set)
    for code, (name, ascii_name, _gid) in b.admin2.items():
        if code not in members:
            wanted[code.rsplit(".", 1)[0]].update(
                n.casefold() for n in (name, ascii_name, base_name(name), base_name(ascii_name)) if n
            )
    seats = _seats(b, wanted)
    for code, (name, ascii_name, gid) in b.admin2.items():
        if not gid:
            continue
        alts = [ascii_name, base_name(name), base_name(ascii_name)]
        pid = b.by_gid.get(gid)
        if pid is not None and pid in b.places:
            b.add_names(pid, (name, *alts), PRIO_ALT)
            continue
        cc, a1, a2 = code.split(".", 2)
        m = members.get(code)
        if m:
            lat, lon, pop = round(median(m[0]), 5), round(median(m[1]), 5), m[2]
        else:
            seat = next(
                (
                    seats[(f"{cc}.{a1}", k)]
                    for k in _unit_keys(name, ascii_name)
                    if (f"{cc}.{a1}", k) in seats
                ),
                None,
            )
            if seat is None:
                continue
            lat, lon, pop = seat[0], seat[1], 0
        b.add_place(gid, name, lat, lon, "A", "ADM2", cc, a1, a2, pop, gid, "geonames")
        b.add_names(gid, (name,), PRIO_MAIN)
        b.add_names(gid, alts, PRIO_ALT)
