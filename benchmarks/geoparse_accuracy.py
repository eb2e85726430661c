"""Geoparsing accuracy on the public gold corpora, with baselines measured in the same run.

For every corpus (LGL, GeoWebNews, GeoVirus, WikToR, TUD-Loc-2013, GeoCorpora) this scores:

* geoevents, gold spans (resolution only) and end to end (finding + resolving);
* a population-only resolver on the gold spans (the floor any context model must beat);
* ``geotext`` end to end (what a Python user picks today): its city/country names resolved with
  the same population-only rule against the same gazetteer;
* the held-out part: the documents ``benchmarks/splits.py`` puts in "test" (a hash of the
  id), never used to train the learned ranker (``benchmarks/train_ranker.py``, which trains on
  "train" and reports on "dev"), with both rankers and the population baseline side by side.

Usage::

    python benchmarks/geoparse_accuracy.py [--data DIR] [--limit N] [--corpora lgl,geowebnews]
                                           [--gazetteer PATH] [--out benchmarks/geoparse_accuracy.md]

The corpora are dev-time data (``/work/shared/eval-data`` by default); nothing in the product
reads them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import platform
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from geoevents.evaluate import EvalResult, GoldDoc, format_table, iter_corpus, score_documents
from geoevents.geoparse import Geoparser
from geoevents.records import Place, Toponym

CORPORA = ["lgl", "geowebnews", "geovirus", "wiktor", "tud-loc-2013", "geocorpora"]
DEFAULT_DATA = Path("/work/shared/eval-data")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import splits  # noqa: E402  (benchmarks/splits.py: the one train/dev/test split)


class PopulationOnly:
    """Resolve a span to the most populous gazetteer entry of that name (no context at all)."""

    def __init__(self, gazetteer) -> None:
        from geoevents.gazetteer.normalize import normalize_name

        self.gaz = gazetteer
        self.norm = normalize_name

    def best(self, names: Sequence[str]) -> list[Place | None]:
        """Return the most populous entry of each name (None where there is none)."""
        keys = [self.norm(n) for n in names]
        hits = self.gaz.lookup_keys([k for k in set(keys) if k])
        out: list[Place | None] = []
        for n, k in zip(names, keys, strict=True):
            cands = hits.get(k) or []
            if not cands and k:
                cands = self.gaz.candidates(n, limit=20)
            out.append(max(cands, key=lambda p: p.population or 0) if cands else None)
        return out

    def resolve(self, doc: GoldDoc) -> list[Toponym]:
        """Resolve the document's gold spans."""
        names = [doc.text[t.start : t.end] for t in doc.toponyms]
        return [
            Toponym(t.start, t.end, n, place=p, score=1.0 if p else 0.0)
            for t, n, p in zip(doc.toponyms, names, self.best(names), strict=True)
        ]


class GeotextBaseline:
    """geotext's city and country names, resolved by population against the same gazetteer."""

    def __init__(self, gazetteer) -> None:
        import re

        from geotext import GeoText

        self.GeoText = GeoText
        self.pop = PopulationOnly(gazetteer)
        self.re = re

    def parse(self, doc: GoldDoc) -> list[Toponym]:
        """Find geotext's names in the document and resolve them."""
        gt = self.GeoText(doc.text)
        names = list(dict.fromkeys(gt.cities + gt.countries))
        spans: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for name in sorted(names, key=len, reverse=True):
            for m in self.re.finditer(r"(?<!\w)" + self.re.escape(name) + r"(?!\w)", doc.text):
                if not any(m.start() < e and s < m.end() for s, e in taken):
                    spans.append((m.start(), m.end(), name))
                    taken.append((m.start(), m.end()))
        places = self.pop.best([n for _, _, n in spans])
        return sorted(
            (
                Toponym(s, e, doc.text[s:e], place=p, score=1.0 if p else 0.0)
                for (s, e, _), p in zip(spans, places, strict=True)
            ),
            key=lambda t: t.start,
        )


def run_heldout(data: Path, corpora: Sequence[str], gazetteer, limit: int | None) -> list[EvalResult]:
    """Both rankers and the population baseline on the test part, gold spans and end to end."""
    parsers = {rk: Geoparser(gazetteer, ranker=rk) for rk in ("rules", "learned")}
    pop = PopulationOnly(gazetteer)
    results: list[EvalResult] = []
    for corpus in corpora:
        path = data / f"{corpus}.jsonl"
        if not path.is_file():
            continue
        docs = [d for d in iter_corpus(path, limit=limit) if splits.split_of(d.id) == "test"]
        name = f"{corpus} test part"
        results.append(
            score_documents(docs, pop.resolve, corpus=name, gold_spans=True, system="population only")
        )
        for rk, p in parsers.items():
            p.warm_up()
            results.append(
                score_documents(
                    docs,
                    lambda d, p=p: p.resolve(d.text, [(t.start, t.end) for t in d.toponyms]),
                    corpus=name,
                    gold_spans=True,
                    system=f"geoevents ({rk})",
                )
            )
        for rk, p in parsers.items():
            results.append(
                score_documents(
                    docs,
                    lambda d, p=p: p.parse(d.text, title=d.title),
                    corpus=name,
                    gold_spans=False,
                    system=f"geoevents ({rk})",
                )
            )
        print(format_table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    return results


def run(data: Path, corpora: Sequence[str], gazetteer, limit: int | None) -> list[EvalResult]:
    parser = Geoparser(gazetteer)
    parser.warm_up()
    pop = PopulationOnly(gazetteer)
    try:
        geotext: GeotextBaseline | None = GeotextBaseline(gazetteer)
    except ImportError:
        geotext = None
        print("geotext not installed: its baseline row is skipped (pip install geotext)", file=sys.stderr)
    results: list[EvalResult] = []
    for corpus in corpora:
        path = data / f"{corpus}.jsonl"
        if not path.is_file():
            print(f"skip {corpus}: no {path}", file=sys.stderr)
            continue
        docs = list(iter_corpus(path, limit=limit))
        subsets = [(corpus, docs)]
        if corpus == "geowebnews":  # Gritta's geocoding set: toponyms with a GeoNames id
            subsets.append(
                (
                    "geowebnews (geonameid)",
                    [
                        dataclasses.replace(
                            d, toponyms=tuple(t for t in d.toponyms if t.geonameid is not None)
                        )
                        for d in docs
                    ],
                )
            )
        for name, dset in subsets:
            results.append(
                score_documents(
                    dset,
                    lambda d: parser.resolve(d.text, [(t.start, t.end) for t in d.toponyms]),
                    corpus=name,
                    gold_spans=True,
                )
            )
            results.append(
                score_documents(dset, pop.resolve, corpus=name, gold_spans=True, system="population only")
            )
        results.append(
            score_documents(
                docs, lambda d: parser.parse(d.text, title=d.title), corpus=corpus, gold_spans=False
            )
        )
        if geotext is not None:
            results.append(
                score_documents(
                    docs, geotext.parse, corpus=corpus, gold_spans=False, system="geotext + population"
                )
            )
        print(format_table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    return results


_GENERIC = re.compile(
    r"\b(?:town|village|community|district|city|province|state|region|area|lga|county|camp|"
    r"neighbou?rhood|governorate|municipality|near|outskirts of|the)\b",
    re.IGNORECASE,
)


def event_places(path: Path, gazetteer, part: str | None = None) -> str:
    """Real event places given as spans (PITF): share resolved within 25 km, and unresolved.

    The span is the first comma-separated part of the record's ``place`` that, without generic
    words ("Wase town" -> "Wase"), occurs in the text (case-insensitive); records where none
    occurs are counted apart.
    """
    from geoevents.geo import haversine_km

    parser = Geoparser(gazetteer)
    n = ok = unresolved = no_span = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("lat") is None or (part and splits.split_of(r["id"]) != part):
                continue
            span = None
            for comp in (r.get("place") or "").split(","):
                name = " ".join(_GENERIC.sub(" ", comp).split())
                if len(name) < 3:
                    continue
                m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", r["text"], re.IGNORECASE)
                if m:
                    span = (m.start(), m.end())
                    break
            if span is None:
                no_span += 1
                continue
            n += 1
            t = parser.resolve(r["text"], [span])[0]
            if t.place is None:
                unresolved += 1
            elif haversine_km(t.place.lat, t.place.lon, r["lat"], r["lon"]) <= 25:
                ok += 1
    return (
        f"event places ({path.name}, part={part or 'all'}): {n} spans, within 25 km "
        f"{ok / max(1, n):.3f}, unresolved {unresolved / max(1, n):.3f} ({no_span} records without a span)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--corpora", default=",".join(CORPORA))
    ap.add_argument("--limit", type=int, default=None, help="first N documents per corpus")
    ap.add_argument("--gazetteer", default=None, help="gazetteer index (default: the user cache)")
    ap.add_argument("--out", type=Path, default=None, help="also write the markdown table here")
    ap.add_argument("--no-heldout", action="store_true", help="skip the rules-vs-learned held-out table")
    ap.add_argument("--event-places", action="store_true", help="only the PITF event-place figure")
    ap.add_argument(
        "--part", choices=["train", "dev", "test"], default=None, help="--event-places on one part"
    )
    ap.add_argument("--heldout-only", action="store_true", help="only the test-part table")
    args = ap.parse_args(argv)
    from geoevents.gazetteer import SQLiteGazetteer

    gaz = SQLiteGazetteer.open(args.gazetteer)
    corpora = [c for c in args.corpora.split(",") if c]
    if args.event_places:
        print(event_places(args.data / "pitf-dev.jsonl", gaz, args.part))
        return
    if args.heldout_only:
        print(format_table(run_heldout(args.data, corpora, gaz, args.limit)))
        return
    results = run(args.data, corpora, gaz, args.limit)
    table = format_table(results)
    if not args.no_heldout:
        held = run_heldout(args.data, corpora, gaz, args.limit)
        if held:
            table += (
                "\n\n## Held-out: the test part (benchmarks/splits.py), both rankers\n\n"
                "Documents whose id hashes to the test part (never used to train the ranker, "
                "which trains on the train part and is chosen on dev); the default parser uses "
                f"`ranker={Geoparser.DEFAULT_RANKER!r}`.\n\n" + format_table(held)
            )
    head = (
        f"# Geoparsing accuracy\n\n{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on "
        f"{platform.node()} ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}, one core; limit={args.limit}.\n"
        "Acc@161: share within 161 km (unresolved = 20,039 km); AUC: area under the log-error "
        "curve (lower is better); exact id: same GeoNames id where the gold has one; P/R/F1: "
        "span-overlap tagging (end to end only; demonyms that match no gold span are not "
        "counted as false positives).\n\n"
    )
    print(table)
    if args.out:
        tmp = args.out.with_suffix(".tmp")
        tmp.write_text(head + table + "\n", encoding="utf-8")
        tmp.replace(args.out)


if __name__ == "__main__":
    main()
