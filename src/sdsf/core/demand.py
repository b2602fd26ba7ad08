"""Demand: children under 3 years old.

For 31 December of year N, the under-3 cohort is estimated by the births domiciled in years
N-2, N-1 and N (Cnaf method when census counts by age are unavailable; DOMAIN.md). The estimate
ignores migration and infant deaths; it is labelled as such wherever it is shown.
"""

from __future__ import annotations

import numpy as np
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
    # The sum of each window of ``ages`` consecutive years, all territories at once (a rolling
    # window over the transposed frame runs once per territory: 5 s for the communes of
    # France); a missing year makes the sum missing.
    values = wide.to_numpy(dtype=float)
    width = values.shape[1] - ages + 1
    rolled = pd.DataFrame(
        sum(values[:, k : k + width] for k in range(ages)) if width > 0 else values[:, :0],
        index=wide.index,
        columns=list(years)[ages - 1 :],
    )
    out = rolled.rename_axis(columns=None).reset_index()
    out = out.melt(id_vars=c.CODE, var_name=c.YEAR, value_name=name)
    out[c.YEAR] = out[c.YEAR].astype(int)
    return out.dropna(subset=[name]).reset_index(drop=True)


def project_children(births: pd.DataFrame, horizon: int = 3, window: int = 5) -> pd.DataFrame:
    """Under-3 children projected for the ``horizon`` years after the last known birth year.

    Births of each territory are extended with the log-linear trend of its last ``window``
    years (a constant rate of change, fitted by least squares on log births, all territories at
    once); children of year N are then births of N-2, N-1 and N as in
    :func:`children_from_births`, mixing observed and projected births. A territory with a
    missing or zero birth count in the window gets no projection. Returns ``code``, ``annee``,
    ``enfants_moins_3_ans``, ``naissances_projetees`` (births of year N, projected) and
    ``tendance_annuelle`` (% per year).
    """
    columns = [c.CODE, c.YEAR, c.CHILDREN_UNDER_3, "naissances_projetees", "tendance_annuelle"]
    if births.empty:
        return pd.DataFrame(columns=columns)
    wide = births.pivot_table(index=c.CODE, columns=c.YEAR, values=c.BIRTHS, aggfunc="first")
    last = int(max(wide.columns))
    years = list(range(last - window + 1, last + 1))
    recent = wide.reindex(columns=years).astype(float)
    ok = recent.notna().all(axis=1) & (recent > 0).all(axis=1)
    recent = recent[ok]
    if recent.empty:
        return pd.DataFrame(columns=columns)
    x = np.asarray(years, dtype=float) - last
    logs = np.log(recent.to_numpy())
    slope = ((x - x.mean()) * (logs - logs.mean(axis=1, keepdims=True))).sum(axis=1) / (
        (x - x.mean()) ** 2
    ).sum()
    intercept = logs.mean(axis=1) - slope * x.mean()
    frames = []
    known = wide.loc[recent.index]
    for k in range(1, horizon + 1):
        projected = np.exp(intercept + slope * k)
        births_of = {
            year: known[year].to_numpy(dtype=float)
            if year <= last
            else np.exp(intercept + slope * (year - last))
            for year in (last + k - 2, last + k - 1, last + k)
        }
        frames.append(
            pd.DataFrame(
                {
                    c.CODE: recent.index,
                    c.YEAR: last + k,
                    c.CHILDREN_UNDER_3: sum(births_of.values()),
                    "naissances_projetees": projected,
                    "tendance_annuelle": (np.exp(slope) - 1) * 100,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[columns]
