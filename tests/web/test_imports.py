"""Imports into the database: provenance, idempotence, replacement, atomicity, oracles."""

from __future__ import annotations

import pytest

from sdsf.core import columns as c
from sdsf.sources.errors import SourceError
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.coverage import coverage_table
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.models import ImportedFile, Observation, Replacement
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db
CAF_DEP = "caf/txcouv_pe_dep_2022_2023.csv.gz"


def snapshot():
    return (
        ImportedFile.objects.count(),
        Observation.objects.count(),
        sorted(Observation.objects.values_list("value", flat=True)[:50]),
    )


def test_caf_departements_oracle_and_provenance():
    report = import_file("caf-couverture", shared_file(CAF_DEP), user=SYSTEM)
    table = coverage_table(c.DEPARTEMENT, year=2023).set_index(c.CODE)
    assert table.loc["53", c.RATE_GLOBAL] == 78.0
    assert table.loc["93", c.RATE_GLOBAL] == 39.4
    assert table.loc["973", c.RATE_GLOBAL] == 13.4
    assert table.loc["93", c.rate(c.EAJE_PSU)] == 21.8
    assert table.loc["53", c.METHOD] == c.METHOD_PUBLISHED
    assert "txcouv_pe_dep_2022_2023.csv.gz" in table.loc["53", c.SOURCE]
    stored = report.file
    assert stored.producer == "Cnaf"
    assert len(stored.sha256) == 64
    assert stored.imported_by
    assert stored.years == [2022, 2023]


def test_reimporting_the_same_file_changes_nothing():
    import_file("caf-couverture", shared_file(CAF_DEP), user=SYSTEM)
    before = snapshot()
    report = import_file("caf-couverture", shared_file(CAF_DEP), user=SYSTEM)
    assert report.already_imported
    assert "rien n'a changé" in report.lines()[0]
    assert snapshot() == before


def test_a_newer_file_replaces_values_and_records_it(tmp_path):
    import_file("caf-couverture", shared_file(CAF_DEP), user=SYSTEM)
    path = tmp_path / "txcouv_pe_dep_revise.csv"
    path.write_text("annee;numdep;txcouv_psu_col_dep;txcouv_dep\n2023;53;9.5;78.4\n")
    report = import_file("caf-couverture", path, user=SYSTEM)
    assert any("remplacées" in line for line in report.lines())
    replacement = Replacement.objects.get(new_file=report.file)
    assert replacement.year == 2023
    table = coverage_table(c.DEPARTEMENT, year=2023).set_index(c.CODE)
    assert table.loc["53", c.RATE_GLOBAL] == 78.4  # replaced
    assert table.loc["93", c.RATE_GLOBAL] == 39.4  # untouched


def test_a_broken_file_changes_nothing(tmp_path):
    before = snapshot()
    path = tmp_path / "txcouv_casse.csv"
    path.write_text("annee;numdep;txcouv_dep\n2023;53;78.0\n2023;93;beaucoup\n")
    with pytest.raises(SourceError) as error:
        import_file("caf-couverture", path, user=SYSTEM)
    assert "ligne 3, colonne « txcouv_dep »" in error.value.french()
    assert snapshot() == before


def test_births_give_under_3_children_as_sum_of_three_years():
    import_file(
        "insee-naissances",
        shared_file("insee/naissances_domiciliees_com_2008_2024.csv.gz"),
        user=SYSTEM,
    )
    table = coverage_table(c.COMMUNE, "01", 2023)
    # No places for the Ain: rates stay unknown, but the table keeps no year without rates.
    assert table.empty
    from sdsf.web.apps.datasets.coverage import commune_quantities

    quantities, _ = commune_quantities(["01001"])
    row = quantities[(quantities[c.CODE] == "01001") & (quantities[c.YEAR] == 2023)].iloc[0]
    assert row[c.CHILDREN_UNDER_3] == 12 + 8 + 11  # births 2021, 2022, 2023 of L'Abergement
    assert row["methode_enfants"] == c.CHILDREN_FROM_BIRTHS


def test_cached_tables_follow_new_imports(tmp_path):
    before = coverage_table(c.DEPARTEMENT, year=2023)
    assert before.set_index(c.CODE)[c.RATE_GLOBAL].isna()["53"]  # nothing known yet
    path = tmp_path / "txcouv_pe_dep.csv"
    path.write_text("annee;numdep;txcouv_dep\n2023;53;77.7\n")
    import_file("caf-couverture", path, user=SYSTEM)
    after = coverage_table(c.DEPARTEMENT, year=2023).set_index(c.CODE)
    assert after.loc["53", c.RATE_GLOBAL] == 77.7


def test_children_counts_replace_the_births_estimate(tmp_path):
    from sdsf.web.apps.datasets.coverage import commune_quantities

    path = tmp_path / "enfants.csv"
    path.write_text("annee;code_commune;enfants_moins_3_ans\n2023;44109;9000\n")
    import_file("enfants-moins-3-ans", path, user=SYSTEM)
    quantities, _ = commune_quantities(["44109", "44020"])
    row = quantities.set_index([c.CODE, c.YEAR])
    assert row.loc[("44109", 2023), c.CHILDREN_UNDER_3] == 9000
    assert row.loc[("44109", 2023), "methode_enfants"] == c.CHILDREN_FROM_COUNTS
    assert row.loc[("44020", 2023), "methode_enfants"] == c.CHILDREN_FROM_BIRTHS
    nantes = coverage_table(c.COMMUNE, "44", 2023).set_index(c.CODE).loc["44109"]
    assert nantes[c.CHILDREN_UNDER_3] == 9000
