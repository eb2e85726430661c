"""The gazetteer build's in-memory state: places by id, names streamed to SQLite, admin tables.

Each source module (``geoevents.gazetteer.sources``) adds places and names through a ``Builder``;
``build_gazetteer`` runs them in order and then writes places (with rank and containment) and the
name index.
"""

from __future__ import annotations

import gzip
import math
import re
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from geoevents.gazetteer.feature_codes import BUILD_RANK_BONUS
from geoevents.gazetteer.normalize import name_skeleton, normalize_name

__all__ = [
    "FINAL_SQL",
    "PRIO_ALT",
    "PRIO_CODE",
    "PRIO_MAIN",
    "PRIO_WEAK",
    "SCHEMA_SQL",
    "Builder",
    "allowed_script",
    "is_code",
    "open_gz",
    "to_float",
    "to_int",
]

PRIO_MAIN, PRIO_ALT, PRIO_WEAK, PRIO_CODE = 0, 1, 2, 3
"""Name priorities: primary name, alternate name, weak alias (other-language, NE name_alt ...), code."""

SCHEMA_SQL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places(
    place_id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    feature_class TEXT NOT NULL, feature_code TEXT NOT NULL, country_code TEXT NOT NULL,
    admin1 TEXT NOT NULL, admin1_name TEXT NOT NULL, admin2 TEXT NOT NULL, population INTEGER NOT NULL,
    geonameid INTEGER, source TEXT NOT NULL, admin2_name TEXT NOT NULL, admin1_id INTEGER,
    admin2_id INTEGER, rank REAL NOT NULL);
CREATE TABLE raw_names(key TEXT NOT NULL, place_id INTEGER NOT NULL, prio INTEGER NOT NULL,
    name TEXT NOT NULL);
CREATE TABLE demonyms(key TEXT NOT NULL, country_code TEXT NOT NULL, population INTEGER NOT NULL,
    PRIMARY KEY(key, country_code)) WITHOUT ROWID;
CREATE TABLE country_names(key TEXT NOT NULL, country_code TEXT NOT NULL, prio INTEGER NOT NULL,
    PRIMARY KEY(key, country_code)) WITHOUT ROWID;
"""

FINAL_SQL = """
CREATE TABLE names(key TEXT NOT NULL, place_id INTEGER NOT NULL, prio INTEGER NOT NULL, name TEXT NOT NULL,
    PRIMARY KEY(key, place_id)) WITHOUT ROWID;
INSERT INTO names SELECT key, place_id, MIN(prio), name FROM raw_names
    GROUP BY key, place_id ORDER BY key, place_id;
DROP TABLE raw_names;
CREATE TABLE skeletons(skel TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(skel, key)) WITHOUT ROWID;
CREATE INDEX places_geonameid ON places(geonameid) WHERE geonameid IS NOT NULL;
CREATE INDEX places_lat ON places(lat);
CREATE INDEX places_country ON places(country_code, feature_code);
CREATE INDEX places_admin ON places(country_code, admin1, admin2);
"""


# letters of scripts other than Latin and Arabic (Greek, Cyrillic, Hebrew, Syriac, Indic, CJK, Hangul ...)

_OTHER_SCRIPT = re.compile(
    "[\u0370-\u05ff\u0700-\u074f\u0780-\u089f\u0900-\u1dff\u1f00-\u1fff"
    "\u2c00-\u2dff\u2e80-\ua6ff\ua800-\ud7ff\uf900-\ufaff\U00010000-\U0010ffff]"
)


def allowed_script(name: str) -> bool:
    """Tell whether ``name`` has no letter of a script other than Latin and Arabic."""
    return name.isascii() or not _OTHER_SCRIPT.search(name)


def is_code(name: str) -> bool:
    """Tell whether ``name`` is a pure code: 2-5 uppercase letters/digits ("BGW", "ORAA", "IQ", "US")."""
    return 2 <= len(name) <= 5 and name.isascii() and name.isalnum() and name.upper() == name


def to_float(x: str | None, default: float = 0.0) -> float:
    """Parse a number cell; ``default`` for an empty or malformed one."""
    try:
        return float(x) if x not in (None, "") else default
    except ValueError:
        return default


def to_int(x: str | None, default: int = 0) -> int:
    """Parse an integer cell ("12", "12.0"); ``default`` for an empty or malformed one."""
    try:
        return int(float(x)) if x not in (None, "") else default
    except ValueError:
        return default


def open_gz(path: Path) -> IO[str]:
    """Open a gzip text file of the extract (UTF-8, newlines kept for csv)."""
    return gzip.open(path, "rt", encoding="utf-8", newline="")


class Builder:
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
        self.admin2: dict[str, tuple[str, str, int]] = {}  # "IQ.01.98678" -> (name, asciiname, geonameid)
        self.admin2_alias: dict[str, str] = {}  # newer code of places -> code of the table ("AF.10.2308")
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
        """Create or overwrite place ``pid`` (GeoNames ids are indexed for later merges)."""
        # the short codes repeat ~900k times: interned, they are stored once (a third of the build's memory)
        it = sys.intern
        self.places[pid] = [
            name,
            lat,
            lon,
            it(fclass),
            it(fcode),
            it(cc),
            it(admin1),
            it(admin2),
            pop,
            gid,
            source,
        ]
        if gid is not None:
            self.by_gid.setdefault(gid, pid)

    def add_names(self, pid: int, names: Iterable[str], prio: int, *, codes: bool = False) -> None:
        """Queue names of ``pid`` (codes only if ``codes``; scripts other than Latin/Arabic skipped)."""
        app = self.names.append
        for n in names:
            n = n.strip()
            if not n or len(n) > 120 or "http" in n:
                continue
            code = is_code(n)
            if code and not codes:
                continue
            if not allowed_script(n):
                continue
            k = normalize_name(n)
            if not k or k.isdigit():
                continue
            app((k, pid, PRIO_CODE if code else prio, n))
        if len(self.names) > 200_000:
            self.flush_names()

    def flush_names(self) -> None:
        """Write the queued names to ``raw_names``."""
        if self.names:
            self.conn.executemany("INSERT INTO raw_names VALUES (?,?,?,?)", self.names)
            self.n_names += len(self.names)
            self.names = []

    # ---------------------------------------------------------------- sources

    # ---------------------------------------------------------------- output
    def admin_ids(self, cc: str, a1: str, a2: str) -> tuple[str, int | None, int | None]:
        """Return (admin-2 name, place_id of the admin-1 unit, place_id of the admin-2 unit) of a code."""
        a1_pid = a2_pid = None
        a2name = ""
        if cc and a1:
            a1_gid = self.admin1.get(f"{cc}.{a1}", ("", 0))[1]
            a1_pid = self.by_gid.get(a1_gid) if a1_gid else None
            if a2:
                code = f"{cc}.{a1}.{a2}"
                a2name, _, a2_gid = self.admin2.get(self.admin2_alias.get(code, code), ("", "", 0))
                a2_pid = self.by_gid.get(a2_gid) if a2_gid else None
        if a1_pid is not None and a1_pid not in self.places:
            a1_pid = None
        if a2_pid is not None and a2_pid not in self.places:
            a2_pid = None
        return a2name, a1_pid, a2_pid

    def write_places(self) -> None:
        """Insert every place with its rank and containment (admin-1/admin-2 names and place ids)."""
        self.conn.executemany(f"INSERT INTO places VALUES ({','.join('?' * 17)})", self._place_rows())

    def _place_rows(self) -> Iterator[tuple]:
        # a generator: one row at a time, so the build never holds a second copy of ~900k places
        for pid, p in self.places.items():
            name, lat, lon, fclass, fcode, cc, a1, a2, pop, gid, source = p[:11]
            extra = p[11] if len(p) > 11 else 0.0
            a1name = self.admin1.get(f"{cc}.{a1}", ("",))[0] if a1 else ""
            a2name, a1_pid, a2_pid = self.admin_ids(cc, a1, a2)
            if fcode == "ADM1" and a1_pid is None:
                a1_pid = pid
            if fcode == "ADM2" and a2_pid is None:
                a2_pid = pid
            rank = math.log10(max(pop, 0) + 1) + BUILD_RANK_BONUS.get(fcode, 0.0) + extra
            if source == "curated":
                rank += 0.5
            yield (
                pid,
                name,
                lat,
                lon,
                fclass,
                fcode,
                cc,
                a1,
                a1name,
                a2,
                pop,
                gid,
                source,
                a2name,
                a1_pid,
                a2_pid,
                round(rank, 4),
            )

    def release_places(self) -> None:
        """Drop the in-memory places and lookup tables once written (keeps the build's peak memory low)."""
        self.places.clear()
        self.by_gid.clear()
        self.admin2_by_gid.clear()
        self.airport_by_icao.clear()

    def write_skeletons(self) -> None:
        """Insert the consonant skeleton of every name key (the fuzzy tier's table), read from ``names``."""
        _skeleton = name_skeleton.__wrapped__  # every key once: the cache would only churn
        keys = [k for (k,) in self.conn.execute("SELECT DISTINCT key FROM names")]
        self.conn.executemany(
            "INSERT OR IGNORE INTO skeletons VALUES (?,?)", sorted((_skeleton(k), k) for k in keys)
        )
