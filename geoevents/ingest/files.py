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
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from geoevents.errors import GeoeventsError, InputError, OnError, Report, check_policy
from geoevents.ingest.dates import parse_published
from geoevents.ingest.decode import decode_bytes, looks_binary
from geoevents.ingest.html import parse_html_article
from geoevents.ingest.text import parse_text_article
from geoevents.records import Article

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "STDIN",
    "iter_input_files",
    "read_article",
    "read_articles",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20_000_000
STDIN = "-"
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
_BASE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + JSON_SUFFIXES
#: What a folder is searched for (case-insensitive); files named explicitly are read whatever
#: their suffix (as text, unless the content is HTML).
ARTICLE_SUFFIXES = _BASE_SUFFIXES + tuple(s + ".gz" for s in _BASE_SUFFIXES)
_SNIFF_BYTES = 8192
_TEXT_KEYS = ("text", "body", "content", "article")
_DATE_KEYS = ("published", "date", "pubdate", "published_at", "publication_date")
_HTML_START = ("<!doctype html", "<html", "<head", "<body", "<article", "<meta", "<div", "<p>", "<p ")


# ---------------------------------------------------------------- reporting helpers


def _note(report: Report, reason: str, message: str) -> None:
    """Record something repaired or guessed about an input that was still read."""
    log.warning("%s", message)
    notes = getattr(report, "notes", None)
    if isinstance(notes, Counter):
        notes[reason] += 1
    if len(report.messages) < 1000:
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


def _is_stdin(path: str | os.PathLike[str]) -> bool:
    """``"-"`` (or ``Path("-")``, as a CLI may pass it) means standard input."""
    try:
        return os.fspath(path) == STDIN
    except TypeError:
        return False


def _is_article_file(path: Path) -> bool:
    return path.name.lower().endswith(ARTICLE_SUFFIXES)


# ---------------------------------------------------------------- finding files


def _walk(folder: Path, _visited: set[str] | None = None) -> Iterator[Path]:
    """Yield matching files under ``folder``, sorted by name at each level; hidden entries skipped.

    Symbolic links to folders are followed once each (a link loop does not recurse forever).
    """
    visited = _visited if _visited is not None else set()
    real = os.path.realpath(folder)
    if real in visited:
        log.info("%s: already searched (symbolic link loop or repeat); skipped", folder)
        return
    visited.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        raise InputError(
            f"{folder}: cannot list folder ({err.strerror or err}); check its permissions"
        ) from None
    ignored = 0
    subdirs: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                subdirs.append(Path(entry.path))
                continue
            is_file = entry.is_file()
        except OSError:
            is_file = False
        if is_file and _is_article_file(Path(entry.name)):
            yield Path(entry.path)
        else:
            ignored += 1
    if ignored:
        log.info(
            "%s: ignored %d file(s) that are not article files (%s)",
            folder,
            ignored,
            ", ".join(ARTICLE_SUFFIXES[: len(_BASE_SUFFIXES)]),
        )
    for sub in subdirs:
        yield from _walk(sub, visited)


def iter_input_files(
    paths: Sequence[str | os.PathLike[str]], *, report: Report, on_error: OnError = "skip"
) -> Iterator[Path]:
    """Yield the files to read, in a deterministic order.

    Paths are taken in the order given; a folder is searched recursively for
    ``ARTICLE_SUFFIXES`` (sorted by name at each level, hidden files and folders skipped); a
    file named explicitly is used whatever its suffix. ``"-"`` yields ``Path("-")``, meaning
    standard input. A file reached twice is yielded once.

    Parameters
    ----------
    paths : sequence of str or path-like
        Files, folders and/or ``"-"``.
    report : Report
        Receives a counted skip for each missing path (``on_error`` 'warn'/'skip').
    on_error : {'raise', 'warn', 'skip'}
        What a missing path does.

    Raises
    ------
    InputError
        For a missing path under ``on_error='raise'``; and, whatever the policy, when nothing
        at all can be read: no paths, a folder with no article files in it, or only missing
        paths (each still counted as a skip first).

    """
    on_error = check_policy(on_error)
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not paths:
        raise InputError("no input paths given; pass article files, folders, or - for standard input")
    seen: set[str] = set()
    # realpath per file costs a syscall per path component; it only matters when two
    # arguments can reach the same file
    dedupe = len(paths) > 1
    missing: list[str] = []
    for raw in paths:
        if _is_stdin(raw):
            if STDIN not in seen:
                seen.add(STDIN)
                yield Path(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                key = os.path.realpath(file) if dedupe else str(file)
                if key not in seen:
                    seen.add(key)
                    yield file
            if not found:
                raise InputError(
                    f"no articles found in {path}: it has no {', '.join(_BASE_SUFFIXES)} files "
                    "(optionally .gz); point at the folder that holds the articles"
                )
        elif path.exists():
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield path
        else:
            missing.append(str(path))
            report.read += 1
            report.handle(
                on_error,
                InputError(
                    f"{path}: no such file or folder; check the path "
                    "(a typo, or a glob that matched nothing?)"
                ),
                "no such file",
            )
    if missing and not seen:  # every path was missing: a usage error, whatever the policy
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise InputError(
            f"no such file or folder: {shown}; check the path (a typo, or a glob that matched nothing?)"
        )


# ---------------------------------------------------------------- reading bytes


def _open_binary(path: Path) -> IO[bytes]:
    if _is_stdin(path):
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            return stream  # type: ignore[no-any-return]
        # a text-mode stdin without a buffer (tests, embedded interpreters)
        return io.BytesIO(sys.stdin.read().encode("utf-8"))
    return open(path, "rb")


def _maybe_gunzip(stream: IO[bytes], path: Path, gz: bool) -> IO[bytes]:
    """Wrap ``stream`` in gzip when the name or the first bytes say it is gzipped."""
    if gz:
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    peek = getattr(stream, "peek", None)
    if peek is not None and peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


class _Prefixed(io.RawIOBase):
    """A raw stream that replays ``head`` and then reads on from ``rest``."""

    def __init__(self, head: bytes, rest: IO[bytes] | io.BufferedIOBase) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _sniffable(stream: IO[bytes] | io.BufferedIOBase) -> tuple[IO[bytes], bytes]:
    """Read up to 8 KiB of ``stream`` to look at, and return a stream that still starts there."""
    head = stream.read(_SNIFF_BYTES)
    return io.BufferedReader(_Prefixed(head, stream)), head


def _read_limited(stream: IO[bytes], max_bytes: int) -> tuple[bytes, bool]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return data[:max_bytes], True
    return data, False


def _os_error(path: Path, err: OSError) -> InputError:
    if isinstance(err, PermissionError):
        return InputError(f"{path}: permission denied; make it readable (chmod +r) or leave it out")
    if isinstance(err, IsADirectoryError):
        return InputError(f"{path}: is a folder, expected a file")
    return InputError(f"{path}: cannot read ({err.strerror or err})")


def _corrupt(path: Path, err: Exception) -> InputError:
    return InputError(f"{path}: corrupt or truncated compressed data ({err}); re-export or re-download it")


# ---------------------------------------------------------------- one file


def _looks_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(_HTML_START) or ("<html" in head and "</" in text[:65536].lower())


def _article_from_text(text: str, *, kind: str, art_id: str, where: str) -> Article:
    if kind == "html" or (kind == "text" and _looks_html(text)):
        return parse_html_article(text, id=art_id, path=where)
    return parse_text_article(text, id=art_id, path=where)


def _row_article(obj: Any, *, default_id: str, where: str) -> Article:
    """One JSON object to an Article; raises InputError naming ``where`` (file:line)."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object with a 'text' field, got {type(obj).__name__}")
    text = next((obj[k] for k in _TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if text is None and isinstance(obj.get("html"), str) and obj["html"].strip():
        # a saved page inside a JSON record: extract it like an .html file
        page = parse_html_article(
            obj["html"],
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
            f"(or {', '.join(repr(k) for k in _TEXT_KEYS[1:])}) string, or an 'html' page"
        )
    # verbatim: records may carry character offsets into their text (gold spans, evidence)

    def opt(*keys: str) -> str | None:
        for key in keys:
            value = obj.get(key)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
                return str(value).strip()
        return None

    published = None
    raw_date = opt(*_DATE_KEYS)
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


def _iter_jsonl(
    stream: IO[bytes], path: Path, *, stem: str, max_bytes: int, report: Report, on_error: OnError
) -> Iterator[Article]:
    """Yield one article per JSON Lines line; bad lines are skipped (or raised) naming file:line.

    The whole file is refused when its start looks binary, or when it holds no non-blank line.
    """
    peek = getattr(stream, "peek", None)
    try:
        head = peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if peek is not None else b""
    except (OSError, EOFError, zlib.error) as err:
        report.read += 1
        report.handle(on_error, _corrupt(path, err), "corrupt file")
        return
    why = looks_binary(head)
    if why:
        report.read += 1
        report.handle(on_error, InputError(f"{path}: looks binary ({why}), not JSON Lines"), "binary file")
        return
    lineno = 0
    candidates = 0
    while True:
        try:
            raw = stream.readline(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as err:
            report.read += 1
            report.handle(on_error, _corrupt(path, err), "corrupt file")
            return
        if not raw:
            if candidates == 0:
                report.read += 1
                empty = InputError(f"{path}: empty file (no JSON lines); remove it or fill it")
                report.handle(on_error, empty, "empty file")
            return
        lineno += 1
        where = f"{path}:{lineno}"
        too_long = len(raw) > max_bytes and not raw.endswith(b"\n")
        if too_long:
            try:
                while raw and not raw.endswith(b"\n"):  # discard the rest of the line
                    raw = stream.readline(1 << 20)
            except (OSError, EOFError, zlib.error):
                pass
        elif not raw.strip():
            continue
        report.read += 1
        candidates += 1
        try:
            if too_long:
                raise InputError(
                    f"{where}: line longer than max_bytes={max_bytes:,}; split the record or raise max_bytes"
                )
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                _note(report, "replaced bytes", f"{where}: not valid UTF-8; bad bytes replaced with U+FFFD")
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as err:
                msg = err.msg if isinstance(err, json.JSONDecodeError) else "nested too deeply"
                raise InputError(
                    f"{where}: not valid JSON ({msg}); each line must be one JSON object"
                ) from None
            yield _row_article(obj, default_id=f"{stem}:{lineno}", where=where)
        except InputError as err:
            report.handle(on_error, err, "bad JSON line")


def _iter_json(
    text: str, path: Path, *, stem: str, max_bytes: int, report: Report, on_error: OnError
) -> Iterator[Article]:
    """Read a .json file: one article object, a list of them, or {"articles": [...]}."""
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        # maybe JSON Lines saved as .json
        lines = text.splitlines()
        if len(lines) > 1 and all(not ln.strip() or ln.lstrip().startswith("{") for ln in lines):
            stream = io.BytesIO(text.encode("utf-8"))
            yield from _iter_jsonl(
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
                yield _row_article(obj, default_id=stem, where=str(path))
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
            yield _row_article(row, default_id=f"{stem}:{i}", where=f"{path}:{i}")
        except InputError as err:
            report.handle(on_error, err, "bad JSON")


def _iter_file(path: Path, *, report: Report, on_error: OnError, max_bytes: int) -> Iterator[Article]:
    """Every article in one file (one, or one per JSON Lines row); problems go to the report."""
    is_stdin = _is_stdin(path)
    kind, gz = _kind(path) if not is_stdin else ("text", False)
    stem = "stdin" if is_stdin else _stem(path)
    shown = Path("<stdin>") if is_stdin else path
    try:
        raw_stream = _open_binary(path)
    except OSError as err:
        report.read += 1
        report.handle(on_error, _os_error(path, err), "unreadable file")
        return
    try:
        if is_stdin:
            # no name to go by: sniff the first bytes, then keep streaming (JSON Lines on a
            # pipe may be far larger than max_bytes)
            try:
                stream, head = _sniffable(raw_stream)
                if head[:2] == b"\x1f\x8b":
                    stream, head = _sniffable(gzip.GzipFile(fileobj=stream, mode="rb"))
            except (OSError, EOFError, zlib.error) as err:
                report.read += 1
                report.handle(on_error, _corrupt(shown, err), "corrupt file")
                return
            kind = _sniff_kind(head)
        else:
            stream = _maybe_gunzip(raw_stream, shown, gz)
        if kind == "jsonl":
            yield from _iter_jsonl(
                stream, shown, stem=stem, max_bytes=max_bytes, report=report, on_error=on_error
            )
            return
        try:
            data, truncated = _read_limited(stream, max_bytes)
        except (OSError, EOFError, zlib.error) as err:
            report.read += 1
            if isinstance(stream, gzip.GzipFile) or not isinstance(err, OSError):
                report.handle(on_error, _corrupt(shown, err), "corrupt file")
            else:
                report.handle(on_error, _os_error(shown, err), "unreadable file")
            return
        if kind == "json":
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
                report.handle(
                    on_error, InputError(f"{shown}: empty file; remove it or fill it"), "empty file"
                )
                return
            yield from _iter_json(
                text, shown, stem=stem, max_bytes=max_bytes, report=report, on_error=on_error
            )
            return
        yield from _one_document(
            data, truncated, kind=kind, shown=shown, stem=stem, report=report, on_error=on_error
        )
    finally:
        if not is_stdin:
            raw_stream.close()


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
        lines skipped.

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
    return _read_articles(paths, on_error=on_error, report=report, max_bytes=max_bytes)


def _read_articles(
    paths: Sequence[str | os.PathLike[str]], *, on_error: OnError, report: Report, max_bytes: int
) -> Iterator[Article]:
    ids: set[str] = set()
    dup_base: dict[str, int] = {}
    for path in iter_input_files(paths, report=report, on_error=on_error):
        for article in _iter_file(path, report=report, on_error=on_error, max_bytes=max_bytes):
            yield _unique(article, ids, dup_base, report)


def _unique(article: Article, ids: set[str], dup_base: dict[str, int], report: Report) -> Article:
    if article.id not in ids:
        ids.add(article.id)
        return article
    from dataclasses import replace

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
    if not _is_stdin(path):
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
