"""CSV in ACLED's column order and names, so ACLED users can stack it under their exports."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from geoevents.outputs._common import atomic_target, feature_rows
from geoevents.records import EVENT_COLUMNS, Event

__all__ = ["ACLED_COLUMNS", "CSV_COLUMNS", "acled_row", "write_csv"]

# ACLED's export order, restricted to fields geoevents has an equivalent for.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
# Our own columns that ACLED has no name for, after the ACLED block.
_OURS: tuple[str, ...] = tuple(
    c
    for c in (*EVENT_COLUMNS, "actor_side")
    if c
    not in {
        "event_id",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "admin1",
        "lat",
        "lon",
        "geo_precision",
        "notes",
        "killed",
        "source_names",
    }
)
CSV_COLUMNS: tuple[str, ...] = (*ACLED_COLUMNS, *_OURS)

_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 -> English short name, from the vendored Natural Earth countries."""
    text = resources.files("geoevents.outputs").joinpath("ne_110m_countries.json").read_text("utf-8")
    return {
        f["properties"]["iso_a2"]: f["properties"]["name"]
        for f in json.loads(text)["features"]
        if f["properties"].get("iso_a2")
    }


def acled_row(row: dict[str, Any]) -> dict[str, Any]:
    """Rename one ``Event.rows()`` dict to ``CSV_COLUMNS``.

    ACLED writes ``fatalities`` 0 when none are reported; we keep it empty for "not reported"
    so 0 still means "reported as none". ``country`` is the country's name (ACLED style); the
    code stays in ``country_code``.
    """
    date = row["event_date"]
    code = row.get("country_code") or ""
    out = {
        "event_id_cnty": row["event_id"],
        "event_date": date,
        "year": dt.date.fromisoformat(date).year if date else None,
        "time_precision": _TIME_PRECISION.get(row.get("date_precision") or ""),
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "actor1": row["actor1"],
        "actor2": row["actor2"],
        "country": _country_names().get(code.upper(), code) if code else None,
        "admin1": row["admin1"],
        "location": row["resolved_name"] or row["place_name"],
        "latitude": row["lat"],
        "longitude": row["lon"],
        "geo_precision": row["geo_precision"],
        "source": row["source_names"],
        "notes": row["notes"],
        "fatalities": row["killed"],
    }
    out.update({c: row.get(c) for c in _OURS})
    return out


def write_csv(events: Iterable[Event], path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write one row per event location, ACLED columns first (``CSV_COLUMNS``), UTF-8 with BOM-less header.

    Cells keep the article text unchanged (no spreadsheet-formula neutralising): open untrusted
    CSV in a spreadsheet with formula evaluation off.

    Raises
    ------
    OutputExists
        ``path`` exists and ``overwrite`` is false.
    OutputError
        The directory is missing or not writable.

    """
    path = Path(path)
    rows = [acled_row(r) for r in feature_rows(events)]
    with atomic_target(path, overwrite=overwrite) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
