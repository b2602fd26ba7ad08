"""Coverage tables for terminals, French Excel (CSV, XLSX) and programs (JSON)."""

from __future__ import annotations

import json
import math

import pandas as pd

from sdsf.core import columns as c
from sdsf.reports.cells import neutral
from sdsf.reports.formatting import french_number

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


def _clean(value: object, digits: int | None) -> object:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return round(value, digits) if digits is not None else value
    return value


def records(table: pd.DataFrame) -> list[dict[str, object]]:
    """Rows with the documented keys; rates rounded to 0.1; unknown values as null."""
    out = []
    for row in table.reindex(columns=JSON_KEYS).to_dict("records"):
        rec: dict[str, object] = {}
        for key in JSON_KEYS:
            value = row[key]
            if key.startswith("taux_"):
                rec[key] = _clean(float(value), 1) if value is not None else None
            elif key in (c.CHILDREN_UNDER_3, c.PLACES_TOTAL):
                rec[key] = _clean(float(value), 0) if value is not None else None
            elif key == c.YEAR:
                rec[key] = None if pd.isna(value) else int(value)
            elif key == c.SIMULATED:
                rec[key] = bool(value)
            elif key == c.PERIMETER:
                rec[key] = value if isinstance(value, str) else ""
            else:
                rec[key] = None if isinstance(value, float) and math.isnan(value) else value
        out.append(rec)
    return out


def to_json(table: pd.DataFrame) -> str:
    return json.dumps(records(table), ensure_ascii=False, indent=2)


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


def french_rows(table: pd.DataFrame) -> list[list[str]]:
    """Rows as French texts: numbers with a decimal comma, texts never a formula."""
    rows = []
    for rec in records(table):
        row = []
        for key in CSV_HEADERS:
            value = rec[key]
            if key == c.SIMULATED:
                row.append("oui" if value else "non")
            elif key.startswith("taux_"):
                row.append(french_number(value, 1, grouping=False))
            elif key in (c.CHILDREN_UNDER_3, c.PLACES_TOTAL):
                row.append(french_number(value, 0, grouping=False))
            else:
                row.append(neutral("" if value is None else str(value)))
        rows.append(row)
    return rows


def to_csv(table: pd.DataFrame) -> str:
    """CSV for French Excel: ``;``, decimal comma, UTF-8 BOM (added by the writer); no text
    cell a formula (:func:`~sdsf.reports.cells.neutral`)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutral(header) for header in CSV_HEADERS.values()])
    writer.writerows(french_rows(table))
    return "\ufeff" + buffer.getvalue()


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
