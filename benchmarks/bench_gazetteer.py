"""Benchmark the gazetteer: build time, normalize_name, lookup_keys and candidates vs a naive scan.

Usage::

    python benchmarks/bench_gazetteer.py            # lookups on the default index (built if missing)
    python benchmarks/bench_gazetteer.py --build    # also time a fresh build into a temp folder

The baseline, run in the same process on the same index, is what a gazetteer without a key index
would do: ``SELECT ... WHERE name LIKE ?`` (case-insensitive scan of every name). The ratio printed is
lookups/s of the indexed path over lookups/s of the scan.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geoevents.gazetteer import SQLiteGazetteer, build_gazetteer, normalize_name
from geoevents.gazetteer.normalize import normalize_name as _nn


def _ngrams(text: str, n_max: int = 3) -> list[str]:
    words = re.findall(r"[\w'’-]+", text)
    out = []
    for i in range(len(words)):
        for n in range(1, n_max + 1):
            if i + n <= len(words):
                out.append(" ".join(words[i : i + n]))
    return out


def main() -> int:
    """Run the benchmark and print one line per measurement."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="store_true", help="also time a fresh build")
    ap.add_argument("--gazetteer", default=None, help="index path (default: the cached one)")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    if args.build:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            cpu = time.process_time()
            build_gazetteer(Path(tmp) / "g.sqlite")
            cpu = time.process_time() - cpu
            size = (Path(tmp) / "g.sqlite").stat().st_size
            print(f"build: {time.perf_counter() - t:.1f} s wall, {cpu:.1f} s CPU, {size / 1e6:.0f} MB")

    gaz = SQLiteGazetteer.open(args.gazetteer)
    print(f"index: {gaz.path} places={gaz.count():,} names={gaz.n_names():,}")

    seeds = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in seeds)
    grams = _ngrams(text) or ["Baghdad", "Al-Qaim"]

    # normalize_name: uncached (fresh strings) and cached
    _nn.cache_clear()
    uniq = list(dict.fromkeys(grams))
    t = time.perf_counter()
    for g in uniq:
        normalize_name(g)
    cold = len(uniq) / (time.perf_counter() - t)
    t = time.perf_counter()
    reps = max(1, 300_000 // len(grams))
    for _ in range(reps):
        for g in grams:
            normalize_name(g)
    warm = reps * len(grams) / (time.perf_counter() - t)
    print(
        f"normalize_name: {cold:,.0f} calls/s uncached, {warm:,.0f} calls/s cached "
        f"({len(uniq)} distinct n-grams)"
    )

    keys = [normalize_name(g) for g in grams]
    keys = [k for k in keys if k]
    rng = random.Random(0)
    all_keys = []
    for i, k in enumerate(gaz.iter_keys()):
        if i % 50 == 0:
            all_keys.append(k)
    mixed = keys + rng.sample(all_keys, min(len(all_keys), len(keys)))
    rng.shuffle(mixed)

    # lookup_keys on a fresh instance (no in-process cache), batches of 500: article n-grams (what the
    # geoparser sends), then n-grams mixed with keys sampled across the whole index (cold pages)
    def run_lookups(label: str, batch_keys: list[str]) -> float:
        fresh = SQLiteGazetteer(gaz.path)
        t = time.perf_counter()
        matched = 0
        for i in range(0, len(batch_keys), 500):
            matched += len(fresh.lookup_keys(batch_keys[i : i + 500]))
        cold_rate = len(batch_keys) / (time.perf_counter() - t)
        t = time.perf_counter()
        n2 = 0
        while time.perf_counter() - t < 1.0:
            for i in range(0, len(batch_keys), 500):
                fresh.lookup_keys(batch_keys[i : i + 500])
                n2 += len(batch_keys[i : i + 500])
        warm_rate = n2 / (time.perf_counter() - t)
        print(
            f"lookup_keys ({label}): {cold_rate:,.0f} keys/s cold, {warm_rate:,.0f} keys/s warm "
            f"({len(batch_keys)} keys, {matched} matched, batches of 500)"
        )
        fresh.close()
        return cold_rate

    run_lookups("article n-grams", keys)
    cold_rate = run_lookups("n-grams + random index keys", mixed)

    # candidates vs naive LIKE scan over names
    sample_names = [
        "Baghdad",
        "Al-Qaim",
        "Jurf al-Sakhar",
        "Akashat",
        "Ain al-Asad",
        "Mosul",
        "Erbil",
        "Damascus",
        "Tower 22",
        "Fallujah",
        "Ramadi",
        "Kirkuk",
        "Basra",
        "Aleppo",
        "Deir ez-Zor",
        "Tikrit",
    ]
    fresh2 = SQLiteGazetteer(gaz.path)
    t = time.perf_counter()
    for name in sample_names:
        fresh2.candidates(name)
    cand_cold = len(sample_names) / (time.perf_counter() - t)
    t = time.perf_counter()
    reps = 0
    while time.perf_counter() - t < 1.0:
        for name in sample_names:
            fresh2.candidates(name)
        reps += 1
    cand_warm = reps * len(sample_names) / (time.perf_counter() - t)

    conn = sqlite3.connect(f"{gaz.path.resolve().as_uri()}?mode=ro", uri=True)
    t = time.perf_counter()
    base_n = 0
    for name in sample_names[:4]:
        conn.execute(
            "SELECT p.* FROM names n JOIN places p ON p.place_id = n.place_id WHERE n.name LIKE ? "
            "ORDER BY p.population DESC LIMIT 20",
            (name,),
        ).fetchall()
        base_n += 1
    base_rate = base_n / (time.perf_counter() - t)
    conn.close()
    print(f"candidates: {cand_cold:,.0f} names/s cold, {cand_warm:,.0f} names/s warm")
    print(
        f"baseline LIKE scan: {base_rate:,.2f} names/s -> candidates cold is {cand_cold / base_rate:,.0f}x, "
        f"lookup_keys cold is {cold_rate / base_rate:,.0f}x the scan"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
