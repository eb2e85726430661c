"""Placing accuracy: which place in the text is where the event happened (issue 12).

Run: ``python benchmarks/placing_accuracy.py [--split test] [--placer rules learned] [--model PATH]``.

Both placers score the same candidates on the same split (``benchmarks/splits.py``), with the real
geoparser and gazetteer:

* **Halterman (2019) event-location sentences** (``event-location-halterman2019.jsonl``). Split on
  the sentence text. Each record is one annotated event verb (its trigger span) and its gold
  location spans. Candidates: the gold spans of *every* record of the sentence, resolved by the
  geoparser in gold-span mode (``Geoparser.resolve``), plus the geoparser's own other toponyms of
  the sentence (``Geoparser.parse``; those overlapping a gold span are dropped). So the negatives
  are the other verbs' locations and the other place names, as in docs/events.md. Where one
  sentence+trigger has both an original and a re-annotated (``gold_relabel``) record, only the
  re-annotation is used. Score: precision / recall / F1 over (record, candidate) decisions
  ``score >= placer.threshold``. A second F1 uses the geoparser's toponyms only (as the pipeline
  does): a candidate counts when it overlaps a gold span, and gold spans it missed are misses.
* **PITF atrocity reports** (``pitf-dev.jsonl``): the whole report, the geoparser's toponyms, and
  a trigger found with the lexicon :data:`TRIGGER` (its first match in the report; else the first
  casualty word of :data:`FALLBACK_TRIGGER`; else the report's first word). Score: share of
  reports whose top-scored *resolved* toponym lies <= 25 km / <= 161 km from the coded point, and
  how many reports have no resolved toponym within 25 km at all (the gazetteer/geoparser ceiling).
* **Speed**: mean milliseconds per PITF report to score all its toponyms (geoparsing excluded),
  and CPU milliseconds per news-length GeoWebNews article (first mention; another mention of the
  same article, which reuses the per-article cache).

Geoparse output is cached under ``~/.cache/geoevents/placing-bench/`` (keyed by the gazetteer
file and the text), so reruns and the training script (``benchmarks/train_placer.py``) share it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from splits import split_of  # noqa: E402

from geoevents.geo import haversine_km  # noqa: E402
from geoevents.records import Place, Toponym  # noqa: E402

EVAL = Path("/work/shared/eval-data")
HALTERMAN = EVAL / "event-location-halterman2019.jsonl"
PITF = EVAL / "pitf-dev.jsonl"
NEWS = EVAL / "geowebnews.jsonl"  # speed only: news-length articles
CACHE = Path.home() / ".cache" / "geoevents" / "placing-bench"

#: Attack/strike words that mark a PITF report's event (first match = the trigger).
TRIGGER = re.compile(
    r"\b(?:attack(?:ed|s|ing)?|struck|strikes?|air\s?strikes?|bomb(?:ed|ing|ings|s)?|shell(?:ed|ing)|"
    r"raid(?:ed|s)?|ambush(?:ed)?|stormed|opened\s+fire|shot|massacred?|explosions?|exploded|blew\s+up|"
    r"detonated|beheaded|torched|set\s+(?:ablaze|on\s+fire)|burned|abducted|kidnapped|shelling|fired)\b",
    re.IGNORECASE,
)
#: Used when a report has none of :data:`TRIGGER`: the first casualty word.
FALLBACK_TRIGGER = re.compile(
    r"\b(?:killed|killing|dead|died|deaths?|wounded|injured|bodies)\b", re.IGNORECASE
)
KM_NEAR, KM_REGION = 25.0, 161.0


@dataclass
class HaltermanCase:
    """One event verb of a sentence, its candidates and which of them are its gold locations."""

    id: str
    text: str
    trigger: tuple[int, int]
    toponyms: list[Toponym]
    gold: list[bool]
    missed: int = 0  # gold spans no candidate overlaps (only in "parse" mode): false negatives


@dataclass
class PitfCase:
    """One PITF report, its trigger, its geoparsed toponyms and the coded event point."""

    id: str
    text: str
    trigger: tuple[int, int]
    toponyms: list[Toponym]
    lat: float
    lon: float


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class _ParseCache:
    """Geoparse results on disk, so benchmark and training reruns skip the geoparser."""

    def __init__(self, parser: Any, gaz_path: Path) -> None:
        st = gaz_path.stat()
        tag = hashlib.sha1(f"{gaz_path}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]
        CACHE.mkdir(parents=True, exist_ok=True)
        self.path = CACHE / f"parse-{tag}.jsonl"
        self.parser = parser
        self.mem: dict[str, list[dict[str, Any]]] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                k, v = json.loads(line)
                self.mem[k] = v
        self.fh = self.path.open("a", encoding="utf-8")

    def get(self, text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[Toponym]:
        key = hashlib.sha1((repr(spans) + "\x00" + text).encode()).hexdigest()
        if key not in self.mem:
            tops = self.parser.parse(text) if spans is None else self.parser.resolve(text, spans)
            self.mem[key] = [_top_dict(t) for t in tops]
            self.fh.write(json.dumps([key, self.mem[key]]) + "\n")
        return [_top_from(d) for d in self.mem[key]]


def _top_dict(t: Toponym) -> dict[str, Any]:
    d = asdict(t)
    return d


def _top_from(d: dict[str, Any]) -> Toponym:
    d = dict(d)
    if d.get("place") is not None:
        d["place"] = Place(**d["place"])
    return Toponym(**d)


def open_cache() -> _ParseCache:
    """Open the real geoparser over the default gazetteer, behind the on-disk cache."""
    from geoevents.gazetteer import SQLiteGazetteer
    from geoevents.geoparse import Geoparser

    gaz = SQLiteGazetteer.open()
    return _ParseCache(Geoparser(gaz), Path(gaz.path))


def load_halterman(parts: Iterable[str], cache: _ParseCache, mode: str = "gold+parse") -> list[HaltermanCase]:
    """Load the Halterman records of the given split parts, with candidates (see the module doc).

    ``mode="parse"`` uses the geoparser's toponyms only, as the pipeline does: a candidate is
    positive when it overlaps one of the verb's gold spans, and gold spans no candidate overlaps
    are counted in ``missed``. The training script uses this mode, since in "gold+parse" mode a
    candidate the geoparser did not find is almost always a gold span (an artifact, not a cue).
    """
    parts = set(parts)
    by_text: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _read(HALTERMAN):
        if r["event_triggers"] and split_of(r["text"]) in parts:
            by_text[r["text"]].append(r)
    cases = []
    for text, recs in by_text.items():
        keyed: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for r in recs:
            tr = r["event_triggers"][0]
            keyed[(tr["start"], tr["end"])].append(r)
        chosen = []
        for trig, rs in keyed.items():
            relabel = [r for r in rs if r.get("gold_relabel")]
            chosen.append((trig, (relabel or rs)[0]))
        gold_spans = sorted({(t["start"], t["end"]) for _tr, r in chosen for t in r["toponyms"]})
        if mode == "parse":
            tops = cache.get(text)
            for trig, r in chosen:
                mine = [(t["start"], t["end"]) for t in r["toponyms"]]
                gold = [any(t.start < e and s < t.end for s, e in mine) for t in tops]
                missed = sum(not any(t.start < e and s < t.end for t in tops) for s, e in mine)
                cases.append(HaltermanCase(r["id"], text, trig, tops, gold, missed))
            continue
        gold_tops = cache.get(text, gold_spans) if gold_spans else []
        parsed = [t for t in cache.get(text) if not any(t.start < e and s < t.end for s, e in gold_spans)]
        tops = sorted(gold_tops + parsed, key=lambda t: (t.start, t.end))
        for trig, r in chosen:
            mine = {(t["start"], t["end"]) for t in r["toponyms"]}
            gold = [(t.start, t.end) in mine for t in tops]
            cases.append(HaltermanCase(r["id"], text, trig, tops, gold))
    return cases


def pitf_trigger(text: str) -> tuple[int, int]:
    """Find the report's event trigger: first attack word, else first casualty word, else (0, 0)."""
    m = TRIGGER.search(text) or FALLBACK_TRIGGER.search(text)
    return (m.start(), m.end()) if m else (0, 0)


def load_pitf(parts: Iterable[str], cache: _ParseCache) -> list[PitfCase]:
    """Load the PITF reports of the given split parts (split on the record id)."""
    parts = set(parts)
    out = []
    for r in _read(PITF):
        if split_of(r["id"]) in parts and r.get("lat") is not None:
            text = r["text"]
            out.append(PitfCase(r["id"], text, pitf_trigger(text), cache.get(text), r["lat"], r["lon"]))
    return out


def halterman_prf(placer: Any, cases: Sequence[HaltermanCase]) -> dict[str, float]:
    """Precision, recall and F1 of ``score >= placer.threshold`` against the gold spans."""
    tp = fp = fn = 0
    for c in cases:
        fn += c.missed
        if not c.toponyms:
            continue
        picked = {
            s.toponym_index
            for s in placer.score(c.text, c.trigger, c.toponyms)
            if s.score >= placer.threshold
        }
        for i, g in enumerate(c.gold):
            if i in picked and g:
                tp += 1
            elif i in picked:
                fp += 1
            elif g:
                fn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"records": len(cases), "precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def _km(c: PitfCase, t: Toponym) -> float:
    assert t.place is not None
    return haversine_km(c.lat, c.lon, t.place.lat, t.place.lon)


def pitf_top(placer: Any, cases: Sequence[PitfCase]) -> dict[str, float]:
    """Share of reports whose best resolved toponym lies within 25 / 161 km, the ceiling, and speed."""
    near = region = no_top = no_cand = 0
    spent = 0.0
    for c in cases:
        resolved = {i for i, t in enumerate(c.toponyms) if t.place is not None and not t.is_demonym}
        if not any(_km(c, c.toponyms[i]) <= KM_NEAR for i in resolved):
            no_cand += 1
        t0 = time.perf_counter()
        scores = placer.score(c.text, c.trigger, c.toponyms)
        spent += time.perf_counter() - t0
        best = next((s.toponym_index for s in scores if s.toponym_index in resolved), None)
        if best is None:
            no_top += 1
            continue
        d = _km(c, c.toponyms[best])
        near += d <= KM_NEAR
        region += d <= KM_REGION
    n = len(cases) or 1
    return {
        "reports": len(cases),
        "top_le_25km": near / n,
        "top_le_161km": region / n,
        "no_candidate_le_25km": no_cand,
        "top_le_25km_where_possible": near / (len(cases) - no_cand) if len(cases) > no_cand else 0.0,
        "no_resolved_toponym": no_top,
        "ms_per_report": 1000 * spent / n,
    }


def news_speed(placer: Any, cache: _ParseCache, n: int = 80) -> dict[str, float]:
    """CPU milliseconds to score a news article's toponyms: first mention, and one more mention.

    On the first ``n`` GeoWebNews articles (news-length text, ~2,400 characters, ~12 toponyms),
    with the :data:`TRIGGER` word as the mention; the second call reuses the per-article cache.
    """
    items = []
    for r in _read(NEWS)[:n]:
        text = r["text"]
        m = TRIGGER.search(text) or FALLBACK_TRIGGER.search(text)
        items.append((text, (m.start(), m.end()) if m else (0, 0), cache.get(text)))
    first = again = 0.0
    for text, (s, e), tops in items:
        t0 = time.process_time()
        placer.score(text, (s, e), tops)
        t1 = time.process_time()
        placer.score(text, (s, max(s, e - 1)), tops)
        first += t1 - t0
        again += time.process_time() - t1
    k = len(items) or 1
    return {
        "articles": len(items),
        "mean_chars": sum(len(t) for t, _s, _x in items) / k,
        "mean_toponyms": sum(len(x) for _t, _s, x in items) / k,
        "ms_first_mention": 1000 * first / k,
        "ms_another_mention": 1000 * again / k,
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=("train", "dev", "test"))
    ap.add_argument("--placer", nargs="+", default=["rules", "learned"], choices=("rules", "learned"))
    ap.add_argument("--model", type=Path, help="a placer JSON to score instead of the shipped one")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)

    from geoevents.events.placing import LearnedPlacer, RulePlacer, default_placer, load_placer

    cache = open_cache()
    hal = load_halterman([args.split], cache)
    hal_parse = load_halterman([args.split], cache, mode="parse")
    pitf = load_pitf([args.split], cache)
    results = {}
    for name in args.placer:
        if name == "rules":
            placer: Any = RulePlacer()
        else:
            placer = load_placer(args.model) if args.model else default_placer()
            if not isinstance(placer, LearnedPlacer):
                print("no usable learned model shipped; skipping 'learned'", file=sys.stderr)
                continue
        results[name] = {
            "halterman": halterman_prf(placer, hal),
            "halterman_geoparser_only": halterman_prf(placer, hal_parse),
            "pitf": pitf_top(placer, pitf),
            "speed": news_speed(placer, cache),
        }
    if args.json:
        print(json.dumps({"split": args.split, "results": results}, indent=2))
        return 0
    print(f"split: {args.split}  (Halterman records: {len(hal)}, PITF reports: {len(pitf)})")
    sp = next(iter(results.values()))["speed"] if results else {}
    if sp:
        print(
            f"speed: {sp['articles']} GeoWebNews articles, {sp['mean_chars']:.0f} characters and "
            f"{sp['mean_toponyms']:.1f} toponyms on average; CPU ms per article"
        )
        for name, r in results.items():
            print(
                f"  {name}: first mention {r['speed']['ms_first_mention']:.2f} ms, "
                f"another mention of the same article {r['speed']['ms_another_mention']:.2f} ms"
            )
    print(
        "| placer | Halterman P | R | F1 | F1, geoparser's toponyms only | PITF top <= 25 km | <= 161 km "
        "| no cand. <= 25 km | top <= 25 km where one exists | ms/report |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        h, hp, p = r["halterman"], r["halterman_geoparser_only"], r["pitf"]
        print(
            f"| {name} | {h['precision']:.3f} | {h['recall']:.3f} | {h['f1']:.3f} | {hp['f1']:.3f} | "
            f"{p['top_le_25km']:.3f} | {p['top_le_161km']:.3f} | "
            f"{p['no_candidate_le_25km']} / {p['reports']} | {p['top_le_25km_where_possible']:.3f} | "
            f"{p['ms_per_report']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
