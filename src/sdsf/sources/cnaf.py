"""Cnaf, « Accueil du jeune enfant » (data.caf.fr, Licence Ouverte 2.0).

Coverage rates ``txcouv_pe_{nat,reg,dep,epci,com}`` and places ``nbpla_pe_*``, as exported from
the portal either with French labels (« Taux de couv EAJE PSU »...) or with its field names
(``annee``, ``numdep``, ``txcouv_psu_col_dep``...). Placeholder rows ``XX``/``XXX`` are skipped
and reported; secret or empty cells are missing values, never zeros.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, check_codes, tidy
from sdsf.sources.editions import edition_of_years
from sdsf.sources.errors import SourceError
from sdsf.sources.reading import (
    LINE,
    check_unique,
    columns_found,
    find_columns,
    normalize_codes,
    normalize_label,
    parse_numbers,
    parse_years,
    read_table,
)

PRODUCER = "Cnaf"
SCALES = {"nat": c.FRANCE, "reg": c.REGION, "dep": c.DEPARTEMENT, "epci": c.EPCI, "com": c.COMMUNE}
CODE_ALIASES = {
    c.DEPARTEMENT: ("Numéro Département", "numdep", "Code Département", "dep"),
    c.EPCI: ("Numéro EPCI", "numepci", "Code EPCI", "siren_epci", "SIREN EPCI", "epci"),
    c.COMMUNE: ("Numéro Commune", "numcom", "Code Commune", "Code INSEE", "codgeo", "com"),
    c.REGION: ("Numéro Région", "numreg", "Code Région", "reg"),
}
YEAR_ALIASES = ("Date référence", "annee", "Année", "Date de référence")
PLACEHOLDERS = {"XX", "XXX", "XXXXX", "XXXXXXXXX"}
# Portal stems after txcouv_/nbpla_/pl_, before the scale suffix.
STEMS = {
    "psu_col": c.EAJE_PSU,
    "hors_psu_col": c.EAJE_HORS_PSU,
    "eaje": c.EAJE,
    "prescol": c.PRESCOLARISATION,
    "am_ind": c.ASSISTANTES_MATERNELLES,
    "gad_ind": c.GARDE_DOMICILE,
    "ind": c.INDIVIDUEL,
    "": c.GLOBAL,
}
# French label keywords, tested in this order (the first match wins).
LABEL_KEYWORDS = (
    ("hors eaje psu", c.EAJE_HORS_PSU),
    ("hors psu", c.EAJE_HORS_PSU),
    ("eaje psu", c.EAJE_PSU),
    ("eaje ensemble", c.EAJE),
    ("prescolarisation", c.PRESCOLARISATION),
    ("assistante", c.ASSISTANTES_MATERNELLES),
    ("domicile", c.GARDE_DOMICILE),
    ("individuel", c.INDIVIDUEL),
    ("global", c.GLOBAL),
    ("total", c.GLOBAL),
)
_PORTAL = re.compile(r"^(txcouv|nbpla|pl)_?(.*?)_?(nat|reg|dep|epci|com)$")


def _classify(column: str) -> tuple[str, str, str | None] | None:
    """(kind, mode, scale) of a value column: kind ``taux`` or ``places``; None if not one."""
    raw = column.strip().lower()
    portal = _PORTAL.match(raw)
    if portal and portal.group(2) in STEMS:
        kind = "taux" if portal.group(1) == "txcouv" else "places"
        return kind, STEMS[portal.group(2)], portal.group(3)
    label = normalize_label(column)
    if label.startswith("taux"):
        kind = "taux"
    elif "places" in label or label.startswith("nb pl") or label.startswith("nombre de pl"):
        kind = "places"
    else:
        return None
    for keyword, mode in LABEL_KEYWORDS:
        if keyword in label:
            return kind, mode, None
    return None


def _detect_level(frame: pd.DataFrame, scales: set[str]) -> tuple[str, str | None]:
    """Level of the file and its code column (None for the national file)."""
    for level in (c.COMMUNE, c.EPCI, c.DEPARTEMENT, c.REGION):
        by_norm = {normalize_label(col): col for col in frame.columns}
        for alias in CODE_ALIASES[level]:
            if normalize_label(alias) in by_norm:
                return level, by_norm[normalize_label(alias)]
    if scales == {"nat"} or not scales:
        return c.FRANCE, None
    raise SourceError("", "colonne de code territorial introuvable")


def read_cnaf(
    path: Path,
    reference: ReferenceCodes,
    *,
    kind: str,
    display_name: str | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Read a Cnaf ``txcouv_pe_*`` (``kind="taux"``) or ``nbpla_pe_*`` (``kind="places"``) file."""
    name = display_name or path.name
    frame = read_table(path, name, source="caf-couverture" if kind == "taux" else "caf-places")
    year_col = find_columns(frame, name, {c.YEAR: YEAR_ALIASES}, required=[c.YEAR])[c.YEAR]
    classified = {col: _classify(col) for col in frame.columns if col != LINE}
    values = {col: info for col, info in classified.items() if info and info[0] == kind}
    if not values:
        other = "taux de couverture" if kind == "places" else "nombres de places"
        raise SourceError(
            name,
            f"aucune colonne de {'taux de couverture' if kind == 'taux' else 'places'} "
            f"reconnue (s'agit-il d'un fichier de {other} ?)",
            row=1,
            expected="« Taux de couv global » ou « txcouv_dep »..."
            if kind == "taux"
            else "« Nombre de places ... » ou « nbpla_psu_col_dep »...",
            found=columns_found(frame),
        )
    if kind == "taux" and not any(info[1] == c.GLOBAL for info in values.values()):
        raise SourceError(
            name,
            "colonne obligatoire absente",
            row=1,
            column="Taux de couv global",
            expected="« Taux de couv global » ou « txcouv_dep » (taux global publié)",
            found=columns_found(frame),
        )
    scales = {info[2] for info in values.values() if info[2]}
    try:
        level, code_col = _detect_level(frame, scales)
    except SourceError as exc:
        raise SourceError(name, exc.reason, row=1) from exc
    frame = frame.copy()
    if code_col is None:
        frame[c.CODE] = c.NATIONAL_CNAF_CODE  # txcouv_pe_nat: France hors Mayotte
    else:
        frame[c.CODE] = normalize_codes(frame[code_col], {c.EPCI: 9, c.COMMUNE: 5}.get(level, 2))
    skipped: list[str] = []
    placeholder = frame[c.CODE].isin(PLACEHOLDERS)
    if placeholder.any():
        skipped.append(
            f"{int(placeholder.sum())} ligne(s) sans territoire (code XX/XXX) ignorée(s), "
            f"lignes {', '.join(str(v) for v in frame.loc[placeholder, LINE].head(10))}"
        )
        frame = frame[~placeholder]
    frame[c.YEAR] = parse_years(frame, year_col, name)
    if code_col is not None:
        frame = check_codes(
            frame,
            file=name,
            column=code_col,
            level=level,
            reference=reference,
            ignore_unknown=ignore_unknown,
            skipped=skipped,
        )
    check_unique(frame, [c.CODE, c.YEAR], name, code_col or year_col)
    variables: dict[str, str] = {}
    for col, (_, mode, _) in values.items():
        variable = c.rate(mode) if kind == "taux" else c.places(mode)
        if variable in variables.values():
            continue
        frame[col] = parse_numbers(frame, col, name)
        variables[col] = variable
    children = [col for col in frame.columns if col != LINE and "enfant" in normalize_label(col)]
    if kind == "places" and children:
        frame[children[0]] = parse_numbers(frame, children[0], name)
        variables[children[0]] = c.CHILDREN_UNDER_3
    dataset = "txcouv_pe" if kind == "taux" else "nbpla_pe"
    return ParsedFile(
        source="caf-couverture" if kind == "taux" else "caf-places",
        producer=PRODUCER,
        dataset=f"{dataset}_{ {v: k for k, v in SCALES.items()}[level] }",
        file_name=name,
        observations=tidy(frame, level, variables),
        skipped=skipped,
        # A Cnaf file revises the years it republishes: its edition is its last year.
        edition=edition_of_years([int(y) for y in frame[c.YEAR].unique()]),
    )
