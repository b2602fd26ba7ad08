"""Colours and legend of a choropleth: quantile classes, or classes relative to the national
value (the user's choice), always with a legend that states the ranges and « non connu »."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from sdsf.core.classes import classes_by_bounds, quantile_bounds
from sdsf.reports.formatting import french_number

# Sequential (quantiles) and diverging (below / above the national value) palettes.
SEQUENTIAL = ["#f1f0fb", "#c6c3ee", "#9a94e0", "#6a63c9", "#000091"]
DIVERGING = ["#ce614a", "#e4a07f", "#f3d9b5", "#a6c8e3", "#3a7bbf"]
UNKNOWN = "#ffffff"
RATIO_BOUNDS = [0.5, 0.75, 1.0, 1.25]
MODES = {"quantiles": "Quantiles (effectifs égaux)", "national": "Rapport à la valeur nationale"}


@dataclass
class Choropleth:
    colors: pd.Series  # colour of each value (index of the values)
    legend: list[tuple[str, str]]  # (colour, label)
    mode: str
    note: str


def _range_labels(bounds: list[float], digits: int, unit: str) -> list[str]:
    if not bounds:
        return ["toutes les valeurs"]
    fmt = [french_number(b, digits) for b in bounds]
    labels = [f"moins de {fmt[0]}"]
    labels += [f"de {lo} à moins de {hi}" for lo, hi in itertools.pairwise(fmt)]
    labels.append(f"{fmt[-1]} ou plus")
    return [f"{label} {unit}".strip() for label in labels]


def choropleth(
    values: pd.Series,
    mode: str,
    national: float | None,
    digits: int,
    unit: str,
    ratio_bounds: list[float] | None = None,
) -> Choropleth:
    """Classes of ``values``; « national » falls back to quantiles when the national value is
    unknown or zero (the note says so)."""
    note = ""
    if mode == "national" and national:
        ratios = ratio_bounds or RATIO_BOUNDS
        bounds = [r * national for r in ratios]
        classes = classes_by_bounds(values, bounds)
        palette = DIVERGING
        percents = [f"{french_number(r * 100, 0)} %" for r in ratios]
        shares = [f"moins de {percents[0]}"]
        shares += [f"{lo} à {hi}" for lo, hi in itertools.pairwise(percents)]
        shares.append(f"{percents[-1]} ou plus")
        labels = [
            f"{rng} ({share} du national)"
            for rng, share in zip(_range_labels(bounds, digits, unit), shares, strict=True)
        ]
    else:
        if mode == "national":
            note = "Valeur nationale inconnue : classes par quantiles."
        mode = "quantiles"
        bounds = quantile_bounds(values)
        classes = classes_by_bounds(values, bounds)
        palette = SEQUENTIAL[-(len(bounds) + 1) :] if bounds else SEQUENTIAL[-1:]
        labels = _range_labels(bounds, digits, unit)
    colors = pd.Series(
        [UNKNOWN if pd.isna(k) else palette[int(k)] for k in classes], index=values.index
    )
    legend = [*list(zip(palette, labels, strict=False)), (UNKNOWN, "non connu")]
    return Choropleth(colors, legend, mode, note)
