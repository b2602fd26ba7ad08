"""What the forms of the schéma space and of the priorities can write, as one comparable value:
a refusal must leave it unchanged."""

from __future__ import annotations

from typing import Any


def _models() -> list[Any]:
    from django.contrib.auth import get_user_model

    from sdsf.web.apps.accounts.models import Invitation, Organisation, Profile
    from sdsf.web.apps.actionplan.models import (
        Action,
        ActionIndicator,
        Funding,
        IndicatorValue,
        Milestone,
        Orientation,
    )
    from sdsf.web.apps.documents.models import DocumentJob
    from sdsf.web.apps.priorities.models import ManualChange, PriorityVersion, RuleOverlay
    from sdsf.web.apps.schemes.models import (
        ActionPlanVersion,
        Attendance,
        Comment,
        Decision,
        Meeting,
        Phase,
        Scheme,
        Signatory,
    )

    return [
        Scheme,
        Phase,
        Meeting,
        Attendance,
        Decision,
        Comment,
        Signatory,
        ActionPlanVersion,
        Orientation,
        Action,
        Action.partners.through,
        Funding,
        Milestone,
        ActionIndicator,
        IndicatorValue,
        Organisation,
        Invitation,
        Profile,
        PriorityVersion,
        ManualChange,
        RuleOverlay,
        DocumentJob,
        get_user_model(),
    ]


# written once with the version, never changed: their rows are long to read at each example
FROZEN = {"PriorityVersion": {"rules", "thresholds", "data_files", "result"}}


def _columns(model: Any) -> list[str]:
    frozen = FROZEN.get(model.__name__, set())
    return [f.attname for f in model._meta.concrete_fields if f.name not in frozen]


def fingerprint() -> tuple[Any, ...]:
    """Every row of every table a form of the schéma or of the priorities writes, and the
    number of rows of their histories (a refusal writes no history either)."""
    from sdsf.web.apps.actionplan.models import (
        Action,
        ActionIndicator,
        Funding,
        IndicatorValue,
        Milestone,
    )
    from sdsf.web.apps.schemes.models import Decision

    rows = tuple(
        (model.__name__, tuple(model.objects.order_by("pk").values_list(*_columns(model))))
        for model in _models()
    )
    histories = tuple(
        model.history.count()
        for model in (Action, ActionIndicator, Funding, IndicatorValue, Milestone, Decision)
    )
    return (*rows, histories)
