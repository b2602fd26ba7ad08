"""Cnaf, « Accueil du jeune enfant » (data.caf.fr, Licence Ouverte 2.0).

Coverage rates ``txcouv_pe_{nat,reg,dep,epci,com}`` and places ``nbpla_pe_*``, as exported from
the portal either with French labels (« Taux de couv EAJE PSU »...) or with its field names
(``annee``, ``numdep``, ``txcouv_psu_col_dep``...). Région files name their code ``numregi``;
the national file gives its year as a date (``2023-01-01``) and a label in ``national``
(``FRANCE ENTIERE HORS MAYOTTE``), some editions with short stems (``txcouv_psu_nat``,
``txcouv_am_nat``). The place total (``tot_offre_dep``, « places_offertes_ensemble ») is kept as
published: it is not the sum of its parts. Placeholder rows ``XX``/``XXX`` (places the Cnaf
could not attribute) are skipped and reported; secret or empty cells are missing values, never
zeros.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, check_codes, tidy
from sdsf.sources.editions import edition_of_years
from sdsf.sources.errors import SourceError
from sdsf.sources.levels import FRANCE_CODES
from sdsf.sources.limits import french_count
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
    reject_first,
)

PRODUCER = "Cnaf"
SCALES = {"nat": c.FRANCE, "reg": c.REGION, "dep": c.DEPARTEMENT, "epci": c.EPCI, "com": c.COMMUNE}
CODE_ALIASES = {
    c.DEPARTEMENT: ("Numéro Département", "numdep", "Code Département", "dep"),
    c.EPCI: ("Numéro EPCI", "numepci", "Code EPCI", "siren_epci", "SIREN EPCI", "epci"),
    c.COMMUNE: (
        "Numéro Commune",
        "num_commune",
        "numcom",
        "Code Commune",
        "Code INSEE",
        "codgeo",
        "com",
    ),
    c.REGION: ("Numéro Région", "numregi", "numreg", "Code Région", "reg"),
}
# The national file's code column holds a label (« FRANCE ENTIERE HORS MAYOTTE »).
NATIONAL_ALIASES = ("national", "France", "Territoire")
NATIONAL_LABELS = (  # normalised label keywords, tested in this order
    ("hors mayotte", c.NATIONAL_CNAF_CODE),
    ("metropol", "FM"),
    ("france entiere", c.FRANCE_CODE),
)
YEAR_ALIASES = ("Date référence", "annee", "Année", "Date de référence")
PLACEHOLDERS = {"XX", "XXX", "XXXXX", "XXXXXXXXX"}
# Portal stems after txcouv_/nbpla_/pl_, before the scale suffix.
# The national file names some stems without their collective/individual suffix
# (``txcouv_psu_nat``, ``txcouv_am_nat``, ``txcouv_gad_nat``).
STEMS = {
    "psu_col": c.EAJE_PSU,
    "psu": c.EAJE_PSU,
    "hors_psu_col": c.EAJE_HORS_PSU,
    "hors_psu": c.EAJE_HORS_PSU,
    "eaje": c.EAJE,
    "prescol": c.PRESCOLARISATION,
    "am_ind": c.ASSISTANTES_MATERNELLES,
    "am": c.ASSISTANTES_MATERNELLES,
    "gad_ind": c.GARDE_DOMICILE,
    "gad": c.GARDE_DOMICILE,
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
    ("offertes ensemble", c.GLOBAL),  # « places_offertes_ensemble »: the published total
)
_PORTAL = re.compile(r"^(txcouv|nbpla|pl)_?(.*?)_?(nat|reg|dep|epci|com)$")
# ``tot_offre_dep``: the published total of places, which is not the sum of its parts.
_TOTAL = re.compile(r"^tot_offre_?(nat|reg|dep|epci|com)$")
_VALUE_LIKE = re.compile(r"^(txcouv|nbpla|pl|tot_offre)_", re.IGNORECASE)


def _classify(column: str) -> tuple[str, str, str | None] | None:
    """(kind, mode, scale) of a value column: kind ``taux`` or ``places``; None if not one."""
    raw = column.strip().lower()
    total = _TOTAL.match(raw)
    if total:
        return "places", c.GLOBAL, total.group(1)
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
    """Level of the file and its code column (for the national file, its label column or None).

    When every value column carries the same scale suffix (``txcouv_reg``), that level's code
    column is looked for first: a département file also carries its région's code
    (``numreg``), a commune file its EPCI's and département's.
    """
    by_norm = {normalize_label(col): col for col in frame.columns if col != LINE}
    if scales == {"nat"}:
        return c.FRANCE, _first(by_norm, NATIONAL_ALIASES)
    order = [c.COMMUNE, c.EPCI, c.DEPARTEMENT, c.REGION]
    if len(scales) == 1 and SCALES[next(iter(scales))] in order:
        order.remove(SCALES[next(iter(scales))])
        order.insert(0, SCALES[next(iter(scales))])
    for level in order:
        column = _first(by_norm, CODE_ALIASES[level])
        if column is not None:
            return level, column
    if not scales:
        return c.FRANCE, _first(by_norm, NATIONAL_ALIASES)
    raise SourceError("", "colonne de code territorial introuvable")


def _first(by_norm: dict[str, str], aliases: tuple[str, ...]) -> str | None:
    for alias in aliases:
        if normalize_label(alias) in by_norm:
            return by_norm[normalize_label(alias)]
    return None


def _national_codes(frame: pd.DataFrame, column: str | None, name: str) -> pd.Series:
    """Codes of the national rows from their label; without a label column, or with an empty
    label, the Cnaf national scope (France hors Mayotte)."""
    codes = pd.Series(c.NATIONAL_CNAF_CODE, index=frame.index, dtype=object)
    if column is None:
        return codes
    labels = frame[column].map(normalize_label)
    known = labels == ""
    for keyword, code in reversed(NATIONAL_LABELS):  # the first keyword wins
        match = labels.str.contains(keyword, regex=False)
        codes[match] = code
        known |= match
    # a code rather than a label (Insee « F », « F_X_D976 », or sdsf's own « FRHM »)
    raw = frame[column].astype(str).str.strip().str.upper()
    as_code = raw.isin(list(FRANCE_CODES))
    codes[as_code] = raw[as_code].map(FRANCE_CODES)
    known |= as_code
    reject_first(
        frame,
        ~known,
        name,
        column,
        "territoire national inconnu",
        "« FRANCE ENTIERE HORS MAYOTTE », « FRANCE METROPOLITAINE », « FRANCE ENTIERE » "
        "ou un code (FRHM, FM, FR)",
    )
    return codes


def _unknown_columns(classified: dict[str, tuple[str, str, str | None] | None]) -> list[str]:
    """A note on the columns named like Cnaf values (``txcouv_*``, ``pl_*``...) that no mode
    matches: they are left aside, and the import says so."""
    unknown = [col for col, info in classified.items() if info is None and _VALUE_LIKE.match(col)]
    if not unknown:
        return []
    return [f"colonne(s) non reconnue(s) ignorée(s) : {', '.join(unknown)}"]


def _placeholder_note(
    rows: pd.DataFrame, values: dict[str, tuple[str, str, str | None]], kind: str, name: str
) -> str:
    """The rows without a territory (``XX``/``XXX``), left aside: their lines and, in a places
    file, the published total they hold (places the Cnaf could not attribute)."""
    note = (
        f"{len(rows)} ligne(s) sans territoire (code XX/XXX) ignorée(s), "
        f"lignes {', '.join(str(v) for v in rows[LINE].head(10))}"
    )
    totals = [col for col, info in values.items() if info[1] == c.GLOBAL]
    if kind != "places" or not totals:
        return note
    try:
        places = parse_numbers(rows, totals[0], name).sum(min_count=1)
    except SourceError:  # « XX » repeated in the value cells too: nothing to count
        return note
    if pd.isna(places):
        return note
    return f"{note} : {french_count(places)} places non attribuées à un territoire"


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
    if level == c.FRANCE or code_col is None:
        frame[c.CODE] = _national_codes(frame, code_col, name)
    else:
        frame[c.CODE] = normalize_codes(frame[code_col], {c.EPCI: 9, c.COMMUNE: 5}.get(level, 2))
    skipped = _unknown_columns(classified)
    placeholder = frame[c.CODE].isin(PLACEHOLDERS)
    if placeholder.any():
        skipped.append(_placeholder_note(frame[placeholder], values, kind, name))
        frame = frame[~placeholder]
    frame[c.YEAR] = parse_years(frame, year_col, name, dates=True)
    if level != c.FRANCE and code_col is not None:
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
        additive=frozenset() if kind == "taux" else None,  # rates are never added
        source="caf-couverture" if kind == "taux" else "caf-places",
        producer=PRODUCER,
        dataset=f"{dataset}_{ {v: k for k, v in SCALES.items()}[level] }",
        file_name=name,
        observations=tidy(frame, level, variables),
        skipped=skipped,
        # A Cnaf file revises the years it republishes: its edition is its last year.
        edition=edition_of_years([int(y) for y in frame[c.YEAR].unique()]),
    )
