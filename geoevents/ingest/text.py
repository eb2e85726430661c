r"""Plain-text articles as newsrooms save them: a title, a header block, the body, a site footer.

The layout this module reads (seen in ICARO, Gulan Media, News Guru exports)::

    • Friday, 22 November 2024        <- optional page banner: the day the page was saved
    logo                              <- optional logo alt text
    Title of the article              <- title: first remaining non-empty line
    https://.../photo.jpg             <- header block: URLs, outlet, section, byline, date,
    ICARO Media Group                    a repeat of the title; short lines without
    Politics                             sentence punctuation
    05/02/2024 21h33
    First paragraph of the body...    <- body: from the first sentence-like line
    ...
    Share This Post / Related / The views expressed in this article... <- footer: cut

Heuristics, all documented here because downstream code depends on them:

* **Header block**: after the title, at most ``MAX_HEADER_LINES`` non-empty lines that are a
  URL, a date/byline (up to 160 characters with a date in it, and either at most 6 words or
  no final sentence punctuation: "On 05/02/2024 a drone struck." is body), a repeat of the
  title, an author line ("By ..."), a logo line, or short (at most 6 words and 60 characters,
  no final ``.!?``). The body starts after the last line known to be metadata (URL, date,
  title repeat, "By ..." line, a known section name or a line with an outlet word), so a
  short line that is none of these ("BAGHDAD -", an unknown section) stays in the text unless
  metadata follows it. A line of more than 6 words without a date is a standfirst and stays.
* **Date**: the first date in the header block; a date-only line above the title (a page
  banner such as "• Friday, 22 November 2024") is used only if the header has none. Dates
  in the body are event dates, never the publication date.
* **URL**: the first header URL that is not an image; an image URL (ICARO prints its photo
  URL) only when there is nothing better.
* **Source**: the owner in a copyright footer ("News Guru, 2024 © All Rights Reserved"), else
  the byline text before its date or a short header line, if it has an outlet word ("Media",
  "News", "Desk", "Agency", ...: a bare name is more often an author), else None. Best
  effort, never required.
* **Footer**: text is cut at the first footer marker ("Share This Post", "Related",
  "Related Stories", "No stories found.", "The views expressed in this article ...", a
  copyright/"All Rights Reserved" line) found past the first ``FOOTER_MIN_FRACTION`` of the
  body; then trailing lines of at most ``TRAILING_CRUMB_WORDS`` words without final
  punctuation ("Top", "Latest Lagos Local News -") are dropped. "Also Read: ..." lines are
  **kept** (they are in the article as published; the events stage decides what to ignore).
* Otherwise the body's characters are unchanged (line endings normalised to ``\n``), because
  later stages quote its sentences as evidence with character offsets.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from geoevents.errors import InputError
from geoevents.ingest.dates import _is_date_only, _normalise, find_dates, find_line_date
from geoevents.records import Article

__all__ = ["parse_text_article", "split_header"]

MAX_HEADER_LINES = 10
MAX_TITLE_CHARS = 300
FOOTER_MIN_FRACTION = 0.3
MAX_FOOTER_LINES = 40  # footer lines searched for a copyright owner
TRAILING_CRUMB_WORDS = 5  # "Top", "Latest Lagos Local News -": dropped from the end of the body

_URL = re.compile(r"^\s*(https?://\S+)\s*$", re.IGNORECASE)
_IMAGE_URL = re.compile(
    r"(\.(jpe?g|png|gif|webp|avif|svg|bmp)(\?|$))|/images?/|/photos?/|/media/|/uploads?/|open-uri",
    re.IGNORECASE,
)
_LOGO = re.compile(r"\blogo\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\u2026:;]['\"\u201d\u2019\u00bb)\]]*\s*$")
_BYLINE = re.compile(r"^\s*(by|par|por|von)\s+\S", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_OUTLET_WORDS = re.compile(
    r"\b(media|news|group|times|post|agency|press|tv|television|network|daily|herald|tribune|"
    r"journal|gazette|radio|broadcast(ing)?|online|desk|wire|reuters|afp|ap|bbc|cnn|al[- ]jazeera|"
    r"observer|guardian|telegraph|chronicle|monitor|mail|report|insider|today|24|247)\b",
    re.IGNORECASE,
)
# Byline words before a date that are not an outlet ("Published on", "Publié le").
_NOT_A_SOURCE = re.compile(
    r"^(?:(?:last|first)\s+)?(?:published|posted|updated|modified|date[d]?|publié|mis à jour|publicado|"
    r"actualizado|veröffentlicht|aktualisiert|pubblicato|on|le|el|am|the|at|by)"
    r"(?:\s+(?:on|le|el|am|at|the|:))*\s*:?$",
    re.IGNORECASE,
)
_SECTIONS = frozenset(
    s.casefold()
    for s in (
        "politics",
        "world",
        "news",
        "business",
        "economy",
        "middle east",
        "iraq",
        "syria",
        "international",
        "national",
        "local",
        "opinion",
        "analysis",
        "security",
        "region",
        "breaking news",
        "latest",
        "top stories",
        "home",
        "world news",
        "asia",
        "africa",
        "europe",
        "americas",
        "sports",
        "culture",
        "defense",
        "defence",
        "military",
    )
)
# Footer markers: the text is cut at the first one (past FOOTER_MIN_FRACTION of the body).
_FOOTER_EXACT = frozenset(
    s.casefold()
    for s in (
        # only lines that end an article's text; widget titles that can sit mid-page
        # ("Trending", "Most read", "Tags") are left to the trailing-crumb rule
        "share this post",
        "share this article",
        "share this story",
        "share this:",
        "share on",
        "related",
        "related stories",
        "related articles",
        "related posts",
        "related news",
        "related content",
        "related topics",
        "read more",
        "more stories",
        "no stories found.",
        "you may also like",
        "leave a comment",
        "leave a reply",
        "subscribe to our newsletter",
    )
)
_FOOTER_PREFIX = re.compile(
    r"^\s*(the views expressed in this article|the views and opinions expressed|"
    r"disclaimer\s*:|copyright\s*(©|\(c\)|\d{4})|©|\(c\)\s*\d{4}|all rights reserved)",
    re.IGNORECASE,
)
_RIGHTS = re.compile(r"all rights reserved", re.IGNORECASE)
_COPYRIGHT_OWNER = (
    # "News Guru, 2024 © All Rights Reserved"
    re.compile(r"^\s*(?P<name>[^©\n]{2,60}?)[\s,]*(?:\d{4})?\s*©"),
    # "© 2024 Gulan Media. All rights reserved", "Copyright © 2024 X"
    re.compile(
        r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?\s*)?,?\s*"
        r"(?P<name>[^.|\n©]{2,60}?)\s*(?:[.|,]|all rights reserved|$)",
        re.IGNORECASE,
    ),
)


@dataclass
class Header:
    """What the header block of a text article says, and where its body starts and ends."""

    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None
    body_start: int = 0
    body_end: int = 0
    meta_lines: list[str] = field(default_factory=list)


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _words(line: str) -> int:
    return len(line.split())


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _is_logo(line: str) -> bool:
    return _words(line) <= 4 and bool(_LOGO.search(line))


def _is_short_meta(line: str) -> bool:
    s = line.strip()
    return _words(s) <= 6 and len(s) <= 60 and not _SENTENCE_END.search(s)


def _clean_source(name: str) -> str | None:
    name = name.strip(" \t-\u2013\u2014|:,\u2022\u00b7")
    if not name or len(name) > 60 or not any(ch.isalpha() for ch in name) or _NOT_A_SOURCE.match(name):
        return None
    return name


def _is_footer_marker(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if s.casefold() in _FOOTER_EXACT:
        return True
    if _FOOTER_PREFIX.match(s):
        return True
    return len(s) <= 120 and bool(_RIGHTS.search(s))


def _copyright_owner(lines: list[str]) -> str | None:
    for line in lines:
        if len(line) > 160 or not ("©" in line or _RIGHTS.search(line) or "copyright" in line.lower()):
            continue
        for pattern in _COPYRIGHT_OWNER:
            m = pattern.search(line)
            if m:
                name = _clean_source(re.sub(r"\b(19|20)\d{2}\b", "", m["name"]))
                if name and not _RIGHTS.search(name) and name.casefold() not in ("copyright",):
                    return name
    return None


def split_header(text: str) -> Header:
    """Find title, header metadata and the body's span in normalised article text.

    ``text`` must already use newline (LF) line endings. Returns offsets into ``text``:
    ``text[body_start:body_end]`` is the body before whitespace is trimmed.
    """
    lines = _lines_with_offsets(text)
    head = Header(body_end=len(text))
    i, n = 0, len(lines)
    banner: dt.date | None = None
    urls: list[str] = []

    # page banner, logo lines and stray URLs above the title
    while i < n:
        line = lines[i][1].strip()
        if not line or _is_logo(line):
            i += 1
            continue
        if len(line) <= 80:
            dates = find_dates(line)
            if dates and _is_date_only(dates[0], _normalise(line)):
                banner = banner or dates[0].date
                i += 1
                continue
        url = _URL.match(line)
        if url:
            urls.append(url.group(1))
            i += 1
            continue
        break
    if i >= n:  # nothing but banner/logo/URL lines
        head.body_start = 0
        head.url = _pick_url(urls)
        head.published = banner
        return head

    first = lines[i][1].strip()
    if len(first) <= MAX_TITLE_CHARS and not (_words(first) > 25 and _SENTENCE_END.search(first)):
        head.title = _MARKDOWN_HEADING.sub("", first).strip() or None
        i += 1
    body_start = lines[i][0] if i < n else len(text)

    published: dt.date | None = None
    bylines: list[str] = []
    seen = 0
    pending: list[str] = []  # short lines not known to be metadata: body unless metadata follows
    while i < n and head.title is not None:
        raw = lines[i][1]
        line = raw.strip()
        if not line:
            i += 1
            continue
        if seen >= MAX_HEADER_LINES:
            break
        url = _URL.match(line)
        found = find_line_date(line) if len(line) <= 160 and not url else None
        if url:
            urls.append(url.group(1))
        elif found and (_words(line) <= 6 or not _SENTENCE_END.search(line)):
            published = published or found.date
            norm = _normalise(line)
            prefix = _clean_source(norm[: found.start])
            if prefix:
                bylines.append(prefix)
        elif _same(line, head.title) or _is_logo(line):
            pass
        elif _BYLINE.match(line) and _words(line) <= 12 and not _SENTENCE_END.search(line):
            head.meta_lines.append(line)
        elif _is_short_meta(line) and (_OUTLET_WORDS.search(line) or line.casefold() in _SECTIONS):
            head.meta_lines.append(line)
        elif _is_short_meta(line):
            pending.append(line)  # an author, a section we don't know, or a dateline: decide later
            seen += 1
            i += 1
            continue
        else:
            break
        head.meta_lines.extend(pending)
        pending = []
        seen += 1
        i += 1
        body_start = lines[i][0] if i < n else len(text)

    head.body_start = body_start
    head.url = _pick_url(urls)
    head.published = published or banner

    head.body_end, footer_lines = _find_footer(text, lines, body_start)

    # an outlet word is required: a bare name in a byline is more often an author than an outlet
    head.source = _copyright_owner(footer_lines) or next(
        (
            c
            for c in bylines + head.meta_lines
            if _OUTLET_WORDS.search(c) and not _BYLINE.match(c) and c.casefold() not in _SECTIONS
        ),
        None,
    )
    if head.source:
        head.source = _clean_source(head.source)
    return head


def _find_footer(text: str, lines: list[tuple[int, str]], body_start: int) -> tuple[int, list[str]]:
    """Return where the body ends (an offset into ``text``) and the footer lines cut off."""
    n = len(lines)
    threshold = body_start + FOOTER_MIN_FRACTION * (len(text) - body_start)
    first_body = bisect.bisect_left(lines, body_start, key=lambda item: item[0])
    k = max(first_body, bisect.bisect_left(lines, threshold, key=lambda item: item[0]))
    cut_index = n
    for j in range(k, n):
        if _is_footer_marker(lines[j][1]):
            cut_index = j
            break
    footer_lines = [raw.strip() for _, raw in lines[cut_index : cut_index + MAX_FOOTER_LINES]]
    # trailing navigation crumbs ("Top"): short lines without final punctuation
    while cut_index - 1 > first_body:
        s = lines[cut_index - 1][1].strip()
        if s and (_words(s) > TRAILING_CRUMB_WORDS or _SENTENCE_END.search(s)):
            break
        if s:
            footer_lines.insert(0, s)
        cut_index -= 1
    return (lines[cut_index][0] if cut_index < n else len(text)), footer_lines


def strip_footer(text: str) -> tuple[str, str | None]:
    """Cut a site footer off extracted body text; return the body and the copyright owner, if any.

    The same rules as for plain-text files (module docstring), for text that has no header,
    such as what trafilatura extracts from a page.
    """
    lines = _lines_with_offsets(text)
    end, footer_lines = _find_footer(text, lines, 0)
    body = text[:end].rstrip()
    return (body if body.strip() else text), _copyright_owner(footer_lines)


def _pick_url(urls: list[str]) -> str | None:
    for url in urls:
        if not _IMAGE_URL.search(url):
            return url
    return urls[0] if urls else None


def normalise_newlines(raw: str) -> str:
    """Make CRLF and CR line endings LF and drop BOM and NUL characters; nothing else changes."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if "\x00" in raw:
        raw = raw.replace("\x00", "")
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw


def parse_text_article(raw: str, *, id: str, path: str | None = None) -> Article:
    """Turn a plain-text (or Markdown) article into an ``Article``.

    See the module docstring for the header, date, source and footer heuristics. The text is
    the body only: title and header lines are in their own fields, so that a date or outlet
    name in the header is not mistaken for article content.

    Parameters
    ----------
    raw : str
        The whole file as text.
    id : str
        The article id (for files: the file stem).
    path : str, optional
        Where it came from, for ``Article.path`` and messages.

    Returns
    -------
    Article
        When the header heuristics leave no body (a file that is only a title and short
        lines), the text is the whole input instead, so nothing is lost.

    Raises
    ------
    InputError
        When ``raw`` is empty or whitespace only.

    """
    where = path or id
    if not isinstance(raw, str):
        raise InputError(f"{where}: article text must be str, got {type(raw).__name__}")
    text = normalise_newlines(raw)
    if not text.strip():
        raise InputError(f"{where}: empty article (no text); remove the file or fill it")
    head = split_header(text)
    body = text[head.body_start : head.body_end].strip()
    if not body:
        body = text.strip()
    return Article(
        id=id,
        text=body,
        title=head.title,
        url=head.url,
        published=head.published,
        source=head.source,
        path=path,
    )
