"""Priority territories: rules, map, list, sensitivity; proposals, manual changes, the
committee's validation and comparisons; exports."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sdsf.core import columns as c
from sdsf.core.priority import RANK, STATUS, UNDETERMINED, ZONE, value_column
from sdsf.parameters import ParameterError
from sdsf.parameters.indicators import catalogue
from sdsf.parameters.rules import RuleSet
from sdsf.reports.formatting import french_number
from sdsf.reports.maps import render as render_map
from sdsf.reports.workbook import csv_chunks, to_xlsx
from sdsf.web.apps.accounts.permissions import STEER, can, require
from sdsf.web.apps.diagnostic.sheets import simulated_data
from sdsf.web.apps.priorities.maps import color, legend, static_priority_map, version_rules
from sdsf.web.apps.priorities.models import PriorityVersion, ValidatedVersionError
from sdsf.web.apps.priorities.services import (
    add_manual_change,
    compare,
    create_overlay,
    final_rows,
    rule_sets,
    run,
    save_version,
    validate,
)
from sdsf.web.apps.priorities.sheets import result_sheet, rules_context, run_rows
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import territory_queryset
from sdsf.web.www import priorites_forms as f
from sdsf.web.www.common import form_problems
from sdsf.web.www.fields import sentence
from sdsf.web.www.presentation import bbox, download, feature_collection


def _departement(code: str) -> Territory:
    dep = Territory.objects.filter(level=c.DEPARTEMENT, code=code).first()
    if dep is None:
        raise Http404("Département inconnu")
    return dep


def _rules(request: HttpRequest, departement: str) -> tuple[str, RuleSet]:
    available = rule_sets(departement)
    asked = request.GET.get("regles") or request.POST.get("regles") or "frt-2014"
    if asked not in available:
        raise Http404("Règles inconnues")
    return asked, available[asked]


def _display(rows: list[dict[str, Any]], rules: RuleSet) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        cells = []
        for item in rules.criteria:
            ind = catalogue().indicators[item.indicator]
            value = row.get(value_column(item.id))
            cells.append((value, french_number(value, ind.decimals, missing="inconnu")))
        out.append(
            {
                "code": row[c.CODE],
                "name": row[c.LABEL],
                "status": row[STATUS],
                "final": row["final"],
                "zone": row.get(ZONE),
                "rank": row.get(RANK),
                "children": row.get("enfants_moins_3_ans"),
                "cells": cells,
                "explanation": row["explication"],
                "manual": row["manuel"],
                "color": color(row),
            }
        )
    return out


def _sensitivity(result, rules: RuleSet) -> list[dict[str, Any]]:
    labels = {c_.id: c_.label for c_ in rules.criteria}
    return [
        {
            "criterion": labels[ch.criterion],
            "factor": f"{ch.factor * 100:+.0f} %".replace("+", "+ ").replace("-", "− "),
            "threshold": french_number(ch.threshold, 1),
            "entering": ch.entering,
            "leaving": ch.leaving,
            "rezoned": ch.rezoned,
            "children": french_number(ch.children, 0),
        }
        for ch in result.sensitivity
    ]


def _refused(request: HttpRequest, form: Any) -> None:
    messages.error(request, f"Rien n'a été enregistré. {form_problems(form)}")


def priorites(request: HttpRequest, code: str) -> HttpResponse:
    dep = _departement(code)
    if request.method == "POST":
        require(request.user, STEER, dep.code)
        asked = request.POST.get("regles") or request.GET.get("regles") or "frt-2014"
        form = f.ProposalForm({"regles": asked}, rules=rule_sets(dep.code))
        if not form.is_valid():
            _refused(request, form)
            return redirect("priorites", code=dep.code)
        version = save_version(dep.code, form.cleaned_data["regles"], user=request.user)
        messages.success(request, f"Proposition n° {version.number} enregistrée.")
        return redirect("priorites_version", code=dep.code, number=version.number)
    rules_id, rules = _rules(request, dep.code)
    result = run(dep.code, rules)
    rows = _display(run_rows(result.table), rules)
    return render(
        request,
        "www/priorites.html",
        {
            "title": f"Territoires prioritaires — {dep.name}",
            "dep": dep,
            "rules_id": rules_id,
            "rules": rules,
            "can_steer": can(request.user, STEER, dep.code),
            "choices": rule_sets(dep.code),
            "criteria": rules_context(rules, result.thresholds),
            "rows": rows,
            "priority_count": sum(1 for r in rows if r["final"]),
            "undetermined": [r for r in rows if r["status"] == UNDETERMINED],
            "sensitivity": _sensitivity(result, rules),
            "versions": PriorityVersion.objects.filter(departement=dep.code),
            "map_url": f"{reverse('priorites_carte', args=[dep.code])}?regles={rules_id}",
            "export_query": f"regles={rules_id}",
            "bbox": json.dumps(bbox(dep)),
            "simulated": simulated_data(),
            "legend": legend(rules),
        },
    )


def _version(code: str, number: int) -> PriorityVersion:
    version = PriorityVersion.objects.filter(departement=code, number=number).first()
    if version is None:
        raise Http404("Version inconnue")
    return version


def version_page(request: HttpRequest, code: str, number: int) -> HttpResponse:
    dep = _departement(code)
    version = _version(dep.code, number)
    if request.method == "POST":
        require(request.user, STEER, dep.code)
        validating = request.POST.get("action") == "valider"
        form = (
            f.ValidationForm(request.POST)
            if validating
            else f.ManualChangeForm(request.POST, version=version)
        )
        if not form.is_valid():
            _refused(request, form)
            return redirect("priorites_version", code=dep.code, number=version.number)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if validating:
                    validate(
                        version, data["date"], data["seance"], data["decision"], user=request.user
                    )
                    done = f"Version n° {version.number} validée par le comité."
                else:
                    change = add_manual_change(
                        version,
                        data["territoire"],
                        data["modification"],
                        data["justification"],
                        user=request.user,
                    )
                    done = f"Modification enregistrée pour « {change.name} »."
        except (ValueError, ValidatedVersionError) as exc:
            messages.error(request, f"Rien n'a été enregistré. {sentence(str(exc))}")
        else:
            messages.success(request, done)
        return redirect("priorites_version", code=dep.code, number=version.number)
    rules = version_rules(version)
    rows = _display(final_rows(version), rules)
    return render(
        request,
        "www/priorites_version.html",
        {
            "title": f"Version n° {version.number} — territoires prioritaires — {dep.name}",
            "dep": dep,
            "version": version,
            "rules": rules,
            "can_steer": can(request.user, STEER, dep.code),
            "criteria": rules_context(rules, version.thresholds),
            "rows": rows,
            "priority_count": sum(1 for r in rows if r["final"]),
            "changes": version.manual_changes.order_by("created_at"),
            "others": PriorityVersion.objects.filter(departement=dep.code).exclude(pk=version.pk),
            "map_url": f"{reverse('priorites_carte', args=[dep.code])}?version={version.number}",
            "export_query": f"version={version.number}",
            "bbox": json.dumps(bbox(dep)),
            "simulated": simulated_data(),
            "legend": legend(rules),
            "today": dt.date.today().isoformat(),
        },
    )


def compare_page(request: HttpRequest, code: str, number: int, other: int) -> HttpResponse:
    dep = _departement(code)
    old, new = _version(dep.code, other), _version(dep.code, number)
    diff = compare(old, new)
    return render(
        request,
        "www/priorites_comparer.html",
        {
            "title": f"Versions n° {old.number} et n° {new.number} — {dep.name}",
            "dep": dep,
            "old": old,
            "new": new,
            "entered": diff["entres"],
            "left": diff["sortis"],
        },
    )


def adapt_page(request: HttpRequest, code: str) -> HttpResponse:
    """Copy a shipped rule set and adjust its thresholds or drop criteria, with the reason."""
    dep = _departement(code)
    require(request.user, STEER, dep.code)
    rules_id, rules = _rules(request, dep.code)
    if request.method == "POST":
        form = f.AdaptForm(request.POST, rules=rules)
        if not form.is_valid():
            _refused(request, form)
            return redirect(f"{request.path}?regles={rules_id}")
        try:
            overlay = create_overlay(
                dep.code,
                rules_id,
                form.cleaned_data["nom"] or f"{rules.title} adapté",
                form.changes(),
                form.cleaned_data["motif"],
                user=request.user,
            )
        except ParameterError as exc:
            messages.error(request, f"Rien n'a été enregistré. {sentence(str(exc))}")
            return redirect(f"{request.path}?regles={rules_id}")
        messages.success(request, f"Règles « {overlay.name} » enregistrées.")
        return redirect(f"{reverse('priorites', args=[dep.code])}?regles={overlay.code}")
    result = run(dep.code, rules)
    return render(
        request,
        "www/priorites_adapter.html",
        {
            "title": f"Adapter les règles — {dep.name}",
            "dep": dep,
            "rules_id": rules_id,
            "rules": rules,
            "criteria": [
                {"id": item.id, **info}
                for item, info in zip(
                    rules.criteria, rules_context(rules, result.thresholds), strict=False
                )
            ],
        },
    )


def _rows_for(request: HttpRequest, dep: Territory) -> tuple[list[dict[str, Any]], RuleSet, str]:
    if request.GET.get("version", "").isdigit():
        version = _version(dep.code, int(request.GET["version"]))
        rules = version_rules(version)
        return final_rows(version), rules, f"version {version.number}"
    rules_id, rules = _rules(request, dep.code)
    return run_rows(run(dep.code, rules).table), rules, rules_id


def priority_map(request: HttpRequest, code: str) -> HttpResponse:
    """GeoJSON (or PNG/SVG) of the zones; hand changes are hatched."""
    dep = _departement(code)
    rows, rules, label = _rows_for(request, dep)
    by_code = {r[c.CODE]: r for r in rows}
    shapes = territory_queryset(rules.perimeter, dep.code).values_list(
        "code", "name", "geojson", "longitude", "latitude"
    )
    fmt = request.GET.get("format", "geojson")
    if fmt in ("png", "svg"):
        spec = static_priority_map(rows, rules, dep.code, dep.name)
        return download(render_map(spec, fmt), fmt, f"priorites_{dep.code}_{label}")
    features = []
    for code_, name, geojson, lon, lat in shapes:
        row = by_code.get(code_)
        if row is None:
            continue
        props: dict[str, object] = {
            "code": code_,
            "nom": name,
            "couleur": color(row),
            "taux": {"Statut": row[STATUS], "Zone": str(row.get(ZONE) or "—")},
            "enfants": "",
            "simule": simulated_data(),
            "explication": row["explication"],
        }
        if (row.get("valeur_qpv") or 0) > 0 and lon is not None and lat is not None:
            props["qpv"] = True  # QPV contours are not available: a marker on the territory
            props["point"] = [lat, lon]
        if row["manuel"]:
            props["hachure"] = True
            props["taux"]["Modification"] = row["manuel"]["justification"]
        features.append((geojson, props))
    return feature_collection(features)


def priority_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    dep = _departement(code)
    rows, rules, label = _rows_for(request, dep)
    sheet = result_sheet(rows, rules, dep.name, label)
    if fmt == "xlsx":
        return download(to_xlsx([sheet]), fmt, f"priorites_{dep.code}")
    if fmt == "csv":
        return download(csv_chunks(sheet), fmt, f"priorites_{dep.code}")
    raise Http404("Format inconnu")
