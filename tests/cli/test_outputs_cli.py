"""Outputs list everything: every territory of the level in every format, every indicator of
the catalogue in diagnostic.json (unknown ones null, with the import that would fill them)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.web.apps.territories.services import territories
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db
runner = CliRunner()
ARGS = ["couverture", "--niveau", "commune", "--departement", "53", "--annee", "2023"]


@pytest.fixture
def births_only(tmp_path):
    """Births of two communes of Mayenne, no place anywhere in the département."""
    path = tmp_path / "naissances.csv"
    path.write_text(
        "code,libelle,nais_2021,nais_2022,nais_2023\n53130,Laval,600,610,590\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["import", "insee-naissances", str(path)])
    assert result.exit_code == 0, result.output


def test_every_format_lists_every_territory_without_rates(births_only):
    communes = len(territories("commune", "53"))
    out = runner.invoke(app, [*ARGS, "--format", "json"])
    assert out.exit_code == 0, out.output
    records = json.loads(out.output)
    assert len(records) == communes
    laval = next(r for r in records if r["code"] == "53130")
    assert laval["enfants_moins_3_ans"] == 1800  # births of 2021, 2022, 2023
    assert laval["taux_global"] is None and laval["annee"] == 2023
    csv = runner.invoke(app, [*ARGS, "--format", "csv"])
    assert csv.exit_code == 0
    assert len(csv.output.splitlines()) == communes + 1
    table = runner.invoke(app, ARGS)
    assert table.exit_code == 0, table.output
    laval_line = next(line for line in table.output.splitlines() if line.startswith("53130"))
    assert "Laval" in laval_line and "800" in laval_line
    assert "importer « caf-couverture »" in table.output


def test_known_and_unknown_territories_together():
    out = runner.invoke(app, ["couverture", "--annee", "2023", "--format", "json"])
    by_code = {r["code"]: r for r in json.loads(out.output)}
    assert len(by_code) == len(territories("departement", None))
    assert by_code[DEP]["taux_global"] is not None
    assert by_code["53"]["taux_global"] is None and by_code["53"]["methode"]


def test_a_level_without_territory_fails_in_every_format():
    for fmt in ("table", "json", "csv"):
        out = runner.invoke(app, ["couverture", "--niveau", "territoire", "--format", fmt])
        assert out.exit_code == 2
        assert "aucun territoire" in out.output
