"""Whole-index reads of ``SQLiteGazetteer`` (a mixin): name tables, counts, keys, places near a point.

Also the row format shared by every places query (``_PLACE_COLS``: ``Place``'s fields, then rank).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from geoevents.records import Place

_PLACE_COLS = (
    "place_id, name, lat, lon, feature_class, feature_code, country_code, admin1, admin1_name, "
    "admin2, population, geonameid, source, admin2_name, admin1_id, admin2_id, rank"
)
_N_FIELDS = 16  # the columns before ``rank`` are Place's fields, in order


def _row_place(r: tuple) -> Place:
    # _PLACE_COLS lists Place's fields in order, then the ranking column
    return Place(*r[:_N_FIELDS])


class IndexTables:
    """The parts of ``SQLiteGazetteer`` that read whole tables or areas rather than names."""

    _lock: threading.RLock
    _places: dict[int, Place]
    _meta: dict[str, str] | None
    _demonyms: dict[str, str] | None
    _country_names: dict[str, str] | None

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:  # pragma: no cover - see store
        raise NotImplementedError

    def _remember(self, rows: Iterable[tuple]) -> None:  # pragma: no cover - see store
        raise NotImplementedError

    def _connect(self) -> sqlite3.Connection:  # pragma: no cover - see store
        raise NotImplementedError

    def _country_population(self) -> dict[str, int]:
        rows = self._query(
            "SELECT country_code, MAX(population) FROM places WHERE feature_class='A' "
            "AND feature_code IN ('PCLI', 'PCLD') GROUP BY country_code"
        )
        return {cc: pop or 0 for cc, pop in rows}

    def demonyms(self) -> dict[str, str]:
        """Return normalized demonym (singular and plural) -> ISO2; ambiguous ones go to the most populous.

        The dict is built once per instance and shared: do not modify it.
        """
        if self._demonyms is None:
            rows = self._query("SELECT key, country_code, population FROM demonyms")
            rows.sort(key=lambda r: r[2])
            self._demonyms = {k: cc for k, cc, _ in rows}
        return self._demonyms

    def country_names(self) -> dict[str, str]:
        """Return normalized country name, official name, alternate spelling or code -> ISO2.

        A name shared by several countries goes to the one where it is the primary name, then to
        the most populous. Built once per instance and shared: do not modify it.
        """
        if self._country_names is None:
            pop = self._country_population()
            rows = self._query("SELECT key, country_code, prio FROM country_names")
            rows.sort(key=lambda r: (-r[2], pop.get(r[1], 0)))
            self._country_names = {k: cc for k, cc, _ in rows}
        return self._country_names

    def count(self) -> int:
        """Return the number of places."""
        return int(self._query("SELECT COUNT(*) FROM places")[0][0])

    def n_names(self) -> int:
        """Return the number of (normalized name, place) pairs."""
        return int(self._query("SELECT COUNT(*) FROM names")[0][0])

    def iter_keys(self) -> Iterator[str]:
        """Yield every distinct normalized name key once, in sorted order (for an Aho-Corasick automaton).

        Keys are read in pages of 50,000, so the lock is never held while the caller works.
        """
        last = ""
        first = True
        while True:
            if first:
                rows = self._query("SELECT DISTINCT key FROM names ORDER BY key LIMIT 50000")
                first = False
            else:
                rows = self._query(
                    "SELECT DISTINCT key FROM names WHERE key > ? ORDER BY key LIMIT 50000", (last,)
                )
            if not rows:
                return
            for (k,) in rows:
                yield k
            last = rows[-1][0]

    def meta(self) -> dict[str, str]:
        """Return the ``meta`` table: schema_version, built_at, source checksums, attribution ..."""
        self._connect()
        return dict(self._meta or {})

    def nearby(
        self,
        lat: float,
        lon: float,
        *,
        radius_deg: float = 0.5,
        feature_class: str | None = "P",
        limit: int = 200,
    ) -> list[Place]:
        """Return places inside a lat/lon box around a point (unsorted; used by reverse geocoding)."""
        sql = (
            f"SELECT {_PLACE_COLS} FROM places WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
            + (" AND feature_class=?" if feature_class else "")
            + " LIMIT ?"
        )
        params: list[Any] = [lat - radius_deg, lat + radius_deg, lon - radius_deg, lon + radius_deg]
        if feature_class:
            params.append(feature_class)
        params.append(limit)
        with self._lock:
            rows = self._query(sql, params)
            self._remember(rows)
            return [self._places[r[0]] for r in rows]
