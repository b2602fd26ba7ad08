"""Static maps for documents (PNG at print resolution, SVG): choropleth, legend, labels of the
main towns, optional proportional symbols, and the producer and vintage under the map.

Drawn with matplotlib (Agg backend, no display) from the WGS84 GeoJSON geometries, with the
local aspect ratio of an equirectangular view (1 / cos(latitude)), enough at département scale.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

PRINT_DPI = 300


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


def _rings(geometry: dict[str, object]) -> list[list[list[list[float]]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates", [])
    if kind == "Polygon":
        return [coords]  # type: ignore[list-item]
    if kind == "MultiPolygon":
        return list(coords)  # type: ignore[call-overload]
    return []


def _path(geojson: str) -> Path | None:
    polygons = _rings(json.loads(geojson))
    paths = [Path(ring, closed=True) for polygon in polygons for ring in polygon if len(ring) > 2]
    return Path.make_compound_path(*paths) if paths else None


def render(spec: StaticMap, fmt: str = "png", width_cm: float = 16.0) -> bytes:
    """The map as PNG (300 dpi) or SVG bytes."""
    patches, colors, lats, hatched = [], [], [], []
    for area in spec.areas:
        path = _path(area.geojson)
        if path is None:
            continue
        patches.append(PathPatch(path))
        colors.append(area.color)
        lats.append(path.vertices[:, 1].mean())
        if area.hatched:
            hatched.append(PathPatch(path))
    width = width_cm / 2.54
    fig, ax = plt.subplots(figsize=(width, width * 0.9))
    collection = PatchCollection(patches, facecolor=colors, edgecolor="#555555", linewidth=0.25)
    ax.add_collection(collection)
    if hatched:
        ax.add_collection(
            PatchCollection(
                hatched, facecolor="none", edgecolor="#161616", linewidth=0.5, hatch="////"
            )
        )
    ax.autoscale_view()
    mean_lat = sum(lats) / len(lats) if lats else 46.5
    ax.set_aspect(1 / math.cos(math.radians(mean_lat)))
    ax.set_axis_off()
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
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=PRINT_DPI, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
