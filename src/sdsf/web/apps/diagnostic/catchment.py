"""Coverage within reach of each commune (sdsf.core.catchment) from the stored data.

Demand: children under 3 at each commune's representative point. Supply: the places of the
five modes at the same point, except EAJE with their own coordinates, placed where they are.
Every commune of the départements with data counts, whatever its département (a catchment
crosses borders); départements without any data are left out, which the indicator's definition
says. A commune whose catchment reaches a commune with unknown places or children gets an
unknown rate, never an understated one. The result per commune is « places accessibles » =
rate x children, so that any group's rate is sum(places accessibles) / sum(children).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.cache import cache
from scipy import sparse

from sdsf.core import columns as c
from sdsf.core.accessibility import projected_xy
from sdsf.core.catchment import (
    Pairs,
    Weight,
    floating_ratio,
    gaussian_weight,
    pairs_within,
    step_weight,
    two_step,
    uniform_weight,
)
from sdsf.core.geography import epsg_for
from sdsf.parameters import load
from sdsf.web.apps.datasets import revision
from sdsf.web.apps.datasets.coverage import commune_quantities
from sdsf.web.apps.datasets.models import Establishment, ImportedFile
from sdsf.web.apps.territories.models import Territory

ACCESSIBLE: str = "places_accessibles"
METHODS = {
    "fca": "aire de chalandise flottante (FCA)",
    "2sfca": "deux étapes (2SFCA)",
    "e2sfca": "deux étapes avec bandes de distance (E2SFCA)",
}


DECAYS = {"bandes": "bandes de distance", "gaussienne": "décroissance gaussienne"}


@dataclass(frozen=True)
class Settings:
    method: str
    radius_km: float
    decay: str = "bandes"  # E2SFCA only: « bandes » or « gaussienne »

    @property
    def label(self) -> str:
        method = METHODS[self.method]
        if self.method == "e2sfca" and self.decay == "gaussienne":
            method = "deux étapes avec décroissance gaussienne (E2SFCA)"
        return f"{method}, rayon de {self.radius_km:g} km à vol d'oiseau"


def default_settings() -> Settings:
    values = load().at(dt.date.today())["accessibilite"]
    return Settings(
        str(values["methode"]), float(values["rayon_km"]), str(values["decroissance_e2sfca"])
    )


def _decay(settings: Settings, radius: float) -> Weight:
    if settings.method != "e2sfca":
        return uniform_weight
    if settings.decay == "gaussienne":
        sigma = float(load().at(dt.date.today())["accessibilite"]["sigma_e2sfca"])
        return gaussian_weight(sigma * radius)
    return step_weight(_bands(radius))


def _bands(radius: float) -> dict[float, float]:
    fractions = load().at(dt.date.today())["accessibilite"]["bandes_e2sfca"]
    return {float(k) * radius: float(v) for k, v in fractions.items()}


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        list(
            Territory.objects.filter(level=c.COMMUNE, longitude__isnull=False).values_list(
                "code", "longitude", "latitude", "departement"
            )
        ),
        columns=[c.CODE, "lon", "lat", c.DEPARTEMENT_CODE],
    )


def _flag(pairs: Pairs, unknown: np.ndarray) -> np.ndarray:
    """Origins with at least one destination flagged unknown."""
    reach = sparse.csr_matrix(
        (np.ones(len(pairs.origin)), (pairs.origin, pairs.destination)),
        shape=(pairs.n_origins, pairs.n_destinations),
    )
    return np.asarray(reach @ unknown.astype(float)) > 0


def _one_group(
    frame: pd.DataFrame, eaje: pd.DataFrame, epsg: int, settings: Settings
) -> np.ndarray:
    """Accessibility (places per child) of the communes of one projection zone."""
    radius = settings.radius_km * 1000
    demand_xy = projected_xy(frame["lon"].to_numpy(), frame["lat"].to_numpy(), epsg)
    supply = frame[c.PLACES_TOTAL].to_numpy(dtype=float).copy()
    supply_xy = demand_xy
    if not eaje.empty:  # EAJE with coordinates stand where they are
        moved = eaje.groupby(c.CODE)["places"].sum()
        positions = frame[c.CODE].isin(moved.index).to_numpy()
        supply[positions] -= frame.loc[positions, c.CODE].map(moved).to_numpy()
        supply_xy = np.vstack(
            [demand_xy, projected_xy(eaje["lon"].to_numpy(), eaje["lat"].to_numpy(), epsg)]
        )
        supply = np.concatenate([supply, eaje["places"].to_numpy(dtype=float)])
    demand = frame[c.CHILDREN_UNDER_3].to_numpy(dtype=float)
    unknown_demand, unknown_supply = np.isnan(demand), np.isnan(supply)
    weight = step_weight(_bands(radius)) if settings.method == "e2sfca" else uniform_weight
    to_supply = pairs_within(demand_xy, supply_xy, radius)
    if settings.method == "fca":
        to_demand = pairs_within(demand_xy, demand_xy, radius)
        result = floating_ratio(
            np.nan_to_num(demand), np.nan_to_num(supply), to_supply, to_demand, weight
        )
        unknown = _flag(to_supply, unknown_supply) | _flag(to_demand, unknown_demand)
    else:
        result = two_step(np.nan_to_num(demand), np.nan_to_num(supply), to_supply, weight)
        # a supply point is unknown if its own places are, or a demand it serves is unknown
        reverse = Pairs(
            to_supply.destination,
            to_supply.origin,
            to_supply.cost,
            to_supply.n_destinations,
            to_supply.n_origins,
        )
        unknown_point = unknown_supply | _flag(reverse, unknown_demand)
        unknown = _flag(to_supply, unknown_point)
    result = result.astype(float)
    result[unknown | unknown_demand] = np.nan
    return result


def compute_accessible_places(settings: Settings) -> pd.DataFrame:
    """``code``, ``annee``, ``places_accessibles`` for every commune and year with places."""
    quantities, _ = commune_quantities(None)
    if quantities.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, ACCESSIBLE])
    quantities[c.PLACES_TOTAL] = quantities[list(c.PLACE_VARIABLES)].sum(
        axis=1, skipna=False, min_count=len(c.PLACE_VARIABLES)
    )
    points = _points()
    eaje = pd.DataFrame(
        list(
            Establishment.objects.filter(
                latitude__isnull=False, longitude__isnull=False
            ).values_list("commune", "year", "longitude", "latitude", "places")
        ),
        columns=[c.CODE, c.YEAR, "lon", "lat", "places"],
    )
    frames = []
    for year, of_year in quantities.groupby(c.YEAR):
        if of_year[c.PLACES_TOTAL].notna().sum() == 0:
            continue
        frame = points.merge(of_year, on=c.CODE, how="left")
        # Départements without any data are left out (say so): their communes would make every
        # catchment that crosses the border unknown. Within départements with data, a missing
        # value stays unknown and spreads to the catchments that reach it.
        with_data = set(frame.loc[frame[c.PLACES_TOTAL].notna(), c.DEPARTEMENT_CODE])
        frame = frame[frame[c.DEPARTEMENT_CODE].isin(with_data)]
        frame["epsg"] = frame[c.DEPARTEMENT_CODE].map(epsg_for)
        for epsg, group in frame.groupby("epsg"):
            if group[c.PLACES_TOTAL].notna().sum() == 0:
                continue
            group = group.reset_index(drop=True)
            located = eaje[(eaje[c.YEAR] == year) & eaje[c.CODE].isin(group[c.CODE])]
            rate = _one_group(group, located, int(epsg), settings)
            frames.append(
                pd.DataFrame(
                    {
                        c.CODE: group[c.CODE],
                        c.YEAR: int(year),
                        ACCESSIBLE: rate * group[c.CHILDREN_UNDER_3].to_numpy(dtype=float),
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, ACCESSIBLE])
    out = pd.concat(frames, ignore_index=True)
    known = out[c.CODE].isin(quantities[c.CODE])
    return out[known].reset_index(drop=True)


def accessible_places(settings: Settings | None = None) -> pd.DataFrame:
    """:func:`compute_accessible_places`, cached under the data revision and the settings."""
    settings = settings or default_settings()
    key = (
        f"sdsf:accessibles:{revision.current()}:{settings.method}:{settings.radius_km}:"
        f"{settings.decay}"
    )
    table = cache.get(key)
    if table is None:
        table = compute_accessible_places(settings)
        cache.set(key, table, timeout=3600)
    return table.copy()


def catchment_table(
    level: str, departement: str | None, year: int | None, settings: Settings
) -> pd.DataFrame:
    """Coverage within reach of every territory of ``level`` (touching ``departement``), in
    the columns of the coverage table: ``taux_global`` is the rate within reach (children-
    weighted over the group's communes), the mode rates are left empty, ``methode`` says how."""
    from sdsf.core.aggregation import sum_by_group
    from sdsf.web.apps.territories.services import membership, territories

    members = membership(level, departement)
    accessible = accessible_places(settings)
    quantities, _ = commune_quantities(sorted(set(members[c.CODE])))
    values = quantities[[c.CODE, c.YEAR, c.CHILDREN_UNDER_3]].merge(
        accessible, on=[c.CODE, c.YEAR], how="inner"
    )
    sums = sum_by_group(values, members, [ACCESSIBLE, c.CHILDREN_UNDER_3])
    if year is not None:
        sums = sums[sums[c.YEAR] == year]
    children = sums[c.CHILDREN_UNDER_3].astype(float)
    out = pd.DataFrame(
        {
            c.CODE: sums[c.CODE],
            c.YEAR: sums[c.YEAR].astype(int),
            c.RATE_GLOBAL: sums[ACCESSIBLE].astype(float) / children.where(children > 0) * 100,
            c.CHILDREN_UNDER_3: children,
            c.PLACES_TOTAL: sums[ACCESSIBLE].astype(float),
            c.METHOD: f"taux accessible : {settings.label}",
            c.SOURCE: "moteur de couverture sdsf (données importées)",
            c.SIMULATED: ImportedFile.objects.filter(
                simulated=True, replaced_at__isnull=True
            ).exists(),
        }
    )
    for rate in c.DISPLAY_RATES[1:]:
        out[rate] = np.nan
    names = territories(level, departement).set_index(c.CODE)[c.LABEL]
    out.insert(1, c.LABEL, out[c.CODE].map(names))
    out = out[out[c.CODE].isin(names.index)]
    return out.sort_values([c.YEAR, c.CODE]).reset_index(drop=True)
