"""HTML pages: main text and metadata with trafilatura, the date with htmldate.

trafilatura drops navigation, comments and footers and reads title, site name and canonical
URL from the page's metadata; htmldate reads the *original* publication date (not the
"updated" one). Both return None on pages too small or too odd to judge (a bare ``<p>``), and
trafilatura may be unusable in a broken install (trafilatura 2 needs ``lxml_html_clean``), so
a plain lxml tag-stripper is the fallback. ``<script>``, ``<style>``, ``<noscript>`` and
``<template>`` content never reaches the text on either path.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from geoevents.errors import InputError
from geoevents.ingest.dates import parse_published
from geoevents.ingest.text import normalise_newlines, strip_footer
from geoevents.records import Article

__all__ = ["parse_html_article"]

log = logging.getLogger(__name__)

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article header footer blockquote pre "
    "figure figcaption dd dt hr nav aside main title".split()
)
_BLANKS = re.compile(r"[ \t\u00a0]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_trafilatura_broken = False
#: Pages longer than this (characters) skip trafilatura, whose time grows much faster than the
#: page (120 s for 10 MB): the plain extractor reads them in about a second per 10 MB.
MAX_TRAFILATURA_CHARS = 1_000_000
#: Dates sit in the page head and first screen: htmldate reads only this much of a page.
_DATE_SCAN_CHARS = 500_000


def _trafilatura(html: str, url: str | None) -> dict[str, Any] | None:
    """Trafilatura's main text and metadata as a dict, or None (unusable, or nothing found)."""
    global _trafilatura_broken
    if _trafilatura_broken:
        return None
    try:
        import trafilatura
    except ImportError as err:  # e.g. lxml>=5.2 without lxml_html_clean
        _trafilatura_broken = True
        log.warning("trafilatura cannot be imported (%s); HTML is read with a plain tag stripper", err)
        return None
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=False,
            deduplicate=False,
        )
    except Exception as err:  # trafilatura/lxml errors on odd markup: use the fallback
        log.debug("trafilatura failed: %s", err)
        return None
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return data if (data.get("text") or "").strip() else None


def _htmldate(html: str) -> dt.date | None:
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        found = find_date(html, original_date=True, outputformat="%Y-%m-%d", extensive_search=False)
    except Exception as err:
        log.debug("htmldate failed: %s", err)
        return None
    if not found:
        return None
    try:
        return dt.date.fromisoformat(found)
    except ValueError:
        return None


def _strip_tags(html: str) -> tuple[str, str | None]:
    """Return visible text (block elements on their own lines) and the <title>, without scripts.

    libxml2 stops building the tree 255 levels down (and refuses some odd documents), so an
    empty result from lxml is retried with the stdlib parser, which has no depth limit.
    """
    try:
        text, title = _strip_tags_lxml(html)
    except Exception:  # lxml refuses odd documents (lone surrogates...): use the stdlib parser
        return _strip_tags_stdlib(html)
    if not text.strip():
        return _strip_tags_stdlib(html)
    return text, title


def _strip_tags_lxml(html: str) -> tuple[str, str | None]:
    try:
        import lxml.html
        from lxml import etree

        root = lxml.html.document_fromstring(html)
    except Exception:  # lxml refuses empty/odd documents: use the stdlib parser
        return _strip_tags_stdlib(html)
    title_el = root.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    h1 = root.find(".//h1")
    if not title and h1 is not None:
        title = h1.text_content().strip() or None
    for el in list(root.iter(*_DROP_TAGS, etree.Comment, etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() == "br":
                continue
            el.text = "\n" + (el.text or "")
    text = root.text_content()
    return _tidy(text), title


def _strip_tags_stdlib(html: str) -> tuple[str, str | None]:
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0
            self.in_title = False
            self.title: list[str] = []

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _DROP_TAGS and tag != "head":
                self.skip += 1
            if tag == "title":
                self.in_title = True
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _DROP_TAGS and tag != "head" and self.skip:
                self.skip -= 1
            if tag == "title":
                self.in_title = False
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if self.in_title:
                self.title.append(data)
            elif not self.skip:
                self.parts.append(data)

    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # the stdlib parser is lenient; this is only a last guard
        pass
    title = "".join(parser.title).strip() or None
    return _tidy("".join(parser.parts)), title


def _tidy(text: str) -> str:
    lines = [_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def parse_html_article(html: str, *, id: str, path: str | None = None, url: str | None = None) -> Article:
    """Turn an HTML page into an ``Article``.

    trafilatura gives text, title, site name (``source``) and canonical URL; htmldate gives the
    original publication date (trafilatura's own date, then the plain-text date rules, as
    fallbacks). When trafilatura finds no main text, the visible text of the whole page is
    used, with ``<title>`` (or the first ``<h1>``) as the title. As for plain-text files, a
    first text line equal to the title is dropped and a site footer ("Share This Post",
    "The views expressed in this article ...", a copyright line) is cut; a copyright owner
    is the source when the page names no site.

    Parameters
    ----------
    html : str
        The page source.
    id : str
        The article id.
    path : str, optional
        The file it came from.
    url : str, optional
        The page's address when known; the page's canonical URL wins.

    Raises
    ------
    InputError
        When the page has no visible text at all.

    """
    where = path or id
    # C0 controls have no meaning in HTML and make lxml refuse the text
    html = _CONTROLS.sub("", normalise_newlines(html))
    if not html.strip():
        raise InputError(f"{where}: empty HTML page; remove the file or fill it")
    data = _trafilatura(html, url) if len(html) <= MAX_TRAFILATURA_CHARS else None
    title: str | None
    source: str | None = None
    published: dt.date | None = _htmldate(html[:_DATE_SCAN_CHARS])
    if data is not None:
        text = data.get("text") or ""
        title = data.get("title") or None
        source = data.get("sitename") or None
        url = data.get("url") or url
        if published is None and data.get("date"):
            published = parse_published(str(data["date"]))
    else:
        text, title = _strip_tags(html)
    text = text.strip()
    if title:
        title = " ".join(title.split())
        first, _, rest = text.partition("\n")
        if rest.strip() and " ".join(first.split()).casefold() == title.casefold():
            text = rest.strip()
    if not text:
        raise InputError(f"{where}: HTML page has no visible text; is it the article page?")
    text, owner = strip_footer(text)
    source = source or owner
    if url is not None and not re.match(r"https?://", url, re.IGNORECASE):
        url = None
    return Article(
        id=id, text=text, title=title or None, url=url, published=published, source=source, path=path
    )
