"""Static maps for documents (PNG at print resolution, SVG): choropleth, legend, labels of the
main towns, optional proportional symbols, and the producer and vintage under the map.

Drawn with matplotlib (Agg backend, no display) from the WGS84 GeoJSON geometries, with the
local aspect ratio of an equirectangular view (1 / cos(latitude)), enough at département scale.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import shapely

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.transforms import Bbox
from numpy.typing import NDArray

from sdsf.reports.print_geometry import TOLERANCE_PT, compound_path, polygons, print_outlines

PRINT_DPI = 300
# No date in the files: the same figure gives the same bytes.
_METADATA: dict[str, dict[str, str | None]] = {"svg": {"Date": None}, "png": {"Software": None}}


def figure_bytes(fig: Figure, fmt: str, bbox_inches: str | Bbox | None = None) -> bytes:
    """``fig`` as PNG at :data:`PRINT_DPI` or SVG (text kept as text), without a date."""
    buffer = io.BytesIO()
    # SVG text as text in the document's font (DejaVu Sans, matplotlib's), not one path per
    # glyph: WeasyPrint draws each glyph as a node (two thirds of the nodes of a map), while
    # text is laid out once, stays sharp and can be selected. Stable ids (hash salt).
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "sdsf"}):
        fig.savefig(
            buffer,
            format=fmt,
            dpi=PRINT_DPI,
            bbox_inches=bbox_inches,
            metadata=_METADATA.get(fmt),
        )
    return buffer.getvalue()


@dataclass
class Area:
    geojson: str
    color: str
    hatched: bool = False  # e.g. a territory changed by hand


@dataclass
class StaticMap:
    title: str
    areas: list[Area]
    legend: list[tuple[str, str]]  # (colour, label)
    source: str
    labels: list[tuple[float, float, str]] = field(default_factory=list)  # lon, lat, text
    symbols: list[tuple[float, float, float]] = field(default_factory=list)  # lon, lat, value
    symbol_label: str = ""


def _layout(
    spec: StaticMap, width_cm: float, geometries: NDArray[np.object_]
) -> tuple[Figure, Axes]:
    """The figure and its axes, limits and aspect set from the outlines (before drawing them,
    so that the scale on paper is known)."""
    width = width_cm / 2.54
    fig, ax = plt.subplots(figsize=(width, width * 0.9))
    present = [g for g in geometries if g is not None]
    lats = [float(shapely.get_coordinates(g)[:, 1].mean()) for g in present]
    if present:
        x0, y0, x1, y1 = shapely.total_bounds(present)
        ax.update_datalim([(x0, y0), (x1, y1)])
    ax.autoscale_view()
    mean_lat = sum(lats) / len(lats) if lats else 46.5
    ax.set_aspect(1 / math.cos(math.radians(mean_lat)))
    ax.set_axis_off()
    return fig, ax


def _points_per_degree(fig: Figure, ax: Axes) -> float:
    """Printed points (1/72 in) per degree of latitude on the figure's map."""
    ax.apply_aspect()
    (_, low), (_, high) = ax.transData.transform([(0.0, 0.0), (0.0, 1.0)])
    return float(abs(high - low) / fig.dpi * 72)


def _areas(
    spec: StaticMap, fig: Figure, ax: Axes, geometries: NDArray[np.object_], simplify: bool
) -> None:
    """The choropleth: one compound path per colour (and one for the hatched areas), drawn
    from the outlines simplified as a coverage at :data:`TOLERANCE_PT` on paper."""
    if simplify:
        tolerance = TOLERANCE_PT / _points_per_degree(fig, ax)
        geojsons = tuple(area.geojson for area in spec.areas)
        geometries = print_outlines(geojsons, tolerance, 1 / float(ax.get_aspect()))
    by_color: dict[str, list[int]] = {}
    for index, area in enumerate(spec.areas):
        by_color.setdefault(area.color, []).append(index)
    patches, colors = [], []
    for color, indices in by_color.items():
        path = compound_path(geometries[indices])
        if path is not None:
            patches.append(PathPatch(path))
            colors.append(color)
    ax.add_collection(
        PatchCollection(patches, facecolor=colors, edgecolor="#555555", linewidth=0.25),
        autolim=False,
    )
    hatched = compound_path(geometries[[i for i, a in enumerate(spec.areas) if a.hatched]])
    if hatched is not None:
        ax.add_collection(
            PatchCollection(
                [PathPatch(hatched)],
                facecolor="none",
                edgecolor="#161616",
                linewidth=0.5,
                hatch="////",
            ),
            autolim=False,
        )


def _figure(spec: StaticMap, width_cm: float, simplify: bool) -> Figure:
    geometries = polygons(tuple(area.geojson for area in spec.areas))
    fig, ax = _layout(spec, width_cm, geometries)
    _areas(spec, fig, ax, geometries, simplify)
    if spec.symbols:
        top = max(v for _, _, v in spec.symbols) or 1
        ax.scatter(
            [x for x, _, _ in spec.symbols],
            [y for _, y, _ in spec.symbols],
            s=[300 * v / top for _, _, v in spec.symbols],
            facecolor="none",
            edgecolor="#000091",
            linewidth=0.6,
            label=spec.symbol_label,
        )
    for lon, lat, text in spec.labels:
        ax.annotate(
            text,
            (lon, lat),
            fontsize=6,
            ha="center",
            va="bottom",
            color="#161616",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    handles: list[object] = [
        Patch(
            facecolor=col,
            edgecolor="#555555",
            label=lab,
            hatch="////" if lab.startswith("hachures") else None,
        )
        for col, lab in spec.legend
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=6.5,
        frameon=False,
    )
    ax.set_title(spec.title, fontsize=9, loc="left")
    fig.text(0.01, 0.01, spec.source, fontsize=5.5, color="#555555", ha="left", va="bottom")
    return fig


def render(
    spec: StaticMap, fmt: str = "png", width_cm: float = 16.0, *, simplify: bool = True
) -> bytes:
    """The map as PNG (300 dpi) or SVG bytes. The outlines are simplified for print unless
    ``simplify`` is false; in SVG the text stays text (the document's font, selectable and
    read by assistive technologies) instead of one path per glyph."""
    fig = _figure(spec, width_cm, simplify)
    data = figure_bytes(fig, fmt, bbox_inches="tight")
    plt.close(fig)
    return data


def render_both(
    spec: StaticMap, width_cm: float = 16.0, *, simplify: bool = True
) -> tuple[bytes, bytes]:
    """The map as PNG (for DOCX) and SVG (for HTML and PDF) from one figure, its tight frame
    measured once (a draw fewer per format than :func:`render` twice)."""
    fig = _figure(spec, width_cm, simplify)
    fig.set_dpi(PRINT_DPI)
    fig.draw_without_rendering()  # lays out title and legend, as savefig does before measuring
    frame = fig.get_tightbbox(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    padded = frame.padded(matplotlib.rcParams["savefig.pad_inches"])
    png, svg = figure_bytes(fig, "png", padded), figure_bytes(fig, "svg", padded)
    plt.close(fig)
    return png, svg
