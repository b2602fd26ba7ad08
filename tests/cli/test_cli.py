"""The sdsf command: outputs for programs and Excel, French errors without traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from sdsf.cli.main import app
from tests.conftest import DEMO_DEPARTEMENT, shared_file

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_json_keys_and_numbers():
    result = runner.invoke(
        app,
        [
            "couverture",
            "--niveau",
            "departement",
            "--departement",
            DEMO_DEPARTEMENT,
            "--annee",
            "2023",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 1
    rec = records[0]
    assert set(rec) == {
        "code",
        "libelle",
        "annee",
        "taux_global",
        "taux_eaje_psu",
        "taux_eaje_hors_psu",
        "taux_prescolarisation",
        "taux_assistantes_maternelles",
        "taux_garde_domicile",
        "enfants_moins_3_ans",
        "places_total",
        "methode",
        "perimetre",
        "source",
        "simule",
    }
    assert rec["perimetre"] == ""  # the whole département
    assert isinstance(rec["taux_global"], float)
    assert rec["simule"] is True
    assert rec["places_total"] > 0


def test_import_then_json_gives_published_figures():
    path = shared_file("caf/txcouv_pe_dep_2022_2023.csv.gz")
    result = runner.invoke(app, ["import", "caf-couverture", str(path)])
    assert result.exit_code == 0, result.output
    assert "100 territoires" in result.output
    out = runner.invoke(
        app, ["couverture", "--niveau", "departement", "--annee", "2023", "--format", "json"]
    )
    by_code = {r["code"]: r for r in json.loads(out.output)}
    assert by_code["53"]["taux_global"] == 78.0
    assert by_code["93"]["taux_global"] == 39.4
    assert by_code["973"]["taux_global"] == 13.4
    assert by_code["93"]["taux_eaje_psu"] == 21.8
    assert by_code["53"]["places_total"] is None  # unknown, not 0


def test_csv_is_for_french_excel():
    result = runner.invoke(
        app,
        [
            "couverture",
            "--niveau",
            "commune",
            "--departement",
            DEMO_DEPARTEMENT,
            "--annee",
            "2023",
            "--format",
            "csv",
        ],
    )
    lines = result.output.splitlines()
    assert lines[0].startswith("\ufeffCode;Libellé;Année;")
    assert "," in lines[1].split(";")[3]  # decimal comma


def test_table_is_readable():
    result = runner.invoke(
        app,
        ["couverture", "--niveau", "epci", "--departement", DEMO_DEPARTEMENT, "--annee", "2023"],
    )
    assert "Nantes Métropole" in result.output


def test_broken_file_exit_code_and_french_message(tmp_path):
    path = tmp_path / "casse.csv"
    path.write_text("annee;numdep;txcouv_dep\n2023;53;n'importe quoi\n")
    result = runner.invoke(app, ["import", "caf-couverture", str(path)])
    assert result.exit_code == 2
    assert "ligne 2, colonne « txcouv_dep »" in result.output
    assert "Traceback" not in result.output


def test_unknown_departement():
    result = runner.invoke(app, ["couverture", "--departement", "99"])
    assert result.exit_code == 2
    assert "département inconnu" in result.output


def test_missing_file_in_a_real_process(tmp_path):
    env = {**os.environ, "SDSF_WORKSPACE": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "sdsf.cli", "import", "eaje", str(tmp_path / "absent.csv")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert "fichier introuvable" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_custom_territory_from_the_command_line():
    result = runner.invoke(
        app,
        [
            "territoire",
            "CTG Nantes et voisines",
            "--departement",
            DEMO_DEPARTEMENT,
            "--communes",
            "44109,44020,44035",
        ],
    )
    assert result.exit_code == 0, result.output
    out = runner.invoke(
        app,
        [
            "couverture",
            "--niveau",
            "territoire",
            "--departement",
            DEMO_DEPARTEMENT,
            "--annee",
            "2023",
            "--format",
            "json",
        ],
    )
    records = json.loads(out.output)
    assert [r["libelle"] for r in records] == ["CTG Nantes et voisines"]
    assert records[0]["taux_global"] > 0
    bad = runner.invoke(
        app, ["territoire", "X", "--departement", DEMO_DEPARTEMENT, "--communes", "99999"]
    )
    assert bad.exit_code == 2
    assert "communes inconnues" in bad.output


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["couverture", "--niveau", "ville"], "valeur invalide pour '--niveau' : « ville »"),
        (["couverture", "--annee", "deux"], "un nombre entier est attendu"),
        (["import", "eaje"], "aucun fichier à importer pour la source « eaje »"),
        (
            ["couverture", "--anee", "2023"],
            "option inconnue « --anee » (vouliez-vous dire --annee",
        ),
        (["couverture", "a"], "argument(s) en trop : a"),
    ],
)
def test_usage_errors_are_in_french(argv, expected, capsys):
    from sdsf.cli.main import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_help_is_in_french(capsys):
    from sdsf.cli.main import main

    assert main(["couverture", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Affiche cette aide" in out
    assert "par défaut" in out
    assert "Show this message" not in out
