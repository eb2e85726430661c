"""The per-article unit of work, below both engines: the serial loop and ``geoevents.scale``.

``pipeline`` (orchestration) and ``scale`` (parallel engines) both run :func:`process_article`
and pass :class:`ArticleResult` around; keeping them here means neither imports the other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geoevents.errors import GazetteerError, GeoeventsError
from geoevents.records import Article, Event

if TYPE_CHECKING:
    from geoevents.geoparse import Geoparser

__all__ = ["ArticleResult", "process_article"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """What one article gave: its events (before cross-article merging) or why it was skipped.

    ``fatal`` marks a failure of the run's shared resources (the gazetteer index), not of the
    article: the caller stops the run instead of skipping article after article.
    """

    article_id: str
    events: tuple[Event, ...] = ()
    error: str | None = None  # skip reason, when the article could not be processed
    message: str | None = None
    fatal: bool = False


def process_article(article: Article, parser: Geoparser) -> ArticleResult:
    """Geoparse one article and extract its events; errors become a skip reason, not a crash.

    Pure given the parser (no files written, no clock), so any engine can map it over articles.
    """
    from geoevents.events import extract_events

    try:
        toponyms = parser.parse(article.text, title=article.title)
        events = extract_events(article, toponyms)
    except GazetteerError as err:  # the index is damaged: every article would fail the same way
        return ArticleResult(article.id, error=type(err).__name__, message=str(err), fatal=True)
    except GeoeventsError as err:
        return ArticleResult(article.id, error=type(err).__name__, message=f"{article.id}: {err}")
    except Exception as err:  # a bug must not lose the other articles: count it, log the trace
        log.exception("internal error on article %s", article.id)
        return ArticleResult(
            article.id,
            error="internal error",
            message=f"{article.id}: internal error {type(err).__name__}: {err}",
        )
    return ArticleResult(article.id, events=tuple(events))
