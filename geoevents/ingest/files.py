"""Files and folders in, ``Article`` records out: lazily, one article in memory at a time.

What a newsroom hands over is a folder of whatever it has: ``.txt``/``.md`` exports, saved
``.html`` pages, JSON Lines dumps, some of them gzipped, plus the odd image or archive. Each
problem with one input becomes an ``InputError`` naming the file (``on_error='raise'``) or a
counted skip in the ``Report`` (``'warn'``/``'skip'``); the run goes on with the rest.

Decisions worth knowing:

* A file larger than ``max_bytes`` is **truncated** to its first ``max_bytes`` (decompressed)
  bytes and still read, with a note: the start of an article carries its title, date and
  lede, and a giant file is more often a wrong export than an article. In JSON Lines files
  ``max_bytes`` is a limit per line instead (a longer line is skipped), so big corpora stream.
* Encoding guesses, replaced bytes, removed NULs, truncations and renamed duplicate ids are
  *notes*: logged as warnings and added to ``Report.messages`` (prefixed ``note:``) and, when
  the report has a ``notes`` counter, counted there. They are not skips: the article is
  still yielded.
* Ids are file stems, or a JSON Lines row's ``id`` (else ``<stem>:<line>``). A repeated id
  gets ``~2``, ``~3``... in reading order. Keeping ids unique costs one set of ids per run,
  the only memory that grows with the number of articles.
* ``report.read`` counts article candidates: each file, each non-blank JSON Lines line, each
  missing path. So ``read == articles yielded + report.n_skipped`` for an ingest-only report.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from geoevents.errors import GeoeventsError, InputError, OnError, Report, check_policy
from geoevents.ingest.decode import clean_text, decode_bytes, safe_name
from geoevents.ingest.finding import (
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    STDIN,
    is_stdin,
    iter_input_files,
)
from geoevents.ingest.html import parse_html_article
from geoevents.ingest.jsonrows import iter_json, iter_jsonl
from geoevents.ingest.opening import (
    READ_ERRORS,
    maybe_gunzip,
    open_regular,
    os_error,
    read_error,
    read_limited,
    sniffable,
)
from geoevents.ingest.text import parse_text_article
from geoevents.records import Article

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "MAX_TEXT_CHARS",
    "STDIN",
    "iter_input_files",
    "read_article",
    "read_articles",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20_000_000
_SNIFF_BYTES = 8192
#: Characters of article text kept (the geoparser's own limit): a longer text is cut at the
#: last paragraph or sentence break before it, with a note, so a huge file is read, not skipped.
MAX_TEXT_CHARS = 2_000_000
_HTML_START = ("<!doctype html", "<html", "<head", "<body", "<article", "<meta", "<div", "<p>", "<p ")


# ---------------------------------------------------------------- reporting helpers


def _note(report: Report, reason: str, message: str) -> None:
    """Record something repaired or guessed about an input that was still read."""
    note = getattr(report, "note", None)
    if callable(note):
        note(reason, message)
    else:  # a caller's own report type
        log.warning("%s", message)
        report.messages.append(f"note: {message}")


def _kind(path: Path) -> tuple[str, bool]:
    """('text'|'html'|'jsonl'|'json', gzipped) from the file name."""
    name = path.name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    for suffixes, kind in ((HTML_SUFFIXES, "html"), (JSONL_SUFFIXES, "jsonl"), (JSON_SUFFIXES, "json")):
        if name.endswith(suffixes):
            return kind, gz
    return "text", gz


def _stem(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem = Path(name).stem
    return stem or name or "article"


# ---------------------------------------------------------------- reading bytes


def _open_binary(path: Path) -> IO[bytes]:
    if is_stdin(path):
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            return stream
        # a text-mode stdin without a buffer (tests, embedded interpreters)
        return io.BytesIO(sys.stdin.read().encode("utf-8"))
    return open_regular(path, safe_name(path))


# ---------------------------------------------------------------- one file


def _looks_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(_HTML_START) or ("<html" in head and "</" in text[:65536].lower())


def _article_from_text(text: str, *, kind: str, art_id: str, where: str) -> Article:
    if kind == "html" or (kind == "text" and _looks_html(text)):
        return parse_html_article(text, id=art_id, path=where)
    return parse_text_article(text, id=art_id, path=where)


def _iter_file(path: Path, *, report: Report, on_error: OnError, max_bytes: int) -> Iterator[Article]:
    """Every article in one file (one, or one per JSON Lines row); problems go to the report.

    Every read is inside one ``try``: an ``OSError`` (EIO...) or bad compressed data anywhere
    in the file is one counted skip for this file, and the run goes on.
    """
    from_stdin = is_stdin(path)
    kind, gz = _kind(path) if not from_stdin else ("text", False)
    stem = "stdin" if from_stdin else safe_name(_stem(path))
    shown = Path("<stdin>") if from_stdin else Path(safe_name(path))
    try:
        raw_stream = _open_binary(path)
    except InputError as err:  # not a regular file
        report.read += 1
        report.handle(on_error, err, "not a regular file")
        return
    except OSError as err:
        report.read += 1
        report.handle(on_error, os_error(shown, err), "unreadable file")
        return
    try:
        try:
            if from_stdin:
                # no name to go by: sniff the first bytes, then keep streaming (JSON Lines on a
                # pipe may be far larger than max_bytes)
                stream, head = sniffable(raw_stream)
                if head[:2] == b"\x1f\x8b":
                    stream, head = sniffable(gzip.GzipFile(fileobj=stream, mode="rb"))
                kind = _sniff_kind(head)
            else:
                stream, gz = maybe_gunzip(raw_stream, gz)
            if kind == "jsonl":
                yield from iter_jsonl(
                    stream, shown, stem=stem, max_bytes=max_bytes, report=report, on_error=on_error
                )
                return
            data, truncated = read_limited(stream, max_bytes)
        except READ_ERRORS as err:
            report.read += 1
            report.handle(on_error, *read_error(shown, err))
            return
        if kind == "json":
            yield from _json_file(
                data, truncated, shown=shown, stem=stem, max_bytes=max_bytes, report=report, on_error=on_error
            )
            return
        yield from _one_document(
            data, truncated, kind=kind, shown=shown, stem=stem, report=report, on_error=on_error
        )
    finally:
        if not from_stdin:
            raw_stream.close()


def _json_file(
    data: bytes, truncated: bool, *, shown: Path, stem: str, max_bytes: int, report: Report, on_error: OnError
) -> Iterator[Article]:
    if truncated:
        report.read += 1
        report.handle(
            on_error,
            InputError(
                f"{shown}: JSON file larger than max_bytes={max_bytes:,}; "
                "use JSON Lines (.jsonl) for big corpora"
            ),
            "file too large",
        )
        return
    try:
        text = decode_bytes(data, name=str(shown)).text
    except InputError as err:
        report.read += 1
        report.handle(on_error, err, "binary file")
        return
    if not text.strip():
        report.read += 1
        report.handle(on_error, InputError(f"{shown}: empty file; remove it or fill it"), "empty file")
        return
    yield from iter_json(text, shown, stem=stem, max_bytes=max_bytes, report=report, on_error=on_error)


def _sniff_kind(data: bytes) -> str:
    """Tell JSON Lines, JSON and text (HTML is recognised later, from the decoded text) apart."""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0]
        try:
            json.loads(first)
        except ValueError:  # a pretty-printed object, or a first line longer than the sniff
            return "jsonl" if len(first) >= _SNIFF_BYTES - 16 else "json"
        return "jsonl"
    return "text"


def _one_document(
    data: bytes, truncated: bool, *, kind: str, shown: Path, stem: str, report: Report, on_error: OnError
) -> Iterator[Article]:
    """Turn a text or HTML document's bytes into one Article (or one counted skip)."""
    report.read += 1
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        report.handle(on_error, InputError(f"{shown}: empty file; remove it or fill it"), "empty file")
        return
    try:
        decoded = decode_bytes(data, name=str(shown), truncated=truncated)
    except InputError as err:
        report.handle(on_error, err, "binary file")
        return
    if truncated:
        _note(
            report,
            "truncated",
            f"{shown}: larger than max_bytes={len(data):,}; only the first {len(data):,} bytes were read",
        )
    for message in decoded.notes:
        reason = (
            "decoded with replacement"
            if "U+FFFD" in message
            else ("removed NUL" if "NUL" in message else "encoding guessed")
        )
        _note(report, reason, message)
    try:
        yield _article_from_text(decoded.text, kind=kind, art_id=stem, where=str(shown))
    except InputError as err:
        report.handle(
            on_error,
            err,
            "empty file" if "empty" in str(err) or "no visible text" in str(err) else "unreadable article",
        )
    except GeoeventsError:
        raise
    except Exception as err:  # a parser bug on odd input: report it with the file, never a traceback
        log.debug("parser failed on %s", shown, exc_info=True)
        detail = " ".join(str(err).split())[:200]
        report.handle(
            on_error,
            InputError(f"{shown}: could not be parsed ({type(err).__name__}: {detail})"),
            "unreadable article",
        )


# ---------------------------------------------------------------- public readers


def read_articles(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    on_error: OnError = "skip",
    report: Report | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[str | os.PathLike[str]] = (),
) -> Iterator[Article]:
    """Read articles from files, folders and/or standard input, lazily.

    Articles are yielded as they are read, so memory stays flat however many files or lines
    there are (only the set of ids seen grows). File order is that of ``iter_input_files``.

    Parameters
    ----------
    paths : path or sequence of paths
        Files (``.txt``/``.text``/``.md``, ``.html``/``.htm``, ``.jsonl``/``.ndjson``,
        ``.json``, each optionally ``.gz``), folders searched recursively, or ``"-"``.
    on_error : {'raise', 'warn', 'skip'}
        'raise' stops at the first bad input with an ``InputError`` naming it; 'warn' and
        'skip' count it in ``report`` and go on ('warn' also emits a ``GeoeventsWarning``).
    report : Report, optional
        Receives ``read`` counts, skips and notes; pass one to see them after the run.
    max_bytes : int
        Per file (per line for JSON Lines): longer files are truncated with a note, longer
        lines skipped. Article text is also cut to ``MAX_TEXT_CHARS`` characters, with a note.
    exclude : sequence of paths
        Folders not searched, files skipped in folders (the CLI passes its output).

    Yields
    ------
    Article
        With ids unique within the call (repeats get ``~2``, ``~3``... and a note).

    Raises
    ------
    InputError
        Under 'raise' for any bad input; under any policy when a folder has no article files
        or no paths are given.

    """
    on_error = check_policy(on_error)
    if report is None:
        report = Report()
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise InputError(f"max_bytes must be a positive integer, got {max_bytes!r}")
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    return _read_articles(paths, on_error=on_error, report=report, max_bytes=max_bytes, exclude=exclude)


def _read_articles(
    paths: Sequence[str | os.PathLike[str]],
    *,
    on_error: OnError,
    report: Report,
    max_bytes: int,
    exclude: Sequence[str | os.PathLike[str]],
) -> Iterator[Article]:
    ids: set[str] = set()
    dup_base: dict[str, int] = {}
    for path in iter_input_files(paths, report=report, on_error=on_error, exclude=exclude):
        for article in _iter_file(path, report=report, on_error=on_error, max_bytes=max_bytes):
            yield _unique(_bounded(_cleaned(article, report), report), ids, dup_base, report)


def _cleaned(article: Article, report: Report) -> Article:
    """Apply the one decode policy to every str field: lone surrogates become U+FFFD."""
    changes: dict[str, Any] = {}
    for name in ("id", "text", "title", "url", "source", "path"):
        value = getattr(article, name)
        if isinstance(value, str):
            clean = clean_text(value)
            if clean is not value:
                changes[name] = clean
    if not changes:
        return article
    fields = ", ".join(changes)
    where = changes.get("path", article.path) or changes.get("id", article.id)
    _note(
        report, "replaced surrogates", f"{where}: invalid characters (lone surrogates) in {fields} replaced"
    )
    return replace(article, **changes)


def _bounded(article: Article, report: Report) -> Article:
    """Cut a text over ``MAX_TEXT_CHARS`` at the last paragraph (else sentence) break, with a note."""
    if len(article.text) <= MAX_TEXT_CHARS:
        return article
    text = article.text[:MAX_TEXT_CHARS]
    cut = text.rfind("\n", MAX_TEXT_CHARS // 2)
    if cut < 0:
        cut = text.rfind(". ", MAX_TEXT_CHARS // 2) + 1
    text = text[:cut] if cut > 0 else text
    _note(
        report,
        "truncated",
        f"{article.path or article.id}: text of {len(article.text):,} characters; only the first "
        f"{len(text):,} were kept (limit {MAX_TEXT_CHARS:,})",
    )
    return replace(article, text=text)


def _unique(article: Article, ids: set[str], dup_base: dict[str, int], report: Report) -> Article:
    if article.id not in ids:
        ids.add(article.id)
        return article
    k = dup_base.get(article.id, 1)
    new_id = article.id
    while new_id in ids:
        k += 1
        new_id = f"{article.id}~{k}"
    dup_base[article.id] = k
    ids.add(new_id)
    _note(report, "duplicate id", f"{article.path}: id {article.id!r} already used; renamed {new_id!r}")
    return replace(article, id=new_id)


def read_article(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    report: Report | None = None,
) -> Article:
    """Read the one article in a file (or ``"-"``); any problem raises ``InputError``.

    Raises
    ------
    InputError
        When the file is missing, empty, binary or malformed, or holds more or fewer than one
        article (use ``read_articles`` for JSON Lines files).

    """
    report = report if report is not None else Report()
    p: str | os.PathLike[str] = path
    if not is_stdin(path):
        if Path(path).is_dir():
            raise InputError(
                f"{path}: is a folder; read_article reads one file (use read_articles for folders)"
            )
    found: list[Article] = []
    for article in read_articles([p], on_error="raise", report=report, max_bytes=max_bytes):
        found.append(article)
        if len(found) > 1:
            raise InputError(f"{path}: holds more than one article; use read_articles to read them all")
    if not found:
        raise InputError(f"{path}: no article found in it")
    return found[0]
