"""Publication dates from header and byline strings, deterministically and without a clock.

A fast regex pass handles what newsroom files actually carry (``05/02/2024 21h33``,
``February 4, 2024``, ``22 November 2024``, ISO ``2024-02-05T10:00Z``, glued bylines such as
``Web DeskFebruary 4, 20243084 min``). Only when it finds nothing, and the text has a four-digit
year, is :mod:`dateparser` asked about short windows ending in that year (other languages,
e.g. ``5 février 2024`` or Arabic month names), with relative dates switched off. Nothing here
ever answers "today".
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any, NamedTuple

__all__ = ["parse_published"]

log = logging.getLogger(__name__)

#: Only this much of a string is searched: a header or byline is short, and a whole article
#: passed by mistake must not cost more than a header does.
MAX_SCAN_CHARS = 10_000

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_FULL_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# A year may have a read time glued on ("20243084 min"): trailing digits are allowed and ignored.
_MONTH_FIRST = re.compile(
    rf"(?<![^\W\d_]){_MON}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}", re.IGNORECASE
)
_DAY_FIRST = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MON}\.?,?\s+{_YEAR}(?!\d)",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"(?<![\d/.\-])(?P<year>(?:19|20)\d{2})([\-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?![\d/\-]|\.\d)"
)
_NUMERIC = re.compile(
    r"(?<![\d/.\-])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)"
    r"(?P<year>(?:19|20)\d{2}|(?<=/)\d{2})(?![\d/\-]|\.\d)"
)
_WORD = r"[^\W\d_]{3,}\.?"
_FOREIGN_SHAPE = re.compile(
    rf"(?<!\d)\d{{1,2}}(?:\.|er|º|°)?\s+(?:de\s+)?{_WORD},?\s+(?:de\s+)?(?:19|20)\d{{2}}(?!\d)"
    rf"|(?<![^\W\d_]){_WORD}\s+\d{{1,2}},?\s+(?:19|20)\d{{2}}(?!\d)"
)
MAX_FALLBACK_WINDOWS = 2
_ISO_START = re.compile(r"\s*((?:19|20)\d{2})-(\d{2})-(\d{2})(?:$|[T ]\d|Z|[+-]\d{2}:?\d{2}$)")
_SHAPES = (_ISO, _MONTH_FIRST, _DAY_FIRST, _NUMERIC)
# "DeskFebruary 4": a capitalised month glued to the word before it.
_GLUED_MONTH = re.compile(rf"(?<=[a-z])(?=(?:{_FULL_MONTHS})\.?\s*\d)")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}")
_WEEKDAYS = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?", re.IGNORECASE
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_PAGE_HEADER_REST = re.compile(r"^[\W_]*$")

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],  # no "relative-time", no "timestamp": never "today"
    "PREFER_DATES_FROM": "past",
    "STRICT_PARSING": True,
    "DATE_ORDER": "DMY",
}
#: Languages dateparser tries in the fallback; a fixed list keeps it fast and deterministic.
DATEPARSER_LANGUAGES = ["en", "fr", "es", "de", "it", "pt", "nl", "ar", "fa", "tr", "ru", "uk", "he"]


class DateMatch(NamedTuple):
    """A date found in a string, with where it was (offsets into the normalised string)."""

    date: dt.date
    start: int
    end: int


def _normalise(text: str) -> str:
    text = text[:MAX_SCAN_CHARS].translate(_DIGITS)
    text = _SPACES.sub(" ", text)
    return _GLUED_MONTH.sub(" ", text)


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 31/02/2024, month 13: not a date, not a crash
        return None


def _order_evidence(text: str) -> bool | None:
    """Say whether the numeric dates in ``text`` show their order: True day-first, False month-first."""
    day_first = month_first = False
    for m in _NUMERIC.finditer(text):
        a, b = int(m["a"]), int(m["b"])
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
    if day_first != month_first:
        return day_first
    return None


def _year(value: str) -> int:
    year = int(value)
    if len(value) == 2:  # "05/02/24": a two-digit year, 00-69 -> 2000s
        year += 2000 if year < 70 else 1900
    return year


def find_dates(text: str, *, prefer_day_first: bool | None = None) -> list[DateMatch]:
    """Every valid date the regex pass finds in ``text``, in reading order.

    Offsets refer to the normalised text (Eastern Arabic digits made ASCII, odd spaces made
    plain, a space put before a glued month name), which has the same length up to the
    inserted spaces; callers use them only to split a byline around its date.
    """
    if not text:
        return []
    norm = _normalise(text)
    if prefer_day_first is None:
        evidence = _order_evidence(norm)
        prefer_day_first = True if evidence is None else evidence
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def add(date: dt.date | None, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        if date is not None:
            found.append(DateMatch(date, start, end))

    for m in _ISO.finditer(norm):
        add(_valid(int(m["year"]), int(m["month"]), int(m["day"])), m.start(), m.end())
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        for m in pattern.finditer(norm):
            add(_valid(int(m["year"]), _MONTHS[m["mon"].lower()], int(m["day"])), m.start(), m.end())
    for m in _NUMERIC.finditer(norm):
        a, b, year = int(m["a"]), int(m["b"]), _year(m["year"])
        if a > 12 or (b <= 12 and prefer_day_first):
            date = _valid(year, b, a)
        else:
            date = _valid(year, a, b)
        add(date, m.start(), m.end())
    found.sort(key=lambda d: d.start)
    return found


def _dateparser_fallback(text: str) -> dt.date | None:
    """Ask dateparser about day-word-year windows the English regexes did not read.

    Only windows shaped like a date in another language ("5 février 2024", "8 de febrero de
    2024", "5 فبراير 2024") are passed, at most ``MAX_FALLBACK_WINDOWS`` of them, so a stray
    year in a byline costs nothing and a foreign date costs one dateparser call.
    """
    windows = [m.group(0) for m in _FOREIGN_SHAPE.finditer(text)][:MAX_FALLBACK_WINDOWS]
    if not windows:
        return None
    try:
        import dateparser
    except ImportError:  # a hard dependency, but a missing one must not break ingest
        return None
    for window in windows:
        try:
            got = dateparser.parse(window, languages=DATEPARSER_LANGUAGES, settings=_DATEPARSER_SETTINGS)
        except Exception as err:  # dateparser bugs on odd input must not escape
            log.debug("dateparser failed on %r: %s", window, err)
            continue
        if isinstance(got, dt.datetime) and 1900 <= got.year <= 2099:
            return got.date()
    return None


def find_line_date(line: str, *, prefer_day_first: bool | None = None) -> DateMatch | None:
    """Find the first date in one header line: regexes first, then one dateparser window.

    Offsets are into ``_normalise(line)``.
    """
    found = find_dates(line, prefer_day_first=prefer_day_first)
    if found:
        return found[0]
    norm = _normalise(line)
    shape = _FOREIGN_SHAPE.search(norm)
    if shape is None or any(p.search(norm) for p in _SHAPES):
        return None
    date = _dateparser_fallback(shape.group(0))
    return DateMatch(date, shape.start(), shape.end()) if date else None


def _is_date_only(match: DateMatch, norm_line: str) -> bool:
    """Tell whether a line holds nothing but a date, a weekday and punctuation."""
    rest = norm_line[: match.start] + norm_line[match.end :]
    return bool(_PAGE_HEADER_REST.match(_WEEKDAYS.sub("", rest)))


def _is_page_header(line: str, match: DateMatch, norm_line: str) -> bool:
    """Tell whether a line is only a (week)day date, often bulleted: the page's "today" banner."""
    return _is_date_only(match, norm_line) and ("•" in line or bool(_WEEKDAYS.search(norm_line)))


def parse_published(text: str, *, prefer_day_first: bool | None = None) -> dt.date | None:
    """Find the publication date in a header or byline string.

    The first date in reading order wins, except a line that holds nothing but a weekday date
    (a site's "• Friday, 22 November 2024" banner, which is the day the page was saved): it is
    used only when no other line has a date. Day-month order of all-numeric dates such as
    ``03/04/2024`` is day-first (European and ICARO style, ``05/02/2024 21h33`` is 5 February)
    unless another numeric date in the same text can only be month-first (``11/22/2023``), or
    ``prefer_day_first`` says otherwise; an unambiguous one (``22/11/2023``) is read as written.

    Parameters
    ----------
    text : str
        A header block, byline or single date string. Only the first ``MAX_SCAN_CHARS``
        characters are read.
    prefer_day_first : bool, optional
        Force the order of ambiguous numeric dates: True day-first, False month-first.

    Returns
    -------
    datetime.date or None
        None when no valid full date (day, month and year) is written: impossible dates
        (``31/02/2024``), month-only dates and relative words ("yesterday") give None, never
        the current date. Never raises.

    """
    if not isinstance(text, str) or not text.strip():
        return None
    iso = _ISO_START.match(text)
    if iso:  # fast path for machine dates ("2024-02-08", "2024-02-08T10:00:00Z")
        return _valid(int(iso[1]), int(iso[2]), int(iso[3]))
    banner: dt.date | None = None
    # decide the numeric order once, from the whole text, then look line by line
    if prefer_day_first is None:
        prefer_day_first = _order_evidence(_normalise(text))
    for line in text[:MAX_SCAN_CHARS].splitlines():
        matches = find_dates(line, prefer_day_first=prefer_day_first)
        if not matches:
            continue
        if _is_page_header(line, matches[0], _normalise(line)):
            banner = banner or matches[0].date
            continue
        return matches[0].date
    if banner is not None:
        return banner
    norm = _normalise(text)
    if _HAS_YEAR.search(norm) and not any(p.search(norm) for p in _SHAPES):
        # the regexes saw no date shape at all (31/02/2024 is a shape, just not a date)
        return _dateparser_fallback(norm)
    return None
