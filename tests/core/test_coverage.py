"""Coverage engine: hand-computed cases and invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sdsf.core import columns as c
from sdsf.core.aggregation import sum_by_group
from sdsf.core.coverage import QUANTITIES, combine_published, group_rates, rates_from_places


def quantities(rows):
    return pd.DataFrame(rows, columns=[c.CODE, c.YEAR, *c.PLACE_VARIABLES, c.CHILDREN_UNDER_3])


def test_rates_hand_computed():
    # 30 PSU + 5 hors PSU + 4 school + 40 childminders + 1 home = 80 places for 200 children.
    table = rates_from_places(quantities([["A", 2023, 30, 5, 4, 40, 1, 200]]))
    row = table.iloc[0]
    assert row[c.rate(c.EAJE_PSU)] == 15.0
    assert row[c.rate(c.EAJE)] == 17.5
    assert row[c.rate(c.INDIVIDUEL)] == 20.5
    assert row[c.RATE_GLOBAL] == 40.0
    assert row[c.PLACES_TOTAL] == 80


def test_rate_is_missing_without_children_and_not_clamped():
    table = rates_from_places(
        quantities(
            [
                ["A", 2023, 30, 5, 4, 40, 1, np.nan],
                ["B", 2023, 0, 0, 0, 0, 0, 0],
                ["C", 2023, 90, 10, 10, 40, 0, 100],
                ["D", 2023, 10, np.nan, 1, 1, 1, 100],
            ]
        )
    )
    assert table[c.RATE_GLOBAL].isna().tolist() == [True, True, False, True]
    assert table.loc[2, c.RATE_GLOBAL] == 150.0  # a commuter town may exceed 100
    # a missing component leaves the other components known
    assert table.loc[3, c.rate(c.EAJE_PSU)] == 10.0
    assert math.isnan(table.loc[3, c.rate(c.EAJE)])


def test_group_rate_is_ratio_of_sums_not_mean_of_rates():
    communes = quantities(
        [
            ["A", 2023, 10, 0, 0, 0, 0, 10],  # 100
            ["B", 2023, 0, 0, 0, 0, 0, 90],  # 0
        ]
    )
    groups = pd.DataFrame({c.CODE: ["A", "B"], c.GROUP: ["G", "G"]})
    summed = sum_by_group(communes, groups, list(QUANTITIES))
    assert rates_from_places(summed)[c.RATE_GLOBAL].iloc[0] == 10.0


def test_group_with_a_missing_member_is_missing():
    communes = quantities([["A", 2023, 10, 0, 0, 0, 0, 10]])
    groups = pd.DataFrame({c.CODE: ["A", "B"], c.GROUP: ["G", "G"]})
    summed = sum_by_group(communes, groups, list(QUANTITIES))
    assert summed[c.CHILDREN_UNDER_3].isna().all()


def test_published_rates_win_and_say_so():
    computed = rates_from_places(quantities([["44", 2023, 30, 5, 4, 40, 1, 200]]))
    published = pd.DataFrame({c.CODE: ["44"], c.YEAR: [2023], c.RATE_GLOBAL: [41.2]})
    table = combine_published(computed, published)
    assert table[c.RATE_GLOBAL].tolist() == [41.2]
    assert table[c.METHOD].tolist() == [c.METHOD_PUBLISHED]
    assert table[c.CHILDREN_UNDER_3].tolist() == [200]


place = st.one_of(st.none(), st.integers(min_value=0, max_value=5000))
commune_rows = st.lists(
    st.tuples(
        place,
        place,
        place,
        place,
        place,
        st.one_of(st.none(), st.integers(0, 20000)),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(commune_rows)
def test_aggregation_equals_recomputation_from_sums(rows):
    data = quantities(
        [[f"C{i}", 2023, *(np.nan if v is None else v for v in r[:6])] for i, r in enumerate(rows)]
    )
    groups = pd.DataFrame({c.CODE: data[c.CODE], c.GROUP: [f"G{r[6]}" for r in rows]})
    result = rates_from_places(sum_by_group(data, groups, list(QUANTITIES))).set_index(c.CODE)
    for group, members in groups.groupby(c.GROUP):
        part = data[data[c.CODE].isin(members[c.CODE])]
        children = part[c.CHILDREN_UNDER_3]
        places = part[list(c.PLACE_VARIABLES)]
        got = result.loc[group, c.RATE_GLOBAL]
        if children.isna().any() or places.isna().any().any() or children.sum() == 0:
            assert math.isnan(got)  # missing stays missing, never 0
        else:
            assert math.isclose(got, places.to_numpy().sum() / children.sum() * 100)


def test_classes_against_the_national_rate():
    from sdsf.core.coverage import classes_against_reference

    rates = pd.Series([10.0, 30.5, 50.0, 60.9, 80.0, np.nan])
    classes = classes_against_reference(rates, 60.9, [0.5, 0.75, 1.0, 1.25])
    # 10 < 30.45 (half) ; 30.5 in [half, 3/4) ; 50 in [3/4, 1) ; 60.9 = national ; 80 >= 1.25 x
    assert classes.tolist()[:5] == [0, 1, 2, 3, 4]
    assert pd.isna(classes.iloc[5])
    assert classes_against_reference(rates, None, [0.5]).isna().all()


def test_group_straddling_the_border_gets_the_departement_part_only():
    # E1 has two communes in the département (A, B) and one outside (X, no data);
    # E2 is known as a whole (Y outside has data); E3 has an unknown commune inside.
    values = quantities(
        [
            ["A", 2023, 10, 0, 2, 20, 0, 100],
            ["B", 2023, 5, 1, 0, 10, 1, 50],
            ["C", 2023, 4, 0, 0, 6, 0, 40],
            ["Y", 2023, 1, 0, 0, 9, 0, 20],
            ["D", 2023, np.nan, 0, 0, 1, 0, 10],
        ]
    )
    members = pd.DataFrame(
        {
            c.CODE: ["A", "B", "X", "C", "Y", "D", "Z"],
            c.GROUP: ["E1", "E1", "E1", "E2", "E2", "E3", "E3"],
        }
    )
    table = group_rates(values, members, inside={"A", "B", "C", "D"}, part_name="Dep")
    rows = table.set_index(c.CODE)
    # E1: (10 + 2 + 20) + (5 + 1 + 10 + 1) = 49 places for 150 children, inside only
    assert math.isclose(rows.loc["E1", c.RATE_GLOBAL], 49 / 150 * 100)
    assert rows.loc["E1", c.METHOD] == c.METHOD_DEPARTEMENT_PART
    assert rows.loc["E1", c.PERIMETER] == "partie Dep : 2 communes sur 3"
    assert rows.loc["E1", c.CHILDREN_UNDER_3] == 150
    # E2 is known as a whole: its whole figure, no perimeter
    assert math.isclose(rows.loc["E2", c.RATE_GLOBAL], 20 / 60 * 100)
    assert rows.loc["E2", c.METHOD] == c.METHOD_AGGREGATED
    assert rows.loc["E2", c.PERIMETER] == ""
    # E3: a commune inside is unknown, so the part is unknown too
    assert math.isnan(rows.loc["E3", c.RATE_GLOBAL])
    assert rows.loc["E3", c.PERIMETER] == ""
    # without a département, no part at all
    assert group_rates(values, members)[c.PERIMETER].eq("").all()


def test_published_rate_wins_over_a_departement_part_as_the_whole_rate():
    values = quantities([["A", 2023, 10, 0, 0, 20, 0, 100]])
    members = pd.DataFrame({c.CODE: ["A", "X"], c.GROUP: ["E1", "E1"]})
    computed = group_rates(values, members, inside={"A"}, part_name="Dep")
    published = pd.DataFrame({c.CODE: ["E1"], c.YEAR: [2023], c.RATE_GLOBAL: [61.2]})
    row = combine_published(computed, published).iloc[0]
    assert row[c.RATE_GLOBAL] == 61.2
    assert row[c.METHOD] == c.METHOD_PUBLISHED
    assert row[c.PERIMETER] == ""
    assert math.isnan(row[c.CHILDREN_UNDER_3])  # the part's children are not the EPCI's
