"""Factual summaries in French, generated from the figures of a theme.

Deterministic: the same figures give the same sentences, and every number in a sentence is a
number of the key-figures table it summarises (same rounding). Intensive indicators (rates,
shares, ratios, evolutions) are compared with the département and France, in points for
percentages and rates per 100, in relative terms otherwise; counts are given with their share of
the département. Targets say whether they are met.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sdsf.reports.formatting import french_number

POINT_UNITS = ("%", "places pour 100", "enfants pour 100")
INTENSIVE = {"ratio", "couverture", "publie", "evolution"}


class IndicatorLike(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def decimals(self) -> int: ...


class FigureLike(Protocol):
    @property
    def indicator(self) -> IndicatorLike: ...
    @property
    def value(self) -> float | None: ...
    @property
    def year(self) -> int | None: ...
    @property
    def departement(self) -> float | None: ...
    @property
    def france(self) -> float | None: ...
    @property
    def france_scope(self) -> str: ...
    @property
    def target(self) -> float | None: ...


def shown(value: float | None, decimals: int) -> str:
    """A figure as the tables show it."""
    return french_number(value, decimals, missing="non connu")


def _unit(ind: IndicatorLike) -> str:
    return f"\u00a0{ind.unit}" if ind.unit else ""


def _gap(value: float, other: float, ind: IndicatorLike) -> str:
    """« 18,8 points de moins que », « 12 % de plus que », « autant que »."""
    digits = ind.decimals
    in_points = ind.unit.startswith(POINT_UNITS) or ind.kind == "evolution"
    difference = round(value, digits) - round(other, digits)
    if in_points:
        size = french_number(abs(difference), digits)
        if size == french_number(0, digits):
            return "autant que"
        word = "point" if abs(difference) < 2 else "points"
        return f"{size} {word} de {'plus' if difference > 0 else 'moins'} que"
    if other == 0:
        return "à comparer à"
    relative = (value / other - 1) * 100
    if abs(relative) < 0.5:
        return "autant que"
    return f"{french_number(abs(relative), 0)} % de {'plus' if relative > 0 else 'moins'} que"


def sentence(figure: FigureLike, name: str, is_departement: bool) -> str | None:
    """One sentence for one figure, or None when the figure is unknown."""
    ind = figure.indicator
    if figure.value is None:
        return None
    value = shown(figure.value, ind.decimals)
    text = f"{ind.label} ({figure.year}) : {value}{_unit(ind)} pour {name}"
    comparisons = []
    if ind.kind in INTENSIVE:
        if figure.departement is not None and not is_departement:
            gap = _gap(figure.value, figure.departement, ind)
            comparisons.append(f"{gap} le département ({shown(figure.departement, ind.decimals)})")
        if figure.france is not None:
            gap = _gap(figure.value, figure.france, ind)
            comparisons.append(
                f"{gap} la {figure.france_scope} ({shown(figure.france, ind.decimals)})"
            )
    elif figure.departement and not is_departement:
        share = figure.value / figure.departement * 100
        comparisons.append(f"{french_number(share, 1)} % du département")
    if comparisons:
        text += ", soit " + " et ".join(comparisons)
    if figure.target is not None:
        met = figure.value >= figure.target
        if ind.unit.startswith("assistantes maternelles par"):
            met = figure.value <= figure.target
        text += (
            f" ; objectif national : {shown(figure.target, ind.decimals)}{_unit(ind)} "
            f"({'atteint' if met else 'non atteint'})"
        )
    return text + "."


def summary(figures: Sequence[FigureLike], name: str, is_departement: bool) -> list[str]:
    """Sentences for the known figures, in catalogue order."""
    return [s for f in figures if (s := sentence(f, name, is_departement)) is not None]
