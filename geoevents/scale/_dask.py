"""The Dask engine: a ``dask.bag`` per batch, on a LocalCluster, an existing cluster or a local scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from geoevents.errors import GeoeventsError, InputError
from geoevents.records import Article
from geoevents.scale._common import (
    DASK_LOCAL_SCHEDULERS,
    ParserFactory,
    ProcessFn,
    _SetupFailed,
    _sizes,
    log,
)
from geoevents.work import ArticleResult

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

    if scheduler is None:
        _check_loopback()
    distributed = import_optional("distributed", extra="dask", needed_for="--engine dask")
    quiet = _quiet_dask_logs()
    if scheduler is None:
        log.info("starting a Dask LocalCluster with %d worker processes", workers)
        try:
            with _deferred_sigint() as interrupted:  # a cluster half started cannot close cleanly
                cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",  # nothing listens beyond this machine
                    dashboard_address=None,
                    silence_logs=quiet,
                )
        except (OSError, TimeoutError, RuntimeError, ValueError) as err:
            if interrupted():  # Ctrl-C stopped a worker's start: that is the story, not the failure
                raise KeyboardInterrupt from None
            raise GeoeventsError(
                f"could not start a local Dask cluster ({type(err).__name__}: {err}); "
                "use --engine local (with --workers N) or --scheduler ADDRESS of a running cluster"
            ) from None
        with cluster:
            try:
                if interrupted():
                    raise KeyboardInterrupt
                with distributed.Client(cluster, set_as_default=False) as client:
                    yield client
            except BaseException:
                _silence_dask()
                raise
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

    Returns the level given to the cluster's workers: only critical messages unless ``-v``
    (a worker's failures reach us as task errors; its log lines are cluster housekeeping).
    """
    level = max(logging.WARNING, logging.getLogger("geoevents").getEffectiveLevel())
    for name in ("distributed", "dask"):
        logging.getLogger(name).setLevel(level)
    return logging.CRITICAL if level > logging.INFO else level


def _silence_dask() -> None:
    """Hush the cluster's shutdown after Ctrl-C or an error: it would bury the one line that matters."""
    for name in ("distributed", "dask", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


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
def _deferred_sigint() -> Iterator[Callable[[], bool]]:
    """Hold a Ctrl-C back while the cluster starts; yield a function saying whether one came.

    Interrupted half way, a ``LocalCluster`` cannot be closed (its atexit hook then prints a
    traceback); so the interrupt is raised once the cluster exists, inside its ``with``.
    The workers themselves ignore SIGINT (see ``geoevents/__init__.py``).
    """
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    hits: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: hits.append(signum))
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, previous)


def _gather(future: Any, interrupted: Callable[[], bool], poll_s: float = 0.2) -> list[ArticleResult]:
    """Wait for a batch while watching for Ctrl-C, which is polled rather than raised.

    With a cluster, ``distributed`` runs a garbage-collector callback in this process; a
    KeyboardInterrupt raised inside it is printed as "Exception ignored" and lost, and the run
    went on to the end. So Ctrl-C only sets a flag (``_deferred_sigint``), checked here.
    """
    while True:
        if interrupted():
            raise KeyboardInterrupt
        try:
            result: list[ArticleResult] = future.result(timeout=poll_s)
        except (TimeoutError, asyncio.TimeoutError):  # the same class from Python 3.11 on
            continue
        return result


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
                with _deferred_sigint() as interrupted:
                    for batch in batches():
                        pending.append(client.compute(bag_of(batch)))
                        if len(pending) >= 2:
                            yield from _gather(pending.popleft(), interrupted)
                    while pending:
                        yield from _gather(pending.popleft(), interrupted)
                    if interrupted():
                        raise KeyboardInterrupt
        except _SetupFailed as err:
            raise err.rebuild() from None
        finally:
            if pending:  # the consumer stopped early
                client.cancel(list(pending))
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
