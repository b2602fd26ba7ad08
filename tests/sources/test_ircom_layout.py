"""DGFiP IRCOM as published (SOURCES.md, « Layouts of published files not available here »):
title lines above a header over two lines, one sheet per département, ``Total`` rows for the
communes, ``n.c.`` secret cells, ``B31`` non-residents; as a CSV saved from the sheet and as
the XLSX workbook itself."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.errors import SourceError
from sdsf.sources.registry import read_source

TITLES = [
    ["IMPÔT SUR LE REVENU DES PERSONNES PHYSIQUES"],
    ["Revenus 2022 - Impôt 2023"],
    ["Montants en milliers d'euros"],
]
HEADER = [
    "Dép.",
    "Commune",
    "Libellé de la commune",
    "Revenu fiscal de référence par tranche (en euros)",
    "Nombre de foyers fiscaux",
    "Revenu fiscal de référence des foyers fiscaux",
    "Impôt net (total)*",
    "Nombre de foyers fiscaux imposés",
    "Revenu fiscal de référence des foyers fiscaux imposés",
    "Traitements et salaires",
    "",
    "Retraites et pensions",
    "",
]
SUBHEADER = [""] * 9 + ["Nombre de foyers concernés", "Montant"] * 2
MAYENNE = [
    [
        "530",
        "130",
        "Laval",
        "0 à 10 000",
        "5 210",
        "24 115",
        "n.c.",
        "0",
        "0",
        "3 000",
        "20 000",
        "2 000",
        "9 000",
    ],
    [
        "530",
        "130",
        "Laval",
        "Total",
        "28 000",
        "700 000",
        "45 000",
        "14 000",
        "520 000",
        "20 000",
        "480 000",
        "9 000",
        "190 000",
    ],
    [
        "530",
        "001",
        "Ahuillé",
        "Total",
        "980",
        "24 990",
        "1 500",
        "500",
        "16 000",
        "700",
        "18 000",
        "300",
        "6 000",
    ],
    [
        "530",
        "025",
        "Commune au secret",
        "Total",
        "n.c.",
        "n.c.",
        "n.c.",
        "n.c.",
        "n.c.",
        "n.c.",
        "n.c.",
        "n.c.",
        "n.c.",
    ],
    [
        "B31",
        "000",
        "Non-résidents",
        "Total",
        "1 200",
        "30 000",
        "2 000",
        "600",
        "20 000",
        "n.c.",
        "n.c.",
        "n.c.",
        "n.c.",
    ],
]
OVERSEAS = [
    [
        "2A0",
        "004",
        "Ajaccio",
        "Total",
        "40 000",
        "1 000 000",
        "80 000",
        "20 000",
        "800 000",
        "30 000",
        "700 000",
        "10 000",
        "200 000",
    ],
    [
        "971",
        "101",
        "Les Abymes",
        "Total",
        "30 000",
        "480 000",
        "10 000",
        "5 000",
        "200 000",
        "20 000",
        "300 000",
        "5 000",
        "80 000",
    ],
]
NOTE = ["* Impôt net après imputations, restitutions et plafonnement"]


def grid(rows):
    width = len(HEADER)
    return [(row + [""] * width)[:width] for row in [*TITLES, HEADER, SUBHEADER, *rows, NOTE]]


def check(parsed):
    obs = parsed.observations.set_index([c.CODE, c.VARIABLE])[c.VALUE]
    assert obs[("53130", "foyers_fiscaux")] == 28_000  # the Total row, not the bracket
    assert obs[("53130", "revenu_fiscal_reference")] == 700_000_000  # thousands of euros
    assert obs[("53001", "foyers_fiscaux")] == 980
    assert pd.isna(obs[("53025", "foyers_fiscaux")])  # n.c.: secret, never zero
    assert obs[("2A004", "foyers_fiscaux")] == 40_000
    assert obs[("97101", "foyers_fiscaux")] == 30_000
    assert not parsed.observations[c.CODE].str.startswith("B").any()
    assert any("B31" in note and "non-résidents" in note for note in parsed.skipped)
    assert any("milliers d'euros" in note for note in parsed.skipped)
    assert set(parsed.observations[c.YEAR]) == {2022}


def test_ircom_csv_saved_from_the_published_sheet(reference, tmp_path):
    path = tmp_path / "ircom_2022.csv"
    text = "\n".join(";".join(row) for row in grid(MAYENNE + OVERSEAS))
    path.write_text(text + "\n", encoding="cp1252")
    check(read_source("dgfip-ircom", path, reference))


def write_workbook(path, sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in grid(rows):
            # numbers as the DGFiP stores them: Dép. 530 and amounts as numbers, codes
            # with letters or leading zeros as text
            sheet.append([_cell(value) for value in row])
        sheet.merge_cells(start_row=4, start_column=10, end_row=4, end_column=11)
        sheet.merge_cells(start_row=4, start_column=12, end_row=4, end_column=13)
    workbook.save(path)


def _cell(value: str):
    digits = value.replace(" ", "")
    if digits.isdigit() and not digits.startswith("0"):
        return int(digits)
    return value


def test_ircom_workbook_with_one_sheet_per_departement(reference, tmp_path):
    path = tmp_path / "ircom_2022.xlsx"
    write_workbook(path, {"53": MAYENNE, "2A-971": OVERSEAS})
    check(read_source("dgfip-ircom", path, reference))


def test_ircom_error_names_the_sheet_and_the_line(reference, tmp_path):
    path = tmp_path / "ircom_2022.xlsx"
    bad = [row.copy() for row in OVERSEAS]
    bad[1][4] = "beaucoup"
    write_workbook(path, {"53": MAYENNE, "971": bad})
    with pytest.raises(SourceError) as error:
        read_source("dgfip-ircom", path, reference)
    message = error.value.french()
    assert "feuille « 971 »" in message and "ligne 7" in message
    assert "Nombre de foyers fiscaux" in message


def test_ircom_overseas_commune_inconsistent_with_its_departement(reference, tmp_path):
    path = tmp_path / "ircom_2022.csv"
    rows = [OVERSEAS[1].copy()]
    rows[0][1] = "201"
    path.write_text("\n".join(";".join(row) for row in grid(rows)) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match="ligne 6, colonne « Commune » : numéro de commune"):
        read_source("dgfip-ircom", path, reference)
