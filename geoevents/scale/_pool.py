"""The local engine: a process pool that opens the gazetteer once per worker and survives crashes."""

from __future__ import annotations

import contextlib
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from geoevents.records import Article
from geoevents.scale._common import (
    ParserFactory,
    ProcessFn,
    WorkerCrashed,
    _chunks,
    _crashed,
    _SetupFailed,
    log,
)
from geoevents.work import ArticleResult


def _iter_serial(
    articles: Iterable[Article], path: Path, fn: ProcessFn, factory: ParserFactory
) -> Iterator[ArticleResult]:
    parser = None
    for article in articles:
        if parser is None:  # opened on the first article: an empty input opens nothing
            parser = factory(path)
        yield fn(article, parser)


# --------------------------------------------------------------------------- local processes

_WORKER: dict[str, Any] = {}


def _init_worker(path: Path, fn: ProcessFn, factory: ParserFactory) -> None:
    """Pool initializer: open the gazetteer once for the life of this worker process."""
    import signal

    # Ctrl-C reaches the whole process group: the main process answers it (and stops us)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.clear()
    _WORKER["process"] = fn
    try:
        _WORKER["parser"] = factory(path)
    except Exception as err:  # re-raised with the first chunk, where the caller sees it
        _WORKER["error"] = _SetupFailed.of(err)


def _run_chunk(chunk: list[Article]) -> list[ArticleResult]:
    if "error" in _WORKER:
        raise _WORKER["error"]
    fn, parser = _WORKER["process"], _WORKER["parser"]
    return [fn(article, parser) for article in chunk]


class _Pool:
    """A ProcessPoolExecutor that can be replaced when a worker dies, keeping its settings."""

    def __init__(self, workers: int, path: Path, fn: ProcessFn, factory: ParserFactory) -> None:
        self.workers = workers
        self.initargs = (path, fn, factory)
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(),  # the platform's (or the user's) default
            initializer=_init_worker,
            initargs=self.initargs,
        )

    def submit(self, chunk: list[Article]) -> Future[list[ArticleResult]]:
        try:
            return self.executor.submit(_run_chunk, chunk)
        except BrokenProcessPool as err:  # broke since the last result: fail like its futures
            failed: Future[list[ArticleResult]] = Future()
            failed.set_exception(err)
            return failed

    def restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def kill(self) -> None:
        """Stop at once (Ctrl-C, or the consumer gave up): running chunks are abandoned, not awaited."""
        processes = dict(getattr(self.executor, "_processes", None) or {})
        self.executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes.values():
            with contextlib.suppress(Exception):
                proc.terminate()
        for proc in processes.values():
            with contextlib.suppress(Exception):
                proc.join(5)


def _isolate(pool: _Pool, chunk: list[Article]) -> list[ArticleResult]:
    """Rerun a chunk whose worker died one article at a time, marking only the killers."""
    log.warning("a worker process died; retrying %d articles one by one", len(chunk))
    out: list[ArticleResult] = []
    for article in chunk:
        try:
            out.extend(pool.submit([article]).result())
        except BrokenProcessPool:
            out.append(_crashed(article))
            pool.restart()
    if len(chunk) > 1 and all(r.error == "worker crashed" for r in out):
        raise WorkerCrashed(
            f"worker processes died on all {len(chunk)} articles of a chunk, starting with "
            f"{chunk[0].id}: the machine may be out of memory or the gazetteer may be damaged; "
            "try fewer workers (--workers) or workers=1 to see the error"
        )
    return out


def _iter_pool(
    articles: Iterable[Article],
    path: Path,
    workers: int,
    chunk_size: int,
    fn: ProcessFn,
    factory: ParserFactory,
) -> Iterator[ArticleResult]:
    pool = _Pool(workers, path, fn, factory)
    pending: deque[tuple[list[Article], Future[list[ArticleResult]]]] = deque()
    max_in_flight = 2 * workers  # one running and one queued per worker: busy, yet bounded

    def first_done() -> list[ArticleResult]:
        nonlocal pending
        chunk, future = pending.popleft()
        try:
            return future.result()
        except _SetupFailed as err:
            raise err.rebuild() from None
        except BrokenProcessPool:
            rest = list(pending)
            pool.restart()
            results = _isolate(pool, chunk)
            pending = deque(  # chunks done before the break keep their results
                (c, f if f.done() and f.exception() is None else pool.submit(c)) for c, f in rest
            )
            return results

    finished = False
    try:
        for chunk in _chunks(articles, chunk_size):
            pending.append((chunk, pool.submit(chunk)))
            while len(pending) >= max_in_flight:
                yield from first_done()
        while pending:
            yield from first_done()
        finished = True
    finally:  # also when the consumer stops early or Ctrl-C: no orphan processes
        for _, future in pending:
            future.cancel()
        if finished:
            pool.close()
        else:
            pool.kill()
