"""Engines for the per-article work: order, laziness, error accounting, and equal outputs.

The first half drives the engines with small stand-in stages (module-level, so they pickle by
reference into worker processes under any start method); the last tests run the real chain
(gazetteer, geoparser, event extraction) and compare the engines' event dicts.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from geoevents.errors import GazetteerNotFound, InputError
from geoevents.pipeline import ArticleResult
from geoevents.records import Article
from geoevents.scale import WorkerCrashed, iter_results

GAZ = Path("/nonexistent/stand-in.sqlite")  # the stand-in factory never opens it


# ---------------------------------------------------------------- stand-in stages (picklable)


def parser_id(path: Path) -> str:
    """Stand-in parser: names the process and thread that built it."""
    return f"{os.getpid()}:{threading.get_ident()}"


def echo(article: Article, parser: str) -> ArticleResult:
    """Stand-in per-article step: fails on 'bad' texts like process_article does."""
    if "bad" in article.text:
        return ArticleResult(article.id, error="InputError", message=f"{article.id}: bad text")
    return ArticleResult(article.id, message=parser)


def slow_echo(article: Article, parser: str) -> ArticleResult:
    """Stand-in step that takes a little time, as real articles do (~5 ms)."""
    time.sleep(0.005)
    return echo(article, parser)


def exit_on_boom(article: Article, parser: str) -> ArticleResult:
    """Stand-in step that kills its worker process, like a segfault in a C extension would."""
    if "boom" in article.text:
        os._exit(3)
    return echo(article, parser)


def always_exit(article: Article, parser: str) -> ArticleResult:
    os._exit(3)


def missing_gazetteer(path: Path) -> str:
    raise GazetteerNotFound(f"No gazetteer at {path}; build it or pass --gazetteer PATH")


def articles(n: int, *, bad: set[int] = frozenset(), boom: set[int] = frozenset()) -> list[Article]:
    def text(i: int) -> str:
        return "bad" if i in bad else "boom" if i in boom else f"text {i}"

    return [Article(id=f"a{i:05d}", text=text(i)) for i in range(n)]


def run(arts: object, **kw: object) -> list[ArticleResult]:
    kw.setdefault("process", echo)
    kw.setdefault("make_parser", parser_id)
    return list(iter_results(arts, gazetteer_path=GAZ, **kw))  # type: ignore[arg-type]


# ---------------------------------------------------------------- contract, every engine

ENGINES = [
    pytest.param({"workers": 1}, id="serial"),
    pytest.param({"workers": 2}, id="processes"),
    pytest.param({"workers": 2, "engine": "dask", "scheduler": "threads"}, id="dask-threads"),
    pytest.param({"workers": 2, "engine": "dask", "scheduler": "processes"}, id="dask-processes"),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_one_result_per_article_in_input_order_errors_kept(engine: dict[str, object]) -> None:
    arts = articles(700, bad={0, 5, 399, 699})
    out = run(arts, chunk_size=64, **engine)
    assert [r.article_id for r in out] == [a.id for a in arts]
    assert [r.article_id for r in out if r.error] == ["a00000", "a00005", "a00399", "a00699"]


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_input(engine: dict[str, object]) -> None:
    assert run([], **engine) == []


def test_processes_spread_work_and_open_the_gazetteer_once_per_worker() -> None:
    out = run(articles(400), workers=2, chunk_size=32, process=slow_echo)
    builders = {r.message for r in out}
    assert len(builders) == 2  # both workers used, each built exactly one parser
    assert all(b.split(":")[0] != str(os.getpid()) for b in builders)  # not in this process


def test_short_input_still_uses_every_worker() -> None:
    # 40 articles with the default chunk size (256): chunks start small so both workers get some
    assert len({r.message for r in run(articles(40), workers=2, process=slow_echo)}) == 2


@pytest.mark.parametrize("engine", ENGINES[1:3])
def test_stream_is_consumed_lazily(engine: dict[str, object]) -> None:
    pulled = 0

    def endless() -> Iterator[Article]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield Article(id=f"a{i}", text="x")

    stream = iter_results(
        endless(), gazetteer_path=GAZ, chunk_size=8, process=echo, make_parser=parser_id, **engine
    )  # type: ignore[arg-type]
    first = list(itertools.islice(stream, 100))
    stream.close()  # type: ignore[attr-defined]
    assert [r.article_id for r in first] == [f"a{i}" for i in range(100)]
    assert pulled < 300  # a bounded read-ahead, not the (endless) whole stream


def test_stopping_early_leaves_no_worker_processes() -> None:
    before = {p.pid for p in psutil.Process().children(recursive=True)}  # other tests' helpers
    stream = iter_results(
        articles(5000), gazetteer_path=GAZ, workers=2, chunk_size=16, process=echo, make_parser=parser_id
    )
    next(stream)
    ours = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert ours  # the pool is running
    stream.close()  # type: ignore[attr-defined]
    _, alive = psutil.wait_procs(ours, timeout=10)
    assert alive == []


def test_dead_worker_marks_only_its_article_and_the_run_goes_on() -> None:
    arts = articles(300, boom={77}, bad={3})
    out = run(arts, workers=2, chunk_size=32, process=exit_on_boom)
    assert [r.article_id for r in out] == [a.id for a in arts]
    errors = {r.article_id: r.error for r in out if r.error}
    assert errors == {"a00077": "worker crashed", "a00003": "InputError"}


def test_workers_dying_on_everything_stop_the_run() -> None:
    with pytest.raises(WorkerCrashed, match="died on all"):
        run(articles(50), workers=2, chunk_size=8, process=always_exit)


@pytest.mark.parametrize("engine", ENGINES)
def test_worker_setup_error_reaches_the_caller(engine: dict[str, object]) -> None:
    with pytest.raises(GazetteerNotFound, match="No gazetteer at"):
        run(articles(20), make_parser=missing_gazetteer, **engine)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"engine": "spark"}, "engine must be one of local, dask"),
        ({"workers": 0}, "workers must be at least 1"),
        ({"chunk_size": 0}, "chunk_size must be at least 1"),
        ({"scheduler": "threads"}, "needs engine='dask'"),
        ({"engine": "dask", "scheduler": "localhost:8786"}, "tcp://host:8786"),
    ],
)
def test_bad_settings_are_input_errors(kw: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        run(articles(3), **kw)


def test_dask_local_cluster_two_processes() -> None:
    arts = articles(500, bad={42})
    out = run(arts, workers=2, engine="dask", chunk_size=32)
    assert [r.article_id for r in out] == [a.id for a in arts]
    assert [r.article_id for r in out if r.error] == ["a00042"]
    pids = {r.message.split(":")[0] for r in out if not r.error}
    assert len(pids) == 2 and str(os.getpid()) not in pids  # two worker processes, not us


def test_dask_existing_cluster_by_address_or_client_is_left_running() -> None:
    distributed = pytest.importorskip("distributed")
    arts = articles(120, bad={7})
    # in-process workers start fast; tcp:// makes it reachable by address like a remote one
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        by_address = run(arts, engine="dask", scheduler=address, chunk_size=16)
        with distributed.Client(address, set_as_default=False) as client:
            by_client = run(arts, engine="dask", scheduler=client, chunk_size=16)
            assert client.submit(sum, [1, 2]).result() == 3  # cluster and client still usable
    for out in (by_address, by_client):
        assert [r.article_id for r in out] == [a.id for a in arts]
        assert [r.article_id for r in out if r.error] == ["a00007"]


# ---------------------------------------------------------------- the real chain

ROOT = Path(__file__).resolve().parent.parent


def _make_corpus() -> object:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def real_articles() -> list[Article]:
    """Return the seeds plus 40 articles make_corpus stitches from the seeds' own paragraphs.

    (The benchmark corpus also draws on /work/shared, which tests must not read.)
    """
    from geoevents.ingest import read_articles

    seeds = list(read_articles([ROOT / "seeds"]))
    mc = _make_corpus()
    paragraphs = [p for a in seeds for p in mc._paragraphs(a.text)]  # type: ignore[attr-defined]
    leads = [p.split(". ")[0] + "." for p in paragraphs]
    pairs = [(a.title or "", a.text) for a in seeds]
    stitched = [
        Article(id=d["id"], text=d["text"], title=d["title"])
        for d in mc.make_articles(40, 7, leads, paragraphs, pairs)  # type: ignore[attr-defined]
    ]
    return seeds + stitched


def _event_dicts(results: list[ArticleResult]) -> list[tuple[str, list[dict[str, object]]]]:
    return [(r.article_id, [e.to_dict() for e in r.events]) for r in results]


@pytest.fixture(scope="module")
def serial_results(real_articles: list[Article], gazetteer_path: Path) -> list[ArticleResult]:
    out = list(iter_results(real_articles, gazetteer_path=gazetteer_path, workers=1))
    assert not [r for r in out if r.error]
    assert sum(len(r.events) for r in out) >= 5  # the seeds alone report several strikes
    return out


def test_real_chain_two_processes_equal_serial(
    real_articles: list[Article], gazetteer_path: Path, serial_results: list[ArticleResult]
) -> None:
    out = list(iter_results(real_articles, gazetteer_path=gazetteer_path, workers=2, chunk_size=8))
    assert _event_dicts(out) == _event_dicts(serial_results)


def test_real_chain_dask_local_cluster_equals_local_engine(
    real_articles: list[Article], gazetteer_path: Path, serial_results: list[ArticleResult]
) -> None:
    out = list(
        iter_results(real_articles, gazetteer_path=gazetteer_path, engine="dask", workers=2, chunk_size=8)
    )
    assert _event_dicts(out) == _event_dicts(serial_results)


def test_pipeline_hands_workers_to_the_engine(real_articles: list[Article], gazetteer_path: Path) -> None:
    from geoevents.errors import Report
    from geoevents.pipeline import events_from_articles

    arts = [*real_articles[:10], Article(id="empty", text="")]
    reports = [Report(), Report()]
    runs = [
        [e.to_dict() for e in events_from_articles(arts, gazetteer=gazetteer_path, report=rep, workers=w)]
        for rep, w in zip(reports, (1, 2), strict=True)
    ]
    assert runs[0] == runs[1] and runs[0]
    counts = [(r.processed, r.n_skipped) for r in reports]
    assert counts[0] == counts[1] and sum(counts[1]) == len(arts)  # every article accounted for


def test_ctrl_c_during_a_cluster_batch_is_polled_not_lost() -> None:
    """A Ctrl-C raised inside distributed's gc callback was printed as "Exception ignored" and lost.

    The cluster path now only flags the interrupt and checks the flag while it waits for a batch.
    """
    from geoevents.scale._dask import _gather

    class Slow:
        calls = 0

        def result(self, timeout: float | None = None) -> list[ArticleResult]:
            Slow.calls += 1
            raise asyncio.TimeoutError  # what distributed raises (not the builtin before Python 3.11)

    hits = iter([False, False, True])
    with pytest.raises(KeyboardInterrupt):
        _gather(Slow(), lambda: next(hits), poll_s=0.0)
    assert Slow.calls == 2  # polled until the flag came up, then stopped waiting

    class Done:
        def result(self, timeout: float | None = None) -> list[ArticleResult]:
            return []

    assert _gather(Done(), lambda: False) == []
