"""Charts for documents, drawn with matplotlib (Agg): PNG at print resolution for DOCX and SVG
for HTML and PDF, with French number formatting on the axes."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sdsf.reports.formatting import french_number
from sdsf.reports.maps import figure_bytes

BLUE = "#000091"
RED = "#ce614a"
GREY = "#929292"
PALETTE = [BLUE, "#6a6af4", GREY, "#e4a07f"]


def _axes(width_cm: float, height_cm: float) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(width_cm / 2.54, height_cm / 2.54))
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: french_number(v, 0)))
    return fig, ax


def _both(fig: Figure, source: str) -> tuple[bytes, bytes]:
    fig.text(0.01, 0.005, source, fontsize=5.5, color="#555555", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    png, svg = figure_bytes(fig, "png"), figure_bytes(fig, "svg")
    plt.close(fig)
    return png, svg


def progress_chart(
    values: Sequence[tuple[int, float]],
    targets: Sequence[tuple[int, float]],
    unit: str,
    source: str,
    width_cm: float = 12.0,
) -> tuple[bytes, bytes]:
    """An indicator's values by year (line) against its yearly targets (diamonds)."""
    fig, ax = _axes(width_cm, 5.5)
    if targets:
        ax.scatter(
            [y for y, _ in targets],
            [v for _, v in targets],
            marker="D",
            s=22,
            color=RED,
            label="cible",
            zorder=3,
        )
    if values:
        ax.plot(
            [y for y, _ in values],
            [v for _, v in values],
            marker="o",
            markersize=4,
            color=BLUE,
            label="valeur",
            zorder=4,
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(unit, fontsize=7)
    ax.legend(fontsize=6.5, frameon=False, loc="lower right")
    return _both(fig, source)


def grouped_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    unit: str,
    source: str,
    digits: int = 1,
    width_cm: float = 16.0,
) -> tuple[bytes, bytes]:
    """One group of bars per category, one bar per series, each labelled with its value; a
    missing value leaves a gap (never drawn as zero)."""
    fig, ax = _axes(width_cm, 6.5)
    count = max(len(series), 1)
    width = 0.8 / count
    for index, (label, values) in enumerate(series.items()):
        xs = [i + (index - (count - 1) / 2) * width for i in range(len(categories))]
        shown = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        bars = ax.bar(
            [x for x, _ in shown],
            [v for _, v in shown],
            width * 0.92,
            color=PALETTE[index % len(PALETTE)],
            label=label,
        )
        ax.bar_label(
            bars, labels=[french_number(v, digits) for _, v in shown], fontsize=6, padding=1
        )
    ax.set_xticks(range(len(categories)), categories, fontsize=7)
    ax.set_ylabel(unit, fontsize=7)
    ax.legend(fontsize=6.5, frameon=False)
    return _both(fig, source)
