"""What the engines share: the setup-error carrier, chunk sizes, the crash result, worker caps."""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from geoevents.errors import GeoeventsError
from geoevents.records import Article
from geoevents.work import ArticleResult

log = logging.getLogger("geoevents.scale")

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
