"""Peak memory against the number of articles: the streaming pipeline must stay flat.

    python benchmarks/bench_memory.py                       # 1k, 10k, 100k articles, 2 workers
    python benchmarks/bench_memory.py --sizes 1000 10000 --workers 1

Each size runs in a fresh subprocess: read the corpus lazily (``read_articles`` over
``benchmarks/data/corpus.jsonl.gz``, made by ``make_corpus.py``), geoparse and extract with
``events_from_articles`` (engine ``local``, ``--workers`` processes), and stream every event into a
GeoParquet file (``GeoParquetWriter``). That is the path that can run on an unbounded input: it
keeps no list of articles or events (the ``map`` command also merges events across articles,
which needs them all; see the report). A sampler thread sums the resident memory (RSS) of the
process and all its children every 0.2 s; ``ru_maxrss`` (own and largest child) is printed too.
Flat memory means the peak at 100k is about the peak at 1k.

DEV-TIME ONLY: the corpus is built from ``/work/shared/eval-data`` by ``make_corpus.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "data" / "corpus.jsonl.gz"
MB = 1024 * 1024


class TreeSampler(threading.Thread):
    """Sum the RSS of this process and its children, keeping the peak and a few samples."""

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    def rss(self) -> int:
        return sum(self.parts())

    def parts(self) -> list[int]:
        """RSS of this process, then of each child."""
        import psutil

        out = [self.proc.memory_info().rss]
        for child in self.proc.children(recursive=True):
            try:
                out.append(child.memory_info().rss)
            except psutil.Error:
                pass  # exited between listing and reading
        return out

    def run(self) -> None:
        t0 = time.perf_counter()
        while not self._halt.is_set():
            now = self.rss()
            self.peak = max(self.peak, now)
            self.samples.append((time.perf_counter() - t0, now))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def child(n: int, workers: int, corpus: Path, progress_every: int) -> dict[str, object]:
    """One measured run over the first ``n`` articles of the corpus (in this fresh process)."""
    from geoevents.errors import Report
    from geoevents.eventstore import GeoParquetWriter
    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.ingest import read_articles
    from geoevents.pipeline import events_from_articles

    gaz = SQLiteGazetteer.open(build=False)
    sampler = TreeSampler()
    base = sampler.rss()
    sampler.start()
    report = Report()
    n_events = 0
    done = 0
    t0 = time.perf_counter()

    def progress(k: int) -> None:
        nonlocal done
        done += k
        if progress_every and done % progress_every == 0:
            rate = done / (time.perf_counter() - t0)
            parts = sampler.parts()
            print(
                f"  {done:>7} articles  {rate:6.1f}/s  tree RSS {sum(parts) / MB:7.1f} MB  (main "
                f"{parts[0] / MB:.1f} MB, workers {', '.join(f'{p / MB:.1f}' for p in parts[1:])} MB)"
                f"  peak so far {sampler.peak / MB:.1f} MB",
                file=sys.stderr,
                flush=True,
            )

    with tempfile.TemporaryDirectory() as tmp:
        articles = itertools.islice(read_articles([corpus], on_error="skip", report=report), n)
        with GeoParquetWriter(Path(tmp) / "events.parquet") as out:
            for event in events_from_articles(
                articles, gazetteer=gaz, report=report, workers=workers, progress=progress
            ):
                out.write([event])
                n_events += 1
    wall = time.perf_counter() - t0
    sampler.stop()
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    # the middle and last thirds of the run: flat memory means they peak at the same height
    thirds = [
        max((r for t, r in sampler.samples if k * wall / 3 <= t <= (k + 1) * wall / 3), default=0)
        for k in range(3)
    ]
    return {
        "articles": n,
        "processed": report.processed,
        "skipped": report.n_skipped,
        "events": n_events,
        "workers": workers,
        "wall_s": round(wall, 1),
        "articles_per_s": round(n / wall, 1),
        "cpu_s": round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 1),
        "rss_start_mb": round(base / MB, 1),
        "peak_tree_rss_mb": round(sampler.peak / MB, 1),
        "peak_by_third_mb": [round(x / MB, 1) for x in thirds],
        "maxrss_self_mb": round(own.ru_maxrss / 1024, 1),
        "maxrss_largest_child_mb": round(kids.ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> None:
    """Run every size in a fresh subprocess and print one table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--progress-every", type=int, default=5_000)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child is not None:
        print(json.dumps(child(args.child, args.workers, args.corpus, args.progress_every)), flush=True)
        return
    if not args.corpus.is_file():
        sys.exit(f"no corpus at {args.corpus}; run: python benchmarks/make_corpus.py --n {max(args.sizes)}")

    print(f"geoevents memory benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at start"
    )
    print(
        f"corpus: {args.corpus} (dev-time, built from /work/shared/eval-data); "
        f"{args.workers} worker process(es); events streamed to GeoParquet",
        flush=True,
    )
    rows = []
    for n in args.sizes:
        cmd = [
            sys.executable,
            __file__,
            "--child",
            str(n),
            "--workers",
            str(args.workers),
            "--corpus",
            str(args.corpus),
            "--progress-every",
            str(args.progress_every),
        ]
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
        row = json.loads(out.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row), flush=True)
    base = rows[0]["peak_tree_rss_mb"]
    print()
    print(
        f"{'articles':>9} {'events':>8} {'wall s':>8} {'art/s':>7} {'cpu s':>8} "
        f"{'peak RSS MB (tree)':>19} {'vs first':>9} {'peak by third MB':>24}"
    )
    for r in rows:
        print(
            f"{r['articles']:>9,} {r['events']:>8,} {r['wall_s']:>8} {r['articles_per_s']:>7} "
            f"{r['cpu_s']:>8} {r['peak_tree_rss_mb']:>19} {r['peak_tree_rss_mb'] / base:>8.2f}x "
            f"{r['peak_by_third_mb']!s:>24}"
        )
    print(f"load average at end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
