"""The read side of the gazetteer: ``SQLiteGazetteer``, a read-only, thread-safe SQLite index."""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from geoevents.errors import GazetteerCorrupt, GazetteerNotFound
from geoevents.gazetteer.build import SCHEMA_VERSION, ProgressFn, build_gazetteer
from geoevents.gazetteer.index_files import (  # re-exported: callers import them from here
    ENV_PATH,
    _build_lock,
    _remove_outdated,
    build_index_locked,
    default_gazetteer_path,
)
from geoevents.gazetteer.normalize import name_skeleton, name_variants, normalize_name
from geoevents.gazetteer.tables import _N_FIELDS, _PLACE_COLS, IndexTables, _row_place
from geoevents.records import Place

log = logging.getLogger(__name__)

__all__ = [
    "ENV_PATH",
    "Gazetteer",
    "SQLiteGazetteer",
    "build_index_locked",
    "default_gazetteer_path",
    "search",
]

_CHUNK = 900  # stay under SQLite's default 999 bound parameters
_BUILD_HINT = "run `geoevents gazetteer build --force`"
# rank malus by name priority: primary name, alternate name, weak alias (other-language, NE name_alt,
# WOF all_names, airport keywords), code
_PRIO_MALUS = (0.0, 0.25, 1.5, 1.5)


@runtime_checkable
class Gazetteer(Protocol):
    """What the geoparser needs from a gazetteer: ranked candidates for a name."""

    def candidates(self, name: str, *, country: str | None = None, limit: int = 20) -> list[Place]:
        """Return places that may be meant by ``name``, best first."""
        ...


_REQUIRED_TABLES = ("meta", "places", "names", "skeletons", "demonyms", "country_names")


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a method under the instance lock: the place and key caches are shared by threads."""

    @functools.wraps(method)
    def wrapper(self: SQLiteGazetteer, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class SQLiteGazetteer(IndexTables):
    """Offline gazetteer backed by a read-only SQLite index.

    Constructing one does no I/O; the file is opened (and checked) on first use. One connection is
    shared by all threads behind a lock, so an instance can be handed to worker threads; for
    processes, pass the ``path`` and open one per process.

    Parameters
    ----------
    path
        The index file; default ``default_gazetteer_path()``.

    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._default = path is None
        self.path = Path(path) if path is not None else default_gazetteer_path()
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._places: dict[int, Place] = {}
        self._ranks: dict[int, float] = {}
        self._key_cache: dict[str, tuple[tuple[int, int], ...]] = {}
        self._meta: dict[str, str] | None = None
        self._demonyms: dict[str, str] | None = None
        self._country_names: dict[str, str] | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        build: bool = True,
        progress: ProgressFn | None = None,
    ) -> SQLiteGazetteer:
        """Open the index at ``path`` (default path if None), building it first if it is missing.

        Parameters
        ----------
        path
            Index file; default ``default_gazetteer_path()``.
        build
            Build the index when the file does not exist (about a minute). With False a missing
            index raises ``GazetteerNotFound``.
        progress
            Passed to ``build_gazetteer`` when a build happens.

        Raises
        ------
        GazetteerNotFound, GazetteerCorrupt, GazetteerError
            Missing index (and ``build=False``), unusable file, or unwritable destination.

        """
        gaz = cls(path)
        if not gaz.path.exists() and build:
            with _build_lock(gaz.path):
                if not gaz.path.exists():  # another process may have built it while we waited
                    build_gazetteer(gaz.path, progress=progress)
                    if gaz.path.name == f"gazetteer-v{SCHEMA_VERSION}.sqlite":
                        _remove_outdated(gaz.path)
        gaz._connect()
        return gaz

    def _connect(self) -> sqlite3.Connection:
        with self._lock:
            if self._conn is not None:
                return self._conn
            p = self.path
            if not p.exists():
                raise GazetteerNotFound(
                    f"No gazetteer at {p}; run `geoevents gazetteer build` or pass --gazetteer PATH"
                )
            if p.is_dir():
                raise GazetteerCorrupt(
                    f"The gazetteer path {p} is a directory, not an index file; "
                    "pass --gazetteer PATH to a file or " + _BUILD_HINT
                )
            if not p.is_file():  # a FIFO or device would block SQLite's open
                raise GazetteerCorrupt(
                    f"The gazetteer path {p} is not a regular file; pass --gazetteer PATH to a file or "
                    + _BUILD_HINT
                )
            try:
                conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error as err:
                raise GazetteerCorrupt(f"Cannot open the gazetteer {p} ({err}); {_BUILD_HINT}") from err
            try:
                size = p.stat().st_size
                page_size = conn.execute("PRAGMA page_size").fetchone()[0]
                page_count = conn.execute("PRAGMA page_count").fetchone()[0]
                if page_count == 0 or size < page_size * page_count:
                    raise GazetteerCorrupt(
                        f"The gazetteer {p} is truncated ({size} bytes, expected "
                        f"{page_size * page_count}); {_BUILD_HINT}"
                    )
                meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.Error as err:
                conn.close()
                raise GazetteerCorrupt(
                    f"The gazetteer {p} is not a valid geoevents index ({err}); {_BUILD_HINT}"
                ) from err
            except GazetteerCorrupt:
                conn.close()
                raise
            version = meta.get("schema_version")
            if version != str(SCHEMA_VERSION):
                conn.close()
                raise GazetteerCorrupt(
                    f"The gazetteer {p} has schema version {version}, this geoevents needs "
                    f"{SCHEMA_VERSION}; {_BUILD_HINT}"
                )
            self._meta = meta
            self._conn = conn
            return conn

    def check_health(self) -> None:
        """Check the whole index once: required tables present and every page readable.

        ``PRAGMA quick_check`` reads each page once (about 0.3 s warm for the 180 MB index), so
        zeroed pages or a dropped table are one clear error at open, not a skip per article.

        Raises
        ------
        GazetteerCorrupt
            With the rebuild command in the message.

        """
        with self._lock:
            conn = self._connect()
            try:
                have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                missing = [t for t in _REQUIRED_TABLES if t not in have]
                result = None if missing else conn.execute("PRAGMA quick_check(1)").fetchone()[0]
                empty = [
                    t
                    for t in ("places", "names")
                    if not missing and conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is None
                ]
            except sqlite3.Error as err:
                raise GazetteerCorrupt(
                    f"The gazetteer {self.path} is damaged ({err}); {_BUILD_HINT}"
                ) from None
        if missing:
            raise GazetteerCorrupt(
                f"The gazetteer {self.path} lacks table(s) {', '.join(missing)}; {_BUILD_HINT}"
            )
        if result != "ok":
            raise GazetteerCorrupt(f"The gazetteer {self.path} is damaged ({result}); {_BUILD_HINT}")
        if empty:
            raise GazetteerCorrupt(f"The gazetteer {self.path} has no {' or '.join(empty)}; {_BUILD_HINT}")

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            conn = self._connect()
            try:
                return conn.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as err:
                raise GazetteerCorrupt(
                    f"Reading the gazetteer {self.path} failed ({err}); {_BUILD_HINT}"
                ) from err

    def close(self) -> None:
        """Close the connection (a later query reopens it)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SQLiteGazetteer:
        self._connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteGazetteer({str(self.path)!r})"

    def __getstate__(self) -> dict[str, Any]:
        # picklable for process pools: only the path travels, each process reopens the file
        return {"path": str(self.path)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]

    # ------------------------------------------------------------------ places
    def _remember(self, rows: Iterable[tuple]) -> None:
        if len(self._places) > 500_000:
            self._places.clear()
            self._ranks.clear()
        for r in rows:
            pid = r[0]
            if pid not in self._places:
                self._places[pid] = _row_place(r)
                self._ranks[pid] = r[_N_FIELDS]

    def _fetch_places(self, pids: Iterable[int]) -> None:
        missing = [p for p in dict.fromkeys(pids) if p not in self._places]
        for i in range(0, len(missing), _CHUNK):
            chunk = missing[i : i + _CHUNK]
            self._remember(
                self._query(
                    f"SELECT {_PLACE_COLS} FROM places WHERE place_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            )

    @_locked
    def get(self, place_id: int) -> Place | None:
        """Return the place with this ``place_id``, or None."""
        self._fetch_places([int(place_id)])
        return self._places.get(int(place_id))

    @_locked
    def by_geonameid(self, geonameid: int) -> Place | None:
        """Return the place with this GeoNames id (curated fixes of it included), or None."""
        rows = self._query(
            f"SELECT {_PLACE_COLS} FROM places WHERE geonameid=? ORDER BY rank DESC LIMIT 1",
            (int(geonameid),),
        )
        if not rows:
            return None
        self._remember(rows)
        return self._places[rows[0][0]]

    @_locked
    def admin_units(self, place: Place) -> tuple[Place | None, Place | None]:
        """Return (province, district): the admin-1 and admin-2 places ``place`` lies in, None where unknown.

        For an ADM1 or ADM2 unit itself, its own entry is returned in its slot.
        """
        ids = [i for i in (place.admin1_id, place.admin2_id) if i is not None]
        self._fetch_places(ids)
        a1 = self._places.get(place.admin1_id) if place.admin1_id is not None else None
        a2 = self._places.get(place.admin2_id) if place.admin2_id is not None else None
        return a1, a2

    @_locked
    def country(self, code: str) -> Place | None:
        """Return the country place (feature code PCLI/PCLD) for an ISO 3166-1 alpha-2 code."""
        rows = self._query(
            f"SELECT {_PLACE_COLS} FROM places WHERE country_code=? AND feature_class='A' "
            "AND feature_code LIKE 'PCL%' ORDER BY rank DESC LIMIT 1",
            (code.upper(),),
        )
        if not rows:
            return None
        self._remember(rows)
        return self._places[rows[0][0]]

    # ------------------------------------------------------------------ names
    def _lookup(self, keys: list[str]) -> dict[str, tuple[tuple[int, int], ...]]:
        """Key -> ((place_id, prio), ...) sorted by rank, with a small in-process cache."""
        out: dict[str, tuple[tuple[int, int], ...]] = {}
        todo = []
        for k in dict.fromkeys(keys):
            hit = self._key_cache.get(k)
            if hit is None:
                todo.append(k)
            elif hit:
                out[k] = hit
        if todo:
            found: dict[str, list[tuple[int, int, float]]] = {}
            for i in range(0, len(todo), _CHUNK):
                chunk = todo[i : i + _CHUNK]
                rows = self._query(
                    f"SELECT n.key, n.prio, {', '.join('p.' + c.strip() for c in _PLACE_COLS.split(','))} "
                    f"FROM names n JOIN places p ON p.place_id = n.place_id "
                    f"WHERE n.key IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                self._remember(r[2:] for r in rows)
                for r in rows:
                    found.setdefault(r[0], []).append((r[2], r[1], r[2 + _N_FIELDS]))
            if len(self._key_cache) > 200_000:
                self._key_cache.clear()
            for k in todo:
                lst = found.get(k)
                if lst:
                    lst.sort(key=lambda t: (-(t[2] - _PRIO_MALUS[min(t[1], 3)]), t[0]))
                    val = tuple((pid, prio) for pid, prio, _ in lst)
                    out[k] = val
                else:
                    val = ()
                self._key_cache[k] = val
        return out

    @_locked
    def lookup_keys(self, keys: Iterable[str], *, include_codes: bool = True) -> dict[str, list[Place]]:
        """Return the places of each normalized key that matches, best first.

        ``keys`` must already be normalized (``normalize_name``). One SQL query per 900 keys; keys
        without a match are left out of the result. ``include_codes=False`` drops matches that are
        only a code (ICAO/IATA, ISO "US"/"USA"), for callers that did not check the text's case.
        """
        res = self._lookup(list(keys))
        places = self._places
        if include_codes:
            return {k: [places[pid] for pid, _ in v] for k, v in res.items()}
        out = {}
        for k, v in res.items():
            lst = [places[pid] for pid, prio in v if prio < 3]
            if lst:
                out[k] = lst
        return out

    def has_key(self, key: str) -> bool:
        """Tell whether some place has a name with this normalized key."""
        hit = self._key_cache.get(key)
        if hit is not None:
            return bool(hit)
        return bool(self._query("SELECT 1 FROM names WHERE key=? LIMIT 1", (key,)))

    @_locked
    def candidates(self, name: str, *, country: str | None = None, limit: int = 20) -> list[Place]:
        """Return the places ``name`` may mean, best first.

        Tiers, in order: places with a name of the same key (``normalize_name``); of a key without
        generic words ("airbase", "district", ...); of the same consonant skeleton
        (``name_skeleton``) and a ``rapidfuzz`` similarity of at least 75; and, only when nothing
        matched so far, keys with the same first letters and a similarity of at least 85. A demonym
        ("Iraqi", "Canadian") puts its country first and skips the fuzzy tiers. Inside a
        tier, places rank by population and feature type (countries, capitals and seas first),
        primary names before alternate ones. A code-only name ("US", "ORAA") matches only when the
        query is written in capitals, and then places holding exactly that code come first.

        Parameters
        ----------
        name
            The name as written.
        country
            ISO alpha-2 code to keep only places in that country.
        limit
            At most this many places.

        """
        key = normalize_name(name)
        if not key:
            return []
        stripped = name.strip().replace(".", "")
        codes_ok = stripped.isupper() and _is_code_like(stripped)
        cc = country.upper() if country else None
        seen: set[int] = set()
        out: list[Place] = []

        def take(items: tuple[tuple[int, int], ...]) -> None:
            for pid, prio in items:
                if len(out) >= limit:
                    return
                if pid in seen or (prio >= 3 and not codes_ok):
                    continue
                p = self._places[pid]
                if cc and p.country_code != cc:
                    continue
                seen.add(pid)
                out.append(p)

        variants = name_variants(name)
        res = self._lookup(variants)
        if (
            codes_ok
        ):  # "ORAA", "US", "D.C.": a code written in capitals means places with exactly that code first
            exact = {
                pid
                for (pid,) in self._query(
                    "SELECT place_id FROM names WHERE key=? AND prio=3 AND name=?", (key, stripped)
                )
            }
            take(tuple(t for t in res.get(key, ()) if t[0] in exact))
        demonym = self._demonym_country(key, cc)
        if demonym and demonym[0].place_id not in seen:  # "Iraqi", "Canadian": the country first
            seen.add(demonym[0].place_id)
            out.append(demonym[0])
        for v in variants:
            take(res.get(v, ()))
        if len(out) >= limit or demonym:
            return out
        if len(key) < 4:  # a skeleton of two or three letters matches too much to be evidence
            return out
        from rapidfuzz import fuzz

        skel = name_skeleton(key)
        near = [
            k
            for (k,) in self._query("SELECT key FROM skeletons WHERE skel=? LIMIT 500", (skel,))
            if k not in res
        ]
        scored = sorted(((fuzz.ratio(key, k), k) for k in near), reverse=True)
        near = [k for s, k in scored if s >= 75]
        if near:
            res2 = self._lookup(near)
            for k in near:
                take(res2.get(k, ()))
        if out:
            return out
        prefix = key[:2]
        pool = [
            k
            for (k,) in self._query(
                "SELECT DISTINCT key FROM names WHERE key >= ? AND key < ? LIMIT 50000",
                (prefix, prefix + "\U0010ffff"),
            )
        ]
        from rapidfuzz import process

        best = process.extract(key, pool, scorer=fuzz.ratio, score_cutoff=85, limit=10)
        if best:
            res3 = self._lookup([b[0] for b in best])
            for b in best:
                take(res3.get(b[0], ()))
        return out

    def _demonym_country(self, key: str, cc: str | None) -> list[Place]:
        """Return ``[country]`` when ``key`` is a demonym ("Iraqi", "Sudanese"), else ``[]``."""
        code = self.demonyms().get(key)
        if code and (not cc or code == cc):
            place = self.country(code)
            if place is not None:
                return [place]
        return []


def _is_code_like(s: str) -> bool:
    return 2 <= len(s) <= 5 and s.isascii() and s.isalnum()


_DEFAULT: SQLiteGazetteer | None = None
_DEFAULT_LOCK = threading.Lock()


def search(
    name: str,
    *,
    country: str | None = None,
    limit: int = 10,
    gazetteer: SQLiteGazetteer | str | os.PathLike[str] | None = None,
) -> list[Place]:
    """Return the best places for ``name`` (what ``geoevents gazetteer search`` prints).

    With no ``gazetteer`` the default index is opened (and built on first use).
    """
    global _DEFAULT
    if isinstance(gazetteer, SQLiteGazetteer):
        gaz = gazetteer
    elif gazetteer is not None:
        gaz = SQLiteGazetteer.open(gazetteer, build=False)
    else:
        with _DEFAULT_LOCK:
            if _DEFAULT is None or _DEFAULT.path != default_gazetteer_path():
                _DEFAULT = SQLiteGazetteer.open()
            gaz = _DEFAULT
    return gaz.candidates(name, country=country, limit=limit)
