"""The whole diagnostic of a département (or of one territory in it) written to a folder:
one XLSX (a sheet of key figures and a sheet by commune per theme, the inequality figures),
the same tables as CSV, a static map per theme (PNG and SVG), and ``diagnostic.json`` with every
indicator of the catalogue for every territory: value (``null`` when unknown, with the imports
that would fill it), unit, year and source."""

from __future__ import annotations

import math
from pathlib import Path

from sdsf.core import columns as c
from sdsf.core.indicators import latest
from sdsf.parameters.indicators import catalogue
from sdsf.reports.encoding import dumps, write_chunks
from sdsf.reports.maps import render_both
from sdsf.reports.workbook import Sheet, csv_chunks, to_xlsx
from sdsf.sources.registry import import_hint
from sdsf.web.apps.diagnostic.maps import static_map, theme_map
from sdsf.web.apps.diagnostic.services import (
    completeness,
    coverage_perimeters,
    figures,
    indicator_table,
    lookup,
)
from sdsf.web.apps.diagnostic.sheets import (
    figures_sheet,
    inequality_sheet,
    level_sheet,
    simulated_data,
)
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import territories

JSON_LEVELS = (c.DEPARTEMENT, c.EPCI, c.COMMUNE, c.CUSTOM)


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text).replace("-", "_")


def _json_records(departement: str, year: int | None) -> list[dict[str, object]]:
    """Every indicator of the catalogue for every territory of each level: its latest value
    (at most ``year``), or ``null`` with the imports that would fill it."""
    records: list[dict[str, object]] = []
    indicators = catalogue().indicators
    themes = {
        ind: [k for k, t in catalogue().themes.items() if ind in t.indicators] for ind in indicators
    }
    for level in JSON_LEVELS:
        terr = territories(level, departement)
        if terr.empty:
            continue
        table = latest(indicator_table(level, departement), year)
        known = lookup(table)
        perimeters = coverage_perimeters(level, departement, table)
        for code, name in zip(terr[c.CODE], terr[c.LABEL], strict=True):
            for ind in indicators.values():
                value, value_year = known.get((code, ind.id), (math.nan, None))
                record: dict[str, object] = {
                    "indicateur": ind.id,
                    "libelle": ind.label,
                    "theme": themes[ind.id],
                    "valeur": None if math.isnan(value) else round(value, 6),
                    "unite": ind.unit,
                    "niveau": level,
                    "code": code,
                    "territoire": name,
                    "annee": value_year,
                    "source": ind.source,
                }
                if ind.kind == "couverture" and record["valeur"] is not None:
                    # empty: the whole territory; else its part in the département only
                    record["perimetre"] = str(perimeters.get(code, ""))
                if record["valeur"] is None:
                    record["imports"] = list(ind.imports)
                    record["a_importer"] = import_hint(ind.imports)
                elif ind.partial:
                    record["completude"] = completeness(ind, known, code)
                records.append(record)
    return records


def write_diagnostic(
    departement: str, folder: Path, territory: Territory | None = None, year: int | None = None
) -> list[Path]:
    """Write the diagnostic files into ``folder``; return the paths written."""
    dep = Territory.objects.get(level=c.DEPARTEMENT, code=departement)
    folder.mkdir(parents=True, exist_ok=True)
    subject = territory or dep
    sheets: list[Sheet] = []
    written: list[Path] = []
    for key, theme in catalogue().themes.items():
        figs = figures(subject.level, subject.code, departement, catalogue().of_theme(key), year)
        sheets.append(figures_sheet(figs, subject.name, theme.title))
        table_sheet, _ = level_sheet(c.COMMUNE, departement, dep.name, key, year)
        table_sheet.name = f"{theme.title[:22]} communes"
        sheets.append(table_sheet)
        result = theme_map(c.COMMUNE, departement, key, None, "quantiles", year)
        if result is not None:
            spec = static_map(result, c.COMMUNE, departement, dep.name)
            for fmt, data in zip(("png", "svg"), render_both(spec), strict=True):
                path = folder / f"carte_{key}_{result.indicator.id}.{fmt}"
                path.write_bytes(data)
                written.append(path)
    sheets.append(inequality_sheet(departement, dep.name))
    stem = f"diagnostic_{departement}" + (f"_{_slug(subject.name)}" if territory else "")
    workbook = folder / f"{stem}.xlsx"
    workbook.write_bytes(to_xlsx(sheets))
    written.append(workbook)
    for sheet in sheets:
        path = folder / f"{_slug(sheet.name)}.csv"
        write_chunks(path, csv_chunks(sheet))
        written.append(path)
    payload = {
        "departement": {"code": dep.code, "libelle": dep.name},
        "territoire": {"niveau": subject.level, "code": subject.code, "libelle": subject.name},
        "annee_max": year,
        "donnees_simulees": simulated_data(),
        "indicateurs": _json_records(departement, year),
    }
    path = folder / "diagnostic.json"
    path.write_bytes(dumps(payload, indent=True))
    written.append(path)
    return written
