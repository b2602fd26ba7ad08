"""The fast encoder writes what the previous one wrote: ``sdsf couverture`` JSON and CSV byte
for byte, ``sdsf priorites`` and ``sdsf diagnostic`` the same values. The reference below is
the previous encoding (records built row by row, ``json.dumps``, ``csv.writer``), kept here."""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.core import columns as c
from sdsf.reports.cells import neutral
from sdsf.reports.formatting import as_number, french_number
from sdsf.reports.tables import CSV_HEADERS, JSON_KEYS
from sdsf.reports.workbook import SIMULATED_NOTICE
from sdsf.web.apps.datasets.coverage import coverage_listing
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _clean(value: object, digits: int | None) -> object:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return round(value, digits) if digits is not None else value
    return value


def reference_records(table: pd.DataFrame) -> list[dict[str, object]]:
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


def reference_csv(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutral(header) for header in CSV_HEADERS.values()])
    for rec in reference_records(table):
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
        writer.writerow(row)
    return "\ufeff" + buffer.getvalue()


CASES = [
    ("commune", DEP, None),  # every commune of the demo, every year
    ("epci", DEP, 2023),
    ("departement", None, None),  # every département: known and unknown together
]


@pytest.mark.parametrize(("level", "departement", "year"), CASES)
def test_couverture_json_and_csv_are_the_previous_bytes(level, departement, year):
    args = ["couverture", "--niveau", level]
    args += ["--departement", departement] if departement else []
    args += ["--annee", str(year)] if year else []
    table = coverage_listing(level, departement, year)
    assert len(table) > 0
    out = runner.invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0, out.output
    expected = json.dumps(reference_records(table), ensure_ascii=False, indent=2) + "\n"
    assert out.stdout_bytes == expected.encode("utf-8")
    out = runner.invoke(app, [*args, "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.stdout_bytes == reference_csv(table).encode("utf-8")


def _no_nan(value: object) -> object:
    """The previous JSON wrote NaN (not JSON); the encoder writes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return value


def test_priorites_json_and_csv_are_the_previous_values():
    from sdsf.web.apps.priorities.services import rule_sets, run
    from sdsf.web.apps.priorities.sheets import result_sheet, run_rows
    from sdsf.web.apps.territories.models import Territory

    rules = rule_sets(DEP)["frt-2014"]
    rows = run_rows(run(DEP, rules).table)
    previous = json.loads(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    out = runner.invoke(app, ["priorites", "--departement", DEP, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout_bytes) == _no_nan(previous)
    dep = Territory.objects.get(level="departement", code=DEP)
    sheet = result_sheet(rows, rules, dep.name, "frt-2014")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutral(col.header) for col in sheet.columns])
    for index, row in enumerate(sheet.rows):
        writer.writerow(
            [
                neutral("" if value is None else str(value))
                if col.digits is None
                else french_number(as_number(value), sheet.digits(index, col), grouping=False)
                for col, value in zip(sheet.columns, row, strict=True)
            ]
        )
    writer.writerow([neutral(f"Sources : {sheet.sources}")])
    if sheet.simulated:
        writer.writerow([neutral(SIMULATED_NOTICE)])
    out = runner.invoke(app, ["priorites", "--departement", DEP, "--format", "csv"])
    assert out.stdout_bytes == ("\ufeff" + buffer.getvalue()).encode("utf-8")
