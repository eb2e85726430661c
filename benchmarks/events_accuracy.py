"""Event extraction accuracy on hand-written wire-style reports (``tests/data/events_reports.json``).

Run: ``python benchmarks/events_accuracy.py [--baseline REV] [--details]``.

The real chain runs on every report: ``Article`` -> ``Geoparser(SQLiteGazetteer.open()).parse``
-> ``extract_events`` -> ``merge_events`` (over all reports, as the pipeline does). Scores:

* **recall / precision / F1**: a gold event is found when an extracted event of the same report
  has the same ``event_type``, a location within 25 km of the gold place, and a date within the
  gold precision window (day: 1 day, week: 7, month: 31; an undated gold event needs an undated
  extraction); each extracted event matches at most one gold event.
* per gold event, aligned with the best extracted event of its report (none = wrong):
  **type** accuracy, **loc<=25km**, **date exact** (same date and precision), **killed exact**
  and **injured exact** (None = not reported; 0 only when the text says none), **sub-type**.

``--baseline REV`` imports ``geoevents/events`` as it was at git revision REV (a temporary copy)
and scores it in the same run on the same geoparse output, so before/after figures are comparable.
Reports ``r*`` (split "dev") were used to develop the rules; reports ``h*`` (split "holdout") were
written before the rule changes they would test and are scored separately. The sets are small
(42 + 12 events): one event is 2.4 (dev) or 8 (holdout) points.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "events_reports.json"
_WINDOW = {"day": 1, "week": 7, "month": 31}


def load_reports(path: Path = DATA) -> list[dict[str, Any]]:
    """Return the reports with their expected events."""
    return json.loads(path.read_text(encoding="utf-8"))["reports"]


def articles_and_toponyms(reports: Sequence[dict[str, Any]], gazetteer: Any) -> list[tuple[Any, list[Any]]]:
    """Build each report's ``Article`` and geoparse it once (shared by baseline and candidate)."""
    from geoevents.geoparse import Geoparser
    from geoevents.records import Article

    parser = Geoparser(gazetteer)
    out = []
    for rep in reports:
        pub = dt.date.fromisoformat(rep["published"]) if rep["published"] else None
        art = Article(id=rep["id"], text=rep["text"], published=pub, source=rep.get("source"))
        out.append((art, parser.parse(art.text)))
    return out


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def loc_ok(gold: dict[str, Any], ev: Any) -> bool:
    """Whether any location of ``ev`` lies within 25 km of the gold place."""
    return any(
        loc.lat is not None and _km(gold["lat"], gold["lon"], loc.lat, loc.lon) <= 25.0
        for loc in ev.locations
    )


def date_ok(gold: dict[str, Any], ev: Any) -> bool:
    """Whether ``ev``'s date lies within the gold precision window (undated gold: undated event)."""
    if gold["date"] is None:
        return ev.event_date is None
    if ev.event_date is None:
        return False
    return abs((dt.date.fromisoformat(gold["date"]) - ev.event_date).days) <= _WINDOW[gold["date_precision"]]


def date_exact(gold: dict[str, Any], ev: Any) -> bool:
    """Whether ``ev`` has the gold date and precision."""
    want = dt.date.fromisoformat(gold["date"]) if gold["date"] else None
    return (ev.event_date, ev.date_precision) == (want, gold["date_precision"])


def _align_score(gold: dict[str, Any], ev: Any) -> tuple[int, ...]:
    return (
        int(loc_ok(gold, ev)),
        int(ev.event_type == gold["event_type"]),
        int(date_ok(gold, ev)),
        int(ev.killed == gold["killed"]),
    )


def score(reports: Sequence[dict[str, Any]], events_by_report: dict[str, list[Any]]) -> dict[str, Any]:
    """All figures for one system, plus per-event rows for ``--details``."""
    n_gold = n_pred = n_match = 0
    counts = dict.fromkeys(("type", "sub", "loc", "date", "killed", "injured"), 0)
    rows = []
    for rep in reports:
        gold_events = rep["events"]
        pred = events_by_report.get(rep["id"], [])
        n_gold += len(gold_events)
        n_pred += len(pred)
        free = list(pred)
        for g in gold_events:
            hit = next(
                (e for e in free if e.event_type == g["event_type"] and loc_ok(g, e) and date_ok(g, e)), None
            )
            if hit is not None:
                free.remove(hit)
                n_match += 1
        for g in gold_events:
            best = max(pred, key=lambda e, g=g: _align_score(g, e), default=None)
            ok = {
                "type": best is not None and best.event_type == g["event_type"],
                "sub": best is not None and best.sub_event_type == g["sub_event_type"],
                "loc": best is not None and loc_ok(g, best),
                "date": best is not None and date_exact(g, best),
                "killed": best is not None and best.killed == g["killed"],
                "injured": best is not None and best.injured == g["injured"],
            }
            for k, v in ok.items():
                counts[k] += int(v)
            rows.append((rep["id"], g, best, ok))
        for e in pred[len(gold_events) :] if len(pred) > len(gold_events) else []:
            rows.append((rep["id"], None, e, {}))
    recall = n_match / n_gold if n_gold else 0.0
    precision = n_match / n_pred if n_pred else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out: dict[str, Any] = {
        "n_gold": n_gold,
        "n_pred": n_pred,
        "recall": recall,
        "precision": precision,
        "f1": f1,
        "rows": rows,
    }
    out.update({k: v / n_gold if n_gold else 0.0 for k, v in counts.items()})
    return out


def run_system(
    extract: Callable[..., list[Any]],
    merge: Callable[..., list[Any]],
    prepared: Sequence[tuple[Any, list[Any]]],
) -> dict[str, list[Any]]:
    """Extract per report, merge over all reports, and group the result by source report."""
    events = [e for art, tops in prepared for e in extract(art, tops)]
    by_report: dict[str, list[Any]] = {}
    for e in merge(events):
        for sid in e.source_ids:
            by_report.setdefault(sid, []).append(e)
    return by_report


def evaluate(
    reports: Sequence[dict[str, Any]],
    extract: Callable[..., list[Any]],
    merge: Callable[..., list[Any]],
    prepared: Sequence[tuple[Any, list[Any]]],
) -> dict[str, Any]:
    """Run one system and score it; the per-report events are kept under ``by_report``."""
    by_report = run_system(extract, merge, prepared)
    res = score(reports, by_report)
    res["by_report"] = by_report
    return res


def baseline_module(rev: str, tmp: Path) -> Any:
    """Import ``geoevents/events`` as it was at ``rev`` under another package name."""
    pkg = tmp / "geoevents_events_baseline"
    pkg.mkdir()
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", rev, "geoevents/events/"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        src = subprocess.run(
            ["git", "show", f"{rev}:{name}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        src = src.replace("geoevents.events", "geoevents_events_baseline")
        (pkg / Path(name).name).write_text(src, encoding="utf-8")
    sys.path.insert(0, str(tmp))
    return importlib.import_module("geoevents_events_baseline")


COLUMNS = ("recall", "precision", "f1", "type", "sub", "loc", "date", "killed", "injured")


def main() -> None:
    """Print the accuracy table (baseline first when asked)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", help="git revision whose geoevents/events is the baseline")
    ap.add_argument("--details", action="store_true", help="print every gold event and its best match")
    ap.add_argument(
        "--split", help="with --details: only report ids starting with this (r = dev, h = holdout)"
    )
    args = ap.parse_args()

    from geoevents.events import extract_events, merge_events
    from geoevents.gazetteer import SQLiteGazetteer

    reports = load_reports()
    with SQLiteGazetteer.open() as gaz:
        prepared = articles_and_toponyms(reports, gaz)
    systems: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            base = baseline_module(args.baseline, Path(tmp))
            systems.append(
                (
                    f"baseline {args.baseline}",
                    evaluate(reports, base.extract_events, base.merge_events, prepared),
                )
            )
        systems.append(("current", evaluate(reports, extract_events, merge_events, prepared)))
    print(f"{len(reports)} reports, {systems[-1][1]['n_gold']} gold events ({DATA.relative_to(ROOT)})")
    print(f"{'system':<22} {'split':<8} {'gold':>5} {'pred':>5} " + " ".join(f"{c:>9}" for c in COLUMNS))
    for name, res in systems:
        for split in ("dev", "holdout", "all"):
            part = [r for r in reports if split == "all" or r.get("split", "dev") == split]
            ids = {r["id"] for r in part}
            sub = (
                score(part, {k: v for k, v in res["by_report"].items() if k in ids})
                if split != "all"
                else res
            )
            print(
                f"{name:<22} {split:<8} {sub['n_gold']:>5} {sub['n_pred']:>5} "
                + " ".join(f"{sub[c]:>9.3f}" for c in COLUMNS)
            )
    if args.details:
        for rid, g, e, ok in systems[-1][1]["rows"]:
            if args.split and not rid.startswith(args.split):
                continue
            bad = [k for k, v in ok.items() if not v]
            got = (
                f"{e.event_type}/{e.sub_event_type} {[x.place_name for x in e.locations]} {e.event_date} "
                f"{e.date_precision} k={e.killed} i={e.injured}"
                if e is not None
                else "-"
            )
            want = (
                f"{g['event_type']}/{g['sub_event_type']} {g['place']} {g['date']} {g['date_precision']} "
                f"k={g['killed']} i={g['injured']}"
                if g
                else "(extra)"
            )
            status = "OK " if g and not bad else "BAD"
            print(f"{rid} {status} {','.join(bad):<22} want {want}\n{'':30}got  {got}")


if __name__ == "__main__":
    main()
