"""Tables as French Excel CSV and styled XLSX workbooks (one sheet per table).

Each sheet: a title, a notice (simulated data, or the unit), the header row styled, number
formats matching the rounding shown on screen, and the sources under the table. No text cell is
ever a formula (:func:`~sdsf.reports.cells.neutral`); numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sdsf.reports import encoding
from sdsf.reports.cells import neutral
from sdsf.reports.formatting import as_number, french_number

HEADER_FILL = "000091"
SIMULATED_NOTICE = "DONNÉES SIMULÉES (démonstration) — ne pas utiliser pour décider"


@dataclass
class Column:
    header: str
    digits: int | None = None  # None: text
    grouping: bool = True  # thousands separator in XLSX (not for years)
    row_rounding: bool = True  # follows the sheet's row_digits when it has them (not years)


def year_column(header: str = "Année") -> Column:
    return Column(header, 0, grouping=False, row_rounding=False)


@dataclass
class Sheet:
    name: str  # at most 31 characters (Excel)
    title: str
    columns: list[Column]
    rows: list[list[object]]
    sources: str
    simulated: bool = False
    notice: str = ""
    # decimals of each row's numbers, when rows hold different indicators (key figures)
    row_digits: list[int] | None = None

    def digits(self, row: int, column: Column) -> int | None:
        """The rounding of a cell: the row's when the sheet has one, else the column's."""
        if column.digits is None or self.row_digits is None or not column.row_rounding:
            return column.digits
        return self.row_digits[row]


def _csv_column(sheet: Sheet, position: int, column: Column) -> list[str]:
    values = [row[position] for row in sheet.rows]
    if column.digits is None:
        return ["" if value is None else str(value) for value in values]
    return [
        french_number(as_number(value), sheet.digits(index, column) or 0, grouping=False)
        for index, value in enumerate(values)
    ]


def csv_chunks(sheet: Sheet, *, bom: bool = True) -> Iterator[str]:
    """:func:`to_csv` in chunks of rows (:mod:`sdsf.reports.encoding`)."""
    for row in sheet.rows:
        if len(row) != len(sheet.columns):
            raise ValueError(
                f"{sheet.name} : {len(row)} cellules pour {len(sheet.columns)} colonnes"
            )
    footer = [[f"Sources : {sheet.sources}"]] + ([[SIMULATED_NOTICE]] if sheet.simulated else [])
    return encoding.csv_chunks(
        [col.header for col in sheet.columns],
        [_csv_column(sheet, i, col) for i, col in enumerate(sheet.columns)],
        footer=footer,
        bom=bom,
    )


def to_csv(sheet: Sheet) -> str:
    """``;`` separator, decimal comma, no thousands separator, UTF-8 BOM; sources as the last
    line; no cell a formula."""
    return "".join(csv_chunks(sheet))


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one styled sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws["A1"] = neutral(sheet.title)
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"] = neutral(SIMULATED_NOTICE if sheet.simulated else sheet.notice)
        ws["A2"].font = Font(italic=True, color="CE0500" if sheet.simulated else "3A3A3A")
        ws.append([])
        ws.append([neutral(col.header) for col in sheet.columns])
        for cell in ws[4]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in sheet.rows:
            ws.append(
                [
                    neutral(value) if col.digits is None else as_number(value)
                    for col, value in zip(sheet.columns, row, strict=True)
                ]
            )
        for i, col in enumerate(sheet.columns, 1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(10, min(40, len(col.header) + 2))
            if col.digits is not None:
                whole = "# ##0" if col.grouping else "0"
                for index, (cell,) in enumerate(ws.iter_rows(min_row=5, min_col=i, max_col=i)):
                    digits = sheet.digits(min(index, len(sheet.rows) - 1), col) or 0
                    cell.number_format = whole if digits == 0 else whole + "." + "0" * digits
        ws.append([])
        ws.append([neutral(f"Sources : {sheet.sources}")])
        ws.freeze_panes = "C5" if len(sheet.columns) > 2 else "A5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
