"""Orientations, actions, their funding, milestones and indicators: every write checks the
user's rights and keeps the history; an action edited from an older revision is refused with
the difference (:class:`ConflictError`), never silently overwritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sdsf.parameters.governance import national_orientations
from sdsf.web.apps.accounts.models import Organisation
from sdsf.web.apps.accounts.permissions import EDIT_ACTION, STEER, require
from sdsf.web.apps.actionplan.models import (
    Action,
    ActionIndicator,
    Funding,
    IndicatorValue,
    Milestone,
    Orientation,
)
from sdsf.web.apps.datasets.models import current_user_name
from sdsf.web.apps.schemes import checks, revisions
from sdsf.web.apps.schemes.checks import SchemeError
from sdsf.web.apps.schemes.models import ActionPlanVersion, Scheme

EDITABLE = (
    "orientation",
    "title",
    "objective",
    "description",
    "pilot",
    "partners",
    "territories",
    "public",
    "expected_result",
    "status",
    "abandon_reason",
)
REQUIRED = ("title", "objective", "expected_result")
TEXTS = ("title", "objective", "description", "public", "expected_result", "abandon_reason")


def _history_user(obj: Any, user: object) -> None:
    obj._history_user = user if getattr(user, "pk", None) else None


def piloted_by(action: Action) -> set[int]:
    """The organisations that pilot or co-pilot the action."""
    return {action.pilot_id, *action.partners.values_list("id", flat=True)}


def seed_orientations(scheme: Scheme) -> list[Orientation]:
    """The national priorities as the schéma's first orientations (editable)."""
    return bulk_create_with_history(
        [
            Orientation(scheme=scheme, title=title, national=key, order=i)
            for i, (key, title) in enumerate(national_orientations().items())
        ],
        Orientation,
    )


def save_orientation(
    user: object,
    scheme: Scheme,
    title: str,
    axis: str = "",
    description: str = "",
    orientation: Orientation | None = None,
    revision: int | None = None,
) -> Orientation:
    """A new orientation, or the edit of ``orientation`` from the ``revision`` read."""
    require(user, STEER, scheme.departement)
    if not title.strip():
        raise SchemeError("l'intitulé de l'orientation est obligatoire")
    if orientation is not None and orientation.scheme_id != scheme.pk:
        raise SchemeError("cette orientation appartient à un autre schéma")
    fields = (
        checks.text(title, "orientation", 300),
        checks.text(axis, "axe", 200),
        checks.text(description, "description"),
    )
    if orientation is not None:
        edited = dict(zip(("title", "axis", "description"), fields, strict=True))
        return revisions.save(orientation, user, revision, edited)
    last = scheme.orientations.aggregate(m=Max("order"))["m"]
    orientation = Orientation(scheme=scheme, order=(last or 0) + 1)
    orientation.title, orientation.axis, orientation.description = fields
    orientation.updated_by = current_user_name(user)
    _history_user(orientation, user)
    orientation.save()
    return orientation


def _clean(scheme: Scheme, data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise an action's fields (French messages)."""
    out = {k: data[k] for k in EDITABLE if k in data}
    for name in REQUIRED:
        if name in out and not str(out[name]).strip():
            label = Action._meta.get_field(name).verbose_name
            raise SchemeError(f"le champ « {label} » est obligatoire")
    for name in TEXTS:
        if name in out:
            field = Action._meta.get_field(name)
            limit = getattr(field, "max_length", None) or checks.TEXT_MAX
            out[name] = checks.text(out[name], str(field.verbose_name), limit)
    if "status" in out and out["status"] not in Action.STATUSES:
        raise SchemeError(f"état inconnu « {str(out['status'])[:20]} »")
    if out.get("status") == Action.ABANDONED and not str(out.get("abandon_reason", "")).strip():
        raise SchemeError("une action abandonnée doit en donner le motif")
    if "orientation" in out and out["orientation"].scheme_id != scheme.pk:
        raise SchemeError("cette orientation appartient à un autre schéma")
    for name in ("pilot", "partners"):
        for organisation in _organisations(out.get(name)):
            if organisation.departement not in (scheme.departement, ""):
                raise SchemeError(
                    f"l'organisation « {organisation.name} » est d'un autre département"
                )
    if "territories" in out:
        codes = sorted({str(t).strip() for t in out["territories"] if str(t).strip()})
        if len(codes) > checks.TERRITORIES_MAX:
            raise SchemeError(f"une action nomme {checks.TERRITORIES_MAX} territoires au plus")
        too_long = [c for c in codes if len(c) > 60]
        if too_long:
            raise SchemeError(f"code de territoire trop long « {too_long[0][:60]}… »")
        out["territories"] = codes
    return out


def _organisations(value: Any) -> list[Organisation]:
    if value is None:
        return []
    if isinstance(value, Organisation):
        return [value]
    return [o for o in value if isinstance(o, Organisation)]


def create_action(user: object, scheme: Scheme, data: dict[str, Any]) -> Action:
    require(user, STEER, scheme.departement)
    for name in ("orientation", "pilot", *REQUIRED):
        if not data.get(name):
            label = Action._meta.get_field(name).verbose_name
            raise SchemeError(f"le champ « {label} » est obligatoire")
    fields = _clean(scheme, data)
    partners = fields.pop("partners", [])
    with transaction.atomic():
        last = scheme.actions.aggregate(m=Max("number"))["m"]
        action = Action(scheme=scheme, number=(last or 0) + 1, **fields)
        action.updated_by = current_user_name(user)
        _history_user(action, user)
        action.save()
        action.partners.set(partners)
    return action


def _current(action: Any, name: str) -> Any:
    if name == "partners":
        return list(action.partners.all())
    if name == "status":
        return action.get_status_display()
    return getattr(action, name)


def _yours(name: str, value: Any) -> Any:
    return Action.STATUSES.get(value, value) if name == "status" else value


def update_action(user: object, action_id: int, data: dict[str, Any], revision: int) -> Action:
    """Save the edits made from ``revision``; refuse them if the action has moved on."""
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("scheme").get(pk=action_id)
        require(user, EDIT_ACTION, action.scheme.departement, piloted_by(action))
        fields = _clean(action.scheme, data)
        revisions.check(action, revision, fields, _current, _yours)
        partners = fields.pop("partners", None)
        for name, value in fields.items():
            setattr(action, name, value)
        if action.status != Action.ABANDONED:
            action.abandon_reason = ""
        revisions.moved_on(action, user)
        action.save()
        if partners is not None:
            action.partners.set(partners)
    return action


def add_funding(
    user: object, action: Action, funder: Organisation, year: int, amount: object
) -> Funding:
    require(user, EDIT_ACTION, action.scheme.departement, piloted_by(action))
    value = checks.amount(amount)
    if funder.departement not in (action.scheme.departement, ""):
        raise SchemeError(f"le financeur « {funder.name} » est d'un autre département")
    funding = Funding(action=action, funder=funder, year=checks.year(year), amount=value)
    _history_user(funding, user)
    funding.save()
    return funding


def add_milestone(
    user: object, action: Action, title: str, due_on: dt.date, done_on: dt.date | None = None
) -> Milestone:
    require(user, EDIT_ACTION, action.scheme.departement, piloted_by(action))
    if not title.strip():
        raise SchemeError("l'intitulé du jalon est obligatoire")
    if due_on is None:
        raise SchemeError("l'échéance du jalon est obligatoire")
    milestone = Milestone(
        action=action,
        title=checks.text(title, "étape", 300),
        due_on=checks.date(due_on, "échéance"),
        done_on=checks.date(done_on, "réalisée le"),
    )
    _history_user(milestone, user)
    milestone.save()
    return milestone


INDICATOR_FIELDS = {
    "label",
    "unit",
    "baseline",
    "baseline_year",
    "targets",
    "higher_is_better",
    "source_indicator",
    "level",
    "territory",
}


def add_indicator(user: object, action: Action, **fields: Any) -> ActionIndicator:
    """An indicator of the action: ``label``, ``unit``, ``baseline``, ``baseline_year``,
    ``targets`` ({year: value}), ``higher_is_better``; or computed from the diagnostic with
    ``source_indicator``, ``level`` and ``territory``."""
    from sdsf.parameters.indicators import catalogue

    require(user, EDIT_ACTION, action.scheme.departement, piloted_by(action))
    if not str(fields.get("label", "")).strip():
        raise SchemeError("l'intitulé de l'indicateur est obligatoire")
    source = fields.get("source_indicator") or ""
    if source and source not in catalogue().indicators:
        raise SchemeError(f"indicateur du diagnostic inconnu « {str(source)[:80]} »")
    if source and not (fields.get("level") and fields.get("territory")):
        raise SchemeError("un indicateur calculé a besoin d'un niveau et d'un territoire")
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise SchemeError(f"champs inconnus pour un indicateur : {', '.join(sorted(unknown))}")
    checked = fields | {"targets": checks.targets(fields.get("targets"), "cible")}
    for name in ("label", "unit", "source_indicator", "level", "territory"):
        if name in fields:
            field = ActionIndicator._meta.get_field(name)
            checked[name] = checks.text(fields[name], str(field.verbose_name), field.max_length)
    if fields.get("baseline") is not None:
        checked["baseline"] = checks.number(fields["baseline"], "valeur de départ")
    if fields.get("baseline_year") is not None:
        checked["baseline_year"] = checks.year(fields["baseline_year"], "année de départ")
    indicator = ActionIndicator(action=action, **checked)
    _history_user(indicator, user)
    indicator.save()
    if indicator.computed:
        from sdsf.web.apps.actionplan.computed import refresh

        refresh([indicator])
    return indicator


def enter_value(
    user: object, indicator: ActionIndicator, year: int, value: float, source: str
) -> IndicatorValue:
    """The value of a year (replacing the one typed before, which the history keeps)."""
    action = indicator.action
    require(user, EDIT_ACTION, action.scheme.departement, piloted_by(action))
    if indicator.computed:
        raise SchemeError("cet indicateur est calculé depuis le diagnostic : il ne se saisit pas")
    if not source.strip():
        raise SchemeError("la source de la valeur est obligatoire")
    year = checks.year(year)
    checked = checks.number(value), checks.text(source, "source", 300)
    found = IndicatorValue.objects.filter(indicator=indicator, year=year).first()
    found = found or IndicatorValue(indicator=indicator, year=year)
    found.value, found.source = checked
    found.entered_on = timezone.localdate()
    found.entered_by = user if getattr(user, "pk", None) else None
    _history_user(found, user)
    found.save()
    return found


def plan_content(scheme: Scheme) -> list[dict[str, Any]]:
    """The orientations and their actions, as a version keeps them."""
    actions = scheme.actions.select_related("pilot").order_by("number")
    return [
        {
            "orientation": o.title,
            "axe": o.axis,
            "actions": [
                {
                    "numero": a.number,
                    "intitule": a.title,
                    "pilote": a.pilot.name,
                    "etat": a.get_status_display(),
                    "objectif": a.objective,
                }
                for a in actions
                if a.orientation_id == o.pk
            ],
        }
        for o in scheme.orientations.all()
    ]


def snapshot_plan(user: object, scheme: Scheme) -> ActionPlanVersion:
    """A new numbered version of the action plan (what the committee validates)."""
    require(user, STEER, scheme.departement)
    last = scheme.plan_versions.aggregate(m=Max("number"))["m"]
    return ActionPlanVersion.objects.create(
        scheme=scheme,
        number=(last or 0) + 1,
        content=plan_content(scheme),
        created_by=current_user_name(user),
    )
