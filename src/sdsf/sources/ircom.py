"""DGFiP « impôt sur le revenu par collectivité territoriale » (IRCOM), by commune.

Published as one sheet per département (``.xls`` or ``.xlsx``, often in a ``.zip``), or a CSV
saved from it: about three title lines, then a header (over two lines where columns are
grouped) of ``Dép.``, ``Commune``, ``Libellé de la commune``, ``Revenu fiscal de référence par
tranche (en euros)``, ``Nombre de foyers fiscaux``, ``Revenu fiscal de référence des foyers
fiscaux``, ``Impôt net (total)*``... Each commune has one row per income bracket and a
``Total`` row: only the ``Total`` rows are read. ``n.c.`` marks secret cells (missing, never
zero). Rows ``B31`` (the directorate of non-residents) have no commune: set aside and reported.
Amounts are in thousands of euros in some editions: amounts whose median per household is under
1,000 are read as thousands (and the import says so).

Commune codes. ``Dép.`` has three characters, the département code followed by ``0`` in
metropolitan France (``530`` -> 53, ``2A0`` -> 2A), the three-digit overseas code otherwise
(``971``); ``Commune`` has three digits. In metropolitan France the code is the département's
two characters followed by the three digits (``530`` + ``130`` -> 53130, ``2A0`` + ``004`` ->
2A004). An overseas INSEE code is the three-character département followed by two digits
(97101); the DGFiP numbers its communes on three digits whose first is the département's last
digit (``971`` + ``101``), so the code is ``Dép.`` followed by the last two digits of
``Commune``, which also gives 97101 from an edition writing ``01``; three digits whose first is
not the département's last (``971`` + ``201``) are refused. A spreadsheet number loses leading
zeros (``010`` read as 10, ``004`` as 4): in a file whose ``Dép.`` has three characters, shorter
values are padded back to three, and ``Commune`` always to three.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, check_codes, tidy
from sdsf.sources.reading import (
    LINE,
    file_year,
    find_columns,
    normalize_label,
    parse_numbers,
    read_table,
    reject_first,
)
from sdsf.sources.sheets import SHEET

COLUMNS = {
    "dep": ("Dép.", "Dep", "Département"),
    "commune": ("Commune",),
    "tranche": ("Revenu fiscal de référence par tranche (en euros)", "tranche"),
    "foyers": ("Nombre de foyers fiscaux",),
    "revenu": ("Revenu fiscal de référence des foyers fiscaux",),
}
NON_RESIDENTS = "B31"
_DEPARTEMENT = r"(?:\d\d|2[AB])0|97\d|\d\d|2[AB]"


def read_ircom(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Tax households and their reference income by commune (IRCOM « Total » rows)."""
    name = display_name or path.name
    frame = read_table(path, name, source="dgfip-ircom", header=list(COLUMNS.values()))
    vintage = file_year(name, year)
    sheets = frame[SHEET] if SHEET in frame else pd.Series("", index=frame.index)
    parts: list[pd.DataFrame] = []
    skipped: list[str] = []
    for sheet in sheets.unique():
        where = name if sheets.nunique() == 1 else f"{name} › feuille « {sheet} »"
        part = _communes(frame[sheets == sheet], where, reference, ignore_unknown, skipped)
        parts.append(part.assign(**{c.YEAR: vintage}))
    communes = pd.concat(parts, ignore_index=True)
    mean = (communes["revenu"] / communes["foyers"].where(communes["foyers"] > 0)).median()
    if pd.notna(mean) and mean < 1_000:
        communes["revenu"] = communes["revenu"] * 1_000
        skipped.append("montants lus en milliers d'euros (présentation IRCOM)")
    return ParsedFile(
        source="dgfip-ircom",
        producer="DGFiP",
        dataset="ircom",
        file_name=name,
        observations=tidy(
            communes, c.COMMUNE, {"revenu": "revenu_fiscal_reference", "foyers": "foyers_fiscaux"}
        ),
        skipped=skipped,
    )


def _communes(
    frame: pd.DataFrame,
    name: str,
    reference: ReferenceCodes,
    ignore_unknown: bool,
    skipped: list[str],
) -> pd.DataFrame:
    """The ``Total`` rows of one sheet with their commune code, households and income."""
    found = find_columns(frame, name, COLUMNS, required=list(COLUMNS))
    frame = frame[frame[found["tranche"]].astype(str).map(normalize_label) == "total"].copy()
    dep = (
        frame[found["dep"]].astype(str).str.strip().str.upper().str.replace(r"\.0$", "", regex=True)
    )
    outside = dep == NON_RESIDENTS
    if outside.any():
        lines = ", ".join(str(v) for v in frame.loc[outside, LINE].head(10))
        skipped.append(
            f"{name} : {int(outside.sum())} ligne(s) « {NON_RESIDENTS} » (foyers non-résidents, "
            f"sans commune) ignorée(s), lignes {lines}"
        )
        frame, dep = frame[~outside], dep[~outside]
    numeric = dep.str.fullmatch(r"\d+")
    width = 3 if (dep.str.len() == 3).any() else 2
    dep = dep.where(~numeric, dep.str.zfill(width))
    reject_first(
        frame,
        ~dep.str.fullmatch(_DEPARTEMENT),
        name,
        found["dep"],
        "code département invalide",
        "trois caractères : le département suivi de 0 (« 530 », « 2A0 ») ou un code "
        "d'outre-mer (« 971 »)",
    )
    given = frame[found["commune"]].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    reject_first(
        frame,
        ~given.str.fullmatch(r"\d{1,3}"),
        name,
        found["commune"],
        "numéro de commune invalide",
        "trois chiffres (ex. « 109 »)",
    )
    commune = given.str.zfill(3)
    overseas = dep.str.startswith("97")
    reject_first(
        frame,
        overseas & (given.str.len() == 3) & (given.str[0] != dep.str[2]),
        name,
        found["commune"],
        "numéro de commune incohérent avec le département d'outre-mer",
        "trois chiffres dont le premier est le dernier du département (« 971 » et « 101 » "
        "pour 97101)",
    )
    frame[c.CODE] = (dep + commune.str[-2:]).where(overseas, dep.str[:2] + commune)
    frame = check_codes(
        frame,
        file=name,
        column=found["commune"],
        level=c.COMMUNE,
        reference=reference,
        ignore_unknown=ignore_unknown,
        skipped=skipped,
    )
    frame["foyers"] = parse_numbers(frame, found["foyers"], name)
    frame["revenu"] = parse_numbers(frame, found["revenu"], name, minimum=-1e15)
    return frame[[c.CODE, "foyers", "revenu"]]
