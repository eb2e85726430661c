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

from geoevents.errors import GazetteerCorrupt, InputError, OnError, Report, check_policy
from geoevents.records import Article, Event
from geoevents.work import ArticleResult, process_article

if TYPE_CHECKING:
    from geoevents.gazetteer import SQLiteGazetteer

__all__ = ["ArticleResult", "RunResult", "events_from_articles", "map_articles", "process_article"]

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


@dataclass
class RunResult:
    """Outcome of :func:`map_articles`: merged events, article metadata, accounting, written files."""

    events: list[Event]
    articles: list[Article]
    report: Report
    outputs: dict[str, Path] = field(default_factory=dict)


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
        if res.fatal:  # the gazetteer, not the article: stop before any output is replaced
            raise GazetteerCorrupt(res.message or "the gazetteer index failed")
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
    images: Sequence[str] = (),
) -> RunResult:
    """Run the main job: articles at ``paths`` -> ``out_dir``/events.{html,geojson,gpkg,csv}.

    Also writes ``run-summary.json`` (articles read = processed + skipped, events, and a
    manifest of the files). The folder is checked before any work (``check_output_dir``), is
    never read as input, and gets the whole new set or keeps the whole previous one.
    Returns the merged events so Python users can keep working with them.

    Raises
    ------
    UsageError
        ``out_dir`` is empty, ``-``, or an input folder (or holds one).
    OutputExists, OutputError
        Outputs exist and ``overwrite`` is false; the folder cannot be written (disk full...).
    GazetteerError
        The gazetteer index is missing or damaged (the previous outputs are kept).

    """
    from geoevents.events import merge_events
    from geoevents.ingest import read_articles
    from geoevents.ingest.decode import clean_text
    from geoevents.outputs import check_output_dir, write_output_set

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    title = clean_text(title) if title is not None else None  # from argv: may hold undecodable bytes
    out = check_output_dir(out_dir, overwrite=overwrite, inputs=paths)
    report = Report()
    articles: list[Article] = []
    raw = events_from_articles(
        read_articles(paths, on_error=on_error, report=report, exclude=[out]),
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
    summary: dict[str, Any] = {
        "articles": report.to_dict(),
        "events": len(events),
        "locations": sum(len(e.locations) for e in events),
        "unlocated_events": sum(1 for e in events if not any(loc.lat is not None for loc in e.locations)),
    }
    outputs = write_output_set(
        events,
        out,
        summary,
        articles=articles,
        title=title or "geoevents",
        csv_escape_formulas=csv_escape_formulas,
        images=images,
    )
    return RunResult(events=events, articles=articles, report=report, outputs=outputs)
