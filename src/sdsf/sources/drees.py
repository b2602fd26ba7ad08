"""DREES, « L'accueil du jeune enfant » from the enquête Aide sociale (PMI), tables by
département (data.drees, Licence Ouverte 2.0).

One file per table, one row per département and one column per year (``Code région;Code
département;Département;2016;...;2023``). Which table a file is cannot be read from its header:
it is the number in its name (``drees_eaje_Tab28_dep.csv``), as the DREES names its tables.
Numbers use a narrow no-break space as thousands separator; an empty cell is not available
(never 0). Besides the départements, the tables hold rows overlapping them: the Collectivité
de Corse (``20`` = 2A + 2B), the Collectivité européenne d'Alsace (``6AE`` = 67 + 68), and the
two parts of the Rhône (``69D`` Nouveau Rhône, ``69M`` Métropole de Lyon, whose sum is ``69``).
The départements of the reference geography are kept (``69`` whole, as the Cnaf and the Insee
give it); the other rows are set aside and reported, with the years where a département is
unknown while its aggregate is published (Corse from 2018). No Mayotte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, check_codes, tidy
from sdsf.sources.errors import SourceError
from sdsf.sources.labels import LINE, columns_found
from sdsf.sources.reading import (
    check_unique,
    department_code,
    find_columns,
    parse_numbers,
    read_table,
)

SOURCE = "drees-eaje"
PRODUCER = "DREES"


@dataclass(frozen=True)
class Table:
    number: int
    variable: str
    title: str


TABLES = {
    t.number: t
    for t in (
        Table(23, c.DREES_CRECHES_COLLECTIVES, "nombre de crèches collectives"),
        Table(24, c.DREES_CRECHES_FAMILIALES, "nombre de crèches familiales"),
        Table(27, c.DREES_ETABLISSEMENTS_PARENTAUX, "nombre d'établissements à gestion parentale"),
        Table(28, c.DREES_PLACES_CRECHES_COLLECTIVES, "places en crèches collectives"),
        Table(32, c.DREES_PLACES_PARENTALES, "places en établissements à gestion parentale"),
        Table(33, c.DREES_AGREMENTS_AM, "agréments d'assistantes maternelles en cours"),
    )
}
# Rows that are not départements of the reference geography, and the départements they overlap.
AGGREGATES = {
    "20": ("Collectivité de Corse", ("2A", "2B")),
    "6AE": ("Collectivité européenne d'Alsace", ("67", "68")),
}
PARTS = {  # the 69 row is the département; its two parts are set aside
    "69D": "Nouveau Rhône, partie du 69 hors Métropole de Lyon",
    "69M": "Métropole de Lyon, partie du 69",
}
CODE_ALIASES = ("Code département", "Code dép", "Département code", "dep", "code_dep")
_TABLE_IN_NAME = re.compile(r"tab(?:leau)?[ _-]?0*(\d+)", re.IGNORECASE)
_YEAR = re.compile(r"(19|20)\d\d")


def table_of(name: str) -> Table | None:
    """The DREES table a file name says (``...Tab28...`` -> table 28), None if it says none
    of the tables sdsf reads."""
    found = [int(m.group(1)) for m in _TABLE_IN_NAME.finditer(Path(name).name)]
    known = [TABLES[n] for n in found if n in TABLES]
    return known[0] if len(known) == 1 else None


def _table(name: str) -> Table:
    table = table_of(name)
    if table is None:
        listed = ", ".join(f"Tab{n} ({t.title})" for n, t in TABLES.items())
        raise SourceError(
            name,
            "tableau DREES indéterminé : l'en-tête ne dit pas quel tableau contient le fichier, "
            "et son nom ne le dit pas non plus",
            expected=f"un nom de fichier contenant le numéro du tableau : {listed}",
            found=Path(name).name,
        )
    return table


def _span(years: list[int]) -> str:
    """``[2018, ..., 2023]`` -> ``2018 à 2023``; years that do not follow each other listed."""
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]} à {years[-1]}"
    return ", ".join(map(str, years))


def _aside_notes(frame: pd.DataFrame, years: list[str]) -> list[str]:
    """What the rows set aside were, and the years where a département is unknown while the
    aggregate holding it is published (its value is not shared out among its parts)."""
    lines = {str(k): int(v) for k, v in zip(frame[c.CODE], frame[LINE], strict=True)}
    known = frame.set_index(c.CODE)[years].notna()
    aside = [
        f"{code} {label} (= {' + '.join(parts)}, ligne {lines[code]})"
        for code, (label, parts) in AGGREGATES.items()
        if code in lines
    ] + [f"{code} {label} (ligne {lines[code]})" for code, label in PARTS.items() if code in lines]
    notes = []
    if aside:
        notes.append(
            f"{len(aside)} ligne(s) de regroupement ou de partie de département écartée(s), "
            f"les départements étant gardés seuls : {', '.join(aside)}"
        )
    for code, (label, parts) in AGGREGATES.items():
        if code not in lines:
            continue
        parts_known = known.reindex(list(parts), fill_value=False).all()
        gaps = [int(y) for y in years if known.loc[code, y] and not parts_known[y]]
        if gaps:
            notes.append(
                f"{', '.join(parts)} : valeur inconnue en {_span(gaps)}, la DREES ne publiant "
                f"pour ces années que le total de la {label} (code {code}), non réparti"
            )
    return notes


def read_drees(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Read a DREES table by département (Tab23, 24, 27, 28, 32 or 33), its table told by
    its name; raise :class:`SourceError` on bad input."""
    name = display_name or path.name
    frame = read_table(path, name, source=SOURCE)  # its bounds first, whatever its name
    table = _table(name)
    code_col = find_columns(frame, name, {c.CODE: CODE_ALIASES}, required=[c.CODE])[c.CODE]
    years = [col for col in frame.columns if _YEAR.fullmatch(str(col))]
    if not years:
        raise SourceError(
            name,
            "aucune colonne d'année",
            row=1,
            expected="des colonnes nommées par leur année (2016, 2017...)",
            found=columns_found(frame),
        )
    frame = frame.copy()
    frame[c.CODE] = department_code(frame[code_col])
    check_unique(frame, [c.CODE], name, code_col)
    for year in years:
        frame[year] = parse_numbers(frame, year, name, integer=True)
    skipped = _aside_notes(frame, years)
    frame = frame[~frame[c.CODE].isin([*AGGREGATES, *PARTS])]
    frame = check_codes(
        frame,
        file=name,
        column=code_col,
        level=c.DEPARTEMENT,
        reference=reference,
        ignore_unknown=ignore_unknown,
        skipped=skipped,
        published=True,
    )
    long = frame[[c.CODE, *years]].melt(id_vars=[c.CODE], var_name=c.YEAR, value_name="_value")
    return ParsedFile(
        source=SOURCE,
        producer=PRODUCER,
        dataset=f"drees_eaje_tab{table.number}_dep",
        file_name=name,
        observations=tidy(long, c.DEPARTEMENT, {"_value": table.variable}),
        skipped=skipped,
    )
