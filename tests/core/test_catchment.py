"""Floating catchments: hand-checked tiny cases and equality with pysal/access."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sdsf.core.catchment import (
    floating_ratio,
    gaussian_weight,
    pairs_from_costs,
    pairs_within,
    step_weight,
    two_step,
)


def test_two_step_by_hand():
    # Two villages 4 km apart, a crèche of 10 places in the first, radius 5 km:
    # both villages reach it; 30 + 10 children share 10 places -> 0.25 place per child each.
    demand_xy = np.array([[0.0, 0.0], [4000.0, 0.0]])
    supply_xy = np.array([[0.0, 0.0]])
    pairs = pairs_within(demand_xy, supply_xy, 5000)
    result = two_step(np.array([30.0, 10.0]), np.array([10.0]), pairs)
    np.testing.assert_allclose(result, [0.25, 0.25])
    # With a 3 km radius only the first village reaches it: 10 / 30; the second gets 0.
    result = two_step(
        np.array([30.0, 10.0]), np.array([10.0]), pairs_within(demand_xy, supply_xy, 3000)
    )
    np.testing.assert_allclose(result, [1 / 3, 0])


def test_floating_ratio_by_hand():
    demand_xy = np.array([[0.0, 0.0], [4000.0, 0.0], [20000.0, 0.0]])
    supply_xy = np.array([[0.0, 0.0]])
    demand = np.array([30.0, 10.0, 5.0])
    to_supply = pairs_within(demand_xy, supply_xy, 5000)
    to_demand = pairs_within(demand_xy, demand_xy, 5000)
    result = floating_ratio(demand, np.array([10.0]), to_supply, to_demand)
    np.testing.assert_allclose(result, [10 / 40, 10 / 40, 0])


def test_weights():
    step = step_weight({10: 1, 20: 0.68, 30: 0.22})
    np.testing.assert_allclose(
        step(np.array([0, 10, 15, 20, 25, 30, 31.0])), [1, 1, 0.68, 0.68, 0.22, 0.22, 0]
    )
    np.testing.assert_allclose(gaussian_weight(20)(np.array([0, 20.0])), [1, np.exp(-0.5)])


def test_user_costs_are_cut_at_the_limit():
    pairs = pairs_from_costs(
        np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([5.0, 25.0, np.nan]), (2, 2), 20
    )
    assert pairs.origin.tolist() == [0] and pairs.cost.tolist() == [5.0]


# --- equality with pysal/access on the same inputs ---------------------------------------

access = pytest.importorskip("access")


def _frames(seed: int, n: int = 300, m: int = 120):
    rng = np.random.default_rng(seed)
    demand_xy = rng.uniform(0, 50_000, (n, 2))
    supply_xy = rng.uniform(0, 50_000, (m, 2))
    demand = rng.integers(1, 400, n).astype(float)
    supply = rng.integers(5, 80, m).astype(float)
    return demand_xy, supply_xy, demand, supply


def _cost_df(pairs, origin_prefix, dest_prefix):
    return pd.DataFrame(
        {
            "origin": [f"{origin_prefix}{i}" for i in pairs.origin],
            "dest": [f"{dest_prefix}{j}" for j in pairs.destination],
            "cost": pairs.cost,
        }
    )


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("radius", [5_000.0, 12_000.0])
@pytest.mark.parametrize("decay", ["none", "bands", "gaussian"])
def test_two_step_equals_access(seed, radius, decay):
    from access import fca, weights

    demand_xy, supply_xy, demand, supply = _frames(seed)
    pairs = pairs_within(demand_xy, supply_xy, radius)
    ours_weight, theirs_weight = {
        "none": (None, None),
        "bands": (
            step_weight({radius / 3: 1, 2 * radius / 3: 0.68, radius: 0.22}),
            weights.step_fn({radius / 3: 1, 2 * radius / 3: 0.68, radius: 0.22}),
        ),
        "gaussian": (gaussian_weight(radius / 2), weights.gaussian(radius / 2)),
    }[decay]
    ours = (
        two_step(demand, supply, pairs, ours_weight)
        if ours_weight
        else two_step(demand, supply, pairs)
    )
    demand_df = pd.DataFrame({"demand": demand}, index=[f"d{i}" for i in range(len(demand))])
    supply_df = pd.DataFrame({"supply": supply}, index=[f"s{j}" for j in range(len(supply))])
    theirs = fca.two_stage_fca(
        demand_df,
        supply_df,
        _cost_df(pairs, "d", "s"),
        max_cost=radius,
        demand_index=True,
        supply_index=True,
        weight_fn=theirs_weight,
    )
    ours_series = pd.Series(ours, index=demand_df.index)
    common = theirs.index
    assert len(common) > 250
    np.testing.assert_allclose(
        ours_series[common].to_numpy(), theirs.to_numpy(), rtol=1e-9, atol=1e-12
    )
    assert (ours_series.drop(common) == 0).all()  # no supply within reach: 0, not unknown


@pytest.mark.parametrize("radius", [5_000.0, 12_000.0])
def test_floating_ratio_equals_access(radius):
    from access import fca

    demand_xy, supply_xy, demand, supply = _frames(3)
    to_supply = pairs_within(demand_xy, supply_xy, radius)
    to_demand = pairs_within(demand_xy, demand_xy, radius)
    ours = pd.Series(
        floating_ratio(demand, supply, to_supply, to_demand),
        index=[f"d{i}" for i in range(len(demand))],
    )
    demand_df = pd.DataFrame({"demand": demand}, index=ours.index)
    supply_df = pd.DataFrame({"supply": supply}, index=[f"s{j}" for j in range(len(supply))])
    theirs = fca.fca_ratio(
        demand_df,
        supply_df,
        _cost_df(to_demand, "d", "d"),
        _cost_df(to_supply, "d", "s"),
        max_cost=radius,
        demand_index=True,
        supply_index=True,
    )
    np.testing.assert_allclose(
        ours[theirs.index].to_numpy(), theirs.to_numpy(), rtol=1e-9, atol=1e-12
    )
