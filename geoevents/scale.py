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

import contextlib
import functools
import itertools
import logging
import multiprocessing
import os
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from geoevents.errors import GeoeventsError, InputError
from geoevents.records import Article
from geoevents.work import ArticleResult, process_article

__all__ = ["DASK_LOCAL_SCHEDULERS", "ENGINES", "WorkerCrashed", "iter_results"]

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")
DASK_LOCAL_SCHEDULERS = ("synchronous", "threads", "processes")

ProcessFn = Callable[[Article, Any], ArticleResult]
ParserFactory = Callable[[Path], Any]


class WorkerCrashed(GeoeventsError, RuntimeError):
    """Worker processes keep dying (out of memory, a crash in a C extension): the run cannot go on."""


class _SetupFailed(Exception):
    """A worker's setup error, carried home as plain strings.

    Errors with two builtin bases (``GazetteerNotFound`` is a ``RuntimeError`` and a
    ``FileNotFoundError``) break tblib's pickler, which ``distributed`` installs process-wide;
    plain strings cross any pickler, and :meth:`rebuild` makes the original type again.
    """

    def __init__(self, module: str, name: str, message: str, trace: str) -> None:
        super().__init__(module, name, message, trace)

    @classmethod
    def of(cls, err: BaseException) -> _SetupFailed:
        trace = "".join(traceback.format_exception(err))
        return cls(type(err).__module__, type(err).__qualname__, str(err), trace)

    def rebuild(self) -> GeoeventsError:
        module, name, message, trace = self.args
        log.debug("worker setup failed:\n%s", trace)
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and issubclass(cls, GeoeventsError):
            with contextlib.suppress(Exception):
                return cls(message)
        return GeoeventsError(f"a worker could not open the gazetteer: {name}: {message}")


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
        return _iter_dask(articles, path, workers, scheduler, chunk_size, fn, factory)
    if workers == 1:
        return _iter_serial(articles, path, fn, factory)
    return _iter_pool(articles, path, workers, chunk_size, fn, factory)


# --------------------------------------------------------------------------- helpers shared


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask, which containers and ``taskset`` set)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def cap_workers(workers: int) -> int:
    """``workers``, at most the CPU count: more processes than CPUs only add memory and switching.

    Asking for 100,000 workers once started 587 processes and 12.8 GB in 48 s; now it warns.
    """
    limit = cpu_count()
    if workers > limit:
        log.warning("--workers %d is more than the %d CPUs here; using %d", workers, limit, limit)
        return limit
    return workers


def _sizes(size: int, first: int = 16) -> Iterator[int]:
    """``first``, 2*``first``, ... capped at ``size``, forever."""
    n = min(first, size)
    while True:
        yield n
        n = min(2 * n, size)


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Cut ``items`` lazily into lists of growing length (see :func:`_sizes`)."""
    it = iter(items)
    for n in _sizes(size):
        chunk = list(itertools.islice(it, n))
        if not chunk:
            return
        yield chunk


def _crashed(article: Article) -> ArticleResult:
    return ArticleResult(
        article.id,
        error="worker crashed",
        message=f"{article.id}: the worker process died while processing this article "
        "(out of memory, or a crash in a C extension); rerun it alone with workers=1 to see why",
    )


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


# --------------------------------------------------------------------------- dask

_THREAD = threading.local()


def _cached_parser(path: Path, factory: ParserFactory) -> Any:
    """One parser per (gazetteer, factory) per worker thread, kept between tasks."""
    cache: dict[tuple[str, ParserFactory], Any] | None = getattr(_THREAD, "parsers", None)
    if cache is None:
        cache = _THREAD.parsers = {}
    key = (str(path), factory)
    if key not in cache:
        try:
            cache[key] = factory(path)
        except Exception as err:
            failed = _SetupFailed.of(err)
        else:
            return cache[key]
        raise failed  # outside the except block: no __context__ for a pickler to choke on
    return cache[key]


def _dask_partition(
    part: Iterable[Article], *, path: Path, fn: ProcessFn, factory: ParserFactory
) -> list[ArticleResult]:
    part = list(part)
    if not part:
        return []
    parser = _cached_parser(path, factory)
    return [fn(article, parser) for article in part]


@contextlib.contextmanager
def _dask_client(scheduler: Any, workers: int) -> Iterator[Any]:
    """Yield a ``distributed.Client`` (None for dask's local schedulers), closing what we opened."""
    if scheduler is not None and not isinstance(scheduler, str):  # a Client the caller owns
        yield scheduler
        return
    if scheduler in DASK_LOCAL_SCHEDULERS:
        yield None
        return
    if scheduler is not None and "://" not in scheduler:
        raise InputError(
            f"scheduler must be a Dask scheduler address like tcp://host:8786 or one of "
            f"{', '.join(DASK_LOCAL_SCHEDULERS)}; got {scheduler!r}"
        )
    from geoevents._optional import import_optional

    distributed = import_optional("distributed", extra="dask", needed_for="--engine dask")
    quiet = _quiet_dask_logs()
    if scheduler is None:
        log.info("starting a Dask LocalCluster with %d worker processes", workers)
        _check_loopback()
        try:
            with _workers_ignore_sigint():
                cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",  # nothing listens beyond this machine
                    dashboard_address=None,
                    silence_logs=quiet,
                )
        except (OSError, TimeoutError, RuntimeError, ValueError) as err:
            raise GeoeventsError(
                f"could not start a local Dask cluster ({type(err).__name__}: {err}); "
                "use --engine local (with --workers N) or --scheduler ADDRESS of a running cluster"
            ) from None
        with cluster, distributed.Client(cluster, set_as_default=False) as client:
            yield client
    else:
        log.info("connecting to the Dask scheduler at %s", scheduler)
        try:
            client = distributed.Client(scheduler, set_as_default=False, timeout="30s")
        except OSError as err:
            raise GeoeventsError(
                f"cannot reach the Dask scheduler at {scheduler}: {err}; check the address and "
                "that the scheduler is running (see docs/scale.md)"
            ) from err
        with client:  # closes our connection only; the cluster keeps running
            yield client


def _quiet_dask_logs() -> int:
    """Make ``distributed`` log no more than geoevents itself does (its INFO lines are not ours).

    Returns the level given to the cluster's workers.
    """
    level = max(logging.WARNING, logging.getLogger("geoevents").getEffectiveLevel())
    for name in ("distributed", "dask"):
        logging.getLogger(name).setLevel(level)
    return level


def _check_loopback() -> None:
    """Fail at once, in one line, when this machine cannot talk to itself (``unshare -n``, no ``lo``)."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            with socket.create_connection(server.getsockname(), timeout=5):
                pass
    except OSError as err:
        raise GeoeventsError(
            f"could not start a local Dask cluster: no network on 127.0.0.1 ({err.strerror or err}); "
            "use --engine local (with --workers N) instead"
        ) from None


@contextlib.contextmanager
def _workers_ignore_sigint() -> Iterator[None]:
    """Start worker processes with SIGINT ignored, so Ctrl-C is answered by the main process alone.

    Ctrl-C reaches the whole process group; the main process closes the cluster, and the
    workers must not each print a KeyboardInterrupt traceback.
    """
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _iter_dask(
    articles: Iterable[Article],
    path: Path,
    workers: int,
    scheduler: Any,
    chunk_size: int,
    fn: ProcessFn,
    factory: ParserFactory,
) -> Iterator[ArticleResult]:
    from geoevents._optional import import_optional

    db = import_optional("dask.bag", extra="dask", needed_for="--engine dask")
    with _dask_client(scheduler, workers) as client:
        if client is not None:
            threads = sum(client.nthreads().values()) or workers
        else:
            threads = workers
        n_parts = 2 * threads  # partitions per batch: every thread busy, stragglers absorbed
        part_fn = functools.partial(_dask_partition, path=path, fn=fn, factory=factory)
        compute_kwargs: dict[str, Any] = {}
        pool = None
        if scheduler == "processes":  # one pool for the whole run, so parsers stay cached
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context())
            compute_kwargs = {"scheduler": "processes", "pool": pool}
        elif scheduler in DASK_LOCAL_SCHEDULERS:
            compute_kwargs = {"scheduler": scheduler, "num_workers": workers}

        def bag_of(batch: list[Article]) -> Any:
            parts = min(n_parts, len(batch))
            return db.from_sequence(batch, npartitions=parts).map_partitions(part_fn)

        def batches() -> Iterator[list[Article]]:
            # A batch is n_parts chunks; chunks grow like the local engine's so short inputs spread.
            it = iter(articles)
            for n in _sizes(chunk_size):
                batch = list(itertools.islice(it, n * n_parts))
                if not batch:
                    return
                yield batch

        pending: deque[Any] = deque()
        try:
            if client is None:
                for batch in batches():
                    yield from bag_of(batch).compute(**compute_kwargs)
            else:  # two batches in flight: the cluster works while we gather and yield
                for batch in batches():
                    pending.append(client.compute(bag_of(batch)))
                    if len(pending) >= 2:
                        yield from pending.popleft().result()
                while pending:
                    yield from pending.popleft().result()
        except _SetupFailed as err:
            raise err.rebuild() from None
        finally:
            if pending:  # the consumer stopped early
                client.cancel(list(pending))
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
