"""Classes of a choropleth map: quantiles of the values, or ratios to a reference value.

Quantile bounds cut the known values into ``k`` classes holding about as many territories
each; equal values never straddle two classes (duplicated bounds are merged). Ratio bounds
(e.g. 50 %, 75 %, 100 %, 125 % of the national value) keep the same meaning from one map to
the next. Unknown values have no class (<NA>), never class 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def quantile_bounds(values: pd.Series, k: int = 5) -> list[float]:
    """Inner bounds (at most ``k - 1``) of ``k`` quantile classes of the known values."""
    known = values.dropna().astype(float)
    if known.empty:
        return []
    ordered = np.sort(known.to_numpy())
    # Each bound is the first value of its class: the value of rank floor(q * n).
    ranks = np.floor(np.linspace(0, 1, k + 1)[1:-1] * len(ordered)).astype(int)
    bounds = np.unique(ordered[np.minimum(ranks, len(ordered) - 1)])
    return [float(b) for b in bounds if b > ordered[0]]


def classes_by_bounds(values: pd.Series, bounds: list[float]) -> pd.Series:
    """Class of each value: 0 below ``bounds[0]``, ..., ``len(bounds)`` at or above the last
    bound; <NA> for unknown values."""
    classes = pd.Series(
        np.searchsorted(np.asarray(bounds, dtype=float), values.astype(float), side="right"),
        index=values.index,
        dtype="Int64",
    )
    return classes.mask(values.isna())
