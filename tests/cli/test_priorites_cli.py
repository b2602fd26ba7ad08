"""``sdsf priorites``: table, CSV for Excel, JSON; French errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sdsf.cli.main import app
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_json_and_table_and_csv():
    result = runner.invoke(app, ["priorites", "--departement", DEP, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) > 200
    assert {"code", "libelle", "statut", "zone", "rang", "explication"} <= set(rows[0])
    assert any(r["statut"] == "prioritaire" for r in rows)
    table = runner.invoke(app, ["priorites", "--departement", DEP, "--regles", "bonus-territoire"])
    assert table.exit_code == 0 and "Prioritaire (zone" in table.output
    csv = runner.invoke(app, ["priorites", "--departement", DEP, "--format", "csv"])
    assert csv.output.startswith("\ufeffCode;Libellé;Statut;Liste finale;Zone;Rang;")


def test_unknown_rules_is_a_french_error():
    result = runner.invoke(app, ["priorites", "--departement", DEP, "--regles", "magie"])
    assert result.exit_code == 2
    assert "règles inconnues « magie »" in result.output
