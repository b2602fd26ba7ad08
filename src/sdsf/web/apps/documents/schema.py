"""The schéma document (art. D214-2 CASF and the published schémas): cover with the
signatories, table of contents, editorial, context and legal frame, method (calendar actually
followed, meetings, concertation), the diagnostic by theme, the issues, orientations and the
action plan, the priority territories, governance and monitoring, the synthesis of common
indicators, and the annexes."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from sdsf.core import columns as c
from sdsf.parameters.documents import texts
from sdsf.parameters.indicators import catalogue
from sdsf.reports.document.model import Builder, Cover, Document, Table
from sdsf.reports.workbook import Column, Sheet
from sdsf.web.apps.actionplan.monitoring import national_targets
from sdsf.web.apps.actionplan.review import calendar_sheet, national_targets_sheet
from sdsf.web.apps.diagnostic.sheets import inequality_sheet, simulated_data
from sdsf.web.apps.documents.common import (
    PLATFORM,
    active_files,
    annexes,
    departement_name,
    generated_on,
    vintage,
)
from sdsf.web.apps.documents.diagnostic import common_indicators_sheet, theme_section
from sdsf.web.apps.documents.plan import INDICATORS_SHEET, plan_section
from sdsf.web.apps.documents.priorities import priorities_section
from sdsf.web.apps.schemes.models import Comment, Scheme
from sdsf.web.apps.schemes.services import phase_states, status_label

DOCUMENT_KICKER = "Schéma départemental des services aux familles"


def _paragraphs(key: str) -> str:
    return "\n\n".join(texts()[key])


def _meetings_sheet(scheme: Scheme) -> Sheet:
    meetings = scheme.meetings.annotate(
        present=Count("attendances", filter=Q(attendances__status="present"), distinct=True),
        excused=Count("attendances", filter=Q(attendances__status="excuse"), distinct=True),
        decided=Count("decisions", distinct=True),
    ).order_by("date")
    return Sheet(
        "Réunions du comité",
        "Réunions du comité",
        [
            Column("Date"),
            Column("Réunion"),
            Column("Lieu"),
            Column("Présents", 0),
            Column("Excusés", 0),
            Column("Décisions", 0),
        ],
        [
            [f"{m.date:%d/%m/%Y}", m.title, m.place, m.present, m.excused, m.decided]
            for m in meetings
        ],
        PLATFORM,
    )


def _concertation_sheet(scheme: Scheme) -> Sheet:
    counts = Counter(scheme.comments.values_list("section", "status"))
    rows: list[list[object]] = []
    for key, label in Comment.SECTIONS.items():
        by_status = [counts.get((key, status), 0) for status in Comment.STATUSES]
        rows.append([label, sum(by_status), *by_status])
    return Sheet(
        "Concertation",
        "Concertation : contributions par partie du schéma",
        [Column("Partie"), Column("Contributions", 0)]
        + [Column(label.capitalize(), 0) for label in Comment.STATUSES.values()],
        rows,
        PLATFORM,
        notice="Chaque contribution reçoit une réponse motivée du pilote du schéma.",
    )


def _method(b: Builder, scheme: Scheme, today: dt.date) -> None:
    b.heading("Méthode d'élaboration")
    b.text(_paragraphs("methode"), "")
    b.heading("Calendrier suivi", 2)
    phases = phase_states(scheme, today)
    late = [s for s in phases if s.late]
    b.paragraph(
        f"Le schéma est {status_label(scheme, today)}. "
        + (
            f"{len(late)} phase(s) en retard sur le calendrier prévu : "
            + ", ".join(s.phase.get_kind_display().lower() for s in late)
            + "."
            if late
            else "Toutes les phases suivent le calendrier prévu."
        )
    )
    b.table(calendar_sheet(f"Calendrier du schéma au {today:%d/%m/%Y}", phases))
    b.heading("Réunions du comité", 2)
    b.table(_meetings_sheet(scheme))
    b.heading("Concertation", 2)
    total = scheme.comments.count()
    answered = scheme.comments.exclude(status=Comment.PENDING).count()
    b.paragraph(
        f"{total} contributions ont été reçues pendant la concertation ; {answered} ont reçu "
        "une réponse motivée."
    )
    b.table(_concertation_sheet(scheme))


def _governance(b: Builder, scheme: Scheme, today: dt.date) -> None:
    b.heading("Gouvernance et suivi")
    b.text(_paragraphs("gouvernance"), "")
    b.heading("Instances", 2)
    signatories = list(scheme.signatories.select_related("organisation"))
    b.bullets(
        [
            f"{s.organisation.name} ({s.organisation.get_kind_display()})"
            + (f" : {s.signed_by}" if s.signed_by else "")
            for s in signatories
        ]
        or ["Membres du comité à enregistrer dans l'espace du schéma."]
    )
    b.heading("Indicateurs de suivi", 2)
    followed = next(
        (t for t in b.blocks if isinstance(t, Table) and t.sheet.name == INDICATORS_SHEET), None
    )
    computed = scheme.actions.filter(indicators__source_indicator__gt="").distinct().count()
    b.paragraph(
        "Chaque action porte ses indicateurs, leur valeur de départ et leurs cibles par année"
        + (f" (tableau {followed.number}). " if followed else ". ")
        + f"{computed} action(s) ont un indicateur calculé depuis le diagnostic, mis à jour à "
        "chaque import de données ; les autres valeurs sont saisies par les pilotes avec leur "
        "source. Le comité suit aussi les objectifs nationaux ci-dessous."
    )
    b.heading("Objectifs nationaux suivis", 2)
    targets = national_targets(scheme, today)
    b.table(national_targets_sheet(targets))
    b.heading("Calendrier des bilans", 2)
    reviews = [s for s in phase_states(scheme, today) if s.phase.kind in ("bilans", "evaluation")]
    future = scheme.meetings.filter(date__gte=today).order_by("date")
    items = [
        f"{s.phase.get_kind_display()} : du {s.phase.planned_start:%d/%m/%Y} au "
        f"{s.phase.planned_end:%d/%m/%Y} ({s.state})"
        for s in reviews
    ]
    items += [f"Réunion du comité prévue le {m.date:%d/%m/%Y} : {m.title}" for m in future]
    b.bullets(items)
    b.paragraph(
        "Chaque année, le bilan annuel (document produit par sdsf) présente l'état des "
        "actions, leurs budgets, les indicateurs face à leurs cibles, les décisions du comité, "
        "les objectifs nationaux et les inégalités de couverture."
    )


def _cover(scheme: Scheme, dep_name: str, files_vintage: str, today: dt.date) -> Cover:
    lines = [
        f"{s.organisation.name} — {s.signed_by or 'signataire à désigner'}"
        + (f", signé le {s.signed_on:%d/%m/%Y}" if s.signed_on else ", signature à venir")
        + (" (adhésion ultérieure)" if s.joined_later else "")
        for s in scheme.signatories.select_related("organisation").order_by(
            "joined_later", "signed_on", "organisation__name"
        )
    ]
    return Cover(
        kicker=DOCUMENT_KICKER,
        title=f"{dep_name} ({scheme.departement})",
        subtitle=f"{scheme.start:%Y}-{scheme.end:%Y} — {status_label(scheme, today)}",
        lines=lines,
        lines_title="Signataires",
        footer=f"{generated_on()}. Données : {files_vintage}",
    )


def schema_document(scheme: Scheme, today: dt.date | None = None) -> Document:
    today = today or timezone.localdate()
    departement = scheme.departement
    dep_name = departement_name(departement)
    files = active_files()
    files_vintage = vintage(files)
    b = Builder()
    b.heading("Éditorial")
    b.text(scheme.editorial, "Éditorial à rédiger dans l'espace du schéma (Textes du schéma).")
    b.heading("Contexte et cadre juridique")
    b.text(_paragraphs("contexte"), "")
    _method(b, scheme, today)
    b.heading("Diagnostic territorial partagé")
    b.text(_paragraphs("diagnostic"), "")
    for theme in catalogue().themes:
        theme_section(
            b, theme, c.DEPARTEMENT, departement, dep_name, departement, dep_name, detailed=True
        )
    b.heading("Disparités infra-départementales", 2)
    b.table(inequality_sheet(departement, dep_name))
    b.heading("Enjeux")
    b.text(scheme.issues, "Enjeux à rédiger dans l'espace du schéma (Textes du schéma).")
    plan_section(b, scheme)
    priorities_section(b, departement, dep_name)
    _governance(b, scheme, today)
    b.heading("Synthèse des indicateurs communs")
    b.text(_paragraphs("indicateurs_communs"), "")
    b.table(common_indicators_sheet(departement, dep_name))
    annexes(b, scheme, files)
    title = f"{DOCUMENT_KICKER} — {dep_name} — {scheme.start:%Y}-{scheme.end:%Y}"
    return Document(
        title=title,
        stem=f"schema_{departement}_{scheme.start:%Y}_{scheme.end:%Y}",
        cover=_cover(scheme, dep_name, files_vintage, today),
        blocks=b.blocks,
        subject=f"{scheme.title} : diagnostic, territoires prioritaires, plan d'action",
        vintage=files_vintage,
        simulated=simulated_data(),
    )
