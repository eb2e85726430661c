"""The whole job, stage by stage: ingest -> geoparse -> events -> merge -> outputs.

Every stage is also usable alone (``geoevents.ingest``, ``geoevents.geoparse``, ...); this module
only wires them, keeps the no-data-loss accounting (articles read = processed + skipped) and
chooses the engine (serial, processes, Dask) for the per-article work.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geoevents.errors import GeoeventsError, InputError, OnError, Report, check_policy
from geoevents.records import Article, Event

if TYPE_CHECKING:
    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.geoparse import Geoparser

__all__ = ["ArticleResult", "RunResult", "events_from_articles", "map_articles", "process_article"]

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """What one article gave: its events (before cross-article merging) or why it was skipped."""

    article_id: str
    events: tuple[Event, ...] = ()
    error: str | None = None  # skip reason, when the article could not be processed
    message: str | None = None


@dataclass
class RunResult:
    """Outcome of :func:`map_articles`: merged events, article metadata, accounting, written files."""

    events: list[Event]
    articles: list[Article]
    report: Report
    outputs: dict[str, Path] = field(default_factory=dict)


def process_article(article: Article, parser: Geoparser) -> ArticleResult:
    """Geoparse one article and extract its events; errors become a skip reason, not a crash.

    Pure given the parser (no files written, no clock), so any engine can map it over articles.
    """
    from geoevents.events import extract_events

    try:
        toponyms = parser.parse(article.text, title=article.title)
        events = extract_events(article, toponyms)
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


def _metadata_only(article: Article) -> Article:
    """Drop the body: the run keeps titles/URLs for the outputs, not megabytes of text."""
    return replace(article, text="")


def events_from_articles(
    articles: Iterable[Article],
    *,
    gazetteer: SQLiteGazetteer | str | os.PathLike[str] | None = None,
    on_error: OnError = "skip",
    report: Report | None = None,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    keep_articles: list[Article] | None = None,
) -> Iterator[Event]:
    """Yield per-article events (not merged) lazily, in input order.

    ``workers > 1`` or ``engine='dask'`` hands the per-article work to :mod:`geoevents.scale`
    (process pool or Dask), which opens the gazetteer once per worker from its path.
    """
    from geoevents.gazetteer import SQLiteGazetteer

    policy = check_policy(on_error)
    report = report if report is not None else Report()
    gaz = gazetteer if isinstance(gazetteer, SQLiteGazetteer) else SQLiteGazetteer.open(gazetteer)

    def remember(stream: Iterable[Article]) -> Iterator[Article]:
        for art in stream:
            if keep_articles is not None:
                keep_articles.append(_metadata_only(art))
            yield art

    stream = remember(articles)
    if workers > 1 or engine != "local":
        from geoevents.scale import iter_results

        results: Iterable[ArticleResult] = iter_results(
            stream, gazetteer_path=gaz.path, engine=engine, workers=workers, scheduler=scheduler
        )
    else:
        from geoevents.geoparse import Geoparser

        parser = Geoparser(gaz)
        results = (process_article(a, parser) for a in stream)

    for res in results:
        if res.error is not None:
            report.handle(policy, InputError(res.message or res.article_id), res.error)
        else:
            report.processed += 1
            yield from res.events
        if progress is not None:
            progress(1)


def map_articles(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    gazetteer: SQLiteGazetteer | str | os.PathLike[str] | None = None,
    on_error: OnError = "skip",
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    csv_escape_formulas: bool = True,
) -> RunResult:
    """Run the main job: articles at ``paths`` -> ``out_dir``/events.{html,geojson,gpkg,csv}.

    Also writes ``run-summary.json`` (articles read = processed + skipped, events, outputs).
    Returns the merged events so Python users can keep working with them.
    """
    import json

    from geoevents.events import merge_events
    from geoevents.ingest import read_articles
    from geoevents.outputs import atomic_target, write_all

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = Report()
    articles: list[Article] = []
    raw = events_from_articles(
        read_articles(paths, on_error=on_error, report=report),
        gazetteer=gazetteer,
        on_error=on_error,
        report=report,
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        progress=progress,
        keep_articles=articles,
    )
    events = merge_events(list(raw))
    outputs = write_all(
        events,
        out,
        articles=articles,
        overwrite=overwrite,
        title=title or "geoevents",
        csv_escape_formulas=csv_escape_formulas,
    )
    summary: dict[str, Any] = {
        "articles": report.to_dict(),
        "events": len(events),
        "locations": sum(len(e.locations) for e in events),
        "unlocated_events": sum(1 for e in events if not any(l.lat is not None for l in e.locations)),
        "outputs": {k: str(v) for k, v in outputs.items()},
    }
    summary_path = out / "run-summary.json"
    with atomic_target(summary_path, overwrite=True) as tmp:
        tmp.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    outputs["summary"] = summary_path
    return RunResult(events=events, articles=articles, report=report, outputs=outputs)
