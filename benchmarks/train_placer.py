"""Train the learned placer (``geoevents/events/models/placer.json``).

Run: ``python benchmarks/train_placer.py [--out PATH] [--dry-run]``.

Data (see ``benchmarks/placing_accuracy.py`` for how candidates and labels are built):
Halterman (2019) event-location records (label: the candidate is one of the verb's gold spans)
and PITF reports (label: the candidate's resolved point lies within 25 km of the coded point).
Only the **train** part of ``benchmarks/splits.py`` is fitted; the L2 strength, the weight of a
PITF report against a Halterman record, the optional feature interactions and the decision
threshold are chosen on **dev** by the sum of Halterman F1 and PITF top-1 <= 25 km share. The
**test** part is never read here.

The model is a logistic regression fitted by Newton's method (numpy only, no scikit-learn), so the
run needs nothing beyond the package's own dependencies. The chosen threshold is folded into the
intercept so that ``score >= 0.5`` is the decision at run time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import placing_accuracy as pa  # noqa: E402

from geoevents.events.placing import LearnedPlacer  # noqa: E402
from geoevents.events.placing_features import FEATURES, featurize  # noqa: E402

OUT = ROOT / "geoevents" / "events" / "models" / "placer.json"
NAMES = [n for n, _d in FEATURES]


def _matrix(
    hal: list[pa.HaltermanCase], pitf: list[pa.PitfCase]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels and source (0 Halterman, 1 PITF) of every candidate."""
    xs: list[tuple[float, ...]] = []
    ys: list[float] = []
    src: list[int] = []
    for c in hal:
        for row, g in zip(featurize(c.text, c.trigger, c.toponyms), c.gold, strict=True):
            xs.append(row.values)
            ys.append(float(g))
            src.append(0)
    for c in pitf:
        for row, t in zip(featurize(c.text, c.trigger, c.toponyms), c.toponyms, strict=True):
            if t.place is None:
                continue  # cannot be within 25 km of anything: no evidence about placing
            ok = t.place is not None and pa.haversine_km(c.lat, c.lon, t.place.lat, t.place.lon) <= pa.KM_NEAR
            xs.append(row.values)
            ys.append(float(ok))
            src.append(1)
    return np.asarray(xs, dtype=float), np.asarray(ys), np.asarray(src)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, iters: int = 30
) -> tuple[np.ndarray, float]:
    """Weighted L2-regularised logistic regression by Newton's method; the intercept is not penalised."""
    n, d = x.shape
    xa = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iters):
        z = xa @ beta
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = xa.T @ (w * (p - y)) + reg * beta
        h = (xa * (w * p * (1 - p))[:, None]).T @ xa + np.diag(reg + 1e-9)
        step = np.linalg.solve(h, g)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta[:-1], float(beta[-1])


def _with_interactions(x: np.ndarray, pairs: list[tuple[int, int]]) -> np.ndarray:
    if not pairs:
        return x
    return np.hstack([x] + [(x[:, a] * x[:, b])[:, None] for a, b in pairs])


def to_model(
    coef: np.ndarray, intercept: float, pairs: list[tuple[int, int]], threshold: float, meta: dict[str, Any]
) -> dict[str, Any]:
    """Build the JSON model; the threshold is folded into the intercept (score >= 0.5 decides)."""
    names = NAMES + [f"{NAMES[a]}*{NAMES[b]}" for a, b in pairs]
    shift = math.log(threshold / (1 - threshold))
    keep = [(n, round(float(c), 5)) for n, c in zip(names, coef, strict=True) if abs(c) > 1e-6]
    return {
        "kind": "logistic",
        "version": 1,
        "features": [n for n, _c in keep],
        "coef": [c for _n, c in keep],
        "intercept": round(intercept - shift, 5),
        "threshold_folded": threshold,
        **meta,
    }


def evaluate(model: dict[str, Any], hal: list[pa.HaltermanCase], pitf: list[pa.PitfCase]) -> dict[str, float]:
    """Halterman F1 and PITF top-1 shares of ``model`` on the given cases."""
    placer = LearnedPlacer(model)
    h = pa.halterman_prf(placer, hal)
    p = pa.pitf_top(placer, pitf)
    return {
        "f1": h["f1"],
        "p": h["precision"],
        "r": h["recall"],
        "pitf25": p["top_le_25km"],
        "pitf161": p["top_le_161km"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--dry-run", action="store_true", help="choose settings and print dev figures only")
    args = ap.parse_args(argv)

    t0 = time.time()
    cache = pa.open_cache()
    # train on the geoparser's own toponyms (what the pipeline gives the placer); see load_halterman
    hal_tr, pitf_tr = pa.load_halterman(["train"], cache, mode="parse"), pa.load_pitf(["train"], cache)
    hal_dev, pitf_dev = pa.load_halterman(["dev"], cache), pa.load_pitf(["dev"], cache)
    x, y, src = _matrix(hal_tr, pitf_tr)
    print(
        f"train: {len(hal_tr)} Halterman records, {len(pitf_tr)} PITF reports, {len(y)} candidates "
        f"({int(y.sum())} positive); dev: {len(hal_dev)} + {len(pitf_dev)}  [{time.time() - t0:.0f}s]"
    )
    idx = {n: i for i, n in enumerate(NAMES)}
    same = idx["same_sentence"]
    # optional interactions: sentence-local evidence means more in the trigger's sentence
    local = [
        "prep_in",
        "prep_at",
        "prep_on",
        "prep_near",
        "of_site",
        "locative_rule",
        "most_specific_in_sentence",
    ]
    pair_sets = {"none": [], "same_sentence*local": [(same, idx[n]) for n in local]}
    best: tuple[float, dict[str, Any], dict[str, float]] | None = None
    for (pname, pairs), l2, pitf_w in itertools.product(pair_sets.items(), (1.0, 10.0), (1.0, 2.0, 3.0)):
        # one Halterman record weighs 1; a PITF report's candidates share pitf_w
        w = np.ones_like(y)
        w[src == 1] = pitf_w / max(1.0, (src == 1).sum() / max(1, len(pitf_tr)))
        coef, b = fit_logistic(_with_interactions(x, pairs), y, w, l2)
        for thr in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            meta = {"settings": {"interactions": pname, "l2": l2, "pitf_weight": pitf_w}}
            model = to_model(coef, b, pairs, thr, meta)
            dev = evaluate(model, hal_dev, pitf_dev)
            obj = dev["f1"] + dev["pitf25"]
            print(
                f"{pname:22s} l2={l2:<5} pitf_w={pitf_w:<5} thr={thr}: F1 {dev['f1']:.3f} "
                f"(P {dev['p']:.3f} R {dev['r']:.3f})  PITF<=25 {dev['pitf25']:.3f} "
                f"<=161 {dev['pitf161']:.3f}"
            )
            if best is None or obj > best[0]:
                best = (obj, model, dev)
    assert best is not None
    _obj, model, dev = best
    model["trained_on"] = {
        "halterman_train_records": len(hal_tr),
        "pitf_train_reports": len(pitf_tr),
        "split": "benchmarks/splits.py train; settings chosen on dev",
        "dev": {k: round(v, 4) for k, v in dev.items()},
    }
    print("chosen:", json.dumps(model["settings"]), json.dumps(model["trained_on"]["dev"]))
    if args.dry_run:
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
