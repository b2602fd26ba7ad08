"""Map classes: quantiles and ratios to a reference."""

from __future__ import annotations

import pandas as pd

from sdsf.core.classes import classes_by_bounds, quantile_bounds


def test_quantile_classes_hold_about_the_same_number_of_territories():
    values = pd.Series(range(1, 101), dtype=float)
    bounds = quantile_bounds(values, 5)
    assert bounds == [21.0, 41.0, 61.0, 81.0]
    counts = classes_by_bounds(values, bounds).value_counts().sort_index().tolist()
    assert counts == [20, 20, 20, 20, 20]


def test_equal_values_never_straddle_two_classes_and_unknown_has_no_class():
    values = pd.Series([0.0] * 8 + [5.0, 9.0, None])
    bounds = quantile_bounds(values, 5)
    classes = classes_by_bounds(values, bounds)
    assert classes.iloc[:8].nunique() == 1
    assert pd.isna(classes.iloc[-1])
