"""The fiche of a territory (commune, EPCI, custom territory): every theme in brief, its map,
its rank in the département, its figures against the département and France; printable and
exportable."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.reports.encoding import BOM
from sdsf.reports.summaries import summary
from sdsf.reports.workbook import csv_chunks, to_xlsx
from sdsf.web.apps.diagnostic.maps import LEVEL_LABELS
from sdsf.web.apps.diagnostic.services import figures
from sdsf.web.apps.diagnostic.sheets import figures_sheet, simulated_data
from sdsf.web.apps.priorities.services import priority_for
from sdsf.web.apps.territories.models import Territory
from sdsf.web.www.presentation import bbox, download, feature_collection, figure_rows

FICHE_LEVELS = (c.COMMUNE, c.EPCI, c.CUSTOM)


def _territory(level: str, code: str) -> Territory:
    if level not in FICHE_LEVELS:
        raise Http404("Niveau inconnu")
    territory = Territory.objects.filter(level=level, code=code).first()
    if territory is None or not territory.departement:
        raise Http404("Territoire inconnu")
    return territory


def _theme_figures(territory: Territory) -> list[tuple[str, str, list]]:
    """(theme id, title, figures) for every theme; one computation for all indicators."""
    themes = catalogue().themes
    ids = list(dict.fromkeys(i for t in themes.values() for i in t.indicators))
    indicators = [catalogue().indicators[i] for i in ids]
    all_figures = figures(territory.level, territory.code, territory.departement, indicators)
    by_id = {f.indicator.id: f for f in all_figures}
    return [(key, t.title, [by_id[i] for i in t.indicators]) for key, t in themes.items()]


def fiche(request: HttpRequest, level: str, code: str) -> HttpResponse:
    territory = _territory(level, code)
    dep = Territory.objects.filter(level=c.DEPARTEMENT, code=territory.departement).first()
    sections = [
        {
            "id": key,
            "title": title,
            "figures": figure_rows(figs),
            "summary": summary(figs, territory.name, False),
            "known": sum(1 for f in figs if not f.missing),
        }
        for key, title, figs in _theme_figures(territory)
    ]
    return render(
        request,
        "www/fiche.html",
        {
            "title": f"{territory.name} — fiche territoriale",
            "territory": territory,
            "level_label": LEVEL_LABELS[level],
            "dep": dep,
            "sections": sections,
            "simulated": simulated_data(),
            "bbox": json.dumps(bbox(territory, margin=0.6)),
            "priority": priority_for(level, territory.code, territory.departement),
        },
    )


def contour(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """The communes of the département in grey, the territory's communes highlighted, and the
    territory's own outline on top (GeoJSON for the fiche's map)."""
    territory = _territory(level, code)
    if level == c.COMMUNE:
        inside = {territory.code}
    else:
        inside = set(territory.members.values_list("code", flat=True)) or set(
            Territory.objects.filter(level=c.COMMUNE, epci=territory.code).values_list(
                "code", flat=True
            )
        )
    features = [
        (
            geojson,
            {
                "code": code_,
                "nom": name,
                "couleur": "#6a6af4" if code_ in inside else "#e5e5e5",
                "taux": {},
                "enfants": "",
                "simule": False,
            },
        )
        for code_, name, geojson in Territory.objects.filter(
            level=c.COMMUNE, departement=territory.departement
        ).values_list("code", "name", "geojson")
    ]
    return feature_collection(features)


def fiche_export(request: HttpRequest, level: str, code: str, fmt: str) -> HttpResponse:
    territory = _territory(level, code)
    sheets = [
        figures_sheet(figs, territory.name, title) for _, title, figs in _theme_figures(territory)
    ]
    if fmt == "xlsx":
        return download(to_xlsx(sheets), fmt, f"fiche_{level}_{code}")
    if fmt != "csv":
        raise Http404("Format inconnu")

    def chunks() -> Iterator[str]:  # the sheets one after the other, a blank line between
        yield BOM
        for sheet in sheets:
            yield from csv_chunks(sheet, bom=False)
            yield "\r\n"

    return download(chunks(), fmt, f"fiche_{level}_{code}")
