"""Inequality of coverage between territories, weighted by children.

These figures say whether a schéma reduces territorial inequality: each territory (commune or
EPCI) counts as many times as it has children under 3, so that a rate of 0 in a hamlet of five
children weighs less than a rate of 30 in a town of 3,000.

- Gini index (weighted): half the mean absolute difference between the rates of two children
  drawn at random, divided by the mean rate (0 = equal, 1 = all places in one territory).
  Computed with the sorted-cumulative formula (Lerman & Yitzhaki, 1989).
- Theil index T (weighted): sum of w_i * (x_i / m) * ln(x_i / m), with 0 * ln 0 = 0.
- Share of children living where the rate is under a threshold (e.g. half the national rate).
- Interdecile ratio D9 / D1 of the child-weighted distribution of rates (weighted quantiles
  with the inverted-CDF rule: the smallest rate whose cumulative weight reaches the level).
Territories with an unknown rate or no children are left out and counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Inequality:
    """Inequality figures of one distribution of rates."""

    territories: int  # territories counted (known rate, children > 0)
    left_out: int  # territories with an unknown rate or no children
    children: float
    mean: float  # child-weighted mean rate = sum(places) / sum(children) * 100
    gini: float
    theil: float
    share_below: float  # share (%) of children where the rate is under ``threshold``
    threshold: float
    d1: float
    d9: float
    interdecile: float  # d9 / d1 (nan when d1 is 0)


def _clean(rates: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    rates = np.asarray(rates, dtype=float)
    weights = np.asarray(weights, dtype=float)
    keep = np.isfinite(rates) & np.isfinite(weights) & (weights > 0)
    return rates[keep], weights[keep], int((~keep).sum())


def weighted_gini(rates: FloatArray, weights: FloatArray) -> float:
    """Weighted Gini index of ``rates`` (nan when undefined: no weight or a zero mean)."""
    x, w, _ = _clean(rates, weights)
    if w.sum() == 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total = w.sum()
    mean = float((w * x).sum() / total)
    if mean == 0:
        return float("nan")
    # F_i: cumulative share of weight at the middle of each unit's own weight.
    f = (np.cumsum(w) - w / 2) / total
    return float(2 * (w * x * (f - 0.5)).sum() / (total * mean))


def weighted_theil(rates: FloatArray, weights: FloatArray) -> float:
    """Weighted Theil T index of ``rates`` (0 * ln 0 = 0; nan when the mean is 0)."""
    x, w, _ = _clean(rates, weights)
    if w.sum() == 0:
        return float("nan")
    share = w / w.sum()
    mean = float((share * x).sum())
    if mean == 0:
        return float("nan")
    ratio = x / mean
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(ratio > 0, ratio * np.log(ratio), 0.0)
    return float((share * terms).sum())


def weighted_quantile(rates: FloatArray, weights: FloatArray, level: float) -> float:
    """Smallest rate whose cumulative weight share reaches ``level`` (inverted CDF)."""
    x, w, _ = _clean(rates, weights)
    if w.sum() == 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cumulative = np.cumsum(w) / w.sum()
    index = int(np.searchsorted(cumulative, level - 1e-12, side="left"))
    return float(x[min(index, len(x) - 1)])


def inequality(rates: FloatArray, children: FloatArray, threshold: float) -> Inequality:
    """All inequality figures of ``rates`` weighted by ``children``."""
    x, w, left_out = _clean(rates, children)
    total = float(w.sum())
    mean = float((w * x).sum() / total) if total else float("nan")
    d1 = weighted_quantile(x, w, 0.1)
    d9 = weighted_quantile(x, w, 0.9)
    return Inequality(
        territories=len(x),
        left_out=left_out,
        children=total,
        mean=mean,
        gini=weighted_gini(x, w),
        theil=weighted_theil(x, w),
        share_below=float(w[x < threshold].sum() / total * 100)
        if total and np.isfinite(threshold)
        else float("nan"),
        threshold=threshold,
        d1=d1,
        d9=d9,
        interdecile=d9 / d1 if d1 and np.isfinite(d1) else float("nan"),
    )
