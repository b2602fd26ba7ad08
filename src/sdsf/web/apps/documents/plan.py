"""Orientations and the action plan in a document: one fiche per action (objective, pilot,
partners, territories marked against the validated priority map, public, expected result,
state, budget, milestones, indicators and targets), then the plan's synthesis tables (actions,
funding, indicators), which the XLSX carries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch

from sdsf.parameters.governance import national_orientations
from sdsf.reports.document.model import Builder
from sdsf.reports.formatting import french_number
from sdsf.reports.workbook import Column, Sheet, year_column
from sdsf.web.apps.actionplan.models import Action, ActionIndicator, IndicatorValue
from sdsf.web.apps.actionplan.monitoring import territory_notes
from sdsf.web.apps.diagnostic.sheets import simulated_data
from sdsf.web.apps.documents.common import PLATFORM
from sdsf.web.apps.schemes.models import Scheme

INDICATORS_SHEET = "Indicateurs des actions"


def euros(amount: Decimal | float) -> str:
    return f"{french_number(float(amount), 0)}\u00a0€"


def _actions(scheme: Scheme) -> list[Action]:
    return list(
        scheme.actions.select_related("orientation", "pilot").prefetch_related(
            "partners",
            "fundings__funder",
            "milestones",
            Prefetch(
                "indicators",
                queryset=ActionIndicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("year"))
                ),
            ),
        )
    )


def _targets(indicator: ActionIndicator) -> str:
    return ", ".join(
        f"{year} : {french_number(float(v), 1)}"
        for year, v in sorted(indicator.targets.items(), key=lambda kv: int(kv[0]))
    )


def _indicator_line(indicator: ActionIndicator) -> str:
    unit = f" ({indicator.unit})" if indicator.unit else ""
    parts = []
    if indicator.baseline is not None:
        parts.append(f"départ {french_number(indicator.baseline, 1)} en {indicator.baseline_year}")
    if indicator.targets:
        parts.append(f"cibles {_targets(indicator)}")
    values = list(indicator.values.all())
    if values:
        parts.append(f"dernière valeur {french_number(values[-1].value, 1)} en {values[-1].year}")
    origin = " — calculé depuis le diagnostic" if indicator.computed else ""
    return f"{indicator.label}{unit} : {' ; '.join(parts) or 'sans valeur'}{origin}"


def _territories(departement: str, codes: list[str]) -> str:
    return ", ".join(
        f"{name} ({note})" if note else name
        for _, name, note in territory_notes(departement, codes)
    )


def _fiche(b: Builder, action: Action, departement: str) -> None:
    fundings = list(action.fundings.all())
    total = sum((f.amount for f in fundings), Decimal(0))
    budget = " ; ".join(f"{f.funder.name} {f.year} : {euros(f.amount)}" for f in fundings)
    state = action.get_status_display()
    if action.abandon_reason:
        state += f" — motif : {action.abandon_reason}"
    milestones = " ; ".join(
        f"{m.title} (échéance {m.due_on:%d/%m/%Y}"
        + (f", réalisé le {m.done_on:%d/%m/%Y})" if m.done_on else ")")
        for m in action.milestones.all()
    )
    b.heading(f"Action {action.number} — {action.title}", 3)
    b.fiche(
        [
            ("Objectif", action.objective),
            ("Description", action.description),
            ("Pilote", action.pilot.name),
            ("Partenaires", ", ".join(p.name for p in action.partners.all())),
            ("Territoires", _territories(departement, list(action.territories))),
            ("Public visé", action.public),
            ("Niveau de résultat attendu", action.expected_result),
            ("État", state),
            ("Budget", f"{budget} — total {euros(total)}" if fundings else "non renseigné"),
            ("Jalons", milestones),
            ("Indicateurs", " ; ".join(_indicator_line(i) for i in action.indicators.all())),
        ]
    )


def synthesis_sheets(actions: list[Action]) -> list[Sheet]:
    """The plan in three tables: actions, funding, indicators."""
    simulated = simulated_data()
    action_rows: list[list[object]] = []
    funding_rows: list[list[object]] = []
    indicator_rows: list[list[object]] = []
    for a in actions:
        fundings = list(a.fundings.all())
        action_rows.append(
            [
                a.number,
                a.orientation.title,
                a.title,
                a.pilot.name,
                a.get_status_display(),
                float(sum((f.amount for f in fundings), Decimal(0))),
            ]
        )
        funding_rows += [[a.number, f.funder.name, f.year, float(f.amount)] for f in fundings]
        for i in a.indicators.all():
            values = list(i.values.all())
            last = values[-1] if values else None
            indicator_rows.append(
                [
                    a.number,
                    i.label,
                    i.unit,
                    i.baseline,
                    i.baseline_year,
                    _targets(i),
                    last.value if last else None,
                    last.year if last else None,
                ]
            )
    return [
        Sheet(
            "Actions",
            "Plan d'action : les actions",
            [
                Column("N°", 0),
                Column("Orientation"),
                Column("Action"),
                Column("Pilote"),
                Column("État"),
                Column("Budget total (€)", 0),
            ],
            action_rows,
            PLATFORM,
        ),
        Sheet(
            "Financements",
            "Plan d'action : financements par financeur et par année",
            [Column("Action", 0), Column("Financeur"), year_column(), Column("Montant (€)", 0)],
            funding_rows,
            PLATFORM,
        ),
        Sheet(
            INDICATORS_SHEET,
            "Plan d'action : indicateurs et cibles",
            [
                Column("Action", 0),
                Column("Indicateur"),
                Column("Unité"),
                Column("Départ", 1),
                year_column("Année de départ"),
                Column("Cibles par année"),
                Column("Dernière valeur", 1),
                year_column("Année"),
            ],
            indicator_rows,
            PLATFORM,
            simulated=simulated,
        ),
    ]


def plan_section(b: Builder, scheme: Scheme) -> list[Action]:
    actions = _actions(scheme)
    by_orientation: dict[int, list[Action]] = {}
    for action in actions:
        by_orientation.setdefault(action.orientation_id, []).append(action)
    national = national_orientations()
    b.heading("Orientations et plan d'action")
    orientations = list(scheme.orientations.all())
    if not orientations:
        b.paragraph("Aucune orientation n'est encore enregistrée.", "placeholder")
    for index, orientation in enumerate(orientations, 1):
        b.heading(f"Orientation {index} — {orientation.title}", 2)
        if orientation.axis:
            b.paragraph(f"Axe : {orientation.axis}", "note")
        b.text(orientation.description, "")
        if orientation.national in national:
            b.paragraph(f"Priorité nationale : {national[orientation.national]}", "note")
        own = by_orientation.get(orientation.pk, [])
        if not own:
            b.paragraph("Aucune action rattachée à cette orientation.", "note")
        for action in own:
            _fiche(b, action, scheme.departement)
    b.heading("Synthèse du plan d'action", 2)
    for sheet in synthesis_sheets(actions):
        b.table(sheet)
    return actions
