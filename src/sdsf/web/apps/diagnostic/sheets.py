"""The diagnostic's tables as sheets (web exports and the CLI write the same ones)."""

from __future__ import annotations

import pandas as pd

from sdsf.core import columns as c
from sdsf.core.inequality import Inequality
from sdsf.parameters.indicators import Indicator, catalogue
from sdsf.reports.workbook import Column, Sheet, year_column
from sdsf.web.apps.datasets.models import ImportedFile
from sdsf.web.apps.diagnostic.services import (
    Figure,
    france_sources,
    inequality_by_year,
    level_table,
)

LEVEL_TITLES = {
    c.COMMUNE: "commune",
    c.EPCI: "EPCI",
    c.CUSTOM: "territoire personnalisé",
    c.DEPARTEMENT: "département",
}


PERIMETER_HEADER = "Périmètre des taux de couverture (vide : tout le territoire)"
PARTIAL_NOTICE = (
    "Un territoire qui s'étend sur un département voisin sans données a pour taux de "
    "couverture ceux de sa partie du département (dernière colonne, Périmètre), jamais ceux du "
    "territoire entier."
)


def simulated_data() -> bool:
    """Whether any active imported file is a simulation (the demo)."""
    return ImportedFile.objects.filter(simulated=True, replaced_at__isnull=True).exists()


def _header(ind: Indicator) -> str:
    return f"{ind.label} ({ind.unit})" if ind.unit else ind.label


def sources_of(indicators: list[Indicator]) -> str:
    return " ; ".join(sorted({ind.source for ind in indicators}))


def level_sheet(
    level: str, departement: str, dep_name: str, theme: str, year: int | None
) -> tuple[Sheet, pd.DataFrame]:
    """One row per territory of ``level``, one column per indicator of ``theme`` (and the
    year of each value), with the wide table it was built from."""
    indicators = catalogue().of_theme(theme)
    table = level_table(level, departement, indicators, year)
    columns = [Column("Code"), Column("Libellé")]
    for ind in indicators:
        columns += [Column(_header(ind), ind.decimals), year_column()]
    partial = c.PERIMETER in table and bool((table[c.PERIMETER] != "").any())
    if partial:
        columns.append(Column(PERIMETER_HEADER))
    rows = []
    for rec in table.to_dict("records"):
        row: list[object] = [rec[c.CODE], rec[c.LABEL]]
        for ind in indicators:
            row += [rec.get(ind.id), rec.get(f"annee_{ind.id}")]
        if partial:
            row.append(rec[c.PERIMETER])
        rows.append(row)
    title = f"{catalogue().themes[theme].title} par {LEVEL_TITLES[level]} — {dep_name}" + (
        f" — {year}" if year else ""
    )
    sheet = Sheet(
        name=catalogue().themes[theme].title[:31],
        title=title,
        columns=columns,
        rows=rows,
        sources=sources_of(indicators),
        simulated=simulated_data(),
        notice="Valeur la plus récente de chaque indicateur (année indiquée à droite)."
        + (f" {PARTIAL_NOTICE}" if partial else ""),
    )
    return sheet, table


def figures_sheet(figures: list[Figure], name: str, theme_title: str) -> Sheet:
    """Key figures of a territory against the département and France."""
    rows: list[list[object]] = [
        [
            f"{f.indicator.label} ({f.perimeter})" if f.perimeter else f.indicator.label,
            f.indicator.unit,
            f.year,
            f.value,
            f.departement,
            f.france,
            f"{f.france_origin} — {f.france_completeness}"
            if f.france_completeness
            else f.france_origin,
            f.target,
            f"{f.rank} / {f.ranked}" if f.rank else "",
            f"{f.indicator.source} — {f.completeness}" if f.completeness else f.indicator.source,
        ]
        for f in figures
    ]
    digits = [f.indicator.decimals for f in figures]
    decimals = max(digits) if digits else 1
    return Sheet(
        name=f"Chiffres clés {theme_title}"[:31],
        title=f"{theme_title} — {name} : chiffres clés",
        columns=[
            Column("Indicateur"),
            Column("Unité"),
            year_column(),
            Column(name[:40], decimals),
            Column("Département", decimals),
            Column("France", decimals),
            Column("France : champ, année, source"),
            Column("Objectif national", decimals),
            Column("Rang dans le département"),
            Column("Source"),
        ],
        rows=rows,
        sources=" ; ".join(
            s for s in (sources_of([f.indicator for f in figures]), france_sources(figures)) if s
        ),
        simulated=simulated_data(),
        row_digits=digits,
    )


INEQUALITY_COLUMNS = [
    year_column(),
    Column("Territoires comptés", 0),
    Column("Territoires sans taux", 0),
    Column("Enfants de moins de 3 ans", 0),
    Column("Taux moyen pondéré", 1),
    Column("Indice de Gini", 3),
    Column("Indice de Theil", 3),
    Column("Part des enfants sous le seuil (%)", 1),
    Column("Seuil (places pour 100 enfants)", 1),
    Column("D1", 1),
    Column("D9", 1),
    Column("D9 / D1", 2),
]


def inequality_rows(results: list[tuple[int, Inequality]]) -> list[list[object]]:
    return [
        [
            year,
            r.territories,
            r.left_out,
            r.children,
            r.mean,
            r.gini,
            r.theil,
            r.share_below,
            r.threshold,
            r.d1,
            r.d9,
            r.interdecile,
        ]
        for year, r in results
    ]


def inequality_sheet(departement: str, dep_name: str) -> Sheet:
    """Inequality of the global coverage rate across communes and across EPCI, by year."""
    rows = []
    for level in (c.COMMUNE, c.EPCI):
        for row in inequality_rows(inequality_by_year(level, departement)):
            rows.append([LEVEL_TITLES[level], *row])
    return Sheet(
        name="Inégalités",
        title=f"Inégalités de couverture entre territoires — {dep_name}",
        columns=[Column("Maille"), *INEQUALITY_COLUMNS],
        rows=rows,
        sources="Taux de couverture global (moteur de couverture sdsf) ; pondération par les "
        "enfants de moins de 3 ans ; seuil : moitié du taux national",
        simulated=simulated_data(),
        notice="Gini et Theil pondérés par les enfants de moins de 3 ans ; 0 = égalité.",
    )
