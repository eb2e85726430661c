"""JSON Lines and JSON files: one article per object, each bad row a counted skip naming file:line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from geoevents.errors import InputError, OnError, Report
from geoevents.ingest.dates import parse_published
from geoevents.ingest.decode import clean_text, looks_binary
from geoevents.ingest.html import parse_html_article
from geoevents.ingest.opening import READ_ERRORS, iter_lines, read_error, sniffable
from geoevents.records import Article

__all__ = ["iter_json", "iter_jsonl", "row_article"]

log = logging.getLogger(__name__)

_SNIFF_BYTES = 8192
TEXT_KEYS = ("text", "body", "content", "article")
DATE_KEYS = ("published", "date", "pubdate", "published_at", "publication_date")


def row_article(obj: Any, *, default_id: str, where: str) -> Article:
    """One JSON object to an Article; raises InputError naming ``where`` (file:line)."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object with a 'text' field, got {type(obj).__name__}")
    text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if text is None and isinstance(obj.get("html"), str) and obj["html"].strip():
        # a saved page inside a JSON record: extract it like an .html file
        page = parse_html_article(
            clean_text(obj["html"]),  # lxml refuses lone surrogates; the rest is cleaned with a note later
            id=str(obj.get("id") or default_id),
            path=where,
            url=obj.get("url") if isinstance(obj.get("url"), str) else None,
        )
        text = page.text
        obj = {
            "title": page.title,
            "url": page.url,
            "source": page.source,
            "published": page.published.isoformat() if page.published else None,
            **{k: v for k, v in obj.items() if k != "html" and v not in (None, "")},
        }
    if text is None:
        raise InputError(
            f"{where}: no article text; each object needs a non-empty 'text' "
            f"(or {', '.join(repr(k) for k in TEXT_KEYS[1:])}) string, or an 'html' page"
        )
    # verbatim: records may carry character offsets into their text (gold spans, evidence)

    def opt(*keys: str) -> str | None:
        for key in keys:
            value = obj.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
                continue  # not an id or a date; str() of a huge int even raises
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
                return str(value).strip()
        return None

    published = None
    raw_date = opt(*DATE_KEYS)
    if raw_date is not None:
        published = parse_published(raw_date)
        if published is None:
            log.info("%s: could not read the date %r; published left empty", where, raw_date[:80])
    url = opt("url", "link", "href")
    if url is not None and not url.lower().startswith(("http://", "https://")):
        url = None
    return Article(
        id=opt("id", "article_id", "doc_id") or default_id,
        text=text,
        title=opt("title", "headline"),
        url=url,
        published=published,
        source=opt("source", "outlet", "sitename", "site_name", "publisher"),
        path=where,
    )


def _why(err: BaseException) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return " ".join(str(err).split())[:120]


def iter_jsonl(
    stream: IO[bytes], path: Path, *, stem: str, max_bytes: int, report: Report, on_error: OnError
) -> Iterator[Article]:
    r"""Yield one article per JSON Lines line; bad lines are skipped (or raised) naming file:line.

    The whole file is refused when its start looks binary, or when it holds no non-blank line.
    Lines end at ``\n``, ``\r\n`` or ``\r``; blank lines cost nothing (see ``iter_lines``).
    A read error part way (EIO, a truncated gzip) ends the file with one counted skip.
    """
    try:
        stream, head = sniffable(stream, _SNIFF_BYTES)
    except READ_ERRORS as err:
        report.read += 1
        report.handle(on_error, *read_error(path, err))
        return
    why = looks_binary(head)
    if why:
        report.read += 1
        report.handle(on_error, InputError(f"{path}: looks binary ({why}), not JSON Lines"), "binary file")
        return
    candidates = 0
    lines = iter_lines(stream, max_bytes)
    while True:
        try:
            item = next(lines, None)
        except READ_ERRORS as err:
            report.read += 1
            report.handle(on_error, *read_error(path, err))
            return
        if item is None:
            if candidates == 0:
                report.read += 1
                empty = InputError(f"{path}: empty file (no JSON lines); remove it or fill it")
                report.handle(on_error, empty, "empty file")
            return
        lineno, raw = item
        where = f"{path}:{lineno}"
        report.read += 1
        candidates += 1
        try:
            if raw is None:
                raise InputError(
                    f"{where}: line longer than max_bytes={max_bytes:,}; split the record or raise max_bytes"
                )
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                report.note("replaced bytes", f"{where}: not valid UTF-8; bad bytes replaced with U+FFFD")
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError) as err:  # ValueError: also an int of 4,300+ digits
                msg = err.msg if isinstance(err, json.JSONDecodeError) else _why(err)
                raise InputError(
                    f"{where}: not valid JSON ({msg}); each line must be one JSON object"
                ) from None
            yield row_article(obj, default_id=f"{stem}:{lineno}", where=where)
        except InputError as err:
            report.handle(on_error, err, "bad JSON line")


def iter_json(
    text: str, path: Path, *, stem: str, max_bytes: int, report: Report, on_error: OnError
) -> Iterator[Article]:
    """Read a .json file: one article object, a list of them, or {"articles": [...]}."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        # maybe JSON Lines saved as .json
        lines = text.splitlines()
        if len(lines) > 1 and all(not ln.strip() or ln.lstrip().startswith("{") for ln in lines):
            stream = io.BytesIO(text.encode("utf-8"))
            yield from iter_jsonl(
                stream, path, stem=stem, max_bytes=max_bytes, report=report, on_error=on_error
            )
            return
        report.read += 1
        report.handle(
            on_error,
            InputError(f"{path}: not valid JSON; expected an article object or a list of them"),
            "bad JSON",
        )
        return
    if isinstance(obj, dict):
        rows = next(
            (obj[k] for k in ("articles", "items", "data", "documents") if isinstance(obj.get(k), list)), None
        )
        if rows is None:
            report.read += 1
            try:
                yield row_article(obj, default_id=stem, where=str(path))
            except InputError as err:
                report.handle(on_error, err, "bad JSON")
            return
        obj = rows
    if not isinstance(obj, list):
        report.read += 1
        report.handle(
            on_error,
            InputError(f"{path}: JSON holds a {type(obj).__name__}, expected an article object or a list"),
            "bad JSON",
        )
        return
    for i, row in enumerate(obj, start=1):
        report.read += 1
        try:
            yield row_article(row, default_id=f"{stem}:{i}", where=f"{path}:{i}")
        except InputError as err:
            report.handle(on_error, err, "bad JSON")
