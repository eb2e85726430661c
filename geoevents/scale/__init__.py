"""Run the per-article work on many cores: a process pool, or Dask (local or an existing cluster).

``geoevents.pipeline.events_from_articles`` hands the articles here when ``workers > 1`` or
``engine != "local"``. Both engines keep the same contract as the serial loop:

* results come back **in input order** and **lazily**, so an unbounded stream of articles is
  processed with a bounded number of articles in memory (a few chunks per worker);
* every article gives exactly one :class:`~geoevents.work.ArticleResult`; a per-article
  failure is a result with ``error`` set (never a lost article), and a worker process that dies
  is retried article by article so only the article that killed it is marked;
* each worker opens the gazetteer **once**, from its path (read-only SQLite), and builds one
  ``Geoparser``; nothing but the path and the articles travels to the workers.

Outputs are written by the caller, after gathering: workers never write files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geoevents.errors import InputError
from geoevents.records import Article
from geoevents.scale._common import (
    DASK_LOCAL_SCHEDULERS,
    ParserFactory,
    ProcessFn,
    WorkerCrashed,
    cap_workers,
    cpu_count,
)
from geoevents.work import ArticleResult, process_article

__all__ = [
    "DASK_LOCAL_SCHEDULERS",
    "ENGINES",
    "WorkerCrashed",
    "cap_workers",
    "cpu_count",
    "iter_results",
    "open_parser",
]

ENGINES = ("local", "dask")


def open_parser(gazetteer_path: Path) -> Any:
    """Open the gazetteer at ``gazetteer_path`` read-only and build the ``Geoparser`` over it.

    The default ``make_parser``: called once per worker process (or per thread under Dask's
    threaded schedulers, because a SQLite connection must stay in the thread that opened it).
    """
    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.geoparse import Geoparser

    return Geoparser(SQLiteGazetteer.open(gazetteer_path, build=False))  # the caller built it


def _default_process(article: Article, parser: Any) -> ArticleResult:
    return process_article(article, parser)


def iter_results(
    articles: Iterable[Article],
    *,
    gazetteer_path: str | os.PathLike[str],
    engine: str = "local",
    workers: int = 1,
    scheduler: Any = None,
    chunk_size: int = 256,
    process: ProcessFn | None = None,
    make_parser: ParserFactory | None = None,
) -> Iterator[ArticleResult]:
    """Geoparse and extract events from ``articles`` in parallel; yield results in input order.

    Parameters
    ----------
    articles : iterable of Article
        Consumed lazily: at most a few chunks per worker are held at once, so a generator over
        millions of articles runs in flat memory.
    gazetteer_path : path
        The built gazetteer index (``SQLiteGazetteer.path``). Each worker opens it once; on a
        remote Dask cluster the path must exist on the workers' machines (shared disk or the
        same image).
    engine : {"local", "dask"}
        ``"local"``: a pool of ``workers`` processes on this machine (``workers == 1`` runs in
        this process, handy under a debugger). ``"dask"``: a ``dask.bag`` over batches of the
        stream, on the cluster chosen by ``scheduler``; needs ``pip install 'geoevents[dask]'``.
    workers : int
        Processes for ``"local"``; worker processes of the ``LocalCluster`` that ``"dask"``
        starts when ``scheduler`` is None. Ignored for an existing cluster, whose size is used.
    scheduler : str or None
        Dask only. None starts (and closes) a ``distributed.LocalCluster`` with ``workers``
        single-threaded worker processes; ``"tcp://host:8786"`` (any address with ``://``)
        connects to a running scheduler (dask-jobqueue, dask-gateway, Kubernetes...) and leaves
        it running; ``"synchronous"``, ``"threads"`` or ``"processes"`` use dask's local
        schedulers without ``distributed``. A ``distributed.Client`` (e.g. from Dask Gateway,
        whose addresses need the gateway's security settings) is used as it is and left open.
    chunk_size : int
        Articles per task. Chunks start small and double up to this size, so a short input is
        still spread over every worker while a long one pays little per-task overhead.
    process, make_parser : callable, optional
        The per-article function ``(article, parser) -> ArticleResult`` (default
        :func:`geoevents.work.process_article`) and the per-worker setup
        ``gazetteer_path -> parser`` (default :func:`open_parser`). Both must be module-level
        functions, since they are pickled by reference to reach the workers.

    Yields
    ------
    ArticleResult
        Exactly one per article, in the order the articles came.

    Raises
    ------
    InputError
        An unknown ``engine`` or ``scheduler``, or ``workers``/``chunk_size`` below 1.
    GeoeventsError
        What a worker's ``make_parser`` raised (e.g. ``GazetteerNotFound``), re-raised here.
    WorkerCrashed
        Worker processes died on every article of a chunk (the machine is out of memory, or
        the gazetteer crashes the process): retrying would not help.
    MissingDependency
        ``engine="dask"`` without dask installed.

    """
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    if workers < 1:
        raise InputError(f"workers must be at least 1; got {workers}")
    if chunk_size < 1:
        raise InputError(f"chunk_size must be at least 1; got {chunk_size}")
    if scheduler is not None and engine != "dask":
        raise InputError(f"scheduler={scheduler!r} needs engine='dask' (CLI: --engine dask)")
    if engine == "local" or scheduler is None:  # processes on this machine
        workers = cap_workers(workers)
    path = Path(gazetteer_path)
    fn = process or _default_process
    factory = make_parser or open_parser
    if engine == "dask":
        from geoevents.scale._dask import _iter_dask

        return _iter_dask(articles, path, workers, scheduler, chunk_size, fn, factory)
    from geoevents.scale._pool import _iter_pool, _iter_serial

    if workers == 1:
        return _iter_serial(articles, path, fn, factory)
    return _iter_pool(articles, path, workers, chunk_size, fn, factory)
