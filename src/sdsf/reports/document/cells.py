"""Table cells as the document shows them: numbers with the sheet's rounding (the same as in
the XLSX number formats), a dash for a missing value, never « 0 » or « nan »."""

from __future__ import annotations

from sdsf.reports.formatting import as_number, french_number
from sdsf.reports.workbook import Column

MISSING = "—"


def cell_text(column: Column, value: object, digits: int | None = None) -> str:
    """``digits``: the cell's rounding when it differs from the column's (key figures)."""
    if column.digits is None:
        return "" if value is None else str(value)
    if as_number(value) is None:
        return MISSING
    return french_number(
        value, column.digits if digits is None else digits, grouping=column.grouping
    )


def is_number(column: Column) -> bool:
    return column.digits is not None
