"""Whole-pipeline throughput per engine, and geoparsing speed against the ``geotext`` package.

    python benchmarks/bench_pipeline.py                 # 400 articles
    python benchmarks/bench_pipeline.py --n 2000 --workers 4

Part 1 reads the first ``--n`` articles of ``benchmarks/data/corpus.jsonl.gz`` (made by
``make_corpus.py``) from a JSON Lines file and runs ingest -> geoparse -> events -> merge, i.e.
``merge_events(events_from_articles(read_articles(...)))`` with no output writers, once per
engine: 1 worker (the baseline), ``--workers`` processes, and Dask on a ``LocalCluster`` of
``--workers`` processes (started inside the timer: what a user waits for). All runs must give
the same events. Printed: wall time, articles/s, ratio to 1 worker, time to the first result
(worker start-up: gazetteer open and parser warm-up), and for the baseline the CPU time per
article, i.e. articles per CPU-second: the "per core" figure, which other processes competing
for the cores do not distort the way they distort wall time.

Part 2 times geoparsing alone on the same texts, in this process, with a warmed parser:
``Geoparser.parse`` against ``geotext.GeoText`` (a regex scan for city and country names with no
disambiguation and no coordinates), both over the same list, so the ratio is what resolving
places costs.

DEV-TIME ONLY: the corpus comes from ``/work/shared/eval-data`` through ``make_corpus.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "data" / "corpus.jsonl.gz"


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_pipeline(path: Path, gazetteer: Any, **engine: Any) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Ingest, geoparse, extract and merge; return the event dicts and the timings."""
    from geoevents.errors import Report
    from geoevents.events import merge_events
    from geoevents.ingest import read_articles
    from geoevents.pipeline import events_from_articles

    first: list[float] = []
    t0, c0 = time.perf_counter(), cpu_seconds()

    def progress(_: int) -> None:
        if not first:
            first.append(time.perf_counter() - t0)

    report = Report()
    raw = events_from_articles(
        read_articles([path], report=report), gazetteer=gazetteer, report=report, progress=progress, **engine
    )
    events = merge_events(list(raw))
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return [e.to_dict() for e in events], {
        "wall": wall,
        "cpu": cpu,
        "first": first[0] if first else 0.0,
        "processed": report.processed,
        "skipped": report.n_skipped,
    }


def main(argv: list[str] | None = None) -> None:
    """Run both parts and print the figures with the machine and date."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400, help="articles")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        sys.exit(f"no corpus at {args.corpus}; run: python benchmarks/make_corpus.py")

    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.geoparse import Geoparser
    from geoevents.records import Article

    print(f"geoevents pipeline benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at start"
    )
    print(f"corpus: first {args.n} articles of {args.corpus} (dev-time, from /work/shared/eval-data)")
    gaz = SQLiteGazetteer.open()  # built outside the timers
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "articles.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
            lines = list(itertools.islice(src, args.n))
            dst.writelines(lines)
        chars = sum(len(line) for line in lines)
        print(f"  {len(lines)} articles, {chars / len(lines):,.0f} characters of JSON each on average\n")

        engines: list[tuple[str, dict[str, Any]]] = [
            ("local, 1 worker (baseline)", {"workers": 1}),
            (f"local, {args.workers} worker processes", {"workers": args.workers}),
        ]
        if not args.skip_dask:
            engines.append(
                (
                    f"dask, LocalCluster of {args.workers} processes",
                    {"engine": "dask", "workers": args.workers},
                )
            )
        results = []
        for name, engine in engines:
            events, t = run_pipeline(sample, gaz, **engine)
            results.append((name, events, t))
            print(f"  ran {name}: {t['wall']:.1f} s", file=sys.stderr, flush=True)

    base_events, base = results[0][1], results[0][2]
    n = base["processed"] + base["skipped"]
    print(
        f"{'engine':<36} {'wall s':>7} {'art/s':>7} {'x 1 worker':>10} {'1st result s':>12} "
        f"{'CPU s':>6} {'events':>7} same"
    )
    for name, events, t in results:
        same = "yes" if events == base_events else "NO"
        print(
            f"{name:<36} {t['wall']:>7.1f} {n / t['wall']:>7.1f} {base['wall'] / t['wall']:>10.2f} "
            f"{t['first']:>12.1f} {t['cpu']:>6.1f} {len(events):>7} {same}"
        )
    print(
        f"baseline CPU time: {base['cpu']:.1f} s for {n} articles = {1000 * base['cpu'] / n:.1f} "
        f"ms/article = {n / base['cpu']:.1f} articles per CPU-second (target: 200 per core)"
    )
    print(f"articles processed {base['processed']}, skipped {base['skipped']}")

    # ---- part 2: geoparse alone vs geotext, same texts, warmed up, in this process
    from geotext import GeoText

    texts = [a.text for a in _articles(args.corpus, args.n, Article)]
    total_chars = sum(map(len, texts))
    parser = Geoparser(gaz)
    parser.parse(texts[0])  # warm-up outside the timer (lazy caches, automaton)
    GeoText(texts[0])
    t0, c0 = time.perf_counter(), time.process_time()
    ours = [parser.parse(t) for t in texts]
    t_ours, c_ours = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    theirs = [GeoText(t) for t in texts]
    t_geotext, c_geotext = time.perf_counter() - t0, time.process_time() - c0
    n_ours = sum(1 for doc in ours for tp in doc if tp.place is not None)
    n_theirs = sum(len(g.cities) + len(g.countries) for g in theirs)
    print()
    print(
        f"geoparse only, {len(texts)} texts ({total_chars / len(texts):,.0f} chars each), warmed, "
        "one process:"
    )
    for name, wall, cpu, found in (
        ("geoevents Geoparser.parse", t_ours, c_ours, f"{n_ours} resolved toponyms with coordinates"),
        (
            "geotext.GeoText (baseline)",
            t_geotext,
            c_geotext,
            f"{n_theirs} city/country names, no coordinates",
        ),
    ):
        print(
            f"  {name:<27} {len(texts) / wall:8.1f} texts/s wall, {len(texts) / cpu:8.1f} texts per "
            f"CPU-s, {total_chars / cpu / 1e3:7.0f} kchar per CPU-s  ({found})"
        )
    print(f"  geoevents takes {c_ours / c_geotext:.1f}x geotext's CPU time ({t_ours / t_geotext:.1f}x wall)")
    print(f"load average at end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _articles(corpus: Path, n: int, article_cls: Any) -> list[Any]:
    import json

    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        return [
            article_cls(id=d["id"], text=d["text"], title=d.get("title"))
            for d in map(json.loads, itertools.islice(f, n))
        ]


if __name__ == "__main__":
    main()
