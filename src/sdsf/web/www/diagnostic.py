"""Diagnostic pages: one page per theme (key figures, summary, map, table, exports) and the
fiche of any territory (all themes in brief, printable)."""

from __future__ import annotations

import json

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from sdsf.core import columns as c
from sdsf.core.indicators import INDICATOR
from sdsf.parameters.indicators import Indicator, catalogue
from sdsf.reports.choropleth import MODES, UNKNOWN
from sdsf.reports.formatting import french_number
from sdsf.reports.maps import render as render_map
from sdsf.reports.summaries import shown, summary
from sdsf.reports.workbook import csv_chunks, to_xlsx
from sdsf.web.apps.diagnostic.catchment import default_settings
from sdsf.web.apps.diagnostic.maps import (
    LEVEL_LABELS,
    main_towns,
    mappable,
    static_map,
    symbols,
    theme_map,
)
from sdsf.web.apps.diagnostic.projection import projection
from sdsf.web.apps.diagnostic.services import (
    figures,
    history,
    indicator_table,
    inequality_by_year,
    level_table,
)
from sdsf.web.apps.diagnostic.sheets import (
    INEQUALITY_COLUMNS,
    inequality_rows,
    level_sheet,
    simulated_data,
)
from sdsf.web.apps.diagnostic.vulnerability import eaje_below_target
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import territory_queryset
from sdsf.web.www.common import stored_body
from sdsf.web.www.presentation import bbox, download, feature_collection, figure_rows

LEVELS = {c.COMMUNE: "Communes", c.EPCI: "EPCI", c.CUSTOM: "Territoires personnalisés"}


def _departement(code: str) -> Territory:
    dep = Territory.objects.filter(level=c.DEPARTEMENT, code=code).first()
    if dep is None:
        raise Http404("Département inconnu")
    return dep


def _theme(theme: str) -> str:
    if theme not in catalogue().themes:
        raise Http404("Thème inconnu")
    return theme


def _level(request: HttpRequest) -> str:
    level = request.GET.get("niveau", c.COMMUNE)
    return level if level in LEVELS else c.COMMUNE


def _year(request: HttpRequest) -> int | None:
    asked = request.GET.get("annee", "")
    return int(asked) if asked.isdigit() else None


def _years(departement: str) -> list[int]:
    table = indicator_table(c.DEPARTEMENT, departement)
    return sorted(int(y) for y in table[c.YEAR].unique()) if not table.empty else []


def _selected_territory(request: HttpRequest, level: str, dep: Territory) -> tuple[str, str, str]:
    """(level, code, name) of the territory whose figures the page shows (the département by
    default)."""
    code = request.GET.get("territoire", "")
    if code:
        found = territory_queryset(level, dep.code).filter(code=code).first()
        if found is not None:
            return level, found.code, found.name
    return c.DEPARTEMENT, dep.code, dep.name


def theme_page(request: HttpRequest, code: str, theme: str) -> HttpResponse:
    dep = _departement(code)
    theme = _theme(theme)
    body = stored_body(
        request,
        dep.code,
        THEME_PARAMS,
        lambda: render_to_string("www/_diagnostic_corps.html", _theme_context(request, dep, theme)),
    )
    title = f"{catalogue().themes[theme].title} — {dep.name}"
    return render(request, "www/diagnostic.html", {"title": title, "body": body})


THEME_PARAMS = ("niveau", "annee", "territoire", "classes", "indicateur")


def _theme_context(request: HttpRequest, dep: Territory, theme: str) -> dict[str, object]:
    """What the body of a theme page shows (data only: see common.stored_body)."""
    level = _level(request)
    year = _year(request)
    indicators = catalogue().of_theme(theme)
    sel_level, sel_code, sel_name = _selected_territory(request, level, dep)
    figs = figures(sel_level, sel_code, dep.code, indicators, year)
    mode = request.GET.get("classes", "national" if theme == "accueil" else "quantiles")
    mode = mode if mode in MODES else "quantiles"
    result = theme_map(level, dep.code, theme, request.GET.get("indicateur"), mode, year)
    table = level_table(level, dep.code, indicators, year) if result is None else result.table
    mapped = result.indicator if result else None
    legend = result.classes.legend if result else []
    note = result.classes.note if result else ""
    mode = result.classes.mode if result else mode
    colors = dict(zip(table[c.CODE], result.classes.colors, strict=True)) if result else {}
    rows = [
        {
            "code": rec[c.CODE],
            "name": rec[c.LABEL],
            "color": colors.get(rec[c.CODE], "#ffffff"),
            "cells": [(rec.get(i.id), shown(rec.get(i.id), i.decimals)) for i in indicators],
            "perimeter": rec.get(c.PERIMETER, ""),
        }
        for rec in table.to_dict("records")
    ]
    extras = _theme_extras(theme, level, dep, table, year)
    if theme == "accueil":
        extras["projection"] = _projection_rows(sel_level, sel_code, dep.code)
        extras["accessible"] = {
            "label": default_settings().label,
            "url": f"{reverse('diagnostic_carte', args=[dep.code, theme])}?niveau={level}"
            f"&indicateur=taux_couverture_accessible&classes=national&annee={year or ''}",
        }
    evolution = history(sel_level, sel_code, dep.code, indicators)
    years_seen = sorted({y for values in evolution.values() for y, _ in values})
    evolution_rows = [
        {
            "label": catalogue().indicators[key].label,
            "cells": [
                shown(dict(values).get(y), catalogue().indicators[key].decimals)
                if y in dict(values)
                else "—"
                for y in years_seen
            ],
        }
        for key, values in evolution.items()
    ]
    context = {
        "title": f"{catalogue().themes[theme].title} — {dep.name}",
        "dep": dep,
        "theme": theme,
        "themes": catalogue().themes,
        "theme_title": catalogue().themes[theme].title,
        "level": level,
        "levels": LEVELS,
        "level_label": LEVEL_LABELS[level],
        "year": year,
        "years": _years(dep.code),
        "selected": {"level": sel_level, "code": sel_code, "name": sel_name},
        "choices": list(
            territory_queryset(level, dep.code).order_by("name").values_list("code", "name")
        ),
        "figures": figure_rows(figs),
        "summary": summary(figs, sel_name, sel_level == c.DEPARTEMENT),
        "indicators": indicators,
        "mappable": mappable(theme, table),
        "mapped": mapped,
        "mode": mode,
        "modes": MODES,
        "legend": legend,
        "note": note,
        "rows": rows,
        "simulated": simulated_data(),
        "bbox": json.dumps(bbox(dep)),
        "query": request.GET.urlencode(),
        "evolution_years": years_seen,
        "symbol": symbols(theme, level, dep.code, year)[0] if mapped else None,
        "map_vintage": _vintage(table, mapped),
        "evolution_rows": evolution_rows,
        **extras,
    }
    return context


def _theme_extras(
    theme: str, level: str, dep: Territory, table: pd.DataFrame, year: int | None
) -> dict[str, object]:
    """What a theme shows besides its indicators."""
    if theme == "accueil":
        return {
            "inequality": {
                LEVELS[lv]: [
                    [
                        french_number(
                            value, column.digits, grouping=column.grouping, missing="non connu"
                        )
                        for value, column in zip(row, INEQUALITY_COLUMNS, strict=True)
                    ]
                    for row in inequality_rows(inequality_by_year(lv, dep.code))
                ]
                for lv in (c.COMMUNE, c.EPCI)
            }
        }
    if theme == "parentalite":
        blanks = []
        for kind in ("laep", "relais", "mediation", "clas"):
            column = f"services_{kind}"
            if column in table and table[column].notna().any():
                empty = table[table[column] == 0]
                blanks.append(
                    {
                        "label": catalogue().indicators[column].label,
                        "count": len(empty),
                        "total": int(table[column].notna().sum()),
                        "names": ", ".join(empty[c.LABEL].head(30)),
                        "more": max(len(empty) - 30, 0),
                    }
                )
        return {"blanks": blanks}
    if theme == "vulnerabilite":
        return {"below_target": eaje_below_target(dep.code, year)}
    if theme == "territoire":
        births = indicator_table(c.DEPARTEMENT, dep.code)
        births = births[births[INDICATOR] == "naissances"]
        return {
            "births": [(int(r[c.YEAR]), shown(r[c.VALUE], 0)) for r in births.to_dict("records")]
        }
    return {}


def _vintage(table: pd.DataFrame, mapped: Indicator | None) -> str:
    """Years of the mapped values (« 2023 », or « 2020 à 2023 » when they differ)."""
    if mapped is None or f"annee_{mapped.id}" not in table:
        return ""
    years = table[f"annee_{mapped.id}"].dropna().astype(int)
    if years.empty:
        return ""
    low, high = int(years.min()), int(years.max())
    return str(high) if low == high else f"{low} à {high}"


def _projection_rows(level: str, code: str, departement: str) -> dict[str, object]:
    result = projection(level, code, departement)
    rows = [
        {
            "year": r["year"],
            "births": shown(r["births"], 0),
            "children": shown(r["children"], 0),
            "places_current": shown(r["places_current"], 0),
            "places_national": shown(r["places_national"], 0),
        }
        for r in result["rows"]
    ]
    return {
        "rows": rows,
        "trend": shown(result.get("trend"), 1),
        "rate": shown(result.get("rate"), 1),
        "rate_year": result.get("rate_year"),
        "places": shown(result.get("places"), 0),
        "national": shown(result.get("national"), 1),
    }


def theme_map_view(request: HttpRequest, code: str, theme: str) -> HttpResponse:
    """GeoJSON of the level's territories coloured by the chosen indicator (or PNG/SVG)."""
    dep = _departement(code)
    theme = _theme(theme)
    level = _level(request)
    result = theme_map(
        level,
        dep.code,
        theme,
        request.GET.get("indicateur"),
        request.GET.get("classes", "quantiles"),
        _year(request),
    )
    fmt = request.GET.get("format", "geojson")
    if fmt in ("png", "svg"):
        if result is None:
            raise Http404("Aucun indicateur de ce thème n'est connu")
        spec = static_map(result, level, dep.code, dep.name, theme, _year(request))
        name = f"{theme}_{result.indicator.id}_{dep.code}_{level}"
        return download(render_map(spec, fmt), fmt, name)
    ind = result.indicator if result else None
    values = dict(zip(result.table[c.CODE], result.table[ind.id], strict=True)) if ind else {}
    simulated = simulated_data()
    symbol, points = symbols(theme, level, dep.code, _year(request))
    towns = {name for _, _, name in main_towns(dep.code)} if level == c.COMMUNE else set()
    features = []
    for code_, name, geojson, lon, lat in territory_queryset(level, dep.code).values_list(
        "code", "name", "geojson", "longitude", "latitude"
    ):
        taux = {}
        if ind is not None:
            taux[ind.label] = f"{shown(values.get(code_), ind.decimals)} {ind.unit}".strip()
        props: dict[str, object] = {
            "code": code_,
            "nom": name,
            "couleur": result.color(code_) if result else UNKNOWN,
            "taux": taux,
            "enfants": "",
            "simule": simulated,
        }
        if lon is not None and lat is not None:
            props["point"] = [lat, lon]
        if code_ in points and symbol is not None:
            props["symbole"] = points[code_][2]
            taux[symbol.label] = f"{shown(points[code_][2], symbol.decimals)} {symbol.unit}"
        if name in towns:
            props["etiquette"] = True
        features.append((geojson, props))
    return feature_collection(features)


def theme_export(request: HttpRequest, code: str, theme: str, fmt: str) -> HttpResponse:
    dep = _departement(code)
    theme = _theme(theme)
    level = _level(request)
    sheet, _ = level_sheet(level, dep.code, dep.name, theme, _year(request))
    if fmt not in ("csv", "xlsx"):
        raise Http404("Format inconnu")
    body = to_xlsx([sheet]) if fmt == "xlsx" else csv_chunks(sheet)
    return download(body, fmt, f"diagnostic_{theme}_{dep.code}_{level}")


def diagnostic_index(request: HttpRequest, code: str) -> HttpResponse:
    return redirect("diagnostic_theme", code=code, theme=next(iter(catalogue().themes)))
