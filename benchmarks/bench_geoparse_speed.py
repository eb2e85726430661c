"""End-to-end geoparsing speed on one core: articles/s and characters/s.

Baseline and candidate run in one process on the same input: the baseline is the recognizer's
lower bound (tokenizing plus the single ``lookup_keys`` call per document, no resolution), so
the ratio shows what context resolution costs. The rule-based ranker (``ranker="rules"``) is
timed too, so the learned ranker's cost (the default) shows on its own. Input: the news corpora's
texts (LGL, GeoWebNews, GeoVirus), read outside the timers.

Usage::

    python benchmarks/bench_geoparse_speed.py [--data DIR] [--n 400] [--gazetteer PATH]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import timeit
from pathlib import Path

from geoevents.evaluate import iter_corpus
from geoevents.geoparse import Geoparser
from geoevents.geoparse.tokens import tokenize


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/work/shared/eval-data"))
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--gazetteer", default=None)
    args = ap.parse_args()
    from geoevents.gazetteer import SQLiteGazetteer

    texts: list[str] = []
    for corpus in ("lgl", "geowebnews", "geovirus"):
        texts += [d.text for d in iter_corpus(args.data / f"{corpus}.jsonl")]
    texts = texts[: args.n]
    chars = sum(map(len, texts))
    gaz = SQLiteGazetteer.open(args.gazetteer)
    parser = Geoparser(gaz)
    rules = Geoparser(gaz, ranker="rules")
    parser.warm_up()
    for t in texts[:20]:  # warm caches (SQLite pages, normalization memo) outside the timers
        parser.parse(t)
        rules.parse(t)

    def lookup_only() -> None:
        for t in texts:
            keys, _ = parser.recognizer.candidate_keys(t, tokenize(t))
            gaz.lookup_keys(list(keys))

    def full() -> None:
        for t in texts:
            parser.parse(t)

    def full_rules() -> None:
        for t in texts:
            rules.parse(t)

    base = min(timeit.repeat(lookup_only, number=1, repeat=3))
    cpu_rules = min(timeit.repeat(full_rules, number=1, repeat=3, timer=time.process_time))
    new = min(timeit.repeat(full, number=1, repeat=3))
    # CPU time of this process too: on a shared, loaded machine wall time overstates the cost
    cpu_new = min(timeit.repeat(full, number=1, repeat=3, timer=time.process_time))
    print(
        f"{platform.node()} ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}, one core, {len(texts)} articles, {chars:,} chars"
    )
    print(f"recognize+lookup only: {len(texts) / base:,.0f} articles/s, {chars / base:,.0f} chars/s")
    print(f"full geoparse (ranker={parser.ranker!r}):")
    print(
        f"                       {len(texts) / new:,.0f} articles/s, {chars / new:,.0f} chars/s "
        f"(x{new / base:.2f} the lookup-only time)"
    )
    print(
        f"full geoparse, CPU time: {len(texts) / cpu_new:,.0f} articles/s, {chars / cpu_new:,.0f} chars/s "
        f"(os.getloadavg: {', '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )
    print(
        f"rules-only ranker, CPU time: {len(texts) / cpu_rules:,.0f} articles/s, "
        f"{chars / cpu_rules:,.0f} chars/s"
    )


if __name__ == "__main__":
    main()
