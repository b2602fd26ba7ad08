"""The France column of the diagnostic: a national figure imported (a national file of the
producer) or, where none is, the published reference figure stored as a dated parameter
(``references.yaml`` by indicator, ``couverture.yaml`` ``taux_national`` for coverage rates).

The most recent year at most the one asked wins; at equal year an imported figure always wins
over the parameter. Every figure from a parameter names the parameter and its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from sdsf.core import columns as c
from sdsf.core.indicators import INDICATOR
from sdsf.parameters import Node, Parameter, load
from sdsf.parameters.indicators import Indicator

FRANCE_CODES = (c.FRANCE_CODE, c.NATIONAL_CNAF_CODE, "FM")
FRANCE_SCOPES = {
    c.FRANCE_CODE: "France",
    c.NATIONAL_CNAF_CODE: "France hors Mayotte",
    "FM": "France métropolitaine",
}
# Nodes of references.yaml -> the France territory they describe.
REFERENCE_SCOPES = {
    "france": c.FRANCE_CODE,
    "france_hors_mayotte": c.NATIONAL_CNAF_CODE,
    "france_metropolitaine": "FM",
}


@dataclass(frozen=True)
class National:
    """One France figure: value, year, scope and, when from a parameter, its source."""

    value: float
    year: int
    scope: str
    source: str = ""  # empty: an imported national figure

    @property
    def from_parameter(self) -> bool:
        return bool(self.source)


def _parameters(ind: Indicator) -> list[tuple[str, str, Parameter]]:
    """(parameter path, France code, parameter) of the reference figures of ``ind``."""
    tree = load()
    found = []
    references = tree["references"]
    for node_name, code in REFERENCE_SCOPES.items():
        node = references.children.get(node_name)
        if isinstance(node, Node) and isinstance(node.children.get(ind.id), Parameter):
            found.append((f"references.{node_name}.{ind.id}", code, node.children[ind.id]))
    if ind.kind == "couverture":
        key = ind.variables[0].removeprefix("taux_")
        rates = tree["couverture"]["taux_national"]
        if isinstance(rates, Node) and isinstance(rates.children.get(key), Parameter):
            path = f"couverture.taux_national.{key}"
            found.append((path, c.NATIONAL_CNAF_CODE, rates.children[key]))
    return found


def reference(ind: Indicator, year: int | None) -> National | None:
    """The latest published reference figure of ``ind`` for a year at most ``year``."""
    when = dt.date(year, 12, 31) if year is not None else dt.date.max
    best: National | None = None
    for path, code, param in _parameters(ind):
        in_force = param.in_force(when)
        if in_force is None:
            continue
        start, value = in_force
        source = f"paramètre sdsf {path} : {param.reference}"
        if best is None or start.year > best.year:
            best = National(float(value), start.year, FRANCE_SCOPES[code], source)
    return best


def imported(rows: pd.DataFrame, year: int | None) -> National | None:
    """The latest France figure of one indicator in the France indicator table (``rows``:
    the table's rows of that indicator), the widest scope first at equal year."""
    rows = rows[rows[c.CODE].isin(FRANCE_CODES)]
    if year is not None:
        rows = rows[rows[c.YEAR] <= year]
    if rows.empty:
        return None
    last = rows[rows[c.YEAR] == rows[c.YEAR].max()]
    for code in FRANCE_CODES:
        hit = last[last[c.CODE] == code]
        if not hit.empty:
            value, year_found = float(hit[c.VALUE].iloc[0]), int(hit[c.YEAR].iloc[0])
            return National(value, year_found, FRANCE_SCOPES[code])
    return None


def france_figures(
    table: pd.DataFrame, indicators: list[Indicator], years: dict[str, int | None]
) -> dict[str, National]:
    """The France figure of each indicator, for a year at most ``years[indicator]``: the
    imported one (``table``, the France indicator table without parameters) or the reference
    parameter when it is more recent or the only one."""
    by_indicator = dict(tuple(table.groupby(INDICATOR))) if not table.empty else {}
    out = {}
    for ind in indicators:
        year = years.get(ind.id)
        rows = by_indicator.get(ind.id)
        found = imported(rows, year) if rows is not None else None
        ref = reference(ind, year)
        if ref is not None and (found is None or ref.year > found.year):
            found = ref
        if found is not None:
            out[ind.id] = found
    return out
