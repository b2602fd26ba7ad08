"""Cnaf files in the portal layouts documented in SOURCES.md (« Layouts of published files not
available here »): région and national coverage files, places with their published total."""

from __future__ import annotations

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.cnaf import read_cnaf
from sdsf.sources.errors import SourceError
from tests.conftest import shared_file

REGION_HEADER = (
    "annee;numregi;nomregi;txcouv_psu_col_reg;txcouv_hors_psu_col_reg;txcouv_eaje_reg;"
    "txcouv_prescol_reg;txcouv_am_ind_reg;txcouv_gad_ind_reg;txcouv_ind_reg;txcouv_reg"
)
# Two namings of the national file's columns, as two public sources read them.
NATIONAL_SHORT = (
    "annee;national;txcouv_psu_nat;txcouv_hors_psu_nat;txcouv_eaje_nat;txcouv_prescol_nat;"
    "txcouv_am_nat;txcouv_gad_nat;txcouv_ind_nat;txcouv_nat"
)
NATIONAL_LONG = (
    "annee;national;txcouv_psu_col_nat;txcouv_hors_psu_col_nat;txcouv_eaje_nat;"
    "txcouv_prescol_nat;txcouv_am_ind_nat;txcouv_gad_ind_nat;txcouv_ind_nat;txcouv_nat"
)
PLACES_HEADER = (
    "annee;numdep;nomdep;pl_psu_col_dep;pl_hors_psu_col_dep;pl_eaje_dep;pl_prescol_dep;"
    "pl_am_ind_dep;pl_gad_ind_dep;pl_ind_dep;tot_offre_dep"
)


def observations(parsed) -> pd.Series:
    return parsed.observations.set_index([c.CODE, c.YEAR, c.VARIABLE])[c.VALUE]


def test_region_file_with_numregi(reference, tmp_path):
    path = tmp_path / "txcouv_pe_reg.csv"
    path.write_text(
        f"{REGION_HEADER}\n"
        "2023;52;PAYS DE LA LOIRE;20.1;4.2;24.3;3.1;45.2;1.1;46.3;73.7\n"
        "2023;1;GUADELOUPE;18.5;2.0;20.5;9.8;5.4;0.3;5.7;36.0\n"
        "2023;COM;COM;;;;;;;;\n",
        encoding="utf-8",
    )
    parsed = read_cnaf(path, reference, kind="taux")
    assert parsed.levels == [c.REGION]
    assert parsed.dataset == "txcouv_pe_reg"
    obs = observations(parsed)
    assert obs[("52", 2023, c.RATE_GLOBAL)] == 73.7
    assert obs[("52", 2023, c.rate(c.EAJE_HORS_PSU))] == 4.2
    assert obs[("52", 2023, c.rate(c.ASSISTANTES_MATERNELLES))] == 45.2
    assert obs[("52", 2023, c.rate(c.GARDE_DOMICILE))] == 1.1
    assert obs[("01", 2023, c.rate(c.PRESCOLARISATION))] == 9.8
    assert any("COM" in note for note in parsed.skipped)


@pytest.mark.parametrize("header", [NATIONAL_SHORT, NATIONAL_LONG], ids=["court", "long"])
def test_national_file_with_a_date_and_a_label(reference, tmp_path, header):
    """Cnaf, txcouv_pe_nat, 2023 (SOURCES.md, published figures): 60.9 places per 100 children
    under 3, France entière hors Mayotte; also printed by the ONAPE, édition 2024."""
    path = tmp_path / "txcouv_pe_nat.csv"
    path.write_text(
        f"{header}\n2023-01-01;FRANCE ENTIERE HORS MAYOTTE;19.9;3.6;23.5;3.3;31.9;2.2;34.1;60.9\n",
        encoding="utf-8",
    )
    parsed = read_cnaf(path, reference, kind="taux")
    assert parsed.levels == [c.FRANCE]
    assert parsed.years == [2023]
    obs = observations(parsed)
    code = c.NATIONAL_CNAF_CODE
    assert obs[(code, 2023, c.RATE_GLOBAL)] == 60.9
    assert obs[(code, 2023, c.rate(c.EAJE_PSU))] == 19.9
    assert obs[(code, 2023, c.rate(c.EAJE_HORS_PSU))] == 3.6
    assert obs[(code, 2023, c.rate(c.PRESCOLARISATION))] == 3.3
    assert obs[(code, 2023, c.rate(c.ASSISTANTES_MATERNELLES))] == 31.9
    assert obs[(code, 2023, c.rate(c.GARDE_DOMICILE))] == 2.2
    assert not parsed.skipped


def test_national_label_that_is_not_a_national_scope_is_refused(reference, tmp_path):
    path = tmp_path / "txcouv_pe_nat.csv"
    path.write_text(f"{NATIONAL_LONG}\n2023-01-01;LOIRE ATLANTIQUE;1;1;2;1;1;1;2;5\n")
    with pytest.raises(SourceError, match="ligne 2, colonne « national » : territoire national"):
        read_cnaf(path, reference, kind="taux")


def test_places_keep_the_published_total_and_set_unattributed_rows_aside(reference, tmp_path):
    path = tmp_path / "nbpla_pe_dep.csv"
    path.write_text(
        f"{PLACES_HEADER}\n"
        # 6 200 + 900 + 1 500 + 11 800 + 400 = 20 800, but the Cnaf publishes 20 650
        "2023;44;LOIRE ATLANTIQUE;6200;900;7100;1500;11800;400;12200;20650\n"
        "2023;XXX;NON ATTRIBUE;35;12;47;0;0;0;0;47\n",
        encoding="utf-8",
    )
    parsed = read_cnaf(path, reference, kind="places")
    obs = observations(parsed)
    assert obs[("44", 2023, c.PLACES_TOTAL)] == 20_650
    assert obs[("44", 2023, c.places(c.EAJE_PSU))] == 6_200
    assert obs[("44", 2023, c.places(c.INDIVIDUEL))] == 12_200
    assert parsed.territories == 1
    assert any("XXX" in note and "47 places non attribuées" in note for note in parsed.skipped)


def test_epci_placeholder_rows_repeating_xx_are_set_aside(reference, tmp_path):
    path = tmp_path / "nbpla_pe_epci.csv"
    path.write_text(
        "annee;numepci;nomepci;pl_psu_col_epci;pl_ind_epci;tot_offre_epci\n"
        "2023;244400404;CC NANTES METROPOLE;100;50;160\n"
        "XX;XX;XX;XX;XX;XX\n",
        encoding="utf-8",
    )
    parsed = read_cnaf(path, reference, kind="places", ignore_unknown=True)
    assert observations(parsed)[("244400404", 2023, c.PLACES_TOTAL)] == 160
    assert any("sans territoire" in note and "lignes 3" in note for note in parsed.skipped)


def test_published_commune_places_file_keeps_its_total(reference):
    """« places_offertes_ensemble » is the published total, and ``num_commune`` the commune
    code (not the EPCI beside it). Check in SOURCES.md: Saint-Denis (93066) 2022 = 1,990."""
    path = shared_file("caf/nbpla_pe_com_2020_2022.csv.gz")
    parsed = read_cnaf(path, reference, kind="places", ignore_unknown=True)
    assert parsed.levels == [c.COMMUNE]
    assert observations(parsed)[("93066", 2022, c.PLACES_TOTAL)] == 1_990
