"""The annual review (bilan annuel) of a schéma, as workbook sheets: the calendar, the actions
with their budget and milestones, the indicators against their targets, the committee's
decisions of the year, the national targets and the inequalities of coverage."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.db.models import Sum

from sdsf.core.monitoring import reached
from sdsf.reports.workbook import Column, Sheet, year_column
from sdsf.web.apps.actionplan.models import Action
from sdsf.web.apps.actionplan.monitoring import Dashboard, NationalTarget, Progress, dashboard
from sdsf.web.apps.diagnostic.sheets import inequality_sheet, simulated_data
from sdsf.web.apps.schemes.checks import CONTROL
from sdsf.web.apps.schemes.models import Decision, Scheme
from sdsf.web.apps.schemes.services import PhaseState
from sdsf.web.apps.territories.models import Territory

SOURCE = "sdsf : plan d'action et suivi du schéma saisis par ses partenaires"


def _yes_no(value: bool | None) -> str:
    return "non déterminé" if value is None else ("oui" if value else "non")


def calendar_sheet(title: str, phases: list[PhaseState]) -> Sheet:
    """Each phase with its planned and actual dates and its state (late or not)."""
    return Sheet(
        "Calendrier",
        title,
        [
            Column("Phase"),
            Column("Début prévu"),
            Column("Fin prévue"),
            Column("Début réel"),
            Column("Fin réelle"),
            Column("État"),
        ],
        [
            [
                s.phase.get_kind_display(),
                f"{s.phase.planned_start:%d/%m/%Y}",
                f"{s.phase.planned_end:%d/%m/%Y}",
                f"{s.phase.actual_start:%d/%m/%Y}" if s.phase.actual_start else "",
                f"{s.phase.actual_end:%d/%m/%Y}" if s.phase.actual_end else "",
                s.state,
            ]
            for s in phases
        ],
        SOURCE,
    )


def national_targets_sheet(targets: list[NationalTarget]) -> Sheet:
    """The COG targets (dated parameters) against the département's values."""
    return Sheet(
        "Objectifs nationaux",
        "Objectifs nationaux de la COG en vigueur",
        [
            Column("Objectif"),
            Column("Valeur", 1),
            Column("Cible", 1),
            Column("Unité"),
            Column("Atteint"),
            Column("Précisions"),
        ],
        [[t.label, t.value, t.target, t.unit, _yes_no(t.met), t.note] for t in targets],
        "Paramètres datés des objectifs COG (sdsf) ; diagnostic territorial",
        simulated=simulated_data(),
    )


def review_day(year: int, today: dt.date | None = None) -> dt.date:
    """The day a review of ``year`` speaks of: today during the year, else its last day."""
    return min(today or dt.date(year, 12, 31), dt.date(year, 12, 31))


def met_in(progress: Progress, year: int) -> bool | None:
    """Whether an indicator's value of ``year`` reaches its target of ``year``; None when
    either is missing."""
    value, target = dict(progress.values).get(year), dict(progress.targets).get(year)
    if value is None or target is None:
        return None
    return reached(value, target, progress.indicator.higher_is_better)


def review_sheets(
    scheme: Scheme, year: int, today: dt.date | None = None, board: Dashboard | None = None
) -> list[Sheet]:
    """``board``: the dashboard at :func:`review_day`, when the caller has it already."""
    today = today or dt.date(year, 12, 31)
    board = board or dashboard(scheme, review_day(year, today))
    simulated = simulated_data()
    calendar = calendar_sheet(
        f"{scheme.title} — bilan {year} : calendrier ({board.status})", board.phases
    )
    budgets = {
        (a, y): total
        for a, y, total in Action.objects.filter(scheme=scheme)
        .values_list("pk", "fundings__year")
        .annotate(total=Sum("fundings__amount"))
        if y is not None
    }
    actions = scheme.actions.select_related("orientation", "pilot").prefetch_related(
        "partners", "milestones"
    )
    action_rows = []
    for a in actions:
        due = [m for m in a.milestones.all() if m.due_on.year == year]
        total = sum((v for (pk, _), v in budgets.items() if pk == a.pk), Decimal(0))
        action_rows.append(
            [
                a.number,
                a.orientation.title,
                a.title,
                a.pilot.name,
                ", ".join(p.name for p in a.partners.all()),
                a.get_status_display(),
                a.abandon_reason,
                float(budgets.get((a.pk, year), 0)),
                float(total),
                f"{sum(1 for m in due if m.done_on)} sur {len(due)}",
            ]
        )
    action_sheet = Sheet(
        "Actions",
        f"Plan d'action au {today:%d/%m/%Y}",
        [
            Column("N°", 0),
            Column("Orientation"),
            Column("Action"),
            Column("Pilote"),
            Column("Partenaires"),
            Column("État"),
            Column("Motif d'abandon"),
            Column(f"Budget {year} (€)", 0),
            Column("Budget total (€)", 0),
            Column(f"Jalons {year} réalisés"),
        ],
        action_rows,
        SOURCE,
    )
    indicator_rows = []
    for p in board.progress:
        of_year = dict(p.values).get(year)
        target = dict(p.targets).get(year)
        met = met_in(p, year)
        indicator_rows.append(
            [
                p.action.number,
                p.indicator.label,
                p.indicator.unit,
                p.baseline,
                p.indicator.baseline_year,
                of_year,
                target,
                _yes_no(met),
                "calculé (diagnostic)" if p.indicator.computed else "saisi",
            ]
        )
    indicator_sheet = Sheet(
        "Indicateurs",
        f"Indicateurs des actions en {year}",
        [
            Column("Action", 0),
            Column("Indicateur"),
            Column("Unité"),
            Column("Départ", 1),
            year_column("Année de départ"),
            Column(f"Valeur {year}", 1),
            Column(f"Cible {year}", 1),
            Column("Cible atteinte"),
            Column("Origine"),
        ],
        indicator_rows,
        SOURCE,
        simulated=simulated,
    )
    decisions = (
        Decision.objects.filter(meeting__scheme=scheme, meeting__date__year=year)
        .select_related("meeting", "priority_version", "plan_version")
        .order_by("meeting__date", "id")
    )
    decision_sheet = Sheet(
        "Décisions",
        f"Décisions du comité en {year}",
        [Column("Date"), Column("Réunion"), Column("Objet"), Column("Décision"), Column("Décide")],
        [
            [
                f"{d.meeting.date:%d/%m/%Y}",
                d.meeting.title,
                d.get_kind_display(),
                d.text,
                f"carte des territoires prioritaires, version {d.priority_version.number}"
                if d.priority_version
                else (str(d.plan_version) if d.plan_version else ""),
            ]
            for d in decisions
        ],
        SOURCE,
    )
    target_sheet = national_targets_sheet(board.targets)
    name = (
        Territory.objects.filter(level="departement", code=scheme.departement)
        .values_list("name", flat=True)
        .first()
    ) or scheme.departement
    sheets = [
        calendar,
        action_sheet,
        indicator_sheet,
        decision_sheet,
        target_sheet,
        inequality_sheet(scheme.departement, name),
    ]
    return [_printable(sheet) for sheet in sheets]


def _printable(sheet: Sheet) -> Sheet:
    """The sheet without the control characters a workbook cannot hold (typed before the
    forms refused them, or stored by hand): a stored text never breaks the review."""

    def clean(value: object) -> object:
        return CONTROL.sub("", value) if isinstance(value, str) else value

    return replace(
        sheet,
        title=CONTROL.sub("", sheet.title),
        rows=[[clean(value) for value in row] for row in sheet.rows],
    )
