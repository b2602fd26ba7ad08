"""What the load benchmark visits, shared by locustfile.py and run.py (without locust, whose
import patches the standard library)."""

from __future__ import annotations

PASSWORD = "famille-accueil-2026"
# The demo accounts (sdsf demo), one per role: pilot, committee member, contributor, reader,
# national reader. A demo of several départements (``--departement all`` or a list) suffixes
# them by département (``demo-44@sdsf.local``), the national account excepted
# (src/sdsf/demo/schema.py, ``account``).
ACCOUNTS = [
    "demo@sdsf.local",
    "comite@sdsf.local",
    "contributeur@sdsf.local",
    "lecteur@sdsf.local",
    "national@sdsf.local",
]
NATIONAL_ACCOUNT = "national@sdsf.local"


def accounts(suffix: str = "") -> list[str]:
    """The accounts of the scenario: ``suffix`` "" (demo of one département) or "-44"."""
    if not suffix:
        return list(ACCOUNTS)
    out = []
    for email in ACCOUNTS:
        name, domain = email.split("@")
        out.append(email if email == NATIONAL_ACCOUNT else f"{name}{suffix}@{domain}")
    return out


# Theme keys of src/sdsf/parameters/catalogue/indicateurs.yaml.
THEMES = [
    "territoire",
    "accueil",
    "parentalite",
    "vulnerabilite",
    "handicap",
    "information",
    "ressources",
    "emploi",
]
# Titles of the pages that say something went wrong (sdsf.web.www.errors, comptes.refused),
# and the login page, where a user who lost the session lands.
ERROR_TITLES = (
    "Erreur du serveur",
    "Base de données occupée",
    "Page introuvable",
    "Accès refusé",
    "Connexion",
)


def pages(departement: str, commune: str) -> list[str]:
    """Every page of the scenario, in the order of the results table."""
    base = f"/departements/{departement}/"
    return [
        base,
        base + "carte.geojson",
        base + "diagnostic/",
        *(f"{base}diagnostic/{theme}/" for theme in THEMES),
        f"/territoires/commune/{commune}/",
        base + "priorites/",
        base + "schema/",
        base + "schema/plan/",
        base + "schema/tableau-de-bord/",
        base + "schema/comite/",
        "/donnees/",
    ]
