"""Web geometries: neighbours stay edge-matched after simplification."""

from __future__ import annotations

import json

import numpy as np
import shapely

from sdsf.core.geography import simplified_geojson


def test_shared_border_is_simplified_once():
    # Two neighbours sharing a jagged border: simplified separately they would tear apart.
    xs = np.linspace(0, 1, 200)
    border = [(x, 0.5 + 0.01 * np.sin(40 * x)) for x in xs]
    south = shapely.Polygon([(0, 0), (1, 0), *border[::-1]])
    north = shapely.Polygon([*border, (1, 1), (0, 1)])
    light = simplified_geojson(np.array([south, north, None], dtype=object), tolerance=0.02)
    assert light[2] is None
    a, b = (shapely.from_geojson(text) for text in light[:2])
    assert shapely.intersection(a, b).area < 1e-9  # no overlap
    assert abs(shapely.union_all([a, b]).area - 1.0) < 1e-6  # no gap
    assert len(json.loads(light[0])["coordinates"][0]) < 100  # and lighter
