"""Coverage rate of early-childhood care (taux de couverture, Cnaf definition).

Places offered in December of year N per 100 children under 3, by mode: EAJE financed by the
PSU, EAJE outside PSU, pre-schooling of 2-year-olds, childminders, home care; subtotals EAJE
(collective) and individual; the global rate. Over a group of territories the rate is
sum(places) / sum(children) x 100, never a mean of rates. Rates are not clamped (they may exceed
100) and not rounded here: presentation rounds to 0.1 as the Cnaf publishes.
Source: Cnaf, « Accueil du jeune enfant », data.caf.fr (txcouv_pe_*, nbpla_pe_*).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.aggregation import sum_by_group
from sdsf.core.classes import classes_by_bounds

QUANTITIES: tuple[str, ...] = (*c.PLACE_VARIABLES, c.CHILDREN_UNDER_3)


def _sum_strict(frame: pd.DataFrame, cols: list[str]) -> pd.Series:
    """Row sum that is missing as soon as one term is missing."""
    return frame[cols].sum(axis=1, skipna=False, min_count=len(cols))


def rates_from_places(quantities: pd.DataFrame) -> pd.DataFrame:
    """Coverage rates from places by mode and children under 3.

    ``quantities`` has ``code``, ``annee``, the five ``places_<mode>`` columns (missing allowed)
    and ``enfants_moins_3_ans``. Returns ``code``, ``annee``, every ``taux_*`` column,
    ``places_total`` and ``enfants_moins_3_ans``. A rate is missing when its places or the
    children are missing, or when there are no children (0 places for 0 children is no rate).
    """
    out = quantities[[c.CODE, c.YEAR]].copy()
    children = quantities[c.CHILDREN_UNDER_3].astype(float)
    denominator = children.where(children > 0)
    for mode in c.MODES:
        out[c.rate(mode)] = quantities[c.places(mode)].astype(float) / denominator * 100
    for subtotal, parts in c.SUBTOTALS.items():
        out[c.rate(subtotal)] = (
            _sum_strict(quantities, [c.places(p) for p in parts]) / denominator * 100
        )
    total = _sum_strict(quantities, list(c.PLACE_VARIABLES))
    out[c.RATE_GLOBAL] = total / denominator * 100
    out[c.PLACES_TOTAL] = total
    out[c.CHILDREN_UNDER_3] = children
    out[c.METHOD] = c.METHOD_AGGREGATED
    out[c.PERIMETER] = ""
    return out


def part_label(name: str, inside: int, total: int) -> str:
    """« partie Loire-Atlantique : 28 communes sur 31 »: what a part rate covers."""
    return f"partie {name} : {inside} communes sur {total}"


def group_rates(
    quantities: pd.DataFrame,
    members: pd.DataFrame,
    inside: Collection[str] | None = None,
    part_name: str = "",
) -> pd.DataFrame:
    """Coverage of groups of communes: sum(places) / sum(children) over every member.

    ``quantities`` as for :func:`rates_from_places`, per commune; ``members`` maps ``code``
    (commune) to ``groupe``. With ``inside`` (the communes of one département, named
    ``part_name``), a group straddling its border whose global rate is unknown (members
    outside without data) gets instead the rate of its members inside, when all of those are
    known: method :data:`~sdsf.core.columns.METHOD_DEPARTEMENT_PART` and ``perimetre``
    « partie <part_name> : N communes sur M ». Such a rate is the département's part, never
    the group's own rate. A group known as a whole keeps its whole figure.
    """
    members = members[[c.CODE, c.GROUP]].drop_duplicates()
    whole = rates_from_places(sum_by_group(quantities, members, list(QUANTITIES)))
    if inside is None or whole.empty:
        return whole
    is_inside = members[c.CODE].isin(set(inside))
    counts = pd.DataFrame({"total": members.groupby(c.GROUP).size()})
    counts["inside"] = is_inside.groupby(members[c.GROUP]).sum()
    straddling = counts[(counts["inside"] > 0) & (counts["inside"] < counts["total"])]
    part_members = members[is_inside & members[c.GROUP].isin(straddling.index)]
    if part_members.empty:
        return whole
    part = rates_from_places(sum_by_group(quantities, part_members, list(QUANTITIES)))
    part = part[part[c.RATE_GLOBAL].notna()]
    keys = [c.CODE, c.YEAR]
    unknown = whole.loc[whole[c.RATE_GLOBAL].isna(), keys]
    part = part.merge(unknown, on=keys)  # only where the whole group is unknown
    if part.empty:
        return whole
    n_inside = part[c.CODE].map(straddling["inside"]).astype(int)
    n_total = part[c.CODE].map(straddling["total"]).astype(int)
    part[c.METHOD] = c.METHOD_DEPARTEMENT_PART
    part[c.PERIMETER] = [
        part_label(part_name, i, t) for i, t in zip(n_inside, n_total, strict=True)
    ]
    kept = whole.merge(part[keys], on=keys, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    out = pd.concat([kept, part[kept.columns]], ignore_index=True)
    return out.sort_values(keys).reset_index(drop=True)


def empty_rates() -> pd.DataFrame:
    """An empty frame with the columns of :func:`rates_from_places`."""
    cols = [
        c.CODE,
        c.YEAR,
        *c.RATE_VARIABLES,
        c.PLACES_TOTAL,
        c.CHILDREN_UNDER_3,
        c.METHOD,
        c.PERIMETER,
    ]
    return pd.DataFrame({col: pd.Series(dtype=object) for col in cols})


def combine_published(computed: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Published rates where they exist, computed rates elsewhere, saying which.

    ``published`` has ``code``, ``annee`` and some ``taux_*`` columns (the producer's own
    rounding kept). A published row wins over a computed one for the same territory and year:
    the published figure is the official one, of the whole territory; computed places and
    children are kept beside it when they cover the whole territory too (not a part of it).
    """
    base = empty_rates() if computed.empty else computed.copy()
    if published.empty:
        return base.reset_index(drop=True)
    pub = published.copy()
    for col in c.RATE_VARIABLES:
        if col not in pub:
            pub[col] = np.nan
    pub[c.METHOD] = c.METHOD_PUBLISHED
    keys = [c.CODE, c.YEAR]
    if c.PERIMETER not in base:
        base[c.PERIMETER] = ""
    base[c.PERIMETER] = base[c.PERIMETER].fillna("")
    whole = base[base[c.PERIMETER] == ""]
    extra = whole[[*keys, c.PLACES_TOTAL, c.CHILDREN_UNDER_3]]
    pub[c.PERIMETER] = ""
    pub = pub[[*keys, *c.RATE_VARIABLES, c.METHOD, c.PERIMETER]].merge(extra, on=keys, how="left")
    kept = base.merge(pub[keys], on=keys, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    frames = [f for f in (kept, pub) if not f.empty]
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return out.sort_values(keys).reset_index(drop=True)


def classes_against_reference(
    rates: pd.Series, reference: float | None, bounds: list[float]
) -> pd.Series:
    """Class of each rate by its ratio to a reference rate (e.g. national): 0 below
    ``bounds[0]``, ..., ``len(bounds)`` at or above the last bound; missing (<NA>) when the rate
    or the reference is unknown. With bounds [0.5, 0.75, 1, 1.25], class 2 means 75 % to 100 %
    of the national rate."""
    if reference is None or not np.isfinite(reference) or reference <= 0:
        return pd.Series(pd.NA, index=rates.index, dtype="Int64")
    return classes_by_bounds(rates.astype(float) / reference, bounds)
