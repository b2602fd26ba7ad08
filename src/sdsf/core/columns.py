"""Canonical column names, variables and levels, in one place.

Every frame that crosses a module boundary uses these names; no other module spells them.
"""

from __future__ import annotations

from typing import Final

# Identification columns of every tidy frame.
CODE: Final = "code"
LABEL: Final = "libelle"
LEVEL: Final = "niveau"
YEAR: Final = "annee"
VARIABLE: Final = "variable"
VALUE: Final = "valeur"
METHOD: Final = "methode"
SOURCE: Final = "source"
SIMULATED: Final = "simule"
# Which part of a territory a figure covers: empty for the whole territory, else e.g.
# « partie Loire-Atlantique : 28 communes sur 31 » (an EPCI straddling départements).
PERIMETER: Final = "perimetre"

# Geographic levels.
COMMUNE: Final = "commune"
ARRONDISSEMENT: Final = "arrondissement"
EPCI: Final = "epci"
DEPARTEMENT: Final = "departement"
REGION: Final = "region"
FRANCE: Final = "france"
CUSTOM: Final = "territoire"
QPV: Final = "qpv"
LEVELS: Final = (COMMUNE, ARRONDISSEMENT, EPCI, DEPARTEMENT, REGION, FRANCE, CUSTOM, QPV)
LEVEL_LABELS: Final = {
    COMMUNE: "commune",
    ARRONDISSEMENT: "arrondissement municipal",
    EPCI: "EPCI",
    DEPARTEMENT: "département",
    REGION: "région",
    FRANCE: "France",
    CUSTOM: "territoire personnalisé",
    QPV: "quartier prioritaire (QPV)",
}
FRANCE_CODE: Final = "FR"  # France entière (INSEE « F »)
NATIONAL_CNAF_CODE: Final = "FRHM"  # France hors Mayotte, the Cnaf national scope

# Parent columns of the commune table.
DEPARTEMENT_CODE: Final = "departement"
REGION_CODE: Final = "region"
EPCI_CODE: Final = "epci"
PARENT_CODE: Final = "parent"
GROUP: Final = "groupe"

# The five modes of care (Cnaf stems in comments).
EAJE_PSU: Final = "eaje_psu"  # psu_col
EAJE_HORS_PSU: Final = "eaje_hors_psu"  # hors_psu_col
PRESCOLARISATION: Final = "prescolarisation"  # prescol
ASSISTANTES_MATERNELLES: Final = "assistantes_maternelles"  # am_ind
GARDE_DOMICILE: Final = "garde_domicile"  # gad_ind
MODES: Final = (EAJE_PSU, EAJE_HORS_PSU, PRESCOLARISATION, ASSISTANTES_MATERNELLES, GARDE_DOMICILE)
MODE_LABELS: Final = {
    EAJE_PSU: "EAJE financés par la PSU",
    EAJE_HORS_PSU: "EAJE hors PSU",
    PRESCOLARISATION: "Préscolarisation des enfants de 2 ans",
    ASSISTANTES_MATERNELLES: "Assistantes maternelles",
    GARDE_DOMICILE: "Garde à domicile",
}
# Subtotals: collective (EAJE) and individual.
EAJE: Final = "eaje"
INDIVIDUEL: Final = "individuel"
SUBTOTALS: Final = {
    EAJE: (EAJE_PSU, EAJE_HORS_PSU),
    INDIVIDUEL: (ASSISTANTES_MATERNELLES, GARDE_DOMICILE),
}
GLOBAL: Final = "global"


def places(mode: str) -> str:
    """Variable name of the places of a mode (or subtotal, or ``global``)."""
    return "places_total" if mode == GLOBAL else f"places_{mode}"


def rate(mode: str) -> str:
    """Variable name of the coverage rate of a mode (or subtotal, or ``global``)."""
    return f"taux_{mode}"


PLACES_TOTAL: Final = places(GLOBAL)
# The global rate then the five components: the order of every table users read.
DISPLAY_RATES: Final = (rate(GLOBAL), *(rate(m) for m in MODES))
RATE_GLOBAL: Final = rate(GLOBAL)
PLACE_VARIABLES: Final = tuple(places(m) for m in MODES)
RATE_VARIABLES: Final = tuple(rate(m) for m in (*MODES, EAJE, INDIVIDUEL, GLOBAL))

# Demand.
CHILDREN_UNDER_3: Final = "enfants_moins_3_ans"
BIRTHS: Final = "naissances"
POPULATION: Final = "population_municipale"

# Methods, as users read them.
METHOD_AGGREGATED: Final = "calculé : somme des places / somme des enfants"
METHOD_PUBLISHED: Final = "taux publié"
METHOD_DEPARTEMENT_PART: Final = (
    "calculé sur la partie du département seulement : somme des places / somme des enfants"
)
METHOD_INCOMPLETE: Final = "non calculable : places ou enfants inconnus"
CHILDREN_FROM_BIRTHS: Final = "naissances domiciliées N-2, N-1 et N"
CHILDREN_FROM_COUNTS: Final = "effectif d'enfants de moins de 3 ans"

# DREES, enquête Aide sociale: published département counts (not the Cnaf's places).
DREES_CRECHES_COLLECTIVES: Final = "creches_collectives_drees"
DREES_CRECHES_FAMILIALES: Final = "creches_familiales_drees"
DREES_ETABLISSEMENTS_PARENTAUX: Final = "etablissements_parentaux_drees"
DREES_PLACES_CRECHES_COLLECTIVES: Final = "places_creches_collectives_drees"
DREES_PLACES_PARENTALES: Final = "places_gestion_parentale_drees"
DREES_AGREMENTS_AM: Final = "agrements_assistantes_maternelles_drees"
