"""The diagnostic in a document, theme by theme: the factual summary (the same sentences as
the diagnostic pages), the key figures against the département and France, and for the
département the map by commune, the table by EPCI and the coverage by mode. Figures come from
the diagnostic services: a document never recomputes what the platform shows."""

from __future__ import annotations

import pandas as pd

from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.reports.document.model import Builder
from sdsf.reports.formatting import french_number
from sdsf.reports.maps import render_both
from sdsf.reports.plots import grouped_bars
from sdsf.reports.summaries import summary
from sdsf.reports.workbook import Column, Sheet, year_column
from sdsf.web.apps.diagnostic.maps import mappable, static_map, theme_map
from sdsf.web.apps.diagnostic.services import Figure, figures, france_sources, level_table
from sdsf.web.apps.diagnostic.sheets import PARTIAL_NOTICE, simulated_data, sources_of

# The synthesis of common indicators (art. D214-2 CASF): at least the global coverage rate,
# the places created, the access of disabled children and of poor families, the parenting
# offer, the relais for childminders.
COMMON_INDICATORS = (
    "taux_global",
    "places_total",
    "evolution_places_3_ans",
    "taux_couverture_accessible",
    "enfants_handicap_pour_100_places",
    "part_eaje_projet_inclusif",
    "part_enfants_pauvres_eaje",
    "services_parentalite",
    "services_pour_1000_enfants",
    "assistantes_maternelles_par_relais",
)
MODES = (
    ("taux_global", "Global"),
    ("taux_eaje", "Accueil collectif (EAJE)"),
    ("taux_individuel", "Accueil individuel"),
    ("taux_prescolarisation", "Préscolarisation"),
)
EPCI_COLUMNS = 4


def key_figures_sheet(figs: list[Figure], name: str, title: str, is_departement: bool) -> Sheet:
    """One row per indicator, each with its own rounding (the sentences use the same)."""
    columns = [Column("Indicateur"), Column("Unité"), year_column(), Column(name[:40], 1)]
    if not is_departement:
        columns.append(Column("Département", 1))
    columns += [Column("France", 1), Column("Objectif national", 1)]
    rows: list[list[object]] = []
    for f in figs:
        label = f"{f.indicator.label} ({f.completeness})" if f.completeness else f.indicator.label
        row: list[object] = [label, f.indicator.unit, f.year, f.value]
        if not is_departement:
            row.append(f.departement)
        row += [f.france, f.target]
        rows.append(row)
    return Sheet(
        name=title[:31],
        title=title,
        columns=columns,
        rows=rows,
        sources=" ; ".join(
            s for s in (sources_of([f.indicator for f in figs]), france_sources(figs)) if s
        ),
        simulated=simulated_data(),
        notice="Valeur la plus récente de chaque indicateur (année indiquée). « — » : non connu.",
        row_digits=[f.indicator.decimals for f in figs],
    )


def _epci_sheet(theme: str, departement: str, dep_name: str, year: int | None) -> Sheet | None:
    table = level_table(c.EPCI, departement, catalogue().of_theme(theme), year)
    shown = mappable(theme, table)[:EPCI_COLUMNS]
    if table.empty or not shown:
        return None
    years = sorted({int(y) for i in shown for y in table[f"annee_{i.id}"].dropna()})
    title = catalogue().themes[theme].title
    return Sheet(
        name=f"{title} EPCI"[:31],
        title=f"{title} par intercommunalité — {dep_name}",
        columns=[Column("Intercommunalité")]
        + [Column(f"{i.label} ({i.unit})" if i.unit else i.label, i.decimals) for i in shown],
        rows=[
            [
                f"{rec[c.LABEL]} (taux de la {rec[c.PERIMETER]})"
                if rec.get(c.PERIMETER)
                else rec[c.LABEL],
                *[rec.get(i.id) for i in shown],
            ]
            for rec in table.sort_values(c.LABEL).to_dict("records")
        ],
        sources=sources_of(shown),
        simulated=simulated_data(),
        notice=" ".join(
            text
            for text in (
                f"Années des valeurs : {', '.join(map(str, years))}." if years else "",
                PARTIAL_NOTICE if (table[c.PERIMETER] != "").any() else "",
            )
            if text
        ),
    )


def _modes_chart(b: Builder, departement: str, dep_name: str, year: int | None) -> None:
    indicators = [catalogue().indicators[key] for key, _ in MODES]
    figs = figures(c.DEPARTEMENT, departement, departement, indicators, year)
    if all(f.value is None for f in figs):
        return
    years = sorted({f.year for f in figs if f.year})
    png, svg = grouped_bars(
        [label for _, label in MODES],
        {dep_name: [f.value for f in figs], "France": [f.france for f in figs]},
        "places pour 100 enfants de moins de 3 ans",
        f"Source : {sources_of(indicators)}." + (" DONNÉES SIMULÉES." if simulated_data() else ""),
    )
    when = f" ({', '.join(map(str, years))})" if years else ""
    values = " ; ".join(
        f"{label} : {french_number(f.value, 1)}"
        for (_, label), f in zip(MODES, figs, strict=True)
        if f.value is not None
    )
    b.figure(
        png,
        svg,
        f"Taux de couverture par mode d'accueil{when} — {dep_name} et France",
        f"Diagramme en barres des taux de couverture de {dep_name} : {values}.",
    )


def theme_section(
    b: Builder,
    theme: str,
    level: str,
    code: str,
    name: str,
    departement: str,
    dep_name: str,
    year: int | None = None,
    *,
    detailed: bool,
) -> list[Figure]:
    """Heading, summary, key figures; with ``detailed``, the map, EPCI table and charts."""
    title = catalogue().themes[theme].title
    is_departement = level == c.DEPARTEMENT
    figs = figures(level, code, departement, catalogue().of_theme(theme), year)
    b.heading(title, 2)
    sentences = summary(figs, name, is_departement)
    if sentences:
        b.bullets(sentences)
    else:
        b.paragraph("Aucune donnée importée pour ce thème.", "placeholder")
    b.table(key_figures_sheet(figs, name, f"{title} — {name} : chiffres clés", is_departement))
    if not detailed:
        return figs
    if theme == "accueil":
        _modes_chart(b, departement, dep_name, year)
    result = theme_map(c.COMMUNE, departement, theme, None, "quantiles", year)
    if result is not None:
        spec = static_map(result, c.COMMUNE, departement, dep_name, theme=theme, year=year)
        known = pd.to_numeric(result.table[result.indicator.id], errors="coerce").notna().sum()
        b.figure(
            *render_both(spec),
            spec.title,
            f"Carte des communes de {dep_name} colorées selon {result.indicator.label.lower()} "
            f"({known} communes renseignées), classes par quantiles.",
        )
    sheet = _epci_sheet(theme, departement, dep_name, year)
    if sheet is not None:
        b.table(sheet)
    return figs


def common_indicators_sheet(departement: str, dep_name: str, year: int | None = None) -> Sheet:
    indicators = [catalogue().indicators[key] for key in COMMON_INDICATORS]
    figs = figures(c.DEPARTEMENT, departement, departement, indicators, year)
    return key_figures_sheet(
        figs, dep_name, f"Synthèse des indicateurs communs — {dep_name}", is_departement=True
    )
