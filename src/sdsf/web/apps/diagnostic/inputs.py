"""Commune variables of the diagnostic, gathered from the stored data.

Stored commune observations (populations, births, registries, Caf IRIS sums), the under-3
children of the coverage engine, the under-6 children estimated from births, areas, EAJE under
the poverty target (from the EAJE records and the dated target), distances to the nearest
family service of each type, and the QPV quantities per group.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.accessibility import nearest_distance_km
from sdsf.core.demand import children_from_births
from sdsf.core.geography import epsg_for
from sdsf.core.indicators import (
    AREA,
    CHILDREN_UNDER_6,
    SERVICE_TYPES,
    derive,
    distance_variable,
    sum_contained,
)
from sdsf.parameters import load
from sdsf.parameters.indicators import catalogue
from sdsf.sources.anct import qpv_departement
from sdsf.web.apps.datasets.coverage import commune_quantities
from sdsf.web.apps.datasets.models import Establishment, FamilyService, QpvCommune
from sdsf.web.apps.datasets.services import observations, wide_observations
from sdsf.web.apps.diagnostic.catchment import ACCESSIBLE, accessible_places
from sdsf.web.apps.territories.models import Territory

QPV_VARIABLES = ["nombre_qpv", "population_qpv", "enfants_0_2_ans_qpv"]
NATIONAL_LIST_DEPARTEMENTS = 90  # a QPV file covering this many départements is the whole list
COMPUTED_HERE = {
    c.CHILDREN_UNDER_3,
    CHILDREN_UNDER_6,
    AREA,
    "eaje_sous_objectif_pauvrete",
    "commune_avec_qpv",
    ACCESSIBLE,
}


def _stored_variables() -> list[str]:
    """Commune variables read from the stored observations (catalogue + registries)."""
    names: set[str] = {c.BIRTHS, *c.PLACE_VARIABLES, "familles_monoparentales_caf"}
    for ind in catalogue().indicators.values():
        if ind.kind in ("somme", "ratio", "evolution"):
            names.update(ind.variables)
    return sorted(names - COMPUTED_HERE)


def _poverty_target(year: int) -> float:
    return float(load()["objectifs"]["part_enfants_pauvres_eaje"].at(dt.date(year, 12, 31)))


def _below_target(codes: list[str] | None) -> pd.DataFrame:
    declared = Establishment.objects.filter(poor_share__isnull=False)
    if codes is not None:
        declared = declared.filter(commune__in=codes)
    rows = list(declared.values_list("commune", "year", "poor_share"))
    frame = pd.DataFrame(rows, columns=[c.CODE, c.YEAR, "share"])
    if frame.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, "eaje_sous_objectif_pauvrete"])
    targets = {year: _poverty_target(int(year)) for year in frame[c.YEAR].unique()}
    frame["eaje_sous_objectif_pauvrete"] = (frame["share"] < frame[c.YEAR].map(targets)).astype(
        float
    )
    return frame.groupby([c.CODE, c.YEAR], as_index=False)["eaje_sous_objectif_pauvrete"].sum()


def service_points() -> pd.DataFrame:
    """Every stored family service (all départements) with a point: its own coordinates, else
    its commune's main point."""
    rows = list(
        FamilyService.objects.values_list(
            "year", "kind", "name", "commune", "longitude", "latitude"
        )
    )
    frame = pd.DataFrame(rows, columns=[c.YEAR, "type", "nom", c.CODE, "lon", "lat"])
    if frame.empty:
        return frame
    points = pd.DataFrame(
        list(
            Territory.objects.filter(level=c.COMMUNE, code__in=set(frame[c.CODE])).values_list(
                "code", "longitude", "latitude"
            )
        ),
        columns=[c.CODE, "clon", "clat"],
    )
    frame = frame.merge(points, on=c.CODE, how="left")
    frame["lon"] = frame["lon"].astype(float).fillna(frame["clon"])
    frame["lat"] = frame["lat"].astype(float).fillna(frame["clat"])
    return frame.drop(columns=["clon", "clat"])


def _distances(communes: pd.DataFrame) -> pd.DataFrame:
    """Distance (km) from each commune's main point to the nearest service of each type, for
    each year that has services (all départements count: no border effect)."""
    services = service_points()
    if services.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR])
    origins = communes[["longitude", "latitude"]].to_numpy(dtype=float)
    epsgs = communes[c.DEPARTEMENT_CODE].map(epsg_for).to_numpy()
    frames = []
    for year, of_year in services.groupby(c.YEAR):
        out = pd.DataFrame({c.CODE: communes[c.CODE].to_numpy(), c.YEAR: int(year)})
        for kind in SERVICE_TYPES:
            points = of_year.loc[of_year["type"] == kind, ["lon", "lat"]].to_numpy(dtype=float)
            distance = np.full(len(communes), np.nan)
            if len(points):
                for epsg in np.unique(epsgs):
                    mask = epsgs == epsg
                    distance[mask] = nearest_distance_km(origins[mask], points, int(epsg))
            out[distance_variable(kind)] = distance
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def _with_qpv(communes: pd.DataFrame) -> pd.DataFrame:
    """1 for a commune holding all or part of a QPV, 0 for the others of the départements the
    QPV files cover (every département once a national list is imported), for the QPV year."""
    links = pd.DataFrame(
        list(QpvCommune.objects.values_list("qpv", "commune", "file__years")),
        columns=["qpv", c.CODE, "years"],
    )
    if links.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, "commune_avec_qpv"])
    year = max(int(y) for years in links["years"] for y in years)
    covered = {qpv_departement(q) for q in links["qpv"]}
    deps = communes[c.DEPARTEMENT_CODE]
    known = deps.isin(covered) | (len(covered) >= NATIONAL_LIST_DEPARTEMENTS)
    return pd.DataFrame(
        {
            c.CODE: communes.loc[known, c.CODE],
            c.YEAR: year,
            "commune_avec_qpv": communes.loc[known, c.CODE].isin(set(links[c.CODE])).astype(float),
        }
    )


def commune_inputs(codes: list[str] | None, departement: str | None = None) -> pd.DataFrame:
    """Wide commune variables (``code``, ``annee``, variables...) for ``codes`` (every commune
    with None), derived ones included (sdsf.core.indicators.derive). ``departement``: the
    codes are those a table of this département reads (its catchments are computed on its
    neighbourhood only)."""
    wide = wide_observations(observations(_stored_variables(), c.COMMUNE, codes))
    quantities, _ = commune_quantities(codes)
    children = quantities[[c.CODE, c.YEAR, c.CHILDREN_UNDER_3]]
    births = observations([c.BIRTHS], c.COMMUNE, codes)
    under_6 = children_from_births(
        births.rename(columns={c.VALUE: c.BIRTHS}), ages=6, name=CHILDREN_UNDER_6
    )
    places = Territory.objects.filter(level=c.COMMUNE)
    if codes is not None:
        places = places.filter(code__in=codes)
    communes = pd.DataFrame(
        list(places.values_list("code", "area_km2", "longitude", "latitude", "departement")),
        columns=[c.CODE, AREA, "longitude", "latitude", c.DEPARTEMENT_CODE],
    )
    keys = [c.CODE, c.YEAR]
    accessible = accessible_places(departement=departement)
    if codes is not None:
        accessible = accessible[accessible[c.CODE].isin(set(codes))]
    extras = (
        children,
        under_6,
        _below_target(codes),
        _distances(communes),
        _with_qpv(communes),
        accessible,
    )
    for extra in extras:
        if not extra.empty:
            wide = wide.merge(extra, on=keys, how="outer") if not wide.empty else extra.copy()
    if wide.empty:
        return wide
    if "eaje_sous_objectif_pauvrete" in wide and "places_pauvrete_renseignee_eaje" in wide:
        known = wide["places_pauvrete_renseignee_eaje"].notna()
        wide.loc[known, "eaje_sous_objectif_pauvrete"] = wide.loc[
            known, "eaje_sous_objectif_pauvrete"
        ].fillna(0.0)
    wide[AREA] = wide[c.CODE].map(communes.set_index(c.CODE)[AREA]).astype(float)
    threshold = float(load()["diagnostic"]["seuil_peu_dense"].values[-1][1])
    return derive(wide, threshold)


def qpv_group_values(members: pd.DataFrame) -> pd.DataFrame | None:
    """QPV quantities per group (QPV entirely inside the group), None without QPV data."""
    links = pd.DataFrame(
        list(
            QpvCommune.objects.filter(commune__in=set(members[c.CODE])).values_list(
                "qpv", "commune"
            )
        ),
        columns=[c.CODE, "commune"],
    )
    if links.empty:
        return None
    all_links = pd.DataFrame(
        list(QpvCommune.objects.filter(qpv__in=set(links[c.CODE])).values_list("qpv", "commune")),
        columns=[c.CODE, "commune"],
    )
    obs = observations(
        ["population_qpv", "enfants_0_2_ans_caf"], c.QPV, sorted(set(all_links[c.CODE]))
    )
    items = wide_observations(obs).rename(columns={"enfants_0_2_ans_caf": "enfants_0_2_ans_qpv"})
    if items.empty:
        return None
    items["nombre_qpv"] = 1.0
    for variable in QPV_VARIABLES:
        if variable not in items:
            items[variable] = np.nan
    return sum_contained(items, all_links, members, QPV_VARIABLES)
