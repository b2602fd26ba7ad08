"""Row-level registries (EAJE, family services, childminders' ages): their commune variables.

Each registry row is kept as a record (for lists, maps and distances) and summed per commune
into variables. An optional column that a file does not fill produces no variable at all, so
that a theme without data says which import would fill it rather than showing zeros. Where a
share is declared by some establishments only, the « renseigné » denominator counts only those.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.indicators import SERVICE_TYPES, service_variable
from sdsf.sources.reading import normalize_label, reject_first

YES = {"oui", "o", "1", "vrai", "true", "psu"}
NO = {"non", "n", "0", "faux", "false", "hors psu"}
EMPTY = {"", "nan", "none"}
SERVICE_ALIASES = {
    "laep": "laep",
    "lieu d'accueil enfants-parents": "laep",
    "lieu d'accueil enfants parents": "laep",
    "reaap": "reaap",
    "clas": "clas",
    "mediation": "mediation",
    "mediation familiale": "mediation",
    "espace_rencontre": "espace_rencontre",
    "espace rencontre": "espace_rencontre",
    "relais": "relais",
    "rpe": "relais",
    "ram": "relais",
    "relais petite enfance": "relais",
}


def yes_no(frame: pd.DataFrame, column: str, name: str, *, required: bool) -> pd.Series:
    """1.0 for yes, 0.0 for no, NaN for an empty optional cell; anything else is refused."""
    text = frame[column].astype(str).map(normalize_label)
    yes = text.isin(YES)
    no = text.isin(NO)
    empty = text.isin(EMPTY) | frame[column].isna()
    bad = ~(yes | no) if required else ~(yes | no | empty)
    reject_first(frame, bad, name, column, "valeur non reconnue", "« oui » ou « non »")
    return pd.Series(np.where(yes, 1.0, np.where(no, 0.0, np.nan)), index=frame.index)


def check_coordinates(frame: pd.DataFrame, name: str) -> None:
    """Optional WGS84 coordinates: present or not, but within bounds when given."""
    for axis, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if axis not in frame.columns:
            frame[axis] = np.nan
        outside = frame[axis].notna() & ~frame[axis].between(low, high)
        reject_first(
            frame, outside, name, axis, "coordonnée hors limites", f"entre {low} et {high} (WGS84)"
        )


def _filled(frame: pd.DataFrame, column: str) -> bool:
    return column in frame.columns and bool(frame[column].notna().any())


def eaje_variables(frame: pd.DataFrame, name: str) -> tuple[list[str], pd.DataFrame]:
    """Commune variables of an EAJE registry (added to ``frame``) and its records."""
    frame["psu"] = yes_no(frame, "psu", name, required=True) == 1.0
    for column in ("projet_inclusif", "disponibilites_publiees"):
        if column in frame.columns:
            frame[column] = yes_no(frame, column, name, required=False)
    if "part_enfants_pauvres" in frame.columns:
        reject_first(
            frame,
            frame["part_enfants_pauvres"] > 100,
            name,
            "part_enfants_pauvres",
            "pourcentage supérieur à 100",
            "un pourcentage entre 0 et 100",
        )
    check_coordinates(frame, name)
    places = frame["places"]
    frame[c.places(c.EAJE_PSU)] = places.where(frame["psu"], 0.0)
    frame[c.places(c.EAJE_HORS_PSU)] = places.where(~frame["psu"], 0.0)
    frame["nombre_eaje"] = 1.0
    variables = [c.places(c.EAJE_PSU), c.places(c.EAJE_HORS_PSU), "nombre_eaje"]
    if _filled(frame, "part_enfants_pauvres"):
        known = frame["part_enfants_pauvres"].notna()
        frame["places_pauvrete_renseignee_eaje"] = places.where(known, 0.0)
        frame["places_enfants_pauvres_eaje"] = (places * frame["part_enfants_pauvres"] / 100).where(
            known, 0.0
        )
        variables += ["places_pauvrete_renseignee_eaje", "places_enfants_pauvres_eaje"]
    if _filled(frame, "enfants_handicap"):
        known = frame["enfants_handicap"].notna()
        frame["enfants_handicap_eaje"] = frame["enfants_handicap"].fillna(0.0)
        frame["places_handicap_renseigne_eaje"] = places.where(known, 0.0)
        variables += ["enfants_handicap_eaje", "places_handicap_renseigne_eaje"]
    for column, count, known_count in (
        ("projet_inclusif", "eaje_projet_inclusif", "eaje_inclusif_renseigne"),
        (
            "disponibilites_publiees",
            "eaje_disponibilites_publiees",
            "eaje_disponibilites_renseigne",
        ),
    ):
        if _filled(frame, column):
            frame[count] = frame[column].fillna(0.0)
            frame[known_count] = frame[column].notna().astype(float)
            variables += [count, known_count]
    if _filled(frame, "salaries_etp"):
        frame["salaries_eaje_etp"] = frame["salaries_etp"].fillna(0.0)
        variables.append("salaries_eaje_etp")
    record_columns = [c.YEAR, "nom", c.CODE, "psu", "places", "latitude", "longitude"]
    optional = [
        col
        for col in (
            "part_enfants_pauvres",
            "enfants_handicap",
            "projet_inclusif",
            "disponibilites_publiees",
            "salaries_etp",
        )
        if col in frame.columns
    ]
    records = frame[record_columns + optional].reset_index(drop=True)
    return variables, records


def service_variables(frame: pd.DataFrame, name: str) -> tuple[list[str], pd.DataFrame]:
    """Counts of services per type and commune (added to ``frame``) and the records."""
    kinds = frame["type"].astype(str).map(normalize_label).map(SERVICE_ALIASES)
    reject_first(
        frame,
        kinds.isna(),
        name,
        "type",
        "type de service inconnu",
        ", ".join(SERVICE_TYPES),
    )
    frame["type"] = kinds
    check_coordinates(frame, name)
    variables = []
    for kind in SERVICE_TYPES:
        frame[service_variable(kind)] = (kinds == kind).astype(float)
        variables.append(service_variable(kind))
    if _filled(frame, "public_touche"):
        frame["public_touche_services"] = frame["public_touche"].fillna(0.0)
        variables.append("public_touche_services")
    if "public_touche" not in frame.columns:
        frame["public_touche"] = np.nan
    records = frame[
        [c.YEAR, "type", "nom", c.CODE, "latitude", "longitude", "public_touche"]
    ].reset_index(drop=True)
    return variables, records


def childminder_age_variables(frame: pd.DataFrame) -> list[str]:
    """Childminders aged 55 or more and the childminders whose age is given, if filled."""
    column = "assistantes_maternelles_55_ans_et_plus"
    if not _filled(frame, column):
        return []
    known = frame[column].notna()
    frame["assistantes_maternelles_age_renseigne"] = frame["assistantes_maternelles"].where(known)
    return [column, "assistantes_maternelles_age_renseigne"]
