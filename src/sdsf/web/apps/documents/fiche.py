"""The territory fiche as a document: for one commune, EPCI or custom territory, each theme's
summary and key figures against the département and France, and its place on the priority
map."""

from __future__ import annotations

from sdsf.parameters.indicators import catalogue
from sdsf.reports.document.model import Builder, Cover, Document
from sdsf.web.apps.diagnostic.sheets import simulated_data
from sdsf.web.apps.documents.common import (
    active_files,
    annexes,
    departement_name,
    generated_on,
    vintage,
)
from sdsf.web.apps.documents.diagnostic import theme_section
from sdsf.web.apps.priorities.services import priority_for
from sdsf.web.apps.territories.models import Territory

LEVELS = {"commune": "Commune", "epci": "Intercommunalité", "territoire": "Territoire"}


def fiche_document(territory: Territory, departement: str) -> Document:
    dep_name = departement_name(departement)
    files = active_files()
    files_vintage = vintage(files)
    b = Builder()
    b.heading("Territoire prioritaire")
    place = priority_for(territory.level, territory.code, departement)
    if place is None:
        b.paragraph(
            "Ce territoire n'est pas à la maille de la carte des territoires prioritaires.", "note"
        )
    else:
        state = "prioritaire" if place["final"] else "non prioritaire"
        origin = (
            f"carte validée par le comité (version {place['version'].number})"
            if place["validated"]
            else "calcul indicatif, la carte n'est pas encore validée"
        )
        b.paragraph(
            f"{territory.name} est {state} selon les règles « {place['rules']} » ({origin})."
        )
        if place.get("explanation"):
            b.paragraph(str(place["explanation"]))
    b.heading("Diagnostic par thème")
    for theme in catalogue().themes:
        theme_section(
            b,
            theme,
            territory.level,
            territory.code,
            territory.name,
            departement,
            dep_name,
            detailed=False,
        )
    annexes(b, None, files)
    kind = LEVELS.get(territory.level, territory.level.capitalize())
    return Document(
        title=f"Fiche territoire — {territory.name}",
        stem=f"fiche_{territory.level}_{territory.code}",
        cover=Cover(
            kicker="Diagnostic territorial des services aux familles",
            title=territory.name,
            subtitle=f"{kind} {territory.code} — {dep_name} ({departement})",
            footer=f"{generated_on()}. Données : {files_vintage}",
        ),
        blocks=b.blocks,
        subject=f"Fiche territoire : {territory.name}",
        vintage=files_vintage,
        simulated=simulated_data(),
    )
