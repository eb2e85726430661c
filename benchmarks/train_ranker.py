"""Train the learned candidate ranker and write it as JSON to geoevents/geoparse/models/ranker.json.

Dev-time only: reads the gold corpora (``/work/shared/eval-data`` by default), which nothing in
the product reads.

Split: ``benchmarks/splits.py`` (a hash of the document id), the same for every corpus:

* **train** (buckets 0-5) fits the model (WikToR capped at its first ``--wiktor-cap`` train
  documents so that its single genre, Wikipedia biographies of same-named places, does not
  swamp news);
* **dev** (6-7) is where this script reports, and where the default ranker is chosen;
* **test** (8-9) is never read here; ``benchmarks/geoparse_accuracy.py`` reports on it.

Rows: for each gold toponym whose span the parser resolves with at least two candidates, the
rule score's top ``TOP_K`` candidates with the features of ``geoevents.geoparse.ranker``; the
label is 1 when the candidate lies within 161 km of the gold point (or has the gold GeoNames id).
The model (``--model gbt``, the default) is scikit-learn's GradientBoostingClassifier with 100
depth-3 trees, exported node by node to JSON (``--model logistic``: LogisticRegression on
standardised features); only mentions with at least one positive and one negative candidate
carry information and are used. At run time the model re-ranks only mentions where the rule
winner's softmax share is below ``RERANK_BELOW``, and the figures printed here apply that gate.

Usage::

    python benchmarks/train_ranker.py [--data DIR] [--out geoevents/geoparse/models/ranker.json]
                                      [--C 1.0] [--features-cache /tmp/ranker-rows.npz]

It prints the error analysis of the rule-based resolver on the dev part (where the right
candidate sits, or why there is none) and top-1 accuracy of both rankers on train and dev.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from geoevents.evaluate import great_circle_km, iter_corpus
from geoevents.gazetteer import SQLiteGazetteer
from geoevents.geoparse import Geoparser
from geoevents.geoparse.ranker import FEATURES, RERANK_BELOW, TOP_K

sys.path.insert(0, str(Path(__file__).resolve().parent))
import splits

DEFAULT_DATA = Path("/work/shared/eval-data")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "geoevents" / "geoparse" / "models" / "ranker.json"
MAIN = ("lgl", "geowebnews", "geovirus", "wiktor")
ACC_KM = 161.0
_COUNTRY = {"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"}


def _near(c, g) -> bool:
    if g.geonameid and getattr(c, "geonameid", None) == g.geonameid:
        return True
    return great_circle_km(g.lat, g.lon, c.lat, c.lon) <= ACC_KM


def collect(data: Path, wiktor_cap: int) -> dict[str, object]:
    """Feature rows and the per-mention bookkeeping for every gold toponym with coordinates."""
    gaz = SQLiteGazetteer.open()
    parser = Geoparser(gaz, ranker="rules")
    parser.warm_up()
    X: list[list[float]] = []
    y: list[int] = []
    group: list[int] = []
    groups: list[dict[str, object]] = []  # one per gold toponym
    for corpus in (*MAIN, "tud-loc-2013", "geocorpora"):
        path = data / f"{corpus}.jsonl"
        n_train = 0
        t0 = time.perf_counter()
        for i, doc in enumerate(iter_corpus(path)):
            # the part is benchmarks/splits.py's hash of the id; the test part is never read
            sp = splits.split_of(doc.id)
            if sp == "test":
                continue
            if sp == "train" and corpus == "wiktor":
                n_train += 1
                if n_train > wiktor_cap:
                    continue
            golds = [g for g in doc.toponyms if g.lat is not None and g.lon is not None]
            if not golds:
                continue
            feats = parser.candidate_features(doc.text, [(g.start, g.end) for g in golds])
            by_span = {(f.start, f.end): (f.candidates, f.order, f.rows) for f in feats}
            for g in golds:
                info: dict[str, object] = {"corpus": corpus, "split": sp, "doc": i}
                hit = by_span.get((g.start, g.end))
                if hit is None:
                    info.update(kind="no candidates", rule_ok=False, oracle=False, rows=None)
                    groups.append(info)
                    continue
                cands, order, rows = hit
                labels = [int(_near(cands[j], g)) for j in range(len(cands))]
                rb = order[0] if rows else 0
                info["rule_ok"] = bool(labels[rb])
                info["oracle"] = any(labels[j] for j in order)
                info["any"] = any(labels)
                info["kind"] = _kind(cands, rb, labels, order, g)
                if rows:
                    info["rows"] = (len(X), len(X) + len(rows))
                    for j, r in zip(order, rows, strict=True):
                        X.append(r)
                        y.append(labels[j])
                        group.append(len(groups))
                else:
                    info["rows"] = None
                groups.append(info)
        print(f"{corpus}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return {
        "X": np.array(X, dtype=float),
        "y": np.array(y, dtype=int),
        "group": np.array(group, dtype=int),
        "groups": groups,
    }


def _kind(cands, rb: int, labels: list[int], order: list[int], g) -> str:
    """Error category of the rule-based choice for one mention."""
    if labels[rb]:
        return "right"
    if not any(labels):
        c = cands[rb]
        if c.feature_code in _COUNTRY:
            return "country point vs gold point (no candidate within 161 km)"
        return "missing from gazetteer (no candidate within 161 km)"
    c = cands[rb]
    right = next(j for j in range(len(labels)) if labels[j])
    r = cands[right]
    if right not in order:
        return "right candidate outside the top-K"
    if c.country_code != r.country_code:
        return "wrong country"
    if (c.feature_class == "A") != (r.feature_class == "A"):
        return "admin vs city"
    if (c.population or 0) > (r.population or 0):
        return "same country: larger place chosen"
    return "same country: smaller place chosen"


def top1(groups, X, y, split: str, f: np.ndarray | None) -> tuple[float, int]:
    """Top-1 Acc@161 of the rules (``f`` None) or of model scores ``f`` behind the run-time gate."""
    ok = n = 0
    for info in groups:
        if info["split"] != split:
            continue
        n += 1
        rows = info["rows"]
        if rows is None or f is None or X[rows[0], 2] >= RERANK_BELOW:
            ok += bool(info["rule_ok"])
            continue
        a, e = rows[0], min(rows[1], rows[0] + TOP_K)
        ok += int(y[a + int(np.argmax(f[a:e]))])
    return ok / max(1, n), n


def export_gbt(clf, X0: np.ndarray) -> dict:
    """Export a fitted GradientBoostingClassifier as plain JSON lists (see ranker.LearnedRanker)."""
    trees = []
    total = 0.0
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        trees.append(
            {
                "feature": [int(v) for v in t.feature],
                "threshold": [round(float(v), 6) for v in t.threshold],
                "left": [int(v) for v in t.children_left],
                "right": [int(v) for v in t.children_right],
                "value": [round(float(v), 6) for v in t.value[:, 0, 0]],
            }
        )
        total += float(est.predict(X0[:1])[0])
    init = float(clf.decision_function(X0[:1])[0]) - clf.learning_rate * total
    return {"init": round(init, 6), "learning_rate": clf.learning_rate, "trees": trees}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--model", choices=("gbt", "logistic"), default="gbt")
    ap.add_argument("--C", type=float, default=1.0, help="logistic only: inverse regularisation")
    ap.add_argument("--wiktor-cap", type=int, default=1000)
    ap.add_argument(
        "--features-cache",
        type=Path,
        default=None,
        help="reuse (or write) the collected rows here; delete it after changing features",
    )
    args = ap.parse_args(argv)

    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    cache = args.features_cache
    if cache is not None and cache.exists():
        z = np.load(cache, allow_pickle=False)
        d = {"X": z["X"], "y": z["y"], "group": z["group"], "groups": json.loads(str(z["groups"]))}
    else:
        d = collect(args.data, args.wiktor_cap)
        if cache is not None:
            np.savez(cache, X=d["X"], y=d["y"], group=d["group"], groups=json.dumps(d["groups"]))
    X, y, group, groups = d["X"], d["y"], d["group"], d["groups"]
    if X.shape[1] != len(FEATURES):
        raise SystemExit(f"{cache} holds {X.shape[1]} features, expected {len(FEATURES)}: delete it")

    # error analysis of the rule-based ranking on the dev part
    for corpus in MAIN:
        kinds = Counter(g["kind"] for g in groups if g["split"] == "dev" and g["corpus"] == corpus)
        n = sum(kinds.values())
        print(f"\n{corpus} dev ({n} toponyms), rule-based:")
        for k, v in kinds.most_common():
            print(f"  {v / n:6.3f}  {v:5d}  {k}")

    # informative mentions only: at least one right and one wrong candidate
    informative = set()
    for gi, info in enumerate(groups):
        if info["split"] == "train" and info["rows"] is not None:
            a, e = info["rows"]
            e = min(e, a + TOP_K)
            if 0 < y[a:e].sum() < e - a:
                informative.add(gi)
    rank = np.zeros(len(group), dtype=int)  # position of each row within its mention
    for info in groups:
        if info["rows"] is not None:
            a, e = info["rows"]
            rank[a:e] = np.arange(e - a)
    mask = np.array([g in informative for g in group]) & (rank < TOP_K)
    scaler = StandardScaler().fit(X[mask])
    if args.model == "logistic":
        clf = LogisticRegression(C=args.C, max_iter=2000).fit(scaler.transform(X[mask]), y[mask])
        coef = clf.coef_[0]
        f = scaler.transform(X) @ coef + clf.intercept_[0]
        body = {
            "kind": "logistic",
            "mean": [round(float(v), 6) for v in scaler.mean_],
            "scale": [round(float(v), 6) for v in scaler.scale_],
            "coef": [round(float(v), 6) for v in coef],
            "intercept": round(float(clf.intercept_[0]), 6),
            "C": args.C,
        }
    else:
        clf = GradientBoostingClassifier(
            n_estimators=100, max_depth=3, learning_rate=0.1, subsample=0.8, random_state=0
        ).fit(X[mask], y[mask])
        f = clf.decision_function(X)
        body = {"kind": "gbt", **export_gbt(clf, X)}
        coef = clf.feature_importances_

    print("\ntop-1 Acc@161 on gold toponyms with coordinates (rules -> learned):")
    results = {}
    for split in ("train", "dev"):
        for corpus in (*MAIN, "tud-loc-2013", "geocorpora"):
            sub = [g for g in groups if g["corpus"] == corpus]
            if not any(g["split"] == split for g in sub):
                continue
            r, n = top1(sub, X, y, split, None)
            lrn, _ = top1(sub, X, y, split, f)
            results[f"{corpus}/{split}"] = {"n": n, "rules": round(r, 4), "learned": round(lrn, 4)}
            print(f"  {split:8s} {corpus:14s} n={n:6d}  {r:.3f} -> {lrn:.3f}")
    print("\nweights (standardised) or feature importances:")
    for f, c in sorted(zip(FEATURES, coef, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {c:+.3f}  {f}")

    model = {
        "features": list(FEATURES),
        **body,
        "top_k": TOP_K,
        "rerank_below": RERANK_BELOW,
        "trained": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "training_split": (
            "benchmarks/splits.py part 'train' of every corpus "
            f"(wiktor: its first {args.wiktor_cap} train documents)"
        ),
        "heldout_split": "benchmarks/splits.py part 'dev' (choice); 'test' never read here",
        "n_rows": int(mask.sum()),
        "n_mentions": len(informative),
        "top1_acc161": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
