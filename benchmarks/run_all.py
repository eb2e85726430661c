"""Run every benchmark that can run here, and say for each of the others which data it needs.

``make bench`` calls this. Benchmarks that need only the repository (the gazetteer extract, the
seeds, ``tests/data``) always run; those built on the project's reference corpora (LGL,
GeoWebNews, GeoVirus, WikToR, GeoCorpora, TUD-Loc, Halterman) run when that folder exists, and
are otherwise listed with what to put where. Each benchmark runs in its own process with this
interpreter; its output streams through, and a table at the end gives status and time.

    python benchmarks/run_all.py                     # quick sizes (minutes on 2 cores)
    python benchmarks/run_all.py --full              # the sizes quoted in RESULTS.md (an hour or more)
    python benchmarks/run_all.py --eval-data /path/to/eval-data

Exit status: 0 when every benchmark that could run succeeded, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_EVAL_DATA = Path(os.environ.get("GEOEVENTS_EVAL_DATA", "/work/shared/eval-data"))
CORPUS = HERE / "data" / "corpus.jsonl.gz"

# (script, quick arguments, full arguments, needs): needs is None (repository only),
# "eval-data" (the reference corpora folder), or "corpus" (made from them by make_corpus.py)
BENCHMARKS: list[tuple[str, list[str], list[str], str | None]] = [
    ("bench_gazetteer.py", [], ["--build"], None),
    ("events_speed.py", ["--repeat", "4", "--synthetic", "60"], [], None),
    ("events_accuracy.py", [], [], None),
    ("bench_map.py", ["--sizes", "1000", "--baseline-max", "1000"], [], None),
    ("geoparse_accuracy.py", ["--limit", "50"], [], "eval-data"),
    ("bench_geoparse_speed.py", ["--n", "100"], [], "eval-data"),
    (
        "make_corpus.py",
        ["--n", "2000", "--out", str(CORPUS)],
        ["--n", "100000", "--out", str(CORPUS)],
        "eval-data",
    ),
    ("bench_pipeline.py", ["--n", "200"], [], "corpus"),
    ("bench_memory.py", ["--sizes", "1000"], [], "corpus"),
]


def _supports(script: Path, flag: str) -> bool:
    return flag in script.read_text(encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--full", action="store_true", help="the sizes quoted in RESULTS.md (slow)")
    ap.add_argument("--eval-data", type=Path, default=DEFAULT_EVAL_DATA, help="the reference corpora folder")
    ap.add_argument("--only", nargs="*", default=None, help="run only these scripts (names)")
    args = ap.parse_args()

    have_eval = args.eval_data.is_dir()
    rows: list[tuple[str, str, float]] = []
    for name, quick, full, needs in BENCHMARKS:
        if args.only is not None and name not in args.only:
            continue
        script = HERE / name
        if needs == "eval-data" and not have_eval:
            rows.append(
                (
                    name,
                    f"skipped: needs the reference corpora at {args.eval_data} "
                    "(pass --eval-data PATH or set GEOEVENTS_EVAL_DATA; see benchmarks/README.md)",
                    0.0,
                )
            )
            continue
        if needs == "corpus" and not CORPUS.exists():
            rows.append(
                (
                    name,
                    f"skipped: needs {CORPUS.relative_to(ROOT)} (made by make_corpus.py from the corpora)",
                    0.0,
                )
            )
            continue
        argv = full if args.full else quick
        if needs == "eval-data":  # each script names the corpora folder its own way
            flag = "--eval-data" if _supports(script, '"--eval-data"') else "--data"
            argv = [*argv, flag, str(args.eval_data)]
        print(f"\n=== {name} {' '.join(argv)}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *argv], cwd=ROOT)
        rows.append((name, "ok" if rc == 0 else f"failed (exit {rc})", time.perf_counter() - t0))

    print("\n| benchmark | status | seconds |\n|---|---|---|")
    for name, status, secs in rows:
        print(f"| {name} | {status} | {secs:.0f} |")
    return 1 if any(status.startswith("failed") for _, status, _ in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
