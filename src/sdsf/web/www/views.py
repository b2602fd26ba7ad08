"""Pages: landing, départements, coverage maps and tables, data and imports."""

from __future__ import annotations

import itertools
import json

import pandas as pd
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sdsf.core import columns as c
from sdsf.core.coverage import classes_against_reference
from sdsf.parameters import load
from sdsf.reports.formatting import french_number
from sdsf.reports.tables import csv_chunks, records, to_xlsx
from sdsf.sources.templates import TEMPLATES, template_frame
from sdsf.web.apps.accounts.permissions import STEER, can
from sdsf.web.apps.datasets.coverage import coverage_table, national_rates
from sdsf.web.apps.datasets.models import ImportedFile, Replacement
from sdsf.web.apps.datasets.services import departements_with_rates
from sdsf.web.apps.datasets.supersession import superseding
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import create_custom_territory, territory_queryset
from sdsf.web.www.forms import CustomTerritoryForm
from sdsf.web.www.presentation import bbox, download, feature_collection

MAP_LEVELS = {
    c.COMMUNE: "Communes",
    c.ARRONDISSEMENT: "Arrondissements municipaux",
    c.EPCI: "EPCI",
    c.CUSTOM: "Territoires personnalisés",
}
CLASS_COLORS = ["#ce614a", "#e4a07f", "#f3d9b5", "#a6c8e3", "#3a7bbf"]
UNKNOWN_COLOR = "#ffffff"
LEVEL_NAMES = {
    c.COMMUNE: ("commune", "communes"),
    c.ARRONDISSEMENT: ("arrondissement municipal", "arrondissements municipaux"),
    c.EPCI: ("EPCI", "EPCI"),
    c.CUSTOM: ("territoire personnalisé", "territoires personnalisés"),
}
MODE_ROWS = [
    (c.rate(c.EAJE_PSU), "EAJE financés par la PSU"),
    (c.rate(c.EAJE_HORS_PSU), "EAJE hors PSU (micro-crèches Paje)"),
    (c.rate(c.EAJE), "Sous-total accueil collectif (EAJE)"),
    (c.rate(c.PRESCOLARISATION), "Préscolarisation des enfants de 2 ans"),
    (c.rate(c.ASSISTANTES_MATERNELLES), "Assistantes maternelles"),
    (c.rate(c.GARDE_DOMICILE), "Garde à domicile"),
    (c.rate(c.INDIVIDUEL), "Sous-total accueil individuel"),
    (c.RATE_GLOBAL, "Taux de couverture global"),
]


@login_not_required
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "www/landing.html", {"title": "Accueil"})


@login_not_required
def methode(request: HttpRequest) -> HttpResponse:
    from sdsf.parameters.indicators import catalogue

    themes = [
        {"title": t.title, "indicators": catalogue().of_theme(key)}
        for key, t in catalogue().themes.items()
    ]
    seuil = load()["diagnostic"]["seuil_peu_dense"].values[-1][1]
    return render(
        request,
        "www/methode.html",
        {"title": "Définitions et méthodes", "themes": themes, "seuil_peu_dense": seuil},
    )


def departements(request: HttpRequest) -> HttpResponse:
    deps = Territory.objects.filter(level=c.DEPARTEMENT).only("code", "name").order_by("code")
    with_data = departements_with_rates()
    choices = [(d, d.code in with_data) for d in deps]
    return render(
        request,
        "www/departements.html",
        {"title": "Départements", "choices": choices, "with_data": sorted(with_data)},
    )


def _departement(code: str) -> Territory:
    dep = Territory.objects.filter(level=c.DEPARTEMENT, code=code).first()
    if dep is None:
        raise Http404("Département inconnu")
    return dep


def _year(request: HttpRequest, years: list[int]) -> int | None:
    asked = request.GET.get("annee", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    return years[-1] if years else None


def _level(request: HttpRequest) -> str:
    level = request.GET.get("niveau", c.COMMUNE)
    return level if level in MAP_LEVELS else c.COMMUNE


def _levels_of(dep: Territory) -> dict[str, str]:
    """The map levels of a département: arrondissements only for Paris, Lyon and Marseille."""
    if Territory.objects.filter(level=c.ARRONDISSEMENT, departement=dep.code).exists():
        return MAP_LEVELS
    return {k: v for k, v in MAP_LEVELS.items() if k != c.ARRONDISSEMENT}


def _national(year: int | None) -> dict[str, float]:
    return national_rates(year) if year is not None else {}


def _bounds() -> list[float]:
    return list(load()["couverture"]["classes_carte"]["bornes"].values[-1][1])


def _colors(table: pd.DataFrame, national_global: float | None) -> dict[str, str]:
    """Map colour of each territory of ``table``: its class against the national rate."""
    if table.empty:
        return {}
    classes = classes_against_reference(table[c.RATE_GLOBAL], national_global, _bounds())
    return {
        code: UNKNOWN_COLOR if pd.isna(cls) else CLASS_COLORS[int(cls)]
        for code, cls in zip(table[c.CODE], classes, strict=True)
    }


def legend(national_global: float | None) -> list[dict[str, str]]:
    bounds = _bounds()
    labels = [f"moins de {french_number(bounds[0] * 100, 0)} % du taux national"]
    labels += [
        f"de {french_number(lo * 100, 0)} à {french_number(hi * 100, 0)} %"
        for lo, hi in itertools.pairwise(bounds)
    ]
    labels.append(f"{french_number(bounds[-1] * 100, 0)} % ou plus")
    rows = []
    for i, label in enumerate(labels):
        lo = bounds[i - 1] * national_global if i > 0 and national_global else None
        hi = bounds[i] * national_global if i < len(bounds) and national_global else None
        rate_range = ""
        if national_global:
            rate_range = (
                f"moins de {french_number(hi, 1)}"
                if lo is None
                else f"{french_number(lo, 1)} ou plus"
                if hi is None
                else f"{french_number(lo, 1)} à {french_number(hi, 1)}"
            )
        rows.append({"color": CLASS_COLORS[i], "label": label, "rates": rate_range})
    return rows


def departement(request: HttpRequest, code: str) -> HttpResponse:
    dep = _departement(code)
    history = coverage_table(c.DEPARTEMENT, code)
    years = sorted(int(y) for y in history[c.YEAR].unique()) if not history.empty else []
    year = _year(request, years)
    level = _level(request)
    national = _national(year)
    current = history[history[c.YEAR] == year] if year else history.iloc[0:0]
    row = current.iloc[0] if not current.empty else None
    modes = [
        {
            "label": label,
            "value": french_number(row[key] if row is not None else None, 1, missing="non connu"),
            "france": french_number(national.get(key), 1, missing="non connu"),
            "subtotal": key in (c.rate(c.EAJE), c.rate(c.INDIVIDUEL), c.RATE_GLOBAL),
        }
        for key, label in MODE_ROWS
    ]
    table = coverage_table(level, code, year) if year else history.iloc[0:0]
    simulated = bool(history[c.SIMULATED].any()) if not history.empty else False
    evolution = [
        {
            "year": int(r[c.YEAR]),
            "value": french_number(r[c.RATE_GLOBAL], 1, missing="non connu"),
            "method": r[c.METHOD],
        }
        for _, r in history.iterrows()
    ]
    context = {
        "title": f"{dep.name} ({dep.code})",
        "dep": dep,
        "years": years,
        "year": year,
        "level": level,
        "levels": _levels_of(dep),
        "modes": modes,
        "row": row,
        "rows": _table_rows(table, national.get(c.RATE_GLOBAL)),
        "level_label": LEVEL_NAMES[level][0],
        "level_plural": LEVEL_NAMES[level][1],
        "unknown": int(table[c.RATE_GLOBAL].isna().sum()) if not table.empty else 0,
        "partial": int((table[c.PERIMETER] != "").sum()) if not table.empty else 0,
        "table_sources": sorted({s for s in table[c.SOURCE] if s}) if not table.empty else [],
        "simulated": simulated,
        "source": row[c.SOURCE] if row is not None else "",
        "method": row[c.METHOD] if row is not None else "",
        "children_method": row.get("methode_enfants", "") if row is not None else "",
        "legend": legend(national.get(c.RATE_GLOBAL)),
        "national_global": french_number(national.get(c.RATE_GLOBAL), 1, missing="non connu"),
        "evolution": evolution,
        "bbox": json.dumps(bbox(dep)),
    }
    return render(request, "www/departement.html", context)


def _table_rows(table: pd.DataFrame, national_global: float | None) -> list[dict[str, object]]:
    colors = _colors(table, national_global)
    rows = []
    for rec in records(table):
        rows.append(
            {
                "code": rec[c.CODE],
                "name": rec[c.LABEL],
                "cells": [(rec[k], french_number(rec[k], 1, missing="—")) for k in c.DISPLAY_RATES],
                "children": (
                    rec[c.CHILDREN_UNDER_3],
                    french_number(rec[c.CHILDREN_UNDER_3], 0, missing="—"),
                ),
                "places": (rec[c.PLACES_TOTAL], french_number(rec[c.PLACES_TOTAL], 0, missing="—")),
                "color": colors[str(rec[c.CODE])],
                "perimeter": rec[c.PERIMETER],
            }
        )
    return rows


def carte(request: HttpRequest, code: str) -> HttpResponse:
    """GeoJSON of the communes or EPCI of a département with their coverage."""
    dep = _departement(code)
    level = _level(request)
    history = coverage_table(c.DEPARTEMENT, dep.code)
    years = sorted(int(y) for y in history[c.YEAR].unique()) if not history.empty else []
    year = _year(request, years)
    national = _national(year).get(c.RATE_GLOBAL)
    table = coverage_table(level, dep.code, year) if year else pd.DataFrame()
    by_code = {r[c.CODE]: r for r in records(table)} if not table.empty else {}
    colors = _colors(table, national)
    qs = territory_queryset(level, dep.code)
    features = []
    for code_, name, geojson in qs.values_list("code", "name", "geojson"):
        rec = by_code.get(code_, {})
        props = {
            "code": code_,
            "nom": name,
            "couleur": colors.get(code_, UNKNOWN_COLOR),
            "taux": {
                label: french_number(rec.get(key), 1, missing="non connu")
                for key, label in MODE_ROWS
                if key not in (c.rate(c.EAJE), c.rate(c.INDIVIDUEL))
            },
            "enfants": french_number(rec.get(c.CHILDREN_UNDER_3), 0, missing="non connu"),
            "simule": bool(rec.get(c.SIMULATED, False)),
            "perimetre": rec.get(c.PERIMETER) or "",
        }
        features.append((geojson, props))
    return feature_collection(features)


def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    dep = _departement(code)
    level = _level(request) if request.GET.get("niveau") != c.DEPARTEMENT else c.DEPARTEMENT
    history = coverage_table(c.DEPARTEMENT, dep.code)
    years = sorted(int(y) for y in history[c.YEAR].unique()) if not history.empty else []
    year = _year(request, years)
    table = coverage_table(level, dep.code, year)
    simulated = bool(table[c.SIMULATED].any()) if not table.empty else False
    stem = f"couverture_{dep.code}_{level}_{year or 'toutes'}"
    if fmt == "xlsx":
        title = f"Taux de couverture par {c.LEVEL_LABELS[level]} — {dep.name} — {year}"
        return download(to_xlsx(table, title, simulated), fmt, stem)
    return download(csv_chunks(table), "csv", stem)


def donnees(request: HttpRequest) -> HttpResponse:
    files = list(ImportedFile.objects.all())
    newer = superseding()
    for f in files:
        f.superseded_by_editions = newer.get(f.pk, [])  # type: ignore[attr-defined]
    replacements = Replacement.objects.select_related("old_file", "new_file").order_by(
        "-replaced_at"
    )[:50]
    return render(
        request,
        "www/donnees.html",
        {
            "title": "Données importées",
            "files": files,
            "replacements": replacements,
        },
    )


def modele(request: HttpRequest, name: str) -> HttpResponse:
    if name not in TEMPLATES:
        raise Http404("Modèle inconnu")
    body = "\ufeff" + template_frame(TEMPLATES[name]).to_csv(sep=";", index=False)
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele_{name}.csv"'
    return response


def go_departement(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper()
    if not code:
        return redirect("departements")
    if len(code) > 3 or not Territory.objects.filter(level=c.DEPARTEMENT, code=code).exists():
        shown = code if len(code) <= 20 else code[:20] + "…"
        messages.error(
            request, f"Département inconnu « {shown} » : choisissez un département de la liste."
        )
        return redirect("departements")
    return redirect("departement", code=code)


def territoires(request: HttpRequest, code: str) -> HttpResponse:
    """Custom territories of a département: list and creation."""
    dep = _departement(code)
    communes = list(
        Territory.objects.filter(level=c.COMMUNE, departement=dep.code)
        .order_by("name")
        .values_list("code", "name")
    )
    form = CustomTerritoryForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            territory = create_custom_territory(
                form.cleaned_data["nom"],
                dep.code,
                form.cleaned_data["communes"],
                form.cleaned_data["description"],
                user=request.user,
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Territoire « {territory.name} » enregistré.")
            return redirect(f"{reverse('departement', args=[dep.code])}?niveau={c.CUSTOM}")
    existing = (
        Territory.objects.filter(level=c.CUSTOM, departement=dep.code)
        .prefetch_related("members")
        .order_by("name")
    )
    return render(
        request,
        "www/territoires.html",
        {
            "title": f"Territoires personnalisés — {dep.name}",
            "dep": dep,
            "form": form,
            "territories": existing,
            "can_steer": can(request.user, STEER, dep.code),
        },
    )
