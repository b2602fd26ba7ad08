"""ANCT / ONPV: data of the quartiers prioritaires de la politique de la ville (QPV).

« Données démographiques » (census and Caf counts per QPV) and « Revenus » (Filosofi, Cnam,
Cnaf per QPV), sig.ville.gouv.fr, Licence Ouverte 2.0. Numbers use a narrow no-break space as
thousands separator and a decimal comma; empty cells are statistical secrecy.
"""

from __future__ import annotations

import re
from pathlib import Path

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, tidy
from sdsf.sources.errors import SourceError
from sdsf.sources.reading import (
    check_unique,
    columns_found,
    file_year,
    find_columns,
    parse_numbers,
    read_table,
    reject_first,
)

PRODUCER = "ANCT / ONPV"
QPV_CODE = re.compile(r"^Q[PN](\d{3}|02[AB])\d{3}$")
VARIABLES = {
    "POP_MUN": "population_qpv",
    "ENF_2": "enfants_0_2_ans_caf",
    "ENF_3_5": "enfants_3_5_ans_caf",
    "A": "allocataires_caf",
    "AM": "familles_monoparentales_caf",
    "ACAVENF": "couples_avec_enfants_caf",
    "TP60": "taux_pauvrete_60",
    "DISP_Q2": "revenu_disponible_median",
    "ARSAS": "allocataires_rsa",
}


def qpv_departement(code: str) -> str:
    """Département of a QPV from its code: QP001001 -> 01, QP02A001 -> 2A, QP971001 -> 971."""
    part = code[2:5]
    if part.startswith("97"):
        return part
    return part[1:]


def read_qpv(path: Path, *, display_name: str | None = None, year: int | None = None) -> ParsedFile:
    """A QPV file (démographie or revenus edition); the edition year from ``year`` or the name."""
    name = display_name or path.name
    frame = read_table(path, name, source="qpv")
    code_col = find_columns(
        frame, name, {c.CODE: ("CODGEO", "code_qp", "code")}, required=[c.CODE]
    )[c.CODE]
    frame = frame.copy()
    frame[c.CODE] = frame[code_col].astype(str).str.strip().str.upper()
    bad = ~frame[c.CODE].str.match(QPV_CODE)
    reject_first(
        frame,
        bad,
        name,
        code_col,
        "code de quartier prioritaire invalide",
        "un code QPV (ex. QP001001)",
    )
    check_unique(frame, [c.CODE], name, code_col)
    frame[c.YEAR] = file_year(name, year)
    variables = {}
    for col, variable in VARIABLES.items():
        if col in frame.columns:
            frame[col] = parse_numbers(frame, col, name, minimum=-1e12)
            variables[col] = variable
    if not variables:
        raise SourceError(
            name,
            "aucune colonne connue des fichiers QPV",
            row=1,
            expected="POP_MUN, ENF_2, TP60...",
            found=columns_found(frame),
        )
    edition = "revenus" if "TP60" in variables else "demographie"
    records = None
    if "LIB_COM" in frame.columns:  # commune names: linked to communes when stored
        records = frame[[c.CODE, "LIB_COM"]].rename(columns={"LIB_COM": "communes"})
        records = records.reset_index(drop=True)
    return ParsedFile(
        source="qpv",
        producer=PRODUCER,
        dataset=f"qpv_{edition}",
        file_name=name,
        observations=tidy(frame, c.QPV, variables),
        records=records,
    )
