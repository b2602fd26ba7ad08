"""Cnaf « Données Caf par IRIS »: allocataires and covered people per IRIS, summed to communes.

data.caf.fr, Licence Ouverte 2.0. Only the IRIS above the Caf publication threshold are in the
file (not a full mesh) and empty cells are statistical secrecy: commune sums are partial sums of
the published IRIS and are labelled so in the indicator catalogue. ``ENF_2`` counts children aged
0-2 covered by the Caf, a proxy that is never used as the INSEE under-3 population.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, check_codes, isin_codes, tidy
from sdsf.sources.reading import (
    file_year,
    find_columns,
    parse_numbers,
    read_table,
    reject_first,
)

PRODUCER = "Cnaf"
IRIS_PUBLISHED = "iris_publies_caf"  # IRIS of the commune in the file (whole mesh: insee-iris)
IRIS_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)[0-9A-Z]{3}\d{4}$")
VARIABLES = {
    "A": "allocataires_caf",
    "AM": "familles_monoparentales_caf",
    "ACAVENF": "couples_avec_enfants_caf",
    "ENF": "enfants_couverts_caf",
    "ENF_2": "enfants_0_2_ans_caf",
    "ARSAS": "allocataires_rsa",
}


def read_caf_iris(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Sum the published IRIS of each commune (former communes into their current one)."""
    name = display_name or path.name
    frame = read_table(path, name, source="caf-iris")
    wanted = {"CODGEO": ("CODGEO", "code iris", "iris"), "A": ("A", "allocataires")}
    for col in VARIABLES:
        wanted.setdefault(col, (col,))
    found = find_columns(frame, name, wanted, required=["CODGEO", "A", "AM", "ACAVENF"])
    frame = frame.rename(columns={v: k for k, v in found.items()}).copy()
    iris = frame["CODGEO"].astype(str).str.strip().str.upper()
    reject_first(
        frame,
        ~iris.str.match(IRIS_CODE),
        name,
        "CODGEO",
        "code IRIS invalide",
        "un code IRIS de 9 caractères (code commune + 4 chiffres)",
    )
    frame[c.YEAR] = file_year(name, year)
    for col in VARIABLES:
        if col in frame.columns:
            frame[col] = parse_numbers(frame, col, name, integer=True)
    skipped: list[str] = []
    commune = iris.str[:5]
    former = isin_codes(commune, reference.former.keys()) & ~isin_codes(
        commune, reference.known(c.COMMUNE)
    )
    if former.any():
        skipped.append(
            f"{int(former.sum())} IRIS d'anciennes communes rattachés à leur commune actuelle"
        )
    frame[c.CODE] = commune.replace(dict(reference.former))
    frame = check_codes(
        frame,
        file=name,
        column="CODGEO",
        level=c.COMMUNE,
        reference=reference,
        ignore_unknown=ignore_unknown,
        skipped=skipped,
        published=True,
    )
    frame[c.CODE] = frame[c.CODE].replace(dict(reference.arrondissement_parent))
    # The single-parent share needs both counts in the same IRIS.
    both = frame["AM"].notna() & frame["ACAVENF"].notna()
    frame["familles_caf"] = (frame["AM"] + frame["ACAVENF"]).where(both)
    frame["AM_renseigne"] = frame["AM"].where(both)
    columns = [col for col in VARIABLES if col in frame.columns]
    frame["iris_publies"] = 1.0  # the published IRIS: their sums are partial sums
    summed = frame.groupby([c.CODE, c.YEAR], as_index=False)[
        [*columns, "familles_caf", "AM_renseigne", "iris_publies"]
    ].sum(min_count=1)
    variables = {col: VARIABLES[col] for col in columns}
    variables["iris_publies"] = IRIS_PUBLISHED
    variables["familles_caf"] = "familles_caf"
    variables["AM_renseigne"] = "familles_monoparentales_caf_renseignees"
    observations = tidy(pd.DataFrame(summed), c.COMMUNE, variables)
    return ParsedFile(
        source="caf-iris",
        producer=PRODUCER,
        dataset="caf_iris",
        file_name=name,
        observations=observations,
        skipped=skipped,
    )
