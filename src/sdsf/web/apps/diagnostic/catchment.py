"""Coverage within reach of each commune (sdsf.core.catchment) from the stored data.

Demand, supply and costs come from :mod:`catchment_points` (commune points or grid cells,
EAJE where they stand, straight-line distance or imported travel times). Every commune of the
départements with data counts, whatever its département (a catchment crosses borders);
départements without any data are left out, which the indicator's definition says. A commune
whose catchment reaches a commune with unknown places or children gets an unknown rate, never
an understated one. The result per commune is « places accessibles » = rate x children, so
that any group's rate is sum(places accessibles) / sum(children).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.catchment import (
    Pairs,
    Weight,
    floating_ratio,
    gaussian_weight,
    step_weight,
    two_step,
    uniform_weight,
    weight_matrix,
)
from sdsf.core.geography import epsg_for
from sdsf.parameters import load
from sdsf.reports.formatting import french_number
from sdsf.web.apps.datasets.coverage import commune_quantities
from sdsf.web.apps.datasets.models import Establishment, GridCell, ImportedFile
from sdsf.web.apps.datasets.reach import neighbourhood
from sdsf.web.apps.datasets.stored import remember, table_key
from sdsf.web.apps.diagnostic.catchment_points import (
    Layout,
    has_travel_times,
    straight_line,
    travel_times,
)
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
    minutes: float | None = None  # travel times from the imported matrix instead of distance

    @property
    def label(self) -> str:
        method = METHODS[self.method]
        if self.method == "e2sfca" and self.decay == "gaussienne":
            method = "deux étapes avec décroissance gaussienne (E2SFCA)"
        if self.minutes is not None:
            return f"{method}, {self.minutes:g} minutes de trajet (distancier importé)"
        return f"{method}, rayon de {self.radius_km:g} km à vol d'oiseau"

    @property
    def limit(self) -> float:
        """The catchment's size in the unit of the costs: minutes, or metres."""
        return self.minutes if self.minutes is not None else self.radius_km * 1000


def _parameters() -> dict[str, object]:
    values: dict[str, object] = load().at(dt.date.today())["accessibilite"]
    return values


def default_settings() -> Settings:
    """The dated parameters; travel times as soon as a matrix has been imported."""
    values = _parameters()
    minutes = float(str(values["temps_minutes"])) if has_travel_times() else None
    return Settings(
        str(values["methode"]),
        float(str(values["rayon_km"])),
        str(values["decroissance_e2sfca"]),
        minutes,
    )


def _decay(settings: Settings) -> Weight:
    """The weight of a cost: 1 within the catchment (FCA, 2SFCA), or decaying (E2SFCA), with
    bands and sigma given as fractions of the catchment's size."""
    if settings.method != "e2sfca":
        return uniform_weight
    values = _parameters()
    if settings.decay == "gaussienne":
        return gaussian_weight(float(str(values["sigma_e2sfca"])) * settings.limit)
    fractions = values["bandes_e2sfca"]
    assert isinstance(fractions, dict)
    return step_weight({float(k) * settings.limit: float(v) for k, v in fractions.items()})


def _points(departements: set[str] | None = None) -> pd.DataFrame:
    communes = Territory.objects.filter(level=c.COMMUNE, longitude__isnull=False)
    if departements is not None:
        communes = communes.filter(departement__in=sorted(departements))
    return pd.DataFrame(
        list(communes.values_list("code", "longitude", "latitude", "departement")),
        columns=[c.CODE, "lon", "lat", c.DEPARTEMENT_CODE],
    )


def _flag(pairs: Pairs, unknown: np.ndarray) -> np.ndarray:
    """Origins with at least one destination flagged unknown."""
    return np.asarray(weight_matrix(pairs) @ unknown.astype(float)) > 0


def _reversed(pairs: Pairs) -> Pairs:
    return Pairs(pairs.destination, pairs.origin, pairs.cost, pairs.n_destinations, pairs.n_origins)


def accessible_by_commune(layout: Layout, settings: Settings, communes: int) -> np.ndarray:
    """Places within reach of each commune of the group (rate x children), NaN when unknown."""
    weight = _decay(settings)
    demand, supply = layout.demand, layout.supply
    unknown_demand, unknown_supply = np.isnan(demand), np.isnan(supply)
    to_supply = layout.to_supply
    if layout.to_demand is not None:  # floating catchment ratio
        rate = floating_ratio(
            np.nan_to_num(demand), np.nan_to_num(supply), to_supply, layout.to_demand, weight
        )
        unknown = _flag(to_supply, unknown_supply) | _flag(layout.to_demand, unknown_demand)
    else:
        rate = two_step(np.nan_to_num(demand), np.nan_to_num(supply), to_supply, weight)
        # a supply point is unknown if its own places are, or a demand it serves is unknown
        unknown_point = unknown_supply | _flag(_reversed(to_supply), unknown_demand)
        unknown = _flag(to_supply, unknown_point)
    unknown = unknown | unknown_demand | layout.no_cost
    places = np.bincount(
        layout.owner,
        weights=np.where(unknown, 0.0, rate * np.nan_to_num(demand)),
        minlength=communes,
    )
    spoiled = np.bincount(layout.owner, weights=unknown.astype(float), minlength=communes) > 0
    places[spoiled] = np.nan
    return places


def compute_accessible_places(
    settings: Settings, departements: set[str] | None = None
) -> pd.DataFrame:
    """``code``, ``annee``, ``places_accessibles`` for every commune and year with places:
    of all France, or of the whole ``departements`` (a neighbourhood of
    :func:`~sdsf.web.apps.datasets.reach.neighbourhood`: the figures of its inner
    département are then those of the national computation)."""
    points = _points(departements)
    quantities, _ = commune_quantities(None if departements is None else points[c.CODE].tolist())
    if quantities.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, ACCESSIBLE])
    quantities[c.PLACES_TOTAL] = quantities[list(c.PLACE_VARIABLES)].sum(
        axis=1, skipna=False, min_count=len(c.PLACE_VARIABLES)
    )
    located = Establishment.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if departements is not None:
        located = located.filter(commune__in=points[c.CODE].tolist())
    eaje = pd.DataFrame(
        list(located.values_list("commune", "year", "longitude", "latitude", "places")),
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
            fca = settings.method == "fca"
            if settings.minutes is not None:
                layout = travel_times(group, settings.limit, fca)
            else:
                located = eaje[(eaje[c.YEAR] == year) & eaje[c.CODE].isin(group[c.CODE])]
                layout = straight_line(group, located, int(year), int(epsg), settings.limit, fca)
            places = accessible_by_commune(layout, settings, len(group))
            frames.append(
                pd.DataFrame({c.CODE: group[c.CODE], c.YEAR: int(year), ACCESSIBLE: places})
            )
    if not frames:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, ACCESSIBLE])
    out = pd.concat(frames, ignore_index=True)
    known = out[c.CODE].isin(quantities[c.CODE])
    return out[known].reset_index(drop=True)


def accessible_places(
    settings: Settings | None = None, departement: str | None = None
) -> pd.DataFrame:
    """:func:`compute_accessible_places` of all France, or of the neighbourhood of
    ``departement`` (exact for the communes its tables read), cached under the revision of
    the data it reads and the settings."""
    settings = settings or default_settings()
    near = neighbourhood(departement) if departement else None
    parts = (settings.method, settings.radius_km, settings.decay, settings.minutes)
    if near is None:
        key = table_key("accessibles", None, None, *parts)
        return remember(key, lambda: compute_accessible_places(settings))
    key = table_key("accessibles", None, departement, *parts)
    return remember(key, lambda: compute_accessible_places(settings, near))


def _demand_note() -> str:
    cells = GridCell.objects.count()
    if not cells:
        return ""
    return f" ; enfants répartis sur {french_number(cells)} carreaux importés"


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
            c.METHOD: f"taux accessible : {settings.label}{_demand_note()}",
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
