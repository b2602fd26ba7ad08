"""Coverage tables for terminals, French Excel (CSV, XLSX) and programs (JSON)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.reports import encoding
from sdsf.reports.cells import neutral, neutral_column
from sdsf.reports.encoding import json_array
from sdsf.reports.formatting import each_distinct, fixed_texts, french_number, rounded

JSON_KEYS = [
    c.CODE,
    c.LABEL,
    c.YEAR,
    *c.DISPLAY_RATES,
    c.CHILDREN_UNDER_3,
    c.PLACES_TOTAL,
    c.METHOD,
    c.PERIMETER,
    c.SOURCE,
    c.SIMULATED,
]


COUNTS = (c.CHILDREN_UNDER_3, c.PLACES_TOTAL)


def _known(values: list[object] | np.ndarray) -> list[object]:
    """Float arrays with NaN as None; other columns as they are."""
    if not isinstance(values, np.ndarray):
        return values
    out = values.astype(object)
    out[np.isnan(values)] = None
    result: list[object] = out.tolist()
    return result


def _column(key: str, series: pd.Series) -> list[object] | np.ndarray:
    """One documented key's values: rates rounded to 0.1 and counts to units (float arrays,
    NaN when unknown), else a list (None when unknown)."""
    if key.startswith("taux_"):
        return rounded(series.astype(float).to_numpy(), 1)
    if key in COUNTS:
        return rounded(series.astype(float).to_numpy(), 0)
    if key == c.YEAR:
        missing = series.isna().tolist()
        return [None if m else int(v) for v, m in zip(series.tolist(), missing, strict=True)]
    if key == c.SIMULATED:
        return [bool(v) for v in series.tolist()]
    if key == c.PERIMETER:
        return [v if isinstance(v, str) else "" for v in series.tolist()]
    return [None if isinstance(v, float) and math.isnan(v) else v for v in series.tolist()]


def columns(table: pd.DataFrame) -> dict[str, list[object] | np.ndarray]:
    """The documented keys' values, column by column (vectorised :func:`records`)."""
    frame = table.reindex(columns=JSON_KEYS)
    return {key: _column(key, frame[key]) for key in JSON_KEYS}


def records(table: pd.DataFrame) -> list[dict[str, object]]:
    """Rows with the documented keys; rates rounded to 0.1; unknown values as null."""
    values = [_known(v) for v in columns(table).values()]
    return [dict(zip(JSON_KEYS, row, strict=True)) for row in zip(*values, strict=True)]


def json_chunks(table: pd.DataFrame) -> Iterator[bytes]:
    """:func:`to_json` in chunks of records (UTF-8), to stream a national table; unknown
    numbers (NaN) are written ``null`` by the encoder."""
    values = [v.tolist() if isinstance(v, np.ndarray) else v for v in columns(table).values()]
    rows = (dict(zip(JSON_KEYS, row, strict=True)) for row in zip(*values, strict=True))
    return json_array(rows, indent=True)


def to_json(table: pd.DataFrame) -> str:
    """The records as a JSON array, two spaces of indentation (as ``json.dumps(indent=2)``)."""
    return b"".join(json_chunks(table)).decode("utf-8")


CSV_HEADERS = {
    c.CODE: "Code",
    c.LABEL: "Libellé",
    c.YEAR: "Année",
    c.RATE_GLOBAL: "Taux de couverture global",
    c.rate(c.EAJE_PSU): "Taux EAJE PSU",
    c.rate(c.EAJE_HORS_PSU): "Taux EAJE hors PSU",
    c.rate(c.PRESCOLARISATION): "Taux préscolarisation",
    c.rate(c.ASSISTANTES_MATERNELLES): "Taux assistantes maternelles",
    c.rate(c.GARDE_DOMICILE): "Taux garde à domicile",
    c.CHILDREN_UNDER_3: "Enfants de moins de 3 ans",
    c.PLACES_TOTAL: "Places",
    c.METHOD: "Méthode",
    c.PERIMETER: "Périmètre (vide : tout le territoire)",
    c.SOURCE: "Source",
    c.SIMULATED: "Données simulées",
}


def _french_column(key: str, values: list[object] | np.ndarray) -> list[str]:
    if key == c.SIMULATED:
        return ["oui" if value else "non" for value in values]
    if key.startswith("taux_"):
        return fixed_texts(values, 1)
    if key in COUNTS:
        return fixed_texts(values, 0)
    return each_distinct(values, str, "")


def french_columns(table: pd.DataFrame) -> list[list[str]]:
    """The CSV columns as French texts: numbers with a decimal comma, no thousands separator."""
    values = columns(table)
    return [_french_column(key, values[key]) for key in CSV_HEADERS]


def french_rows(table: pd.DataFrame) -> list[list[str]]:
    """Rows as French texts: numbers with a decimal comma, texts never a formula."""
    safe = [neutral_column(column) for column in french_columns(table)]
    return [list(row) for row in zip(*safe, strict=True)]


def csv_chunks(table: pd.DataFrame) -> Iterator[str]:
    """:func:`to_csv` in chunks of rows, to stream a national table."""
    return encoding.csv_chunks(list(CSV_HEADERS.values()), french_columns(table))


def to_csv(table: pd.DataFrame) -> str:
    """CSV for French Excel: ``;``, decimal comma, UTF-8 BOM; no text cell a formula
    (:func:`~sdsf.reports.cells.neutral`, applied by :mod:`sdsf.reports.encoding`)."""
    return "".join(csv_chunks(table))


def to_text(table: pd.DataFrame) -> str:
    """A table readable in a terminal."""
    headers = [
        "Code",
        "Libellé",
        "Année",
        "Global",
        "PSU",
        "Hors PSU",
        "Présco.",
        "Ass. mat.",
        "Domicile",
        "Enfants <3",
        "Méthode",
    ]
    rows = []
    for rec in records(table):
        rows.append(
            [
                str(rec[c.CODE]),
                str(rec[c.LABEL])[:32],
                "" if rec[c.YEAR] is None else str(rec[c.YEAR]),
                *(french_number(rec[k], 1) for k in c.DISPLAY_RATES),
                french_number(rec[c.CHILDREN_UNDER_3], 0),
                ("simulé, " if rec[c.SIMULATED] else "")
                + (f"{rec[c.PERIMETER]}, " if rec[c.PERIMETER] else "")
                + str(rec[c.METHOD]),
            ]
        )
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append(
            "  ".join(
                v.rjust(w) if 2 < i < 10 else v.ljust(w)
                for i, (v, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(lines)


def to_xlsx(table: pd.DataFrame, title: str, simulated: bool) -> bytes:
    """A styled workbook: title, source and simulation notice, then the table; no text cell a
    formula (:func:`~sdsf.reports.cells.neutral`), numbers stored as numbers."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Taux de couverture"
    sheet["A1"] = neutral(title)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = neutral(
        "DONNÉES SIMULÉES (démonstration) — ne pas utiliser pour décider"
        if simulated
        else "Taux : places pour 100 enfants de moins de 3 ans (Cnaf)"
    )
    sheet["A2"].font = Font(italic=True, color="CE0500" if simulated else "3A3A3A")
    headers = [neutral(header) for header in CSV_HEADERS.values()]
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="000091")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in records(table):
        sheet.append(
            [
                ("oui" if rec[k] else "non") if k == c.SIMULATED else neutral(rec[k])
                for k in CSV_HEADERS
            ]
        )
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0" if cell.column <= 9 else "# ##0"
    for i, width in enumerate([10, 34, 7, 12, 10, 10, 12, 14, 12, 12, 10, 40, 30, 60, 10], 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "C5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
