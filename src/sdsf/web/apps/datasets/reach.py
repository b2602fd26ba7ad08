"""How far a change of data reaches: the départements whose tables it may alter.

A département's tables read its communes, the other communes of the EPCI it shares with other
départements (an EPCI's figures are those of all its communes), and, for the catchment
indicators, every commune within two catchment radii (2SFCA: the supply within reach of a
commune is shared among the demand within reach of that supply). A change in départements D
therefore reaches P(W(P(D))): P adds the départements sharing an EPCI, W those with a commune
within two radii of one of theirs. Both relations are symmetric, so a département's tables are
exactly as fresh as the changes that reach it.

Distances are taken between commune points snapped to cells of :data:`CELL_KM` on the sphere,
with the cell's diagonal added: the neighbours found are a superset, never fewer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from sdsf.core import columns as c
from sdsf.parameters import load
from sdsf.web.apps.territories.models import Territory

EARTH_KM = 6371.0
CELL_KM = 10.0


def catchment_reach_km() -> float | None:
    """Two catchment radii in km, or None when catchments follow an imported travel-time
    matrix (their reach is not a distance: every département counts then)."""
    from sdsf.web.apps.diagnostic.catchment_points import has_travel_times

    if has_travel_times():
        return None
    radius = float(str(load().at(dt.date.today())["accessibilite"]["rayon_km"]))
    return 2 * radius


def _communes() -> pd.DataFrame:
    return pd.DataFrame(
        list(
            Territory.objects.filter(level=c.COMMUNE).values_list(
                "departement", "epci", "longitude", "latitude"
            )
        ),
        columns=[c.DEPARTEMENT_CODE, c.EPCI, "lon", "lat"],
    )


def epci_partners(communes: pd.DataFrame) -> dict[str, set[str]]:
    """Département -> the départements it shares an EPCI with (itself included)."""
    partners: dict[str, set[str]] = defaultdict(set)
    for dep in communes[c.DEPARTEMENT_CODE].unique():
        partners[str(dep)].add(str(dep))
    pairs = communes.loc[communes[c.EPCI].fillna("") != "", [c.EPCI, c.DEPARTEMENT_CODE]]
    for _, deps in pairs.drop_duplicates().groupby(c.EPCI)[c.DEPARTEMENT_CODE]:
        members = {str(d) for d in deps}
        for dep in members:
            partners[dep] |= members
    return dict(partners)


def within(communes: pd.DataFrame, reach_km: float) -> dict[str, set[str]]:
    """Département -> the départements with a commune point within ``reach_km`` of one of its
    own (itself included), on the sphere, through cells of :data:`CELL_KM`."""
    points = communes.dropna(subset=["lon", "lat"])
    lon = np.radians(points["lon"].to_numpy(dtype=float))
    lat = np.radians(points["lat"].to_numpy(dtype=float))
    xyz = EARTH_KM * np.column_stack(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
    )
    cells = pd.DataFrame(np.floor(xyz / CELL_KM), columns=["x", "y", "z"])
    cells[c.DEPARTEMENT_CODE] = points[c.DEPARTEMENT_CODE].to_numpy()
    cells = cells.drop_duplicates().reset_index(drop=True)
    centres = (cells[["x", "y", "z"]].to_numpy() + 0.5) * CELL_KM
    pairs = cKDTree(centres).query_pairs(reach_km + CELL_KM * np.sqrt(3), output_type="ndarray")
    deps = cells[c.DEPARTEMENT_CODE].to_numpy()
    out: dict[str, set[str]] = {str(d): {str(d)} for d in np.unique(deps)}
    linked = pd.DataFrame({"a": deps[pairs[:, 0]], "b": deps[pairs[:, 1]]}).drop_duplicates()
    for a, b in zip(linked["a"], linked["b"], strict=True):
        out[str(a)].add(str(b))
        out[str(b)].add(str(a))
    return out


def _relations(reach_km: float) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(EPCI partners, neighbours within ``reach_km``), stored until territories change."""
    from sdsf.web.apps.datasets.models import DataRevision
    from sdsf.web.apps.datasets.stored import remember

    base = DataRevision.objects.filter(pk=1).values_list("base", flat=True).first() or "0"

    def compute() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        communes = _communes()
        return epci_partners(communes), within(communes, reach_km)

    return remember(f"sdsf:voisinage:{base}:{reach_km:g}", compute)


def _closure(relation: dict[str, set[str]], deps: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for dep in deps:
        out |= relation.get(dep, {dep})
    return out


def reached(departements: Iterable[str]) -> set[str] | None:
    """The départements whose tables a change in ``departements`` may alter, or None when it
    may alter every département's (catchments by travel time)."""
    touched = {d for d in departements if d}
    if not touched:
        return set()
    reach = catchment_reach_km()
    if reach is None:
        return None
    partners, near = _relations(reach)
    return _closure(partners, _closure(near, _closure(partners, touched)))


def neighbourhood(departement: str) -> set[str] | None:
    """The départements whose data one département's tables read: W(P(departement)) (None:
    all of them, catchments by travel time)."""
    reach = catchment_reach_km()
    if reach is None:
        return None
    partners, near = _relations(reach)
    return _closure(near, _closure(partners, {departement}))
