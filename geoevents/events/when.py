"""Event dates from the phrases news reports use, relative to the article's publication date.

A small own parser, not ``dateparser``: the phrases that date strikes ("on Wednesday", "over the
weekend", "on November 22", "last month") are few, and parsing them by table is ~100x faster
than calling ``dateparser`` per phrase (``benchmarks/events_speed.py``). Everything here is pure:
the reference date is always passed in, never read from the clock, so an article without a
date yields events without a date instead of events dated "today".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geoevents.events._text import SMALL_NUMBER_WORDS

__all__ = ["DateMatch", "find_dates", "resolve_phrase"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
NUMBER_WORDS = {**SMALL_NUMBER_WORDS, "a": 1, "an": 1, "24": 24, "48": 48}

_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_NUM = r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?)"

# Order matters: the first pattern that matches at a position wins.
_PATTERNS: list[tuple[str, str]] = [
    (
        "since",
        r"\bsince\s+(?:(?:last|early|mid|late)[- ])?(?:"
        + _WD
        + r"|"
        + _MON
        + r"(?:\s+(?P<day>\d{1,2}))?|(?P<since_rel>last\s+(?:week|month|year)))",
    ),
    (
        "rel_event",
        _NUM + r"\s+(?P<unit>hours?|days?|weeks?)\s+(?P<dir>before|after|earlier than|prior to)"
        r"\s+(?:the\s+)?(?P<ref>[\w.\- ]{0,40}?(?:strikes?|attacks?|raids?|bombings?))\b",
    ),
    ("ago", _NUM + r"\s+(?P<unit>days?|weeks?)\s+ago\b"),
    ("mdy", r"\b" + _MON + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b" + _YEAR),
    ("dmy", r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"\b" + _YEAR),
    ("weekday", r"\b(?P<last>last\s+|this\s+past\s+|(?:early|late)\s+(?:on\s+)?)?" + _WD + r"\b"),
    ("yesterday", r"\byesterday\b"),
    (
        "ordinal_day",
        r"\bon\s+the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:floor|day|anniversary))",
    ),
    ("overnight", r"\b(?:overnight|last\s+night)\b"),
    ("today", r"\b(?:today|this morning|tonight)\b"),
    ("weekend", r"\b(?:over|during|at|on|this|last)\s+(?:the\s+)?(?:past\s+)?weekend\b"),
    ("last_week", r"\b(?:last|past|previous)\s+week\b"),
    ("this_week", r"\b(?:earlier|later)?\s*this\s+week\b"),
    ("last_month", r"\blast\s+month\b"),
    (
        "past_month",
        r"\b(?:in|over|during)\s+the\s+(?:past|last)\s+(?:month|(?:few|several|two|three|four)\s+weeks)\b"
        r"|\b(?:earlier\s+)?this\s+month\b",
    ),
    (
        "month_year",
        r"\b(?:in|during)\s+(?:(?:early|mid|late)[- ])?" + _MON + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    ),
]
_COMPILED = [(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in _PATTERNS]
_NUM_FIRST = {"rel_event", "ago"}  # matched only where a number starts: scanning is 10x slower
_NUM_AT = re.compile(
    r"(?<![\w-])(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?\s)", re.IGNORECASE
)
# Cheap test first: most sentences name no date at all.
_HINT = re.compile(
    r"day\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s|\b\d{1,2}(?:st|nd|rd|th)?\s+[a-z]|"
    r"yesterday|tonight|overnight|last night|this morning|weekend|week|month|since|ago\b|hours|"
    r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)

# Words without which a pattern cannot match (on the lower-cased ASCII sentence): its scan is
# skipped when none is there. ``None``: a month name is needed. Kinds not listed always scan.
_MONTH_HINT = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")
_NEEDS: dict[str, tuple[str, ...] | None] = {
    "since": ("since",),
    "mdy": None,
    "dmy": None,
    "weekday": ("day",),
    "yesterday": ("yesterday",),
    "ordinal_day": ("the",),
    "overnight": ("night",),
    "today": ("today", "morning", "tonight"),
    "weekend": ("weekend",),
    "last_week": ("week",),
    "this_week": ("week",),
    "last_month": ("month",),
    "past_month": ("month", "week"),
    "month_year": None,
}

# Case-sensitive twins for lower-cased ASCII text (same offsets, faster than IGNORECASE scans).
_HINT_LOW = re.compile(_HINT.pattern)
_NUM_AT_LOW = re.compile(_NUM_AT.pattern)

_LOOSE_AFTER = re.compile(r"\s*\((week|month)\s+of\)", re.IGNORECASE)
_LOOSE_BEFORE = re.compile(r"\b(?:around|about|circa|approximately)\s+$", re.IGNORECASE)

# A date phrase right after one of these dates the statement about the event, not the event.
_REPORTING = re.compile(
    r"\b(?:said|says|stated|announced|released|issued|statement|told|reported|confirmed|added|"
    r"declared|published|wrote|tweeted|posted|according)\b[^.;]{0,40}$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date phrase found in a sentence: where it is, what kind, and its regex groups."""

    start: int
    end: int
    kind: str
    text: str
    groups: tuple[tuple[str, str], ...]
    reporting: bool = False  # the phrase dates a statement ("said on Monday"), not an event

    def group(self, name: str) -> str | None:
        """Return the named regex group's text, or None when it did not take part."""
        return dict(self.groups).get(name)


def find_dates(sentence: str) -> list[DateMatch]:
    """All date phrases in ``sentence``, left to right, without overlaps."""
    # Non-ASCII text scans with IGNORECASE: it folds a few letters ("ſ", "K") that lower() keeps.
    low = sentence.lower() if sentence.isascii() else None
    hint, num_at, scan = (_HINT_LOW, _NUM_AT_LOW, low) if low is not None else (_HINT, _NUM_AT, sentence)
    if not hint.search(scan):
        return []
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    for h in hint.finditer(scan):
        a, b = max(0, h.start() - 45), min(len(sentence), h.end() + 70)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    at = [m.start() for m in num_at.finditer(scan)]
    has_month = low is not None and _MONTH_HINT.search(low) is not None
    matches: list[tuple[str, re.Match[str]]] = []
    for kind, rx in _COMPILED:
        if low is not None and kind in _NEEDS:
            needs = _NEEDS[kind]
            if not (has_month if needs is None else any(w in low for w in needs)):
                continue
        if kind in _NUM_FIRST:
            hits = [rx.match(sentence, p) for p in at]
            matches.extend((kind, x) for x in hits if x is not None)
        else:
            matches.extend((kind, x) for w0, w1 in spans for x in rx.finditer(sentence, w0, w1))
    for kind, m in matches:
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        if kind == "month_year" and m.group("mon").lower() == "may":
            continue  # "in may" is too often the verb
        if kind == "weekday" and m.start() > 0 and sentence[max(0, s - 1) : s] == "-":
            continue
        if kind in {"mdy", "dmy"}:
            # ACLED-style "Around 9 January 2024 (week of)", "(month of)": a day given loosely
            loose = _LOOSE_AFTER.match(sentence, e)
            if loose:
                kind += "_" + loose.group(1).lower()
            elif _LOOSE_BEFORE.search(sentence[max(0, s - 12) : s]):
                kind += "_week"
        groups = tuple((k, v) for k, v in m.groupdict().items() if v is not None)
        reporting = bool(_REPORTING.search(sentence[max(0, s - 60) : s]))
        found.append(DateMatch(s, e, kind, m.group(0), groups, reporting))
        taken.append((s, e))
    found.sort(key=lambda d: d.start)
    return found


def _last_weekday(ref: dt.date, weekday: int, *, strict: bool = False) -> dt.date:
    """Return the most recent ``weekday`` on or before ``ref`` (strictly before when ``strict``)."""
    delta = (ref.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return ref - dt.timedelta(days=delta)


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.lower()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


def _month_day(ref: dt.date | None, month: int, day: int, year: str | None) -> dt.date | None:
    if year:
        y = int(year)
    elif ref is not None:
        y = ref.year
    else:
        return None
    try:
        d = dt.date(y, month, day)
    except ValueError:
        return None
    if not year and ref is not None and d > ref:  # "on November 22" read in January: last year's
        try:
            d = dt.date(y - 1, month, day)
        except ValueError:
            return None
    return d


def _ordinal_day(ref: dt.date, day: int) -> dt.date | None:
    """Return the latest date on/before ``ref`` whose day of month is ``day`` (None if invalid)."""
    year, month = ref.year, ref.month
    for _ in range(3):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            d = None
        if d is not None and d <= ref:
            return d
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _mid_month(d: dt.date) -> dt.date:
    return d.replace(day=15)


def resolve_phrase(
    match: DateMatch, ref: dt.date | None, anchor: tuple[dt.date, str] | None = None
) -> tuple[dt.date | None, str | None, str]:
    """Like ``_resolve_phrase``; a date beyond ``date.min``/``date.max`` is no date (None), not an error."""
    try:
        return _resolve_phrase(match, ref, anchor)
    except OverflowError:
        return None, None, f"{match.text!r}: out of the calendar's range"


def _resolve_phrase(
    match: DateMatch, ref: dt.date | None, anchor: tuple[dt.date, str] | None = None
) -> tuple[dt.date | None, str | None, str]:
    """Turn a date phrase into (event_date, precision, note), relative to the article date ``ref``.

    ``anchor`` is the (date, precision) of the event a "24 hours before the strikes" phrase points
    to. Precision is "day", "week" or "month" (ACLED time_precision 1, 2, 3). Phrases that need a
    reference date give ``(None, None, note)`` when ``ref`` is None: an undated article never
    produces a guessed date.
    """
    kind = match.kind
    g = match.group
    if kind.startswith(("mdy", "dmy")):
        d = _month_day(ref, MONTHS[(g("mon") or "").lower().rstrip(".")], int(g("day") or 0), g("year"))
        prec = "day" if kind in {"mdy", "dmy"} else kind.split("_")[1]
        return (
            d,
            (prec if d else None),
            f"date phrase {match.text!r}" + ("" if prec == "day" else f" ({prec} of)"),
        )
    if kind == "month_year":
        mon = MONTHS[(g("mon") or "").lower().rstrip(".")]
        d = _month_day(ref, mon, 15, g("year"))
        return d, ("month" if d else None), f"month phrase {match.text!r} (coded to mid-month)"
    if kind == "rel_event":
        if anchor is None:
            return None, None, f"{match.text!r}: the event it refers to has no date"
        n = _number(g("n")) or 1
        unit = (g("unit") or "day").lower()
        days = n / 24 if unit.startswith("hour") else n * 7 if unit.startswith("week") else n
        sign = 1 if (g("dir") or "").lower() == "after" else -1
        d = anchor[0] + dt.timedelta(days=sign * max(1, round(days)))
        return d, anchor[1], f"{match.text!r}, relative to the date of the other event"
    if ref is None:
        return None, None, f"{match.text!r} needs the article date, which is unknown"
    if kind == "weekday":
        wd = WEEKDAYS.index((g("wd") or "").lower())
        strict = (g("last") or "").strip().lower().startswith("last")
        return (
            _last_weekday(ref, wd, strict=strict),
            "day",
            f"weekday {match.text!r} on/before the article date",
        )
    if kind == "since":
        return ref, "week", f"{match.text!r}: a range up to the article date, coded to the article date"
    if kind == "ago":
        n = _number(g("n")) or 1
        unit = (g("unit") or "day").lower()
        days = n * 7 if unit.startswith("week") else n
        return ref - dt.timedelta(days=days), ("week" if unit.startswith("week") else "day"), match.text
    if kind == "yesterday":
        return ref - dt.timedelta(days=1), "day", "yesterday"
    if kind == "today":
        return ref, "day", match.text
    if kind == "overnight":
        # a report saying "overnight" is written the morning after: the night began the day before
        return ref - dt.timedelta(days=1), "day", f"{match.text!r}: the night before the article date"
    if kind == "ordinal_day":
        # "on the 3rd": that day of the article's month, else of the month before
        day = int(g("day") or 0)
        d = _ordinal_day(ref, day)
        return d, ("day" if d else None), f"day of month {match.text!r}, on/before the article date"
    if kind == "weekend":
        sat = _last_weekday(ref, 5, strict=match.text.lower().startswith("last") and ref.weekday() >= 5)
        return sat, "week", f"{match.text!r}: the Saturday of the most recent weekend"
    if kind == "last_week":
        return ref - dt.timedelta(days=7), "week", match.text
    if kind == "this_week":
        return ref, "week", match.text
    if kind == "last_month":
        first = ref.replace(day=1)
        return _mid_month(first - dt.timedelta(days=1)), "month", "last month (coded to mid-month)"
    if kind == "past_month":
        return ref - dt.timedelta(days=15), "month", f"{match.text!r} (coded to 15 days before the article)"
    return None, None, f"unhandled phrase {match.text!r}"
