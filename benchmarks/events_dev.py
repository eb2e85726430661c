"""Dev-part error analysis of the event stage on PITF (issue 12, round 2): misses by cause.

``python benchmarks/events_dev.py [--part dev] [--variant NAME ...] [--show CAUSE]``

Runs the real chain (geoparser over the default gazetteer, cached on disk like
``placing_accuracy.py``) -> ``extract_events`` on the PITF reports and the negative news of one
part of ``benchmarks/splits.py`` (dev by default: this is the tuning tool; held-out figures come
from ``events_accuracy.py --heldout --part test``), prints the figures of ``events_accuracy`` for
each variant, and sorts every report whose event is not placed within 25 km with the right type
into one cause:

* ``not detected``: no event at all;
* ``no entry``: no toponym of the text has any gazetteer entry within 25 km of the coded point
  (the gazetteer lacks the place, or the geoparser did not recognise its name);
* ``not recognised``: as ``no entry``, but the coded place name (PITF's ``place``) has an entry
  within 25 km: the geoparser did not find the name in the text;
* ``wrong homonym``: a toponym has an entry within 25 km but the geoparser resolved it elsewhere
  (or left it unresolved);
* ``placer chose wrong``: a toponym resolved within 25 km exists, the event is placed elsewhere
  at a precise place (precision 1-2);
* ``country/region only``: a right toponym exists, the event has only precision-3 places;
* ``unplaced``: a right toponym exists, the event has no location;
* ``wrong type``: placed within 25 km with the wrong type.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.events_accuracy import LABELS, NEG_CORPORA, _km, _load, _near, _type_ok, pitf_scores  # noqa: E402
from benchmarks.splits import split_of  # noqa: E402

CAUSES = (
    "not detected",
    "no entry",
    "not recognised",
    "wrong homonym",
    "placer chose wrong",
    "country/region only",
    "unplaced",
    "wrong type",
)


def variants() -> dict[str, Callable[[Any, list[Any]], list[Any]]]:
    """Return the systems this script can compare (``--variant``)."""
    from geoevents.events import extract_events

    out: dict[str, Callable[[Any, list[Any]], list[Any]]] = {
        "default": extract_events,
        "rules": lambda a, t: extract_events(a, t, extractor="rules"),
    }
    try:
        from geoevents.events.extract import PLACING_MODES
    except ImportError:
        return out
    for mode in PLACING_MODES:
        out[f"placing={mode}"] = lambda a, t, m=mode: extract_events(a, t, placing=m)
    return out


def _gold_name_known(rec: dict[str, Any], gaz: Any) -> bool:
    """Whether a name of the coded place ("Gajigana village, Magumeri LGA") has an entry within 25 km."""
    for part in re.split(r",| and |/|\(|\)", rec.get("place") or ""):
        words = [w for w in part.split() if w[:1].isupper()]
        name = " ".join(words)
        if name and any(
            _km(rec["lat"], rec["lon"], p.lat, p.lon) <= 25 for p in gaz.candidates(name, limit=50)
        ):
            return True
    return False


def cause_of(rec: dict[str, Any], evs: Sequence[Any], tops: Sequence[Any], gaz: Any) -> str | None:
    """Return the cause of a miss (see the module docstring), or None when the report is a hit."""
    lat, lon = rec["lat"], rec["lon"]
    if any(_type_ok(rec["event_type"], e.event_type) and _near(e, lat, lon, 25) for e in evs):
        return None
    if not evs:
        return "not detected"
    if any(_near(e, lat, lon, 25) for e in evs):
        return "wrong type"
    right = [t for t in tops if t.place is not None and _km(lat, lon, t.place.lat, t.place.lon) <= 25]
    if not right:
        for t in tops:
            if any(_km(lat, lon, p.lat, p.lon) <= 25 for p in gaz.candidates(t.name, limit=50)):
                return "wrong homonym"
        if _gold_name_known(rec, gaz):
            return "not recognised"
        return "no entry"
    locs = [loc for e in evs for loc in e.locations]
    if not locs:
        return "unplaced"
    if all(loc.geo_precision == 3 for loc in locs):
        return "country/region only"
    return "placer chose wrong"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", default="dev", choices=("train", "dev", "test"))
    ap.add_argument("--variant", action="append", help="system(s) to score (default: default)")
    ap.add_argument("--show", help="print the reports of this cause for the first variant")
    ap.add_argument("--set", action="append", default=[], help="NAME=VALUE: a constant of events.extract")
    ap.add_argument("--baseline", help="git revision whose geoevents/events is scored first (same run)")
    ap.add_argument("--no-neg", action="store_true", help="skip the negative news")
    args = ap.parse_args(argv)
    import geoevents.events.extract as ex
    from benchmarks.placing_accuracy import open_cache
    from geoevents.records import Article

    for item in args.set:
        k, v = item.split("=", 1)
        setattr(ex, k, type(getattr(ex, k))(v))
    cache = open_cache()
    gaz = cache.parser.gazetteer if hasattr(cache.parser, "gazetteer") else None
    if gaz is None:
        from geoevents.gazetteer import SQLiteGazetteer

        gaz = SQLiteGazetteer.open()
    pitf = [r for r in _load("pitf-dev.jsonl") if split_of(r["id"]) == args.part]
    skip = set(json.loads(LABELS.read_text(encoding="utf-8"))["reports_attack"])
    negs = [
        r
        for name in NEG_CORPORA
        for r in _load(f"{name}.jsonl")
        if split_of(r["id"]) == args.part and r["id"] not in skip and not args.no_neg
    ]
    arts = [(r, Article(id=r["id"], text=r["text"]), cache.get(r["text"])) for r in pitf]
    neg_arts = [(Article(id=r["id"], text=r["text"]), cache.get(r["text"])) for r in negs]
    from geoevents.events._text import split_sentences

    lead_arts = []  # the first two sentences of each negative document (snippet-like)
    for r in negs:
        sents = split_sentences(r["text"])
        lead = r["text"][: sents[1].end] if len(sents) > 1 else r["text"]
        lead_arts.append((Article(id=r["id"], text=lead), cache.get(lead)))
    systems = variants()
    names = args.variant or ["default"]
    if args.baseline:
        import tempfile

        from benchmarks.events_accuracy import baseline_module

        base = baseline_module(args.baseline, Path(tempfile.mkdtemp()))
        systems[args.baseline] = base.extract_events
        names = [args.baseline, *names]
    cols = ("detected", "loc25_type", "loc161", "type", "sub", "killed", "events_per_report")
    print(f"part={args.part}: PITF {len(pitf)} reports, negatives {len(negs)} documents")
    print(f"{'system':<24} " + " ".join(f"{c[:9]:>9}" for c in cols) + f" {'negFP':>6} {'leadFP':>6}  causes")
    for k, name in enumerate(names):
        fn = systems[name]
        ev = {a.id: fn(a, t) for _r, a, t in arts}
        res = pitf_scores(pitf, ev)
        fp = sum(bool(fn(a, t)) for a, t in neg_arts) / max(1, len(neg_arts))
        fp_lead = sum(bool(fn(a, t)) for a, t in lead_arts) / max(1, len(lead_arts))
        causes: Counter[str] = Counter()
        shown: list[str] = []
        for r, a, t in arts:
            c = cause_of(r, ev[a.id], t, gaz)
            if c is not None:
                causes[c] += 1
                if k == 0 and c == args.show:
                    got = [
                        (e.event_type, [(x.place_name, x.geo_precision) for x in e.locations])
                        for e in ev[a.id]
                    ]
                    shown.append(f"{a.id} gold={r['place']!r} {r['event_type']}/{r['sub_type']}: {got}")
        print(
            f"{name:<24} "
            + " ".join(f"{res[c]:>9.3f}" for c in cols)
            + f" {fp:>6.3f} {fp_lead:>6.3f}  "
            + ", ".join(f"{c}: {causes[c]}" for c in CAUSES if causes[c])
        )
        for line in shown:
            print("   ", line[:400])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
