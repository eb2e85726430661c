"""Event-stage equivalence dump and profile: speed work must not change a single event.

Run: ``python benchmarks/bench_events_profile.py dump OUT.json`` before and after a change and
``cmp`` the two files (byte-identical or the change is wrong); ``... profile [--limit N]`` prints
the cProfile hot spots of ``extract_events``; ``... ab --baseline REV [--rounds 4]`` times REV's
``geoevents/events`` against this tree's on the same inputs, alternating which goes first, in CPU
seconds of this process (articles per CPU-second, i.e. per core; the range over the rounds).

Input: the seeds, all of ``pitf-dev.jsonl`` (real reports, when ``../shared/eval-data`` is
there) and 300 news-length synthetic reports from ``events_speed.py``. Geoparsing runs once and
is cached (``--cache``), so only the event stage is timed and profiled.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import pickle
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this worktree's geoevents, not an installed one

from benchmarks.events_speed import synthetic  # noqa: E402
from geoevents.records import Article  # noqa: E402

PITF = ROOT.parent / "shared" / "eval-data" / "pitf-dev.jsonl"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))  # one article each, first in the inputs
N_SYNTHETIC = 300  # last in the inputs


def inputs(cache: Path) -> list[tuple[Article, list]]:
    """(article, toponyms) pairs; geoparsed once, then read from ``cache`` (a local pickle)."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # our own cache of this run's geoparse
    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.geoparse import geoparse
    from geoevents.ingest import read_articles

    arts = list(read_articles(SEEDS))
    if PITF.exists():
        with PITF.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    arts.append(Article(id=r["id"], text=r["text"]))
    arts += synthetic(N_SYNTHETIC)
    with SQLiteGazetteer.open() as gaz:
        pairs = [(a, geoparse(a.text, gaz, title=a.title)) for a in arts]
    cache.write_bytes(pickle.dumps(pairs))
    return pairs


def _ab(pairs: list[tuple[Article, list]], rev: str, rounds: int) -> None:
    """Print articles per CPU-second for ``rev`` and this tree, per input group, over ``rounds``."""
    import tempfile

    from benchmarks.events_accuracy import baseline_module
    from geoevents.events import extract_events

    n_seeds = len(SEEDS)
    groups = {
        "pitf-dev real reports": pairs[n_seeds:-N_SYNTHETIC],
        "synthetic news-length": pairs[-N_SYNTHETIC:],
        "seeds x40": pairs[:n_seeds] * 40,
    }
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_module(rev, Path(tmp)).extract_events
        rates: dict[tuple[str, str], list[float]] = {}
        for r in range(rounds):
            sides = [(rev, old), ("this tree", extract_events)]
            for gname, sel in groups.items():
                for name, fn in sides if r % 2 == 0 else sides[::-1]:
                    t0 = time.process_time()
                    for a, t in sel:
                        fn(a, t)
                    rates.setdefault((gname, name), []).append(len(sel) / (time.process_time() - t0))
    for (g, name), v in rates.items():
        runs = ", ".join(f"{x:.0f}" for x in v)
        print(f"{g} ({len(groups[g])}), {name}: {min(v):.0f}-{max(v):.0f} articles/s (rounds: {runs})")


def main() -> None:
    """Dump every event as a dict (sorted JSON) or print the profile."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mode", choices=["dump", "profile", "ab"])
    ap.add_argument("out", nargs="?", help="dump: the JSON file to write")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/geoevents-events-inputs.pkl"))
    ap.add_argument("--limit", type=int, help="profile: only the first N articles")
    ap.add_argument("--baseline", default="main", help="ab: the git revision to compare with")
    ap.add_argument("--rounds", type=int, default=4, help="ab: timed rounds per side and group")
    args = ap.parse_args()
    pairs = inputs(args.cache)
    from geoevents.events import extract_events

    if args.mode == "ab":
        _ab(pairs, args.baseline, args.rounds)
        return
    if args.mode == "profile":
        sel = pairs[: args.limit] if args.limit else pairs
        prof = cProfile.Profile()
        prof.enable()
        for a, t in sel:
            extract_events(a, t)
        prof.disable()
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumtime").print_stats(40)
        return
    if not args.out:
        ap.error("dump needs an output file")
    t0 = time.process_time()
    out = [[dataclasses.asdict(e) for e in extract_events(a, t)] for a, t in pairs]
    cpu = time.process_time() - t0
    Path(args.out).write_text(json.dumps(out, default=str, sort_keys=True, indent=0), encoding="utf-8")
    n_ev = sum(len(x) for x in out)
    print(f"{len(pairs)} articles, {n_ev} events, extraction {cpu:.2f} CPU s -> {args.out}")


if __name__ == "__main__":
    main()
