"""The annual review (bilan annuel) as a document: the same tables as the review workbook of
the dashboard, with the state of the actions, one chart per indicator against its targets,
and the figures of the diagnostic for the year."""

from __future__ import annotations

import datetime as dt

from sdsf.reports.document.model import Builder, Cover, Document
from sdsf.reports.plots import progress_chart
from sdsf.reports.workbook import Sheet
from sdsf.web.apps.actionplan.monitoring import dashboard
from sdsf.web.apps.actionplan.review import met_in, review_day, review_sheets
from sdsf.web.apps.diagnostic.sheets import simulated_data
from sdsf.web.apps.documents.common import (
    PLATFORM,
    active_files,
    annexes,
    departement_name,
    generated_on,
    vintage,
)
from sdsf.web.apps.documents.diagnostic import common_indicators_sheet
from sdsf.web.apps.schemes.models import Scheme

SECTIONS = (
    ("Calendrier", "Où en est le calendrier"),
    ("Actions", "Les actions et leurs budgets"),
    ("Indicateurs", "Les indicateurs des actions"),
    ("Décisions", "Les décisions du comité"),
    ("Objectifs nationaux", "Les objectifs nationaux"),
    ("Inégalités", "Les inégalités de couverture"),
)


def review_document(scheme: Scheme, year: int, today: dt.date | None = None) -> Document:
    dep_name = departement_name(scheme.departement)
    files = active_files()
    files_vintage = vintage(files)
    day = review_day(year, today)
    board = dashboard(scheme, day)
    sheets: dict[str, Sheet] = {s.name: s for s in review_sheets(scheme, year, today, board)}
    b = Builder()
    b.heading("Synthèse de l'année")
    b.paragraph(
        f"Au {day:%d/%m/%Y}, le schéma est {board.status}. Actions : "
        + ", ".join(f"{n} {label}" for _, label, n in board.actions)
        + "."
    )
    with_target = [p for p in board.progress if dict(p.targets).get(year) is not None]
    met = [p for p in with_target if met_in(p, year)]
    b.paragraph(
        f"{len(met)} indicateur(s) sur {len(with_target)} ayant une cible en {year} l'atteignent."
    )
    b.table(common_indicators_sheet(scheme.departement, dep_name, year))
    for name, title in SECTIONS:
        b.heading(title)
        b.table(sheets[name])
        if name == "Indicateurs":
            for p in board.progress:
                if not p.values and not p.targets:
                    continue
                png, svg = progress_chart(
                    p.values,
                    p.targets,
                    p.indicator.unit,
                    f"Source : {PLATFORM}." + (" DONNÉES SIMULÉES." if simulated_data() else ""),
                )
                b.figure(
                    png,
                    svg,
                    f"Action {p.action.number} — {p.indicator.label}",
                    f"Valeurs de l'indicateur {p.indicator.label} par année face à ses cibles.",
                    width_cm=12,
                )
    annexes(b, None, files)
    return Document(
        title=f"Bilan {year} du schéma des services aux familles — {dep_name}",
        stem=f"bilan_{scheme.departement}_{year}",
        cover=Cover(
            kicker="Schéma départemental des services aux familles",
            title=f"Bilan annuel {year}",
            subtitle=f"{dep_name} ({scheme.departement}) — "
            f"schéma {scheme.start:%Y}-{scheme.end:%Y}",
            footer=f"{generated_on()}. Données : {files_vintage}",
        ),
        blocks=b.blocks,
        subject=f"{scheme.title} : bilan {year}",
        vintage=files_vintage,
        simulated=simulated_data(),
    )
