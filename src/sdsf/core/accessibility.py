"""Distance from places where families live to the nearest service.

Straight-line distance in a projected system (Lambert-93 in metropolitan France, the legal
projection overseas: sdsf.core.geography), from each origin point (a commune's main point) to
the nearest destination point (a service, by its coordinates or its commune's point), found with
a KD-tree (scipy.spatial.cKDTree): O(n log m), no pairwise matrix. Destinations across the
département border count: the caller passes every service it knows of.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from pyproj import Transformer
from scipy.spatial import cKDTree

from sdsf.core.geography import WGS84

FloatArray = npt.NDArray[np.float64]


def projected_xy(lon: FloatArray, lat: FloatArray, epsg: int) -> FloatArray:
    """WGS84 longitudes and latitudes as an (n, 2) array of metres in ``epsg``."""
    transformer = Transformer.from_crs(WGS84, epsg, always_xy=True)
    x, y = transformer.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack([x, y])


def nearest_distance_km(origins: FloatArray, destinations: FloatArray, epsg: int) -> FloatArray:
    """Distance in km from each origin (lon, lat rows) to the nearest destination.

    Origins with unknown coordinates get NaN; with no destination at all, every distance is
    NaN (there is no nearest service, which the caller reports as a « zone blanche »).
    """
    origins = np.asarray(origins, dtype=float).reshape(-1, 2)
    destinations = np.asarray(destinations, dtype=float).reshape(-1, 2)
    destinations = destinations[np.isfinite(destinations).all(axis=1)]
    result = np.full(len(origins), np.nan)
    known = np.isfinite(origins).all(axis=1)
    if len(destinations) == 0 or not known.any():
        return result
    # Destinations outside the projection's domain (the services of another ocean, in a
    # national database, for the communes of one DOM) project to infinity: left out.
    projected = projected_xy(destinations[:, 0], destinations[:, 1], epsg)
    projected = projected[np.isfinite(projected).all(axis=1)]
    if len(projected) == 0:
        return result
    tree = cKDTree(projected)
    distances, _ = tree.query(projected_xy(origins[known, 0], origins[known, 1], epsg), k=1)
    result[known] = distances / 1000
    return result
