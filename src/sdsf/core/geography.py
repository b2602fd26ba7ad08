"""Geometry helpers: projected systems, areas, simplification for maps.

Geometries are stored in WGS84 (EPSG:4326). Distances and areas are computed in the legal
projected system of the territory (décret 2019-165, IGN): Lambert-93 in metropolitan France,
UTM/RGAF09 in the Antilles, RGFG95 in Guyane, RGR92 in La Réunion, RGM04 in Mayotte.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Transformer

WGS84 = 4326
LAMBERT_93 = 2154
OVERSEAS_EPSG: dict[str, int] = {
    "971": 5490,  # Guadeloupe, RGAF09 / UTM 20N
    "972": 5490,  # Martinique, RGAF09 / UTM 20N
    "973": 2972,  # Guyane, RGFG95 / UTM 22N
    "974": 2975,  # La Réunion, RGR92 / UTM 40S
    "976": 4471,  # Mayotte, RGM04 / UTM 38S
}


def epsg_for(departement: str) -> int:
    """EPSG code of the projected system to measure distances and areas in a département."""
    return OVERSEAS_EPSG.get(departement, LAMBERT_93)


@cache
def _to_projected(epsg: int) -> Transformer:
    return Transformer.from_crs(WGS84, epsg, always_xy=True)


def project(geometries: npt.NDArray[np.object_], epsg: int) -> npt.NDArray[np.object_]:
    """WGS84 geometries transformed to ``epsg`` (vectorised over coordinates)."""
    transformer = _to_projected(epsg)

    def _transform(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return np.asarray(shapely.transform(geometries, _transform), dtype=object)


def areas_km2(
    geometries: npt.NDArray[np.object_], departements: npt.NDArray[np.str_]
) -> npt.NDArray[np.float64]:
    """Area in km² of each WGS84 geometry, measured in its département's projected system."""
    result = np.full(len(geometries), np.nan)
    epsgs = np.array([epsg_for(str(d)) for d in departements])
    for epsg in np.unique(epsgs):
        mask = epsgs == epsg
        result[mask] = shapely.area(project(geometries[mask], int(epsg))) / 1e6
    return result


def simplified_geojson(
    geometries: npt.NDArray[np.object_], tolerance: float = 0.0004, precision: int = 5
) -> list[str | None]:
    """Light GeoJSON strings for web maps, simplified as a coverage: a border shared by two
    territories is simplified once, so neighbours stay edge-matched (no gaps, no overlaps)
    (GEOS coverage simplification, Visvalingam-Whyatt); coordinates rounded."""
    out: list[str | None] = [None] * len(geometries)
    present = ~shapely.is_missing(geometries)
    if not present.any():
        return out
    simple = shapely.coverage_simplify(geometries[present], tolerance)
    rounded = shapely.set_precision(simple, 10.0**-precision, mode="pointwise")
    for index, geometry in zip(np.flatnonzero(present), rounded, strict=True):
        out[int(index)] = shapely.to_geojson(geometry)
    return out


def group_union(
    geometries: npt.NDArray[np.object_], groups: npt.NDArray[np.str_]
) -> dict[str, object]:
    """Union of the geometries of each group (communes are a coverage: fast union)."""
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    sorted_geoms = geometries[order]
    keys, starts = np.unique(sorted_groups, return_index=True)
    bounds = [*starts[1:], len(sorted_groups)]
    result: dict[str, object] = {}
    for key, start, end in zip(keys, starts, bounds, strict=True):
        parts = sorted_geoms[start:end]
        parts = parts[~shapely.is_missing(parts)]
        result[str(key)] = _union(parts) if len(parts) else None
    return result


def _union(parts: npt.NDArray[np.object_]) -> object:
    """Fast coverage union; exact union where the package's polygons overlap slightly."""
    try:
        return shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:
        return shapely.union_all(shapely.make_valid(parts))


def locate(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    geometries: npt.NDArray[np.object_],
    codes: npt.NDArray[np.object_],
) -> npt.NDArray[np.object_]:
    """The code of the polygon that holds each point (WGS84), ``""`` outside all of them. A
    point on a shared edge goes to the first polygon listed. One STRtree query for all points."""
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    found = np.full(len(points), "", dtype=object)
    if len(points) == 0 or len(geometries) == 0:
        return found
    point_index, polygon_index = shapely.STRtree(geometries).query(points, predicate="intersects")
    order = np.lexsort((polygon_index, point_index))
    point_index, polygon_index = point_index[order], polygon_index[order]
    _, first = np.unique(point_index, return_index=True)
    found[point_index[first]] = np.asarray(codes, dtype=object)[polygon_index[first]]
    return found
