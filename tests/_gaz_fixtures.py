"""Shared gazetteer fixtures: the real index, built once per machine (about a minute) and reused.

Import the fixture into a test module with ``from tests._gaz_fixtures import gazetteer  # noqa: F401``
(or call ``real_gazetteer()``). The index is the default cached one (``GEOEVENTS_GAZETTEER`` or the
user cache folder), built on first use, so later test sessions start in milliseconds.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from geoevents.gazetteer import SQLiteGazetteer


def real_gazetteer() -> SQLiteGazetteer:
    """Open the default index, building it if missing."""
    return SQLiteGazetteer.open()


@pytest.fixture(scope="module")
def gazetteer() -> SQLiteGazetteer:
    """Yield the real gazetteer index (module scope; built on first use)."""
    gaz = real_gazetteer()
    yield gaz
    gaz.close()


def make_tiny_index(path: Path, *, schema_version: str = "5", padding_rows: int = 0) -> Path:
    """Write a small SQLite file with a ``meta`` table (for fault tests that need no real data)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (schema_version,))
    conn.execute("CREATE TABLE pad(x TEXT)")
    conn.executemany("INSERT INTO pad VALUES (?)", [("x" * 500,)] * padding_rows)
    conn.commit()
    conn.close()
    return path
