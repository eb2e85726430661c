"""A small gradient-boosted tree ensemble for binary labels, in numpy (training only).

Newton boosting on the logistic loss with histogram splits (features have few distinct values),
so the placer's training needs no scikit-learn. Trees are exported as parallel lists (``feature``,
``threshold``, ``left``, ``right``, ``value``); ``value`` is kept at every node, not only at
leaves, so run-time reasons can attribute each step along a path to the feature split there.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _bins(x: np.ndarray, max_bins: int = 32) -> list[np.ndarray]:
    """Split thresholds per feature: midpoints between distinct values (quantiles if many)."""
    out = []
    for j in range(x.shape[1]):
        u = np.unique(x[:, j])
        if len(u) > max_bins:
            u = np.unique(np.quantile(x[:, j], np.linspace(0, 1, max_bins)))
        out.append((u[:-1] + u[1:]) / 2 if len(u) > 1 else np.zeros(0))
    return out


def _grow_tree(
    binned: np.ndarray,
    cuts: list[np.ndarray],
    g: np.ndarray,
    h: np.ndarray,
    *,
    depth: int,
    lam: float,
    min_hess: float,
) -> tuple[dict[str, list[Any]], np.ndarray]:
    """One Newton regression tree on gradients ``g`` and hessians ``h``; also each row's leaf."""
    feat: list[int] = []
    thr: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    leaf_of = np.zeros(len(g), dtype=int)

    def grow(rows: np.ndarray, d: int) -> int:
        node = len(feat)
        gs, hs = g[rows].sum(), h[rows].sum()
        feat.append(-1)
        thr.append(0.0)
        left.append(-1)
        right.append(-1)
        value.append(float(-gs / (hs + lam)))
        if d >= depth or hs < 2 * min_hess:
            leaf_of[rows] = node
            return node
        base = gs * gs / (hs + lam)
        best = (0.0, -1, -1)
        for j, c in enumerate(cuts):
            if not len(c):
                continue
            b = binned[rows, j]
            gb = np.bincount(b, weights=g[rows], minlength=len(c) + 1)
            hb = np.bincount(b, weights=h[rows], minlength=len(c) + 1)
            gl, hl = np.cumsum(gb)[:-1], np.cumsum(hb)[:-1]
            gr, hr = gs - gl, hs - hl
            ok = (hl >= min_hess) & (hr >= min_hess)
            if not ok.any():
                continue
            gain = np.where(ok, gl * gl / (hl + lam) + gr * gr / (hr + lam) - base, -np.inf)
            k = int(np.argmax(gain))
            if gain[k] > best[0]:
                best = (float(gain[k]), j, k)
        if best[1] < 0:
            leaf_of[rows] = node
            return node
        _gain, j, k = best
        feat[node], thr[node] = j, float(cuts[j][k])
        go_left = binned[rows, j] <= k
        left[node] = grow(rows[go_left], d + 1)
        right[node] = grow(rows[~go_left], d + 1)
        return node

    grow(np.arange(len(g)), 0)
    return {"feature": feat, "threshold": thr, "left": left, "right": right, "value": value}, leaf_of


def fit_gbt(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    *,
    n_trees: int = 60,
    depth: int = 3,
    lr: float = 0.2,
    lam: float = 1.0,
    min_hess: float = 5.0,
) -> dict[str, Any]:
    """Fit the ensemble; returns ``{"init", "learning_rate", "trees"}`` (plain lists)."""
    cuts = _bins(x)
    binned = np.stack([np.searchsorted(c, x[:, j], side="left") for j, c in enumerate(cuts)], axis=1)
    pos = float((w * y).sum() / w.sum())
    init = float(np.log(pos / (1 - pos)))
    z = np.full(len(y), init)
    trees = []
    for _ in range(n_trees):
        p = 1.0 / (1.0 + np.exp(-z))
        tree, leaf_of = _grow_tree(
            binned, cuts, w * (p - y), w * p * (1 - p), depth=depth, lam=lam, min_hess=min_hess
        )
        z += lr * np.asarray(tree["value"])[leaf_of]
        trees.append(tree)
    return {"init": init, "learning_rate": lr, "trees": trees}
