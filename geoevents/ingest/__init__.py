"""Ingest: articles in, from any file a newsroom has.

Plain text and Markdown exports, saved HTML pages, JSON Lines and JSON dumps (each optionally
gzipped), folders of them, or standard input, become ``Article`` records. Reading is lazy and
every bad input is either an ``InputError`` naming it or a counted skip in a ``Report``.

>>> from geoevents.ingest import read_articles
>>> from geoevents.errors import Report
>>> report = Report()
>>> articles = list(read_articles(["seeds/"], report=report))  # doctest: +SKIP
"""

from __future__ import annotations

from geoevents.ingest.dates import parse_published
from geoevents.ingest.files import (
    ARTICLE_SUFFIXES,
    DEFAULT_MAX_BYTES,
    iter_input_files,
    read_article,
    read_articles,
)
from geoevents.ingest.html import parse_html_article
from geoevents.ingest.text import parse_text_article

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "iter_input_files",
    "parse_html_article",
    "parse_published",
    "parse_text_article",
    "read_article",
    "read_articles",
]
