"""Small inline SVG charts for the pages (no script, printable): an indicator's values by year
against its targets."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from sdsf.reports.formatting import french_number

VALUE_COLOR = "#000091"
TARGET_COLOR = "#ce614a"


def progress_svg(
    values: Sequence[tuple[int, float]],
    targets: Sequence[tuple[int, float]],
    label: str,
    width: int = 320,
    height: int = 120,
) -> str:
    """Values as a line with dots (drawn over the targets), targets as red diamonds; years on
    the axis. The vertical scale spans zero and every value and target, whatever their sign
    (a decreasing or negative target is drawn like any other); a value or target that is not
    a finite number is left out; one value alone, or equal values, still draw."""
    values = _finite(values)
    targets = _finite(targets)
    points = values + targets
    if not points:
        return ""
    years = sorted({y for y, _ in points})
    low = min(0.0, min(v for _, v in points))
    high = max(0.0, max(v for _, v in points))
    if high == low:  # every point at zero
        high = low + 1.0
    left, right, top, bottom = 38, 18, 10, 22

    def x(year: int) -> float:
        if len(years) == 1:
            return (left + width - right) / 2
        return left + (year - years[0]) / (years[-1] - years[0]) * (width - left - right)

    def y(value: float) -> float:
        # halved, so that values near the largest floats do not overflow
        share = (high / 2 - value / 2) / (high / 2 - low / 2)
        return top + share * (height - top - bottom)

    zero = 0.0
    parts = [
        f'<svg class="sdsf-chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">',
        f'<line x1="{left}" y1="{y(zero):.1f}" x2="{width - right}" y2="{y(zero):.1f}" '
        'stroke="#929292"/>',
        f'<text x="{left - 4}" y="{y(high) + 4:.1f}" text-anchor="end" font-size="10">'
        f"{french_number(high, 1)}</text>",
    ]
    if low < 0:
        parts.append(
            f'<text x="{left - 4}" y="{y(low):.1f}" text-anchor="end" font-size="10">'
            f"{french_number(low, 1)}</text>"
        )
    for year in years:
        parts.append(
            f'<text x="{x(year):.1f}" y="{height - 6}" text-anchor="middle" font-size="10">'
            f"{year}</text>"
        )
    for yr, v in targets:
        cx, cy = x(yr), y(v)
        parts.append(
            f'<path d="M{cx:.1f},{cy - 5:.1f} L{cx + 5:.1f},{cy:.1f} L{cx:.1f},{cy + 5:.1f} '
            f'L{cx - 5:.1f},{cy:.1f} Z" fill="{TARGET_COLOR}"><title>cible {yr} : '
            f"{french_number(v, 1)}</title></path>"
        )
    if len(values) > 1:
        line = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in values)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{VALUE_COLOR}" stroke-width="2"/>'
        )
    for yr, v in values:
        parts.append(
            f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3.5" fill="{VALUE_COLOR}">'
            f"<title>{yr} : {french_number(v, 1)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _finite(points: Sequence[tuple[int, float]]) -> list[tuple[int, float]]:
    """The points whose year is a whole number and value a finite number."""
    out = []
    for year, value in points:
        try:
            number = float(value)
            whole = int(year)
        except (TypeError, ValueError, OverflowError):
            continue
        if math.isfinite(number):
            out.append((whole, number))
    return out
