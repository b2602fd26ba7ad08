"""The fiche of a territory (commune, EPCI, custom territory): every theme in brief, its map,
its rank in the département, its figures against the département and France; printable and
exportable."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.reports.summaries import summary
from sdsf.reports.workbook import to_csv, to_xlsx
from sdsf.web.apps.diagnostic.services import figures
from sdsf.web.apps.diagnostic.sheets import figures_sheet, simulated_data
from sdsf.web.apps.territories.models import Territory
from sdsf.web.www.diagnostic import LEVEL_LABELS, _bbox, _figure_rows

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
            "figures": _figure_rows(figs),
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
            "bbox": json.dumps(_bbox(territory)),
        },
    )


def contour(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """The territory's outline as GeoJSON (for the fiche's map)."""
    territory = _territory(level, code)
    props = {"code": territory.code, "nom": territory.name, "couleur": "#6a6af4", "taux": {}}
    props["enfants"] = ""
    props["simule"] = False
    body = (
        '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":'
        f'{territory.geojson or "null"},"properties":{json.dumps(props, ensure_ascii=False)}}}]}}'
    )
    return HttpResponse(body, content_type="application/geo+json")


def fiche_export(request: HttpRequest, level: str, code: str, fmt: str) -> HttpResponse:
    territory = _territory(level, code)
    sheets = [
        figures_sheet(figs, territory.name, title) for _, title, figs in _theme_figures(territory)
    ]
    stem = f"fiche_{level}_{code}"
    if fmt == "xlsx":
        body = to_xlsx(sheets)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        text = "".join(to_csv(s).lstrip("\ufeff") + "\r\n" for s in sheets)
        body = ("\ufeff" + text).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404("Format inconnu")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
