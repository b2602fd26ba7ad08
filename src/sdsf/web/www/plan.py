"""The action plan's pages: orientations and actions, and each action's sheet (fiche action)
with its funding, milestones, indicators, values and history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from sdsf.web.apps.accounts.permissions import EDIT_ACTION, READ, STEER, can, require
from sdsf.web.apps.actionplan import services
from sdsf.web.apps.actionplan.history import action_history
from sdsf.web.apps.actionplan.models import Action, ActionIndicator, Orientation
from sdsf.web.apps.actionplan.monitoring import indicator_progress, territory_notes
from sdsf.web.www import schema_forms as f
from sdsf.web.www.common import (
    conflict_of,
    departement_or_404,
    post_form,
    rights,
    scheme_or_404,
)
from sdsf.web.www.schema import chart


def plan_page(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    scheme = scheme_or_404(code)
    op = request.POST.get("op") if request.method == "POST" else None
    orientation_form = f.OrientationForm(request.POST if op == "orientation" else None)
    action_form = f.ActionForm(request.POST if op == "action" else None, scheme=scheme)
    created: list[Action] = []
    handlers: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "orientation": (
            orientation_form,
            lambda d: services.save_orientation(request.user, scheme, **d),
            "Orientation ajoutée.",
        ),
        "action": (
            action_form,
            lambda d: created.append(
                services.create_action(request.user, scheme, action_form.data_for_service())
            ),
            "Action ajoutée.",
        ),
    }
    if op in handlers:
        require(request.user, STEER, code)
        form, work, success = handlers[op]
        if post_form(request, form, work, success):
            if created:
                return redirect("schema_action", code, created[0].pk)
            return redirect("schema_plan", code)
    orientations = scheme.orientations.prefetch_related(
        "actions__pilot", "actions__partners"
    ).order_by("order", "id")
    context: dict[str, Any] = {
        "title": f"Plan d'action — {dep.name}",
        "dep": dep,
        "scheme": scheme,
        "orientations": orientations,
        "orientation_form": orientation_form,
        "action_form": action_form,
        "versions": scheme.plan_versions.all(),
    }
    return render(request, "www/schema_plan.html", context | rights(request.user, code))


def _edit_form(action: Action, data: Any = None) -> f.ActionForm:
    initial = {
        "orientation": action.orientation_id,
        "title": action.title,
        "objective": action.objective,
        "description": action.description,
        "pilot": action.pilot_id,
        "partners": [p.pk for p in action.partners.all()],
        "territories": ", ".join(action.territories),
        "public": action.public,
        "expected_result": action.expected_result,
        "status": action.status,
        "abandon_reason": action.abandon_reason,
        "revision": action.revision,
    }
    return f.ActionForm(data, initial=initial, scheme=action.scheme, prefix="action")


def action_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    action = get_object_or_404(
        Action.objects.select_related("scheme", "orientation", "pilot"),
        pk=pk,
        scheme__departement=code,
    )
    op = request.POST.get("op") if request.method == "POST" else None
    post = request.POST if op else None
    edit = _edit_form(action, post if op == "modifier" else None)
    funding = f.FundingForm(post if op == "financement" else None, departement=code, prefix="fin")
    milestone = f.MilestoneForm(post if op == "jalon" else None, prefix="jalon")
    indicator = f.IndicatorForm(post if op == "indicateur" else None, prefix="ind")
    value = f.ValueForm(post if op == "valeur" else None, prefix="valeur")

    def modify(data: dict[str, Any]) -> None:
        revision = int(data.get("revision") or 0)
        services.update_action(request.user, action.pk, edit.data_for_service(), revision)

    def add_indicator(data: dict[str, Any]) -> None:
        if data.get("source_indicator"):
            data = data | {"level": _level_of(str(data.get("territory") or ""))}
        services.add_indicator(request.user, action, **data)

    def enter(data: dict[str, Any]) -> None:
        target = _indicator(action, request.POST.get("indicateur"))
        services.enter_value(request.user, target, **data)

    handlers: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "modifier": (edit, modify, "Action enregistrée."),
        "financement": (
            funding,
            lambda d: services.add_funding(request.user, action, **d),
            "Financement ajouté.",
        ),
        "jalon": (
            milestone,
            lambda d: services.add_milestone(request.user, action, **d),
            "Jalon ajouté.",
        ),
        "indicateur": (indicator, add_indicator, "Indicateur ajouté."),
        "valeur": (value, enter, "Valeur enregistrée."),
    }
    if op in handlers:
        require(request.user, EDIT_ACTION, code, services.piloted_by(action))
        form, work, success = handlers[op]
        if post_form(request, form, work, success, shown_on_page=op == "modifier"):
            return redirect("schema_action", code, pk)
    conflict = conflict_of(request)
    if conflict is not None:
        action.refresh_from_db()
        edit = _edit_form(action, None)  # the saved version, to start again from
    progress = [
        (p, chart(p)) for p in indicator_progress(action.scheme) if p.action.pk == action.pk
    ]
    editable = can(request.user, EDIT_ACTION, code, services.piloted_by(action))
    context = {
        "title": str(action),
        "dep": dep,
        "action": action,
        "partners": action.partners.all(),
        "territories": territory_notes(code, list(action.territories)),
        "fundings": action.fundings.select_related("funder"),
        "milestones": action.milestones.all(),
        "progress": progress,
        "history": action_history(action),
        "edit_form": edit,
        "conflict": conflict,
        "funding_form": funding,
        "milestone_form": milestone,
        "indicator_form": indicator,
        "value_form": value,
        "editable": editable,
    }
    return render(request, "www/schema_action.html", context | rights(request.user, code))


def _indicator(action: Action, raw: object) -> ActionIndicator:
    """The action's indicator whose id was posted; a French error when it is not one."""
    text = str(raw or "").strip()
    found = (
        ActionIndicator.objects.filter(pk=int(text), action=action).first()
        if text.isascii() and text.isdigit()
        else None
    )
    if found is None:
        raise services.SchemeError(
            "indicateur inconnu : il a pu être supprimé, rechargez la page de l'action"
        )
    return found


def _level_of(code: str) -> str:
    from sdsf.web.apps.territories.models import Territory

    found = (
        Territory.objects.filter(code=code.strip())
        .exclude(level="arrondissement")
        .values_list("level", flat=True)
        .first()
    )
    if found is None:
        raise services.SchemeError(f"territoire inconnu « {code} »")
    return str(found)


def orientation_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    orientation = get_object_or_404(Orientation, pk=pk, scheme__departement=code)
    require(request.user, STEER, code)
    if request.method == "POST":
        post_form(
            request,
            f.OrientationForm(request.POST, prefix=f"o{pk}"),
            lambda d: services.save_orientation(
                request.user, orientation.scheme, orientation=orientation, **d
            ),
            "Orientation modifiée.",
        )
    return redirect("schema_plan", code)
