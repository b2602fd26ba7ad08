"""What changed in an action, its funding, milestones, indicators and values: who, when, and
each field before and after (from django-simple-history's records)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sdsf.web.apps.actionplan.models import (
    Action,
    ActionIndicator,
    Funding,
    IndicatorValue,
    Milestone,
)

KINDS = {"+": "création", "~": "modification", "-": "suppression"}
HIDDEN = {"revision", "updated_by", "id", "action", "indicator", "scheme"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    when: dt.datetime
    who: str
    what: str  # « Action », « Indicateur : ... », « Valeur 2024 de ... »
    kind: str
    changes: list[Change]


def _label(model: Any, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:
        return field


def _choices(model: Any, field: str) -> dict[Any, Any] | None:
    try:
        choices = model._meta.get_field(field).choices
    except Exception:
        return None
    return dict(choices) if choices else None


def _text(value: Any, choices: dict[Any, Any] | None = None) -> str:
    if choices and value in choices:
        return str(choices[value])
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def entries(records: Any, model: Any, what: Any) -> list[Entry]:
    """Entries of simple-history ``records`` of ``model`` (oldest first), described by ``what``."""
    out = []
    previous: dict[int, Any] = {}
    for record in records.order_by("history_date", "history_id"):
        before = previous.get(record.id)
        if before is None:
            changes = []
        else:
            delta = record.diff_against(before)
            changes = [
                Change(
                    _label(model, ch.field),
                    _text(ch.old, _choices(model, ch.field)),
                    _text(ch.new, _choices(model, ch.field)),
                )
                for ch in delta.changes
                if ch.field not in HIDDEN
            ]
        previous[record.id] = record
        if before is not None and not changes and record.history_type == "~":
            continue
        user = record.history_user
        out.append(
            Entry(
                record.history_date,
                (user.get_full_name() or user.get_username()) if user else "ligne de commande",
                what(record),
                KINDS.get(record.history_type, record.history_type),
                changes,
            )
        )
    return out


def action_history(action: Action) -> list[Entry]:
    """Every recorded change of the action and of what hangs from it, newest first."""
    indicators = {i.pk: i.label for i in ActionIndicator.history.filter(action_id=action.pk)}
    found = entries(
        Action.history.filter(id=action.pk).select_related("history_user"),
        Action,
        lambda r: "Action",
    )
    found += entries(
        Funding.history.filter(action_id=action.pk).select_related("history_user"),
        Funding,
        lambda r: f"Financement {r.year}",
    )
    found += entries(
        Milestone.history.filter(action_id=action.pk).select_related("history_user"),
        Milestone,
        lambda r: f"Jalon : {r.title}",
    )
    found += entries(
        ActionIndicator.history.filter(action_id=action.pk).select_related("history_user"),
        ActionIndicator,
        lambda r: f"Indicateur : {r.label}",
    )
    found += entries(
        IndicatorValue.history.filter(indicator_id__in=list(indicators)).select_related(
            "history_user"
        ),
        IndicatorValue,
        lambda r: f"Valeur {r.year} de « {indicators.get(r.indicator_id, '')} »",
    )
    return sorted(found, key=lambda e: e.when, reverse=True)


def edits(edited: Any) -> list[Entry]:
    """The modifications of one object of the schéma space (a schéma's texts, a meeting's
    minutes...), newest first: who, when, each field before and after."""
    model = type(edited)
    found = entries(
        model.history.filter(id=edited.pk).select_related("history_user"),
        model,
        lambda r: str(model._meta.verbose_name),
    )
    return [e for e in reversed(found) if e.kind == "modification"]
