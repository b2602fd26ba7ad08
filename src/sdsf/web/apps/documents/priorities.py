"""The priority territories in a document: the rule set and its explanation, the map, the
list, and the committee's decision (the validated version, or the latest proposal, said so)."""

from __future__ import annotations

from typing import Any

from sdsf.core import columns as c
from sdsf.core.priority import RANK, ZONE
from sdsf.parameters.documents import texts
from sdsf.reports.document.model import Builder
from sdsf.reports.maps import render_both
from sdsf.reports.workbook import Column, Sheet
from sdsf.web.apps.diagnostic.sheets import simulated_data
from sdsf.web.apps.priorities.maps import static_priority_map, version_rules
from sdsf.web.apps.priorities.models import PriorityVersion
from sdsf.web.apps.priorities.services import final_rows, validated_version
from sdsf.web.apps.priorities.sheets import rules_context
from sdsf.web.apps.schemes.models import Decision

SIGNS = {"<=": "≤", ">=": "≥"}
COMBINATIONS = {
    "toutes": "tous les critères doivent être remplis",
    "une": "un critère rempli suffit",
    "au_moins": "au moins {n} critères doivent être remplis",
    "score": "un score pondéré des critères doit atteindre le seuil",
}


def _list_sheet(rows: list[dict[str, Any]], title: str) -> Sheet:
    chosen = [r for r in rows if r["final"]]
    return Sheet(
        name="Territoires prioritaires",
        title=title,
        columns=[
            Column("Code"),
            Column("Territoire"),
            Column("Zone", 0),
            Column("Rang", 0),
            Column("Pourquoi"),
        ],
        rows=[[r[c.CODE], r[c.LABEL], r.get(ZONE), r.get(RANK), r["explication"]] for r in chosen],
        sources="règles de priorité versionnées de sdsf ; indicateurs du diagnostic",
        simulated=simulated_data(),
        notice=f"{len(chosen)} territoires prioritaires sur {len(rows)}.",
    )


def _decision_text(version: PriorityVersion) -> str:
    decision = (
        Decision.objects.filter(priority_version=version)
        .select_related("meeting")
        .order_by("meeting__date")
        .first()
    )
    if decision is not None:
        return (
            f"Le comité a validé la version {version.number} de la carte lors de la réunion "
            f"« {decision.meeting.title} » du {decision.meeting.date:%d/%m/%Y} : {decision.text}"
        )
    when = f" le {version.validated_on:%d/%m/%Y}" if version.validated_on else ""
    return f"Le comité a validé la version {version.number} de la carte{when} : {version.decision}"


def priorities_section(b: Builder, departement: str, dep_name: str) -> None:
    b.heading("Territoires prioritaires")
    b.text("\n\n".join(texts()["priorites"]), "")
    version = validated_version(departement) or (
        PriorityVersion.objects.filter(departement=departement).order_by("-number").first()
    )
    if version is None:
        b.paragraph(
            "Aucune version de la carte des territoires prioritaires n'est encore enregistrée.",
            "placeholder",
        )
        return
    rules = version_rules(version)
    rows = final_rows(version)
    b.heading("Règles appliquées", 2)
    combination = COMBINATIONS.get(rules.combination, rules.combination).format(n=rules.at_least)
    b.paragraph(
        f"Règles « {rules.title} » ({rules.reference}), à la maille {rules.perimeter} : "
        f"{combination}. {rules.description}"
    )
    b.bullets(
        [
            f"{item['kind'].capitalize()} « {item['label']} » : {item['indicator']} "
            f"{SIGNS.get(item['operator'], item['operator'])} {item['threshold']} "
            f"{item['unit']} ({item['origin']})".replace("  ", " ")
            for item in rules_context(rules, version.thresholds)
        ]
    )
    b.heading("Carte et liste", 2)
    if not version.validated:
        b.paragraph(
            f"La version {version.number} est une proposition : le comité ne l'a pas encore "
            "validée.",
            "placeholder",
        )
    spec = static_priority_map(rows, rules, departement, dep_name)
    count = sum(1 for r in rows if r["final"])
    b.figure(
        *render_both(spec),
        f"{spec.title} (version {version.number})",
        f"Carte des {len(rows)} territoires de {dep_name}, dont {count} prioritaires, colorés "
        "par zone.",
    )
    b.table(_list_sheet(rows, f"Territoires prioritaires — version {version.number}"))
    b.heading("Décision du comité", 2)
    if version.validated:
        b.paragraph(_decision_text(version))
    else:
        b.paragraph("Pas encore de décision du comité sur cette carte.", "placeholder")
