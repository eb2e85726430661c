"""CSV with ACLED's columns and value vocabulary first, so ACLED users can stack it under their exports.

Row rule (ACLED's: a multi-location event splits the record, never the count):

- ``rows="event"`` (default): one row per event. The location columns describe the event's first
  location; ``other_locations`` names the rest. ``fatalities`` is the event's figure once, so the
  sum over rows is the sum over distinct events.
- ``rows="location"``: one row per event location (ACLED's own layout for an event reported at
  several places). ``fatalities`` is divided among the rows as evenly as whole numbers allow (the
  remainder goes to the first rows), so the sum over rows still equals the event's figure;
  ``killed``/``injured`` keep the event's own figures for reference.

``event_id_cnty`` is unique per row in both layouts (``<event_id>`` or ``<event_id>-<n>``).

Spreadsheet safety (OWASP "CSV Injection"): by default every cell is quoted and a text cell that
starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return and is not a number gets a leading
``'``, so Excel, LibreOffice and Google Sheets show it as text instead of running it as a formula.
Machine readers that want the text byte for byte pass ``escape_formulas=False``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from types import EllipsisType
from typing import Any, Literal

from geoevents.outputs._common import actor_side, atomic_target, feature_rows
from geoevents.records import Event

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_SUB_EVENT_TYPES",
    "CSV_COLUMNS",
    "acled_row",
    "csv_rows",
    "located_rows",
    "neutralise_formula",
    "write_csv",
]

log = logging.getLogger(__name__)

RowRule = Literal["event", "location"]

# ACLED's export order, restricted to the fields geoevents has an equivalent for.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "iso",
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
# Our own columns, after the ACLED block; our vocabulary lives in geoevents_* columns.
OUR_COLUMNS: tuple[str, ...] = (
    "event_id",
    "geoevents_event_type",
    "geoevents_sub_event_type",
    "date_precision",
    "n_locations",
    "location_index",
    "other_locations",
    "place_name",
    "resolved_name",
    "geonameid",
    "place_id",
    "feature_code",
    "country_code",
    "location_relation",
    "location_reason",
    "killed",
    "injured",
    "actor_side",
    "evidence",
    "source_ids",
    "n_sources",
    "source_urls",
    "source_titles",
)
CSV_COLUMNS: tuple[str, ...] = (*ACLED_COLUMNS, *OUR_COLUMNS)

_EXPLOSIONS = "Explosions/Remote violence"
# Our sub-event type -> (ACLED event_type, ACLED sub_event_type), per the ACLED codebook (2024):
# drones of any actor are "Air/drone strike"; ground-launched rockets and missiles are
# "Shelling/artillery/missile attack"; an explosion of unknown cause is closest to IED.
ACLED_SUB_EVENT_TYPES: dict[str, tuple[str, str]] = {
    "air strike": (_EXPLOSIONS, "Air/drone strike"),
    "drone strike": (_EXPLOSIONS, "Air/drone strike"),
    "gunship strike": (_EXPLOSIONS, "Air/drone strike"),
    "drone attack": (_EXPLOSIONS, "Air/drone strike"),
    "missile strike": (_EXPLOSIONS, "Shelling/artillery/missile attack"),
    "missile attack": (_EXPLOSIONS, "Shelling/artillery/missile attack"),
    "rocket attack": (_EXPLOSIONS, "Shelling/artillery/missile attack"),
    "shelling/artillery": (_EXPLOSIONS, "Shelling/artillery/missile attack"),
    "suicide bomb": (_EXPLOSIONS, "Suicide bomb"),
    "IED": (_EXPLOSIONS, "Remote explosive/landmine/IED"),
    "explosion": (_EXPLOSIONS, "Remote explosive/landmine/IED"),
    "armed clash": ("Battles", "Armed clash"),
}
# ACLED's top level for its violent event types.
_DISORDER = {_EXPLOSIONS: "Political violence", "Battles": "Political violence"}

_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}

# OWASP CSV Injection: the characters that make a spreadsheet read a cell as a formula.
_FORMULA_START = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def acled_types(event_type: str, sub_event_type: str) -> tuple[str, str]:
    """ACLED ``(event_type, sub_event_type)`` for ours; unknown weapon: strike -> type only, attack -> none.

    A strike with no weapon named is Explosions/Remote violence with no sub-type (ACLED would need
    the weapon); a generic "attack" could be Battles, Explosions or Violence against civilians, so
    both stay empty rather than guessed. Our own values stay in ``geoevents_*`` columns.
    """
    if sub_event_type in ACLED_SUB_EVENT_TYPES:
        return ACLED_SUB_EVENT_TYPES[sub_event_type]
    if event_type == "strike":
        return _EXPLOSIONS, ""
    return "", ""


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """ISO 3166 alpha-2 -> (English short name, ISO numeric), from GeoNames' countryInfo.txt."""
    out: dict[str, tuple[str, str]] = {}
    try:
        text = resources.files("geoevents_gazetteer_data").joinpath("countryInfo.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - the data package ships with us
        text = ""
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        out[cols[0]] = (cols[4], str(int(cols[2])))
    if not out:  # the vendored Natural Earth outlines still give names
        ne = resources.files("geoevents.outputs").joinpath("ne_110m_countries.json").read_text("utf-8")
        for f in json.loads(ne)["features"]:
            if f["properties"].get("iso_a2"):
                out[f["properties"]["iso_a2"]] = (f["properties"]["name"], "")
    return out


def _split(total: int | None, parts: int) -> list[int | None]:
    """Divide a count among ``parts`` rows as evenly as whole numbers allow (remainder first)."""
    if total is None:
        return [None] * parts
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def located_rows(events: Iterable[Event]) -> Iterator[dict[str, Any]]:
    """``feature_rows`` plus ``fatalities``: this location's share of ``killed`` (ACLED's split).

    The GeoJSON and GeoPackage write one feature per location, each repeating the event's
    ``killed``; ``fatalities`` divides it among them, so summing it over features (QGIS
    statistics, a spreadsheet) counts each death once.
    """
    for ev in events:
        rows = list(feature_rows([ev]))
        for row, share in zip(rows, _split(ev.killed, len(rows)), strict=True):
            row["fatalities"] = share
            yield row


def csv_rows(events: Iterable[Event], *, rows: RowRule = "event") -> Iterator[dict[str, Any]]:
    """Yield one ``CSV_COLUMNS`` dict per event (``rows="event"``) or per location (``"location"``).

    Raises
    ------
    ValueError
        ``rows`` is neither ``"event"`` nor ``"location"``.

    """
    if rows not in ("event", "location"):
        raise ValueError(f"rows={rows!r}; use 'event' (one row per event) or 'location' (one per place)")
    seen: Counter[str] = Counter()
    for ev in events:
        flat = ev.rows()
        if rows == "event":
            picked = flat[:1]
            fatalities: list[int | None] = [ev.killed]
        else:
            picked = flat
            fatalities = _split(ev.killed, len(flat))
        names = [r["resolved_name"] or r["place_name"] for r in flat]
        for row, dead in zip(picked, fatalities, strict=True):
            row_id = (
                ev.event_id
                if rows == "event" or len(flat) == 1
                else f"{ev.event_id}-{row['location_index'] + 1}"
            )
            seen[row_id] += 1
            if seen[row_id] > 1:  # two events sharing an id would break "unique id per row"
                log.warning("event id %r appears %d times; suffixing the CSV row id", row_id, seen[row_id])
                row_id = f"{row_id}~{seen[row_id]}"
            others = [n for i, n in enumerate(names) if i != row["location_index"] and n]
            yield acled_row(row, row_id=row_id, fatalities=dead, others=others, side=actor_side(ev.actor1))


def acled_row(
    row: dict[str, Any],
    *,
    row_id: str | None = None,
    fatalities: int | EllipsisType | None = ...,
    others: Iterable[str] = (),
    side: str | None = None,
) -> dict[str, Any]:
    """Map one ``Event.rows()`` dict to ``CSV_COLUMNS`` (ACLED names and values first, then ours).

    ACLED writes ``fatalities`` 0 when none are reported; we keep it empty for "not reported"
    so 0 still means "reported as none". ``country`` is the country's name and ``iso`` its ISO
    3166 numeric code, as in ACLED; the alpha-2 code stays in ``country_code``. ``fatalities``
    is this row's share (``csv_rows`` splits it per location); left out, the event's ``killed``.
    """
    date = row["event_date"]
    code = (row.get("country_code") or "").upper()
    name, iso = _countries().get(code, (code, "")) if code else ("", "")
    acled_type, acled_sub = acled_types(row["event_type"], row["sub_event_type"])
    return {
        "event_id_cnty": row_id or row["event_id"],
        "event_date": date,
        "year": dt.date.fromisoformat(date).year if date else None,
        "time_precision": _TIME_PRECISION.get(row.get("date_precision") or ""),
        "disorder_type": _DISORDER.get(acled_type, ""),
        "event_type": acled_type,
        "sub_event_type": acled_sub,
        "actor1": row["actor1"],
        "actor2": row["actor2"],
        "iso": iso or None,
        "country": name or None,
        "admin1": row["admin1"],
        "location": row["resolved_name"] or row["place_name"],
        "latitude": row["lat"],
        "longitude": row["lon"],
        "geo_precision": row["geo_precision"],
        "source": row["source_names"],
        "notes": row["notes"],
        "fatalities": row["killed"] if fatalities is ... else fatalities,
        "event_id": row["event_id"],
        "geoevents_event_type": row["event_type"],
        "geoevents_sub_event_type": row["sub_event_type"],
        "date_precision": row["date_precision"],
        "n_locations": row["n_locations"],
        "location_index": row["location_index"],
        "other_locations": "; ".join(others),
        "place_name": row["place_name"],
        "resolved_name": row["resolved_name"],
        "geonameid": row["geonameid"],
        "place_id": row["place_id"],
        "feature_code": row["feature_code"],
        "country_code": row["country_code"],
        "location_relation": row["location_relation"],
        "location_reason": row["location_reason"],
        "killed": row["killed"],
        "injured": row["injured"],
        "actor_side": side if side is not None else row.get("actor_side"),
        "evidence": row["evidence"],
        "source_ids": row["source_ids"],
        "n_sources": row["n_sources"],
        "source_urls": row["source_urls"],
        "source_titles": row["source_titles"],
    }


_SURROGATE = re.compile("[\ud800-\udfff]")


def _utf8(value: Any) -> Any:
    """Lone surrogates have no UTF-8 form: U+FFFD instead of a crash halfway through the file."""
    if isinstance(value, str) and not value.isascii():
        return _SURROGATE.sub("\ufffd", value)
    return value


def neutralise_formula(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would run as a formula (OWASP); numbers pass unchanged."""
    if isinstance(value, str) and value[:1] in _FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(
    events: Iterable[Event],
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    rows: RowRule = "event",
    escape_formulas: bool = True,
) -> Path:
    """Write events as CSV: ACLED columns and vocabulary first (``CSV_COLUMNS``), UTF-8, no BOM.

    Parameters
    ----------
    events : iterable of Event
        Events in the order the rows should appear.
    path : path-like
        Target ``.csv``; written beside itself first and moved into place when complete.
    overwrite : bool
        Replace an existing file.
    rows : {"event", "location"}
        One row per event (default; first location in the location columns, the rest in
        ``other_locations``) or one per location with ``fatalities`` split so the sum holds.
    escape_formulas : bool
        Quote every cell and prefix ``'`` to text cells starting with ``= + - @``, tab or CR that
        are not numbers, so spreadsheets show them as text (OWASP). ``False`` writes cells
        verbatim with minimal quoting, for machine readers (CLI: ``--raw-csv``).

    Raises
    ------
    OutputExists
        ``path`` exists and ``overwrite`` is false.
    OutputError
        The directory is missing or not writable.

    """
    path = Path(path)
    clean = neutralise_formula if escape_formulas else (lambda v: v)
    out_rows = [{k: clean(_utf8(v)) for k, v in r.items()} for r in csv_rows(events, rows=rows)]
    quoting: Literal[0, 1] = csv.QUOTE_ALL if escape_formulas else csv.QUOTE_MINIMAL
    with atomic_target(path, overwrite=overwrite) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, quoting=quoting, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(out_rows)
    return path
