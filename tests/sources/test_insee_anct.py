"""INSEE births, legal populations, Filosofi; ANCT QPV files: real published files."""

from __future__ import annotations

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.anct import qpv_departement, read_qpv
from sdsf.sources.errors import SourceError
from sdsf.sources.insee import read_births, read_filosofi
from sdsf.sources.registry import read_source
from tests.conftest import shared_file


def value(parsed, code, year, variable):
    obs = parsed.observations
    row = obs[(obs[c.CODE] == code) & (obs[c.YEAR] == year) & (obs[c.VARIABLE] == variable)]
    return row[c.VALUE].iloc[0]


def test_births_communes(reference):
    parsed = read_births(
        shared_file("insee/naissances_domiciliees_com_2008_2024.csv.gz"), reference
    )
    assert parsed.levels == [c.COMMUNE]
    assert parsed.years == list(range(2008, 2025))
    assert value(parsed, "01001", 2008, c.BIRTHS) == 8
    # « so » (sans objet) is missing, not zero
    obs = parsed.observations
    assert obs[c.VALUE].isna().sum() == 102
    total_2023 = obs[(obs[c.YEAR] == 2023)][c.VALUE].sum()
    assert total_2023 == 676_643  # INSEE: sum of communes = France (F) 2023


def test_births_france_and_departements(reference):
    france = read_births(
        shared_file("insee/naissances_domiciliees_france_2008_2024.csv.gz"), reference
    )
    assert value(france, "FR", 2022, c.BIRTHS) == 724_777
    assert pd.isna(value(france, "FR", 2010, c.BIRTHS))
    deps = read_births(shared_file("insee/naissances_domiciliees_dep_2008_2024.csv.gz"), reference)
    assert deps.levels == [c.DEPARTEMENT]
    assert deps.observations.query("annee == 2024")[c.VALUE].sum() == 659_731


def test_population_checks(reference):
    communes = read_source(
        "insee-population", shared_file("insee/populations_legales_2023_com.csv.gz"), reference
    )
    assert communes.years == [2023]
    obs = communes.observations
    arrondissements = obs[obs[c.LEVEL] == c.ARRONDISSEMENT]
    assert arrondissements[c.CODE].str.startswith("751").sum() == 20
    assert arrondissements[arrondissements[c.CODE].str.startswith("751")][c.VALUE].sum() == (
        2_103_778
    )
    assert any("975" in s or "977" in s for s in communes.skipped)
    deps = read_source(
        "insee-population", shared_file("insee/populations_legales_2023_dep.csv.gz"), reference
    )
    assert value(deps, "93", 2023, c.POPULATION) == 1_704_316
    assert value(deps, "75", 2023, c.POPULATION) == 2_103_778


def test_filosofi_decimal_commas_and_former_communes(reference):
    """The 2019 commune file (2019 geography) is read without a flag: former communes are
    carried to their commune nouvelle, where its median becomes unknown (not additive)."""
    parsed = read_source("filosofi", shared_file("insee/filosofi2019_disp_com.csv.gz"), reference)
    assert parsed.years == [2019]
    assert value(parsed, "75056", 2019, "revenu_disponible_median") == 28_570
    assert any("géographie actuelle" in s for s in parsed.skipped)
    deps = read_filosofi(shared_file("insee/filosofi2019_disp_dep.csv.gz"), reference)
    assert value(deps, "93", 2019, "revenu_disponible_median") == 18_070
    france = read_filosofi(shared_file("insee/filosofi2019_disp_metropole.csv.gz"), reference)
    assert value(france, "FM", 2019, "revenu_disponible_median") == 21_930


def test_qpv_narrow_spaces_and_decimal_commas():
    demo = read_qpv(shared_file("qpv/qpv_demographie_2022.csv.gz"))
    assert demo.levels == [c.QPV]
    assert value(demo, "QP001001", 2022, "population_qpv") == 6490
    assert value(demo, "QP001001", 2022, "enfants_0_2_ans_caf") == 299
    revenus = read_qpv(shared_file("qpv/qpv_revenus_2022.csv.gz"))
    assert value(revenus, "QP001001", 2022, "taux_pauvrete_60") == pytest.approx(41.4)
    assert qpv_departement("QP02A001") == "2A"
    assert qpv_departement("QP971001") == "971"
    assert qpv_departement("QP001001") == "01"


def test_births_with_text_in_a_number(reference, tmp_path):
    path = tmp_path / "naissances_com.csv"
    path.write_text("code,libelle,nais_2022,nais_2023\n01001,A,8,douze\n")
    with pytest.raises(SourceError, match=r"ligne 2, colonne « nais_2023 » : valeur non num"):
        read_births(path, reference)


@pytest.mark.parametrize(
    ("name", "level", "code", "year", "births"),
    [
        ("arm", c.ARRONDISSEMENT, "13201", 2008, 727),
        ("reg", c.REGION, "52", None, None),
        ("epci", c.EPCI, "244400404", None, None),
    ],
)
def test_births_other_levels(reference, name, level, code, year, births):
    path = shared_file(f"insee/naissances_domiciliees_{name}_2008_2024.csv.gz")
    parsed = read_source("insee-naissances", path, reference, ignore_unknown=True)
    assert parsed.levels == [level]
    if births is not None:
        assert value(parsed, code, year, c.BIRTHS) == births
    assert parsed.observations[parsed.observations[c.CODE] == code][c.VALUE].notna().all()


def test_epci_births_in_another_geography_are_set_aside_and_listed(reference):
    """A national Insee file in the next EPCI geography: the few EPCI unknown to the
    workspace's geography are set aside and listed, the others imported."""
    path = shared_file("insee/naissances_domiciliees_epci_2008_2024.csv.gz")
    parsed = read_births(path, reference)
    aside = [s for s in parsed.skipped if "sans correspondance connue" in s]
    assert aside and "241200658" in aside[0]
    assert parsed.territories > 1_200


def test_filosofi_epci_and_regions(reference):
    epci = read_filosofi(shared_file("insee/filosofi2019_disp_epci.csv.gz"), reference)
    assert epci.levels == [c.EPCI]
    regions = read_filosofi(shared_file("insee/filosofi2019_disp_reg.csv.gz"), reference)
    assert regions.levels == [c.REGION]
    assert value(regions, "04", 2019, "revenu_disponible_median") == 15_890  # La Réunion
