"""Simulated DREES département tables (enquête Aide sociale, PMI), in the published layout of
``drees_eaje_Tab{23,24,27,28,32,33}_dep.csv``: a second source beside the Cnaf for the demo.

Derived from the simulated registries, with the gaps a second source has: crèches collectives
are the PSU multi-accueils of the EAJE registry (micro-crèches are counted apart by the PMI),
crèches familiales and parental crèches a small share of them, childminder approvals in force
somewhat more than the childminders at work (approved, not all employed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sdsf.demo.simulation import DemoData


def _layout(region: str, departement: str, name: str, values: pd.Series) -> pd.DataFrame:
    """One row in the DREES layout: codes, name, one column per year, U+202F thousands."""
    row: dict[str, str] = {
        "Code région": region,
        "Code département": departement,
        "Département": name,
    }
    for year, value in values.sort_index().items():
        row[str(int(year))] = f"{round(float(value)):,}".replace(",", "\u202f")
    return pd.DataFrame([row])


def drees_tables(
    data: DemoData, departement: str, region: str, name: str, rng: np.random.Generator
) -> dict[int, pd.DataFrame]:
    """Table number -> simulated table for the département (years of the EAJE registry)."""
    eaje = data.eaje
    collective = eaje[eaje["psu"] == "oui"]
    count = collective.groupby("annee").size()
    places = collective.groupby("annee")["places"].sum()
    years = count.index
    familiales = np.maximum(1, np.round(count * rng.uniform(0.04, 0.07)))
    parentales = np.maximum(1, np.round(count * rng.uniform(0.03, 0.05)))
    approvals = data.childminders.groupby("annee")["assistantes_maternelles"].sum() * 1.12
    series = {
        23: count,
        24: pd.Series(familiales, index=years),
        27: pd.Series(parentales, index=years),
        28: places,
        32: pd.Series(parentales * 16, index=years),
        33: approvals.reindex(years),
    }
    return {
        number: _layout(region, departement, name, values.dropna())
        for number, values in series.items()
    }
