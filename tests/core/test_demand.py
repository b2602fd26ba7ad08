from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdsf.core import columns as c
from sdsf.core.demand import children_from_births


def test_children_are_births_of_n_minus_2_to_n():
    births = pd.DataFrame(
        {c.CODE: ["A"] * 4, c.YEAR: [2020, 2021, 2022, 2023], c.BIRTHS: [10.0, 11.0, 12.0, 13.0]}
    )
    out = children_from_births(births).set_index(c.YEAR)[c.CHILDREN_UNDER_3]
    assert out.to_dict() == {2022: 33.0, 2023: 36.0}


def test_a_missing_birth_year_gives_no_estimate():
    births = pd.DataFrame(
        {c.CODE: ["A"] * 4, c.YEAR: [2020, 2021, 2022, 2023], c.BIRTHS: [10.0, np.nan, 12.0, 13.0]}
    )
    assert children_from_births(births).empty


@given(st.lists(st.integers(0, 1000), min_size=3, max_size=10))
def test_estimate_is_a_rolling_sum(values):
    births = pd.DataFrame(
        {
            c.CODE: "A",
            c.YEAR: range(2010, 2010 + len(values)),
            c.BIRTHS: np.array(values, dtype=float),
        }
    )
    out = children_from_births(births)
    assert len(out) == len(values) - 2
    assert out[c.CHILDREN_UNDER_3].tolist() == [
        float(sum(values[i - 2 : i + 1])) for i in range(2, len(values))
    ]


def test_projection_follows_the_birth_trend():
    from sdsf.core.demand import project_children

    years = list(range(2019, 2024))
    births = pd.DataFrame(
        {
            c.CODE: ["flat"] * 5 + ["up"] * 5 + ["gap"] * 5,
            c.YEAR: years * 3,
            c.BIRTHS: [100.0] * 5 + [100 * 1.1**i for i in range(5)] + [10, np.nan, 10, 10, 10],
        }
    )
    out = project_children(births, horizon=3).set_index([c.CODE, c.YEAR])
    assert out.loc[("flat", 2024), c.CHILDREN_UNDER_3] == pytest.approx(300)
    assert out.loc[("flat", 2026), "tendance_annuelle"] == pytest.approx(0, abs=1e-9)
    b = [100 * 1.1**i for i in range(8)]  # 2019 .. 2026
    assert out.loc[("up", 2024), c.CHILDREN_UNDER_3] == pytest.approx(b[3] + b[4] + b[5])
    assert out.loc[("up", 2026), c.CHILDREN_UNDER_3] == pytest.approx(b[5] + b[6] + b[7])
    assert out.loc[("up", 2025), "tendance_annuelle"] == pytest.approx(10)
    assert "gap" not in out.index.get_level_values(0)  # a missing year: no projection
