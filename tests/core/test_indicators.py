"""The indicator engine: sums, partial sums, ratios of sums, evolutions, QPV containment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.core.indicators import INDICATOR, compute_indicators, derive, latest, sum_contained


@dataclass(frozen=True)
class Spec:
    id: str
    kind: str
    variables: tuple[str, ...]
    scale: float = 1.0
    partial: bool = False
    years: int = 0
    mixed_vintages: bool = False


MEMBERS = pd.DataFrame({c.CODE: ["a", "b", "c"], c.GROUP: ["G", "G", "H"]})


def values(rows):
    return pd.DataFrame(rows, columns=[c.CODE, c.YEAR, "x", "y"])


def result(table, code, indicator, year=2023):
    rows = table[
        (table[c.CODE] == code) & (table[INDICATOR] == indicator) & (table[c.YEAR] == year)
    ]
    return None if rows.empty else float(rows[c.VALUE].iloc[0])


def test_ratio_is_sum_over_sum_never_a_mean_of_ratios():
    data = values([("a", 2023, 1.0, 10.0), ("b", 2023, 9.0, 30.0), ("c", 2023, 5.0, 5.0)])
    table = compute_indicators(data, MEMBERS, [Spec("r", "ratio", ("x", "y"), 100)])
    assert result(table, "G", "r") == pytest.approx(25.0)  # 10 / 40, not mean(10 %, 30 %)
    assert result(table, "H", "r") == pytest.approx(100.0)


def test_strict_sum_is_unknown_when_a_member_is_missing_partial_is_not():
    data = values([("a", 2023, 1.0, np.nan), ("b", 2023, 2.0, 4.0), ("c", 2023, 5.0, 5.0)])
    table = compute_indicators(
        data, MEMBERS, [Spec("s", "somme", ("y",)), Spec("p", "somme", ("y",), partial=True)]
    )
    assert result(table, "G", "s") is None  # never a silent understatement
    assert result(table, "G", "p") == 4.0
    assert result(table, "H", "s") == 5.0


def test_zero_denominator_gives_no_ratio():
    data = values([("c", 2023, 0.0, 0.0)])
    table = compute_indicators(data, MEMBERS, [Spec("r", "ratio", ("x", "y"))])
    assert result(table, "H", "r") is None


def test_evolution_between_years():
    data = values([("c", 2020, 0.0, 80.0), ("c", 2023, 0.0, 100.0)])
    table = compute_indicators(data, MEMBERS, [Spec("e", "evolution", ("y",), years=3)])
    assert result(table, "H", "e") == pytest.approx(25.0)
    assert result(table, "H", "e", 2020) is None  # no 2017 to compare with


def test_missing_variables_give_no_indicator():
    data = values([("a", 2023, 1.0, 2.0)])
    table = compute_indicators(data, MEMBERS, [Spec("z", "somme", ("absent",))])
    assert table.empty


def test_latest_value_at_most_a_year():
    table = pd.DataFrame(
        {
            c.CODE: ["G"] * 3,
            c.YEAR: [2021, 2022, 2023],
            INDICATOR: ["i"] * 3,
            c.VALUE: [1.0, 2.0, 3.0],
        }
    )
    assert latest(table)[c.VALUE].tolist() == [3.0]
    assert latest(table, 2022)[c.VALUE].tolist() == [2.0]


def test_items_count_only_in_groups_that_contain_all_their_communes():
    items = pd.DataFrame({c.CODE: ["Q1", "Q2"], c.YEAR: [2022, 2022], "pop": [1000.0, 500.0]})
    links = pd.DataFrame({c.CODE: ["Q1", "Q2", "Q2"], "commune": ["a", "b", "c"]})
    by_commune = pd.DataFrame({c.CODE: ["a", "b", "c"], c.GROUP: ["a", "b", "c"]})
    out = sum_contained(items, links, by_commune, ["pop"]).set_index(c.CODE)["pop"]
    assert out["a"] == 1000.0
    assert np.isnan(out["b"]) and np.isnan(out["c"])  # Q2 straddles b and c: split unknown
    by_epci = pd.DataFrame({c.CODE: ["a", "b", "c"], c.GROUP: ["E", "E", "E"]})
    assert sum_contained(items, links, by_epci, ["pop"]).set_index(c.CODE)["pop"]["E"] == 1500.0


def test_derived_variables():
    data = pd.DataFrame(
        {
            c.CODE: ["a", "b"],
            c.YEAR: [2023, 2023],
            c.places(c.EAJE_PSU): [0.0, 20.0],
            c.places(c.EAJE_HORS_PSU): [0.0, 10.0],
            c.POPULATION: [200.0, 9000.0],
            "superficie_km2": [10.0, 3.0],
        }
    )
    out = derive(data, 300).set_index(c.CODE)
    assert out.loc["a", "commune_sans_place_collective"] == 1.0
    assert out.loc["b", "commune_sans_place_collective"] == 0.0
    assert out.loc["b", "places_eaje"] == 30.0
    assert out.loc["a", "population_commune_peu_dense"] == 200.0  # 20 hab/km²
    assert out.loc["b", "population_commune_peu_dense"] == 0.0  # 3,000 hab/km²


def test_mixed_vintages_use_the_latest_numerator():
    data = pd.DataFrame(
        {c.CODE: ["c", "c"], c.YEAR: [2022, 2023], "x": [50.0, np.nan], "y": [np.nan, 200.0]}
    )
    table = compute_indicators(
        data, MEMBERS, [Spec("m", "ratio", ("x", "y"), 100, mixed_vintages=True)]
    )
    assert result(table, "H", "m") == pytest.approx(25.0)  # 2022 numerator, 2023 denominator
    strict = compute_indicators(data, MEMBERS, [Spec("s", "ratio", ("x", "y"), 100)])
    assert strict.empty


def test_a_sum_with_a_secret_part_is_unknown_never_zero():
    """QPV under-3 children where one QPV is secret (Guyane, Remire-Montjoly): unknown."""
    items = pd.DataFrame({c.CODE: ["Q1", "Q2"], c.YEAR: [2022, 2022], "enfants": [120.0, np.nan]})
    links = pd.DataFrame({c.CODE: ["Q1", "Q2"], "commune": ["a", "a"]})
    groups = pd.DataFrame({c.CODE: ["a", "z"], c.GROUP: ["D", "D"]})
    out = sum_contained(items, links, groups, ["enfants"]).set_index(c.CODE)["enfants"]
    assert np.isnan(out["D"])
    alone = pd.DataFrame({c.CODE: ["z"], c.GROUP: ["Z"]})
    assert sum_contained(items, links, alone, ["enfants"])["enfants"].tolist() == [0.0]
