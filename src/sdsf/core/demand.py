"""Demand: children under 3 years old.

For 31 December of year N, the under-3 cohort is estimated by the births domiciled in years
N-2, N-1 and N (Cnaf method when census counts by age are unavailable; DOMAIN.md). The estimate
ignores migration and infant deaths; it is labelled as such wherever it is shown.
"""

from __future__ import annotations

import pandas as pd

from sdsf.core import columns as c


def children_from_births(births: pd.DataFrame) -> pd.DataFrame:
    """Under-3 children per territory and year from births of N-2, N-1 and N.

    ``births`` has columns ``code``, ``annee``, ``naissances`` (missing values allowed).
    Returns ``code``, ``annee``, ``enfants_moins_3_ans`` for every year N whose three birth
    years are all known; a missing year of births gives a missing estimate, never a smaller one.
    """
    if births.empty:
        return pd.DataFrame({c.CODE: [], c.YEAR: [], c.CHILDREN_UNDER_3: []})
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
    rolled = wide.T.rolling(window=3, min_periods=3).sum().T
    out = rolled.iloc[:, 2:].rename_axis(columns=None).reset_index()
    out = out.melt(id_vars=c.CODE, var_name=c.YEAR, value_name=c.CHILDREN_UNDER_3)
    out[c.YEAR] = out[c.YEAR].astype(int)
    return out.dropna(subset=[c.CHILDREN_UNDER_3]).reset_index(drop=True)
