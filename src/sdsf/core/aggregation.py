"""Aggregation of additive quantities (places, children) from communes to any group.

A quantity over a group is the sum over its members. A member whose value is missing (or that
has no row for the year) makes the group's value missing: a partial sum would understate
places or children without saying so.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sdsf.core import columns as c


def sum_by_group(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    quantities: Sequence[str],
    *,
    partial: Sequence[str] = (),
) -> pd.DataFrame:
    """Sum ``quantities`` of ``values`` (``code``, ``annee``, quantities...) over groups.

    ``membership`` maps member ``code`` to ``groupe`` (a member may belong to several groups).
    Returns ``code`` (the group), ``annee`` and the summed quantities. The quantities named in
    ``partial`` are sums over the members that have a value (sources that are not a full mesh,
    such as Caf figures published only above a threshold): missing only when no member has one.
    """
    cols = list(quantities)
    if values.empty or membership.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, *cols])
    members = membership[[c.CODE, c.GROUP]].drop_duplicates()
    years = pd.DataFrame({c.YEAR: sorted(values[c.YEAR].unique())})
    grid = members.merge(years, how="cross")
    joined = grid.merge(values[[c.CODE, c.YEAR, *cols]], on=[c.CODE, c.YEAR], how="left")
    keys = [joined[c.GROUP], joined[c.YEAR]]
    sums = joined[cols].astype(float).groupby(keys).sum()
    strict = [col for col in cols if col not in set(partial)]
    loose = [col for col in cols if col in set(partial)]
    missing = joined[cols].isna().groupby(keys)
    sums[strict] = sums[strict].mask(missing.any()[strict])
    sums[loose] = sums[loose].mask(missing.all()[loose])
    out = sums.reset_index().rename(columns={c.GROUP: c.CODE})
    return out[[c.CODE, c.YEAR, *cols]]
