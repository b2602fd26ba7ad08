"""Neutral spreadsheet cells: a text read from the database never becomes a live formula.

A spreadsheet (Excel, LibreOffice) evaluates a cell whose text begins with ``=``, ``+``, ``-``
or ``@`` as a formula, and a leading tab or carriage return can hide such a character; a
territory named ``=HYPERLINK(…)`` would then run in the reader's spreadsheet. Following the
OWASP guidance on CSV injection (https://owasp.org/www-community/attacks/CSV_Injection), such a
text is prefixed with a single quote, which spreadsheets read as "this cell is text".

Only texts are touched: numbers (int, float, Decimal) are returned as they are, and so is a
text that is only a number written the French or the English way (``-5,2``, ``-1 234,5``,
``-0.5``), which no spreadsheet can run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import overload

from sdsf.reports.formatting import each_distinct

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

# a plain number: optional minus, digits grouped by (narrow) no-break spaces, one decimal mark
_NUMBER = re.compile(r"-?\d[\d\u202f\u00a0]*(?:[.,]\d+)?")


@overload
def neutral(value: str) -> str: ...


@overload
def neutral(value: object) -> object: ...


def neutral(value: object) -> object:
    """``value``, with a single quote in front when it is a text a spreadsheet would run as a
    formula; any other value (a number, None, a date) as it is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return QUOTE + value


def neutral_column(values: Sequence[object]) -> list[object]:
    """:func:`neutral` on every value of a column (each distinct value checked once: a column
    of a national table holds few distinct texts, or short codes); missing values as None."""
    return each_distinct(list(values), neutral, None)
