"""Inequality figures against hand-computed cases and the pairwise definitions."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sdsf.core.inequality import (
    inequality,
    weighted_gini,
    weighted_quantile,
    weighted_theil,
)


def pairwise_gini(x, w):
    """Gini = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mean)."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    total = w.sum()
    mean = (w * x).sum() / total
    return (np.outer(w, w) * np.abs(x[:, None] - x[None, :])).sum() / (2 * total**2 * mean)


def test_equal_rates_are_perfectly_equal():
    assert abs(weighted_gini([40.0, 40.0, 40.0], [10, 200, 3])) < 1e-15
    assert abs(weighted_theil([40.0, 40.0, 40.0], [10, 200, 3])) < 1e-15


def test_two_territories_by_hand():
    # Rates 0 and 1, same weight: mean difference 0.5, mean 0.5 -> Gini 0.5.
    assert math.isclose(weighted_gini([0.0, 1.0], [1, 1]), 0.5)
    # Rates 1 and 3, same weight: mean 2; T = 0.5 (0.5 ln 0.5 + 1.5 ln 1.5) = 0.130812...
    assert math.isclose(
        weighted_theil([1.0, 3.0], [1, 1]), 0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5))
    )
    # A zero rate contributes 0 to Theil (0 ln 0 = 0): rates 0, 2 -> 0.5 * 2 ln 2.
    assert math.isclose(weighted_theil([0.0, 2.0], [1, 1]), math.log(2))


def test_weights_count_as_repeated_territories():
    # A territory of weight 2 is two territories of weight 1.
    assert math.isclose(
        weighted_gini([10.0, 50.0], [2, 1]), weighted_gini([10.0, 10.0, 50.0], [1, 1, 1])
    )
    assert math.isclose(
        weighted_theil([10.0, 50.0], [2, 1]), weighted_theil([10.0, 10.0, 50.0], [1, 1, 1])
    )


def test_unknown_rates_and_empty_territories_are_left_out():
    result = inequality(np.array([30.0, np.nan, 60.0, 80.0]), np.array([100, 50, 100, 0]), 30.5)
    assert result.territories == 2 and result.left_out == 2
    assert result.children == 200
    assert math.isclose(result.mean, 45.0)
    assert math.isclose(result.share_below, 50.0)  # 100 of 200 children under 30.5


def test_deciles_use_the_inverted_cdf():
    rates = np.arange(1.0, 11.0)  # 1..10, one child each
    assert weighted_quantile(rates, np.ones(10), 0.1) == 1.0
    assert weighted_quantile(rates, np.ones(10), 0.9) == 9.0
    result = inequality(rates, np.ones(10), 5.0)
    assert result.interdecile == 9.0
    # Heavy weight on one territory moves the deciles onto it.
    assert weighted_quantile(np.array([5.0, 50.0]), np.array([95.0, 5.0]), 0.9) == 5.0


def test_unknown_threshold_gives_unknown_share():
    assert math.isnan(
        inequality(np.array([10.0, 20.0]), np.array([1, 1]), float("nan")).share_below
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        # rates as published, to 0.1 (no subnormal floats: they underflow in the definition)
        st.tuples(st.integers(0, 2000).map(lambda v: v / 10), st.integers(1, 5000)),
        min_size=2,
        max_size=30,
    )
)
def test_gini_equals_the_pairwise_definition(pairs):
    x = [p[0] for p in pairs]
    w = [p[1] for p in pairs]
    if sum(a * b for a, b in zip(x, w, strict=True)) == 0:
        return
    assert math.isclose(weighted_gini(x, w), pairwise_gini(x, w), rel_tol=1e-9, abs_tol=1e-12)
