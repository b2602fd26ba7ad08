"""``sdsf diagnostic``: the files a partner receives, readable by Excel and by programs."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.parameters.indicators import catalogue
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_diagnostic_of_the_departement(tmp_path):
    result = runner.invoke(app, ["diagnostic", "--departement", DEP, "--sortie", str(tmp_path)])
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / f"diagnostic_{DEP}.xlsx")
    assert len(book.sheetnames) == 2 * len(catalogue().themes) + 1
    assert "Inégalités" in book.sheetnames
    payload = json.loads((tmp_path / "diagnostic.json").read_text(encoding="utf-8"))
    assert payload["donnees_simulees"] is True
    record = next(
        r
        for r in payload["indicateurs"]
        if r["indicateur"] == "taux_global" and r["niveau"] == "departement"
    )
    assert set(record) >= {"valeur", "unite", "code", "territoire", "annee", "source"}
    assert 55 < record["valeur"] < 66 and record["annee"] == 2023
    # every indicator of the catalogue for every territory, the unknown ones null
    by_territory: dict[tuple[str, str], set[str]] = {}
    for r in payload["indicateurs"]:
        by_territory.setdefault((r["niveau"], r["code"]), set()).add(r["indicateur"])
    assert all(ids == set(catalogue().indicators) for ids in by_territory.values())
    unknown = [r for r in payload["indicateurs"] if r["valeur"] is None]
    assert unknown and all(r["imports"] and r["annee"] is None for r in unknown)
    assert unknown[0]["a_importer"].startswith("importer « ")
    pngs = sorted(tmp_path.glob("carte_*.png"))
    assert len(pngs) == len(catalogue().themes)
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)
    assert len(list(tmp_path.glob("carte_*.svg"))) == len(pngs)
    csv = (tmp_path / "inegalites.csv").read_text(encoding="utf-8-sig")
    assert csv.startswith("Maille;Année;")


def test_diagnostic_of_a_commune(tmp_path):
    result = runner.invoke(
        app,
        ["diagnostic", "--departement", DEP, "--territoire", "44109", "--sortie", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads((tmp_path / "diagnostic.json").read_text(encoding="utf-8"))
    assert payload["territoire"] == {"niveau": "commune", "code": "44109", "libelle": "Nantes"}
    book = load_workbook(tmp_path / f"diagnostic_{DEP}_nantes.xlsx")
    assert book[book.sheetnames[0]]["D4"].value == "Nantes"


def test_unknown_territory_is_a_french_error(tmp_path):
    result = runner.invoke(
        app,
        ["diagnostic", "--departement", DEP, "--territoire", "75056", "--sortie", str(tmp_path)],
    )
    assert result.exit_code == 2
    assert "territoire inconnu « 75056 »" in result.output
