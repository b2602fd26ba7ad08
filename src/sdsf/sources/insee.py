"""INSEE: births domiciled (État civil, NAIS_DOM), legal populations, Filosofi incomes.

Licence Ouverte 2.0, producer INSEE. Codes read as text (``01001``, ``2A004``, ``971``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, check_codes, tidy
from sdsf.sources.editions import edition_of_years
from sdsf.sources.errors import SourceError
from sdsf.sources.levels import FRANCE_CODES, detect_level
from sdsf.sources.reading import (
    check_unique,
    code_width,
    columns_found,
    find_columns,
    normalize_codes,
    parse_numbers,
    read_table,
    reject_first,
)

PRODUCER = "Insee"
_BIRTH_COLUMN = re.compile(r"^(?:nais|naissances?|NAIS)[_ ]?((?:19|20)\d\d)$", re.IGNORECASE)
FILOSOFI_VARIABLES = {
    "NBMEN": "menages_fiscaux",
    "NBPERS": "personnes_menages_fiscaux",
    "Q1": "revenu_disponible_q1",
    "Q2": "revenu_disponible_median",
    "Q3": "revenu_disponible_q3",
    "D1": "revenu_disponible_d1",
    "D9": "revenu_disponible_d9",
    "RD": "rapport_interdecile_d9_d1",
    "S80S20": "rapport_s80_s20",
    "GI": "indice_gini_revenu",
    "PPFAM": "part_prestations_familiales",
    "PPMINI": "part_minima_sociaux",
}


def _codes(frame: pd.DataFrame, column: str, level: str) -> pd.Series:
    codes = normalize_codes(frame[column], code_width(level))
    if level == c.FRANCE:
        return codes.map(lambda v: FRANCE_CODES.get(v, v))
    return codes


def _prepare(
    frame: pd.DataFrame,
    name: str,
    code_col: str,
    level: str,
    reference: ReferenceCodes,
    ignore_unknown: bool,
    skipped: list[str],
) -> pd.DataFrame:
    """Codes normalised, checked against the geography, one row per territory."""
    frame = frame.copy()
    frame[c.CODE] = _codes(frame, code_col, level)
    empty = frame[c.CODE].eq("")
    reject_first(frame, empty, name, code_col, "code territorial vide", "un code Insee")
    placeholder = frame[c.CODE].str.contains("XX", regex=False)
    if placeholder.any():  # « 132XX »: births of Marseille whose arrondissement is not known
        skipped.append(
            f"{int(placeholder.sum())} ligne(s) sans territoire précis (code "
            f"{', '.join(sorted(set(frame.loc[placeholder, c.CODE])))}) écartée(s)"
        )
        frame = frame[~placeholder]
    frame = check_codes(
        frame,
        file=name,
        column=code_col,
        level=level,
        reference=reference,
        ignore_unknown=ignore_unknown,
        skipped=skipped,
        published=True,
    )
    check_unique(frame, [c.CODE], name, code_col)
    return frame


def read_births(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    level: str | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Births domiciled by year (INSEE NAIS_DOM layout: ``code``, ``libelle``, ``nais_YYYY``).

    ``so`` (sans objet) and empty cells are missing values.
    """
    name = display_name or path.name
    frame = read_table(path, name, source="insee-naissances")
    code_col = find_columns(frame, name, {c.CODE: ("code", "CODGEO", "codgeo")}, required=[c.CODE])[
        c.CODE
    ]
    year_cols = {col: int(m.group(1)) for col in frame.columns if (m := _BIRTH_COLUMN.match(col))}
    if not year_cols:
        raise SourceError(
            name,
            "aucune colonne de naissances annuelles",
            row=1,
            expected="des colonnes nais_2008 ... nais_2024",
            found=columns_found(frame),
        )
    lvl = detect_level(frame[code_col], name, level)
    skipped: list[str] = []
    frame = _prepare(frame, name, code_col, lvl, reference, ignore_unknown, skipped)
    wide = frame[[c.CODE]].copy()
    for col, year in year_cols.items():
        wide[year] = parse_numbers(frame, col, name, integer=True)
    long = wide.melt(id_vars=[c.CODE], var_name=c.YEAR, value_name=c.BIRTHS)
    return ParsedFile(
        source="insee-naissances",
        producer=PRODUCER,
        dataset=f"naissances_domiciliees_{lvl}",
        file_name=name,
        observations=tidy(long, lvl, {c.BIRTHS: c.BIRTHS}),
        skipped=skipped,
        edition=edition_of_years(list(year_cols.values())),  # its last year column
    )


def read_population(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Legal populations (« Populations de référence »): population municipale by commune or
    département. The census year comes from ``year`` or from the file name (``..._2023_...``)."""
    name = display_name or path.name
    frame = read_table(path, name, source="insee-population")
    cols = find_columns(
        frame,
        name,
        {
            "commune": ("codgeo", "CODGEO", "Code Insee", "code"),
            "departement": ("Code département", "DEP"),
            c.POPULATION: ("Population municipale", "PMUN", "pmun"),
        },
        required=[c.POPULATION],
    )
    if "commune" in cols:
        lvl, code_col = c.COMMUNE, cols["commune"]
    elif "departement" in cols:
        lvl, code_col = c.DEPARTEMENT, cols["departement"]
    else:
        raise SourceError(
            name,
            "colonne de code absente",
            row=1,
            column="codgeo",
            expected="« codgeo » (communes) ou « Code département »",
        )
    if year is None:
        match = re.search(r"(?:19|20)\d\d", name)
        if not match:
            raise SourceError(
                name,
                "année du recensement inconnue",
                expected="une année dans le nom du fichier ou l'option --annee",
            )
        year = int(match.group(0))
    skipped: list[str] = []
    frame = _prepare(frame, name, code_col, lvl, reference, ignore_unknown, skipped)
    frame[c.YEAR] = year
    frame[c.POPULATION] = parse_numbers(frame, cols[c.POPULATION], name, integer=True)
    return ParsedFile(
        source="insee-population",
        producer=PRODUCER,
        dataset=f"populations_legales_{lvl}",
        file_name=name,
        observations=tidy(frame, lvl, {c.POPULATION: c.POPULATION}),
        skipped=skipped,
    )


def read_filosofi(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    level: str | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Filosofi « revenus disponibles » (FILO*_DISP_*): quartiles, deciles, Gini...

    The year comes from the column suffix (``Q219`` -> 2019). Decimal commas.
    """
    name = display_name or path.name
    frame = read_table(path, name, source="filosofi")
    code_col = find_columns(frame, name, {c.CODE: ("CODGEO", "codgeo", "code")}, required=[c.CODE])[
        c.CODE
    ]
    median = [col for col in frame.columns if re.fullmatch(r"Q2(\d\d)", col)]
    if not median:
        raise SourceError(
            name,
            "colonne de revenu médian absente",
            row=1,
            column="Q2AA",
            expected="une colonne Q2 suivie de l'année sur deux chiffres (ex. Q219)",
            found=columns_found(frame),
        )
    suffix = median[0][2:]
    year = 2000 + int(suffix)
    lvl = detect_level(frame[code_col], name, level)
    skipped: list[str] = []
    frame = _prepare(frame, name, code_col, lvl, reference, ignore_unknown, skipped)
    frame[c.YEAR] = year
    variables: dict[str, str] = {}
    for stem, variable in FILOSOFI_VARIABLES.items():
        candidates = [f"{stem}{suffix}", stem]
        for col in candidates:
            if col in frame.columns:
                frame[col] = parse_numbers(frame, col, name, minimum=-1e12)
                variables[col] = variable
                break
    return ParsedFile(
        # Households and persons add up; quantiles, ratios and shares do not.
        additive=frozenset({"menages_fiscaux", "personnes_menages_fiscaux"}),
        source="filosofi",
        producer=PRODUCER,
        dataset=f"filosofi_disp_{lvl}",
        file_name=name,
        observations=tidy(frame, lvl, variables),
        skipped=skipped,
    )
