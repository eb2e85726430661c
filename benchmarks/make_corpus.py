"""Build a synthetic news corpus for the benchmarks: ``--n`` articles as JSON Lines, deterministic.

    python benchmarks/make_corpus.py --n 100000 --out benchmarks/data/corpus.jsonl.gz

Each article is stitched from real text: about one in ten is one of the five seed articles
(``seeds/*.txt``), the others open with a sentence about a violent event (Halterman et al.'s
event-location corpus) and go on with paragraphs of the other geoparsing corpora (LGL, GeoVirus,
GeoWebNews, GeoCorpora, TUD-Loc, WikToR) up to a length drawn around the seeds' (about 2,700
characters). The same ``--seed`` always gives the same corpus.

DEV-TIME ONLY: the source texts are read from ``/work/shared/eval-data`` (``--eval-data``), the
project's reference data, which users do not have. Nothing in ``geoevents`` reads them; the
corpus goes under ``benchmarks/data/``, which git ignores, and is never committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DATA = Path("/work/shared/eval-data")
LEAD_CORPUS = "event-location-halterman2019.jsonl"  # one-sentence reports of violent events
SEED_SHARE = 0.1


def _texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [t for line in f if line.strip() and (t := json.loads(line).get("text", "").strip())]


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a text, with one-line scraps (menus, hashtags) dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n|\r?\n", text) if len(p.strip()) >= 80]


def load_sources(eval_data: Path, seeds_dir: Path) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Lead sentences, body paragraphs and (title, text) seeds, each list in a fixed order."""
    if not eval_data.is_dir():
        sys.exit(f"no {eval_data}: this dev-time script needs the project's eval corpora (--eval-data)")
    leads = _texts(eval_data / LEAD_CORPUS)
    paragraphs: list[str] = []
    for path in sorted(eval_data.glob("*.jsonl")):
        if path.name != LEAD_CORPUS:
            for text in _texts(path):
                paragraphs.extend(_paragraphs(text))
    seeds = []
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        title, _, _ = raw.partition("\n")
        seeds.append((title.strip(), raw))
    return leads, paragraphs, seeds


def make_articles(n: int, seed: int, leads: list[str], paragraphs: list[str], seeds: list[tuple[str, str]]):
    """Yield ``n`` article dicts in the ``geoevents ingest`` JSON Lines schema."""
    rng = random.Random(seed)
    day0 = dt.date(2023, 1, 1)
    for i in range(n):
        published = (day0 + dt.timedelta(days=rng.randrange(730))).isoformat()
        if seeds and rng.random() < SEED_SHARE:
            title, text = rng.choice(seeds)
        else:
            # about 2,700 characters on average, like the seeds
            target = min(12_000, max(300, int(rng.lognormvariate(7.55, 0.5))))
            lead = rng.choice(leads)
            parts = [lead]
            size = len(lead)
            while size < target:
                p = rng.choice(paragraphs)
                parts.append(p)
                size += len(p) + 2
            text = "\n\n".join(parts)
            title = lead.split(". ")[0][:120]
        yield {
            "id": f"synth-{i:07d}",
            "path": None,
            "title": title,
            "url": f"https://example.org/news/{i}",
            "source": "synthetic corpus",
            "published": published,
            "text": text,
        }


def main(argv: list[str] | None = None) -> None:
    """Write the corpus; prints what it read and wrote."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="number of articles")
    ap.add_argument(
        "--out",
        type=Path,
        default=ROOT / "benchmarks" / "data" / "corpus.jsonl.gz",
        help=".jsonl or .jsonl.gz",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-data", type=Path, default=EVAL_DATA)
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    args = ap.parse_args(argv)

    leads, paragraphs, seeds = load_sources(args.eval_data, args.seeds)
    print(
        f"dev-time sources: {len(leads)} lead sentences, {len(paragraphs)} paragraphs from "
        f"{args.eval_data}, {len(seeds)} seeds from {args.seeds}",
        file=sys.stderr,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    opener = gzip.open if args.out.suffix == ".gz" else open
    chars = 0
    with opener(tmp, "wt", encoding="utf-8") as f:
        for art in make_articles(args.n, args.seed, leads, paragraphs, seeds):
            chars += len(art["text"])
            f.write(json.dumps(art, ensure_ascii=False) + "\n")
    tmp.replace(args.out)
    print(
        f"wrote {args.n} articles ({chars / max(1, args.n):,.0f} chars on average) to {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
