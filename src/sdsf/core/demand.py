"""Demand: children under 3 years old.

For 31 December of year N, the under-3 cohort is estimated by the births domiciled in years
N-2, N-1 and N (Cnaf method when census counts by age are unavailable; DOMAIN.md). The estimate
ignores migration and infant deaths; it is labelled as such wherever it is shown.
"""

from __future__ import annotations

import pandas as pd

from sdsf.core import columns as c


def children_from_births(
    births: pd.DataFrame, ages: int = 3, name: str = c.CHILDREN_UNDER_3
) -> pd.DataFrame:
    """Children under ``ages`` per territory and year from births of N-(ages-1) ... N.

    ``births`` has columns ``code``, ``annee``, ``naissances`` (missing values allowed).
    Returns ``code``, ``annee``, ``name`` for every year N whose birth years are all known; a
    missing year of births gives a missing estimate, never a smaller one. With ``ages=6`` it
    estimates the under-6 children (births of N-5 to N), the public of parenting services.
    """
    if births.empty:
        return pd.DataFrame({c.CODE: [], c.YEAR: [], name: []})
    wide = births.pivot_table(
        index=c.CODE, columns=c.YEAR, values=c.BIRTHS, aggfunc="sum", dropna=False
    )
    # pivot_table turns all-missing cells into 0 with aggfunc=sum: restore the missing ones.
    present = births.assign(_p=births[c.BIRTHS].notna()).pivot_table(
        index=c.CODE, columns=c.YEAR, values="_p", aggfunc="all"
    )
    wide = wide.where(present.reindex_like(wide).fillna(False).astype(bool))
    years = range(int(min(wide.columns)), int(max(wide.columns)) + 1)
    wide = wide.reindex(columns=list(years))
    rolled = wide.T.rolling(window=ages, min_periods=ages).sum().T
    out = rolled.iloc[:, ages - 1 :].rename_axis(columns=None).reset_index()
    out = out.melt(id_vars=c.CODE, var_name=c.YEAR, value_name=name)
    out[c.YEAR] = out[c.YEAR].astype(int)
    return out.dropna(subset=[name]).reset_index(drop=True)
