"""The France column of the diagnostic: published reference figures (dated parameters) where
no national file is imported; an imported national figure wins.

Oracles: Cnaf txcouv_pe_nat 2023 = 60.9 (France entière hors Mayotte, ONAPE édition 2025);
Insee births France 2023 = 676,643; Filosofi 2019 median France métropolitaine 21,930 €."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.web.apps.diagnostic.services import figures
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db


def _france(ids: list[str], year: int | None = 2023):
    indicators = [catalogue().indicators[i] for i in ids]
    return {f.indicator.id: f for f in figures(c.DEPARTEMENT, DEP, DEP, indicators, year)}


def test_france_column_from_the_reference_parameters():
    figs = _france(["taux_global", "taux_prescolarisation", "naissances", "revenu_median"])
    rate = figs["taux_global"]
    assert rate.france == 60.9 and rate.france_year == 2023
    assert rate.france_scope == "France hors Mayotte"
    assert "paramètre sdsf couverture.taux_national.global" in rate.france_source
    assert "chiffre de référence" in rate.france_origin
    assert figs["taux_prescolarisation"].france == 3.3
    assert figs["naissances"].france == 676_643 and figs["naissances"].france_scope == "France"
    income = figs["revenu_median"]
    assert (income.france, income.france_year) == (21_930, 2019)
    assert "Filosofi 2019" in income.france_source


def test_france_figure_never_after_the_territory_year():
    # the demo's births stop in 2023: France is compared in 2023, not with 2024's 659,731
    births = _france(["naissances"], None)["naissances"]
    assert births.year == 2023 and births.france == 676_643


def test_an_imported_national_figure_wins(tmp_path):
    path = tmp_path / "txcouv_pe_nat.csv"
    path.write_text("annee;national;txcouv_nat\n2023;FRHM;61.2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "caf-couverture", str(path)])
    assert result.exit_code == 0, result.output
    rate = _france(["taux_global"])["taux_global"]
    assert rate.france == 61.2 and rate.france_year == 2023
    assert rate.france_source == "" and "fichier national importé" in rate.france_origin
    # a year the file does not have still comes from the parameter
    assert _france(["taux_global"], 2022)["taux_global"].france == 59.5
