"""Indicators of the diagnostic from commune variables, for any grouping of communes.

An indicator is declared in the catalogue (sdsf/parameters/catalogue/indicateurs.yaml) as:
- ``somme``: the sum of a commune variable over the group (missing as soon as one member is
  missing, unless the indicator is ``partiel``: sources that are not a full mesh);
- ``ratio``: sum(numerator) / sum(denominator) x scale, never a mean of ratios; missing when
  the denominator is 0 or missing;
- ``evolution``: change in % of the group's sum between N - k and N;
- ``qpv``: a group-level value given by the caller (quartiers entirely inside the group).
``publie`` and ``couverture`` values come from elsewhere (published figures, coverage engine).
The result is tidy: ``code`` (the group), ``annee``, ``indicateur``, ``valeur``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Protocol

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.aggregation import sum_by_group

INDICATOR: Final = "indicateur"
COMPUTED_KINDS: Final = ("somme", "ratio", "evolution", "qpv")

# Derived commune variables (documented on the methods page).
AREA: Final = "superficie_km2"
CHILDREN_UNDER_6: Final = "enfants_moins_6_ans"
PLACES_EAJE: Final = "places_eaje"
PLACES_EAJE_INDIVIDUAL: Final = "places_accueil_eaje_individuel"
NO_COLLECTIVE_PLACE: Final = "commune_sans_place_collective"
LOW_DENSITY_POPULATION: Final = "population_commune_peu_dense"
SERVICES_TOTAL: Final = "services_total"
SERVICE_TYPES: Final = ("laep", "reaap", "clas", "mediation", "espace_rencontre", "relais")


def service_variable(kind: str) -> str:
    return f"services_{kind}"


def distance_variable(kind: str) -> str:
    return f"distance_{kind}"


def weighted_distance_variable(kind: str) -> str:
    return f"distance_{kind}_x_enfants"


class IndicatorSpec(Protocol):
    """What the engine needs of a catalogue entry (sdsf.parameters.indicators.Indicator)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def variables(self) -> tuple[str, ...]: ...
    @property
    def scale(self) -> float: ...
    @property
    def partial(self) -> bool: ...
    @property
    def years(self) -> int: ...
    @property
    def mixed_vintages(self) -> bool: ...


def _strict_sum(frame: pd.DataFrame, cols: Sequence[str]) -> pd.Series:
    return frame[list(cols)].sum(axis=1, skipna=False, min_count=len(cols))


def derive(values: pd.DataFrame, low_density_threshold: float) -> pd.DataFrame:
    """Add the derived commune variables that the inputs allow (a copy is returned).

    ``values`` is wide: ``code``, ``annee`` and commune variables. Places of EAJE and of all
    modes are strict sums (missing if a part is missing); a commune without collective place has
    a known EAJE supply of 0; low-density population is the population of communes under
    ``low_density_threshold`` inhabitants per km²; distances are weighted by children under 3.
    """
    out = values.copy()
    modes = [c.places(m) for m in c.MODES]
    if all(col in out for col in modes[:2]):
        out[PLACES_EAJE] = _strict_sum(out, modes[:2])
        known = out[PLACES_EAJE].notna()
        out[NO_COLLECTIVE_PLACE] = (out[PLACES_EAJE] == 0).astype(float).where(known)
    individual = [c.places(c.ASSISTANTES_MATERNELLES), c.places(c.GARDE_DOMICILE)]
    if PLACES_EAJE in out and all(col in out for col in individual):
        out[PLACES_EAJE_INDIVIDUAL] = _strict_sum(out, [PLACES_EAJE, *individual])
    if all(col in out for col in modes):
        out[c.PLACES_TOTAL] = _strict_sum(out, modes)
    if c.POPULATION in out and AREA in out:
        density = out[c.POPULATION] / out[AREA].where(out[AREA] > 0)
        out[LOW_DENSITY_POPULATION] = (
            out[c.POPULATION].where(density < low_density_threshold, 0.0).where(density.notna())
        )
    services = [service_variable(k) for k in SERVICE_TYPES if service_variable(k) in out]
    if services:
        out[SERVICES_TOTAL] = _strict_sum(out, services)
    if c.CHILDREN_UNDER_3 in out:
        for kind in SERVICE_TYPES:
            if distance_variable(kind) in out:
                out[weighted_distance_variable(kind)] = (
                    out[distance_variable(kind)] * out[c.CHILDREN_UNDER_3]
                )
    return out


PARTIAL_SUFFIX: Final = "~partiel"


def _column(variable: str, partial: bool) -> str:
    return f"{variable}{PARTIAL_SUFFIX}" if partial else variable


def _group_sums(
    values: pd.DataFrame,
    members: pd.DataFrame,
    indicators: Sequence[IndicatorSpec],
    group_values: pd.DataFrame | None,
) -> pd.DataFrame:
    """Group sums of every variable the indicators use: strict sums under the variable's name,
    partial sums (members with a value) under ``<variable>~partiel``."""
    group_vars = set(group_values.columns) - {c.CODE, c.YEAR} if group_values is not None else set()
    strict: set[str] = set()
    partial: set[str] = set()
    for ind in indicators:
        if ind.kind in ("somme", "ratio", "evolution"):
            for var in ind.variables:
                if var in values and var not in group_vars:
                    (partial if ind.partial else strict).add(var)
    frame = values[[c.CODE, c.YEAR, *sorted(strict)]].copy()
    for var in sorted(partial):
        frame[_column(var, True)] = values[var]
    columns = [col for col in frame.columns if col not in (c.CODE, c.YEAR)]
    sums = sum_by_group(
        frame, members, columns, partial=[_column(v, True) for v in sorted(partial)]
    )
    if group_values is not None and not group_values.empty:
        sums = sums.merge(group_values, on=[c.CODE, c.YEAR], how="outer")
        for var in group_vars:
            sums[_column(var, True)] = sums[var]
    return sums


def _latest_known(sums: pd.DataFrame, column: str) -> pd.Series:
    """Each group's latest known value of ``column`` up to each year (sources of different
    vintages, e.g. a 2022 QPV edition against the 2023 census)."""
    order = sums.sort_values([c.CODE, c.YEAR])
    filled = order.groupby(c.CODE)[column].ffill()
    return filled.reindex(sums.index).astype(float)


def _evolution(sums: pd.DataFrame, variable: str, years: int) -> pd.Series:
    earlier = sums[[c.CODE, c.YEAR, variable]].copy()
    earlier[c.YEAR] = earlier[c.YEAR] + years
    before = sums[[c.CODE, c.YEAR]].merge(earlier, on=[c.CODE, c.YEAR], how="left")[variable]
    base = before.where(before > 0).to_numpy(dtype=float)
    return pd.Series((sums[variable].to_numpy(dtype=float) / base - 1) * 100, index=sums.index)


def compute_indicators(
    values: pd.DataFrame,
    members: pd.DataFrame,
    indicators: Iterable[IndicatorSpec],
    group_values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indicators of every group of ``members`` (``code`` -> ``groupe``) and every year.

    ``values``: wide commune variables (after :func:`derive`); ``group_values``: wide variables
    already known per group (``code``, ``annee``, ...), e.g. QPV quantities. Indicators whose
    variables are absent are simply not returned: the caller says which import fills them.
    """
    specs = [i for i in indicators if i.kind in COMPUTED_KINDS]
    sums = _group_sums(values, members, specs, group_values)
    frames = []
    for ind in specs:
        names = [_column(v, ind.partial) for v in ind.variables]
        if not all(name in sums for name in names):
            continue
        if ind.kind == "ratio":
            numerator, denominator = (sums[name].astype(float) for name in names)
            if ind.mixed_vintages:
                numerator = _latest_known(sums, names[0])
            value = numerator / denominator.where(denominator > 0) * ind.scale
        elif ind.kind == "evolution":
            value = _evolution(sums, names[0], ind.years)
        else:
            value = sums[names[0]].astype(float) * ind.scale
        frames.append(
            pd.DataFrame(
                {
                    c.CODE: sums[c.CODE].to_numpy(),
                    c.YEAR: sums[c.YEAR].to_numpy(),
                    INDICATOR: ind.id,
                    c.VALUE: value.to_numpy(dtype=float),
                }
            )
        )
    if not frames:
        return pd.DataFrame({c.CODE: [], c.YEAR: [], INDICATOR: [], c.VALUE: []})
    out = pd.concat(frames, ignore_index=True)
    out[c.YEAR] = out[c.YEAR].astype(int)
    finite = pd.Series(np.isfinite(out[c.VALUE].to_numpy(dtype=float)), index=out.index)
    return out[finite].reset_index(drop=True)


def sum_contained(
    items: pd.DataFrame, item_communes: pd.DataFrame, members: pd.DataFrame, variables: list[str]
) -> pd.DataFrame:
    """Sum of item values (e.g. QPV) over the groups that contain all the item's communes.

    ``items``: ``code`` (item), ``annee`` and ``variables``; ``item_communes``: ``code`` (item)
    -> ``commune``; ``members``: commune ``code`` -> ``groupe``. A group that holds only part of
    an item's communes gets a missing value (the split is unknown), never a wrong one, and so
    does a sum with a secret (missing) part. Groups holding no item get 0. Returns ``code``
    (group), ``annee``, ``variables``.
    """
    if members.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, *variables])
    years = sorted(items[c.YEAR].unique()) if not items.empty else []
    groups = pd.DataFrame({c.CODE: members[c.GROUP].unique()})
    grid = groups.merge(pd.DataFrame({c.YEAR: years}), how="cross")
    if items.empty or item_communes.empty:
        return grid.assign(**dict.fromkeys(variables, np.nan))
    links = item_communes.rename(columns={c.CODE: "item"}).merge(
        members.rename(columns={c.CODE: "commune"}), on="commune", how="left"
    )
    size = item_communes.groupby(c.CODE).size()
    inside = links.dropna(subset=[c.GROUP]).groupby(["item", c.GROUP]).size().reset_index()
    inside.columns = ["item", c.GROUP, "n"]
    inside["whole"] = inside["n"].to_numpy() == inside["item"].map(size).to_numpy()
    partial_groups = set(inside.loc[~inside["whole"], c.GROUP])
    whole = inside[inside["whole"]][["item", c.GROUP]]
    joined = whole.merge(items.rename(columns={c.CODE: "item"}), on="item")
    keys = [c.GROUP, c.YEAR]
    sums = (
        joined.groupby(keys)[variables]
        .sum()
        .mask(joined[variables].isna().groupby([joined[c.GROUP], joined[c.YEAR]]).any())
    )
    sums = sums.reset_index().rename(columns={c.GROUP: c.CODE})
    out = grid.merge(sums, on=[c.CODE, c.YEAR], how="left", indicator=True)
    # 0 only for a group holding no item; a sum with a secret part stays unknown, never 0
    none = out["_merge"] == "left_only"
    out.loc[none, variables] = out.loc[none, variables].fillna(0.0)
    out.loc[out[c.CODE].isin(partial_groups), variables] = np.nan
    return out.drop(columns="_merge")


def latest(values: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """For each territory and indicator, the value of the latest year (at most ``year``)."""
    frame = values if year is None else values[values[c.YEAR] <= year]
    if frame.empty:
        return frame
    order = frame.sort_values(c.YEAR)
    return order.groupby([c.CODE, INDICATOR], as_index=False).last()
