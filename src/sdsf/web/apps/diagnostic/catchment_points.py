"""Where demand and supply stand, and the costs between them, for the catchment computation.

Demand: the children under 3 of each commune at its representative point or, where a fine grid
was imported (``carreaux-enfants``), spread over the commune's cells in proportion to the
cells' counts (the commune total stays the census one; the grid only says where inside the
commune families live). Supply: the places of the five modes at the commune point, except EAJE
with coordinates, placed where they stand.

Costs: straight-line distance in the département's legal projection by default; with an
imported travel-time matrix (``distancier``), minutes between communes, demand and supply then
both at commune level (a commune reaches itself at 0 minute when the matrix omits it; a commune
absent from the matrix as an origin has no known catchment).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.accessibility import projected_xy
from sdsf.core.catchment import Pairs, pairs_from_costs, pairs_within
from sdsf.web.apps.datasets.models import GridCell, TravelTime
from sdsf.web.apps.datasets.services import values_for_codes


@dataclass(frozen=True)
class Layout:
    """Demand points (each owned by a commune of the group), supply points and their pairs."""

    demand: np.ndarray  # children at each demand point, NaN when unknown
    owner: np.ndarray  # position in the group of the commune of each demand point
    supply: np.ndarray  # places at each supply point, NaN when unknown
    to_supply: Pairs  # demand point -> supply point
    to_demand: Pairs | None  # demand point -> demand point (floating catchment ratio only)
    no_cost: np.ndarray  # demand points whose costs are unknown

    @property
    def cells(self) -> int:
        return len(self.demand) - len(np.unique(self.owner))


def _cells(codes: pd.Series, year: int) -> pd.DataFrame:
    """Grid cells of these communes: the latest grid up to ``year``, else the oldest one."""
    years = sorted(set(GridCell.objects.values_list("year", flat=True)))
    if not years:
        return pd.DataFrame(columns=[c.CODE, "lon", "lat", "enfants"])
    chosen = max((y for y in years if y <= year), default=years[0])
    rows = values_for_codes(
        GridCell.objects.filter(year=chosen),
        "commune",
        codes,
        "commune",
        "longitude",
        "latitude",
        "children",
    )
    return pd.DataFrame(rows, columns=[c.CODE, "lon", "lat", "enfants"])


def _demand_points(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """``owner``, ``lon``, ``lat``, ``demand``: the communes' children, on their cells if any."""
    children = frame[c.CHILDREN_UNDER_3].to_numpy(dtype=float)
    communes = pd.DataFrame(
        {"owner": np.arange(len(frame)), "lon": frame["lon"], "lat": frame["lat"]}
    )
    communes["demand"] = children
    cells = _cells(frame[c.CODE], year)
    if cells.empty:
        return communes
    position = pd.Series(np.arange(len(frame)), index=frame[c.CODE].to_numpy())
    cells["owner"] = cells[c.CODE].map(position).astype(int)
    total = cells.groupby("owner")["enfants"].transform("sum")
    cells = cells[total > 0]
    share = cells["enfants"] / total[total > 0]
    cells["demand"] = share.to_numpy() * children[cells["owner"].to_numpy()]
    gridded = set(cells["owner"])
    rest = communes[~communes["owner"].isin(gridded)]
    return pd.concat([rest, cells[["owner", "lon", "lat", "demand"]]], ignore_index=True)


def straight_line(
    frame: pd.DataFrame, eaje: pd.DataFrame, year: int, epsg: int, radius: float, fca: bool
) -> Layout:
    """Distances in metres in ``epsg`` up to ``radius``."""
    points = _demand_points(frame, year)
    demand_xy = projected_xy(points["lon"].to_numpy(), points["lat"].to_numpy(), epsg)
    commune_xy = projected_xy(frame["lon"].to_numpy(), frame["lat"].to_numpy(), epsg)
    supply = frame[c.PLACES_TOTAL].to_numpy(dtype=float).copy()
    supply_xy = commune_xy
    if not eaje.empty:  # EAJE with coordinates stand where they are
        moved = eaje.groupby(c.CODE)["places"].sum()
        positions = frame[c.CODE].isin(moved.index).to_numpy()
        supply[positions] -= frame.loc[positions, c.CODE].map(moved).to_numpy()
        supply_xy = np.vstack(
            [commune_xy, projected_xy(eaje["lon"].to_numpy(), eaje["lat"].to_numpy(), epsg)]
        )
        supply = np.concatenate([supply, eaje["places"].to_numpy(dtype=float)])
    return Layout(
        demand=points["demand"].to_numpy(dtype=float),
        owner=points["owner"].to_numpy(dtype=np.int64),
        supply=supply,
        to_supply=pairs_within(demand_xy, supply_xy, radius),
        to_demand=pairs_within(demand_xy, demand_xy, radius) if fca else None,
        no_cost=np.zeros(len(points), dtype=bool),
    )


def has_travel_times() -> bool:
    return TravelTime.objects.exists()


def _times(codes: list[str]) -> pd.DataFrame:
    """The latest matrix's minutes between these communes."""
    latest = TravelTime.objects.order_by("-year").values_list("year", flat=True).first()
    rows = values_for_codes(
        TravelTime.objects.filter(year=latest),
        "commune",
        codes,
        "commune",
        "destination",
        "minutes",
    )
    return pd.DataFrame(rows, columns=["origin", "destination", "minutes"])


def travel_times(frame: pd.DataFrame, limit: float, fca: bool) -> Layout:
    """Minutes between communes from the imported matrix, up to ``limit``."""
    codes = frame[c.CODE].tolist()
    position = pd.Series(np.arange(len(codes)), index=codes)
    times = _times(codes)
    times = times[times["destination"].isin(position.index)]
    origin = times["origin"].map(position).to_numpy(dtype=np.int64)
    destination = times["destination"].map(position).to_numpy(dtype=np.int64)
    minutes = times["minutes"].to_numpy(dtype=float)
    listed = np.zeros(len(codes), dtype=bool)
    listed[origin] = True
    reaches_itself = np.zeros(len(codes), dtype=bool)
    reaches_itself[origin[origin == destination]] = True
    missing_self = np.flatnonzero(listed & ~reaches_itself)
    if len(missing_self):
        origin = np.concatenate([origin, missing_self])
        destination = np.concatenate([destination, missing_self])
        minutes = np.concatenate([minutes, np.zeros(len(missing_self))])
    pairs = pairs_from_costs(origin, destination, minutes, (len(codes), len(codes)), limit)
    return Layout(
        demand=frame[c.CHILDREN_UNDER_3].to_numpy(dtype=float),
        owner=np.arange(len(codes), dtype=np.int64),
        supply=frame[c.PLACES_TOTAL].to_numpy(dtype=float),
        to_supply=pairs,
        to_demand=pairs if fca else None,
        no_cost=~listed,
    )
