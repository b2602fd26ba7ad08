"""DREES tables by département (enquête Aide sociale): the real files of ../shared/data/drees.
Published checks (SOURCES.md): Tab28 Paris 2023 = 40,056 places, Seine-Saint-Denis 14,676."""

from __future__ import annotations

import gzip
import shutil

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.drees import TABLES, table_of
from sdsf.sources.errors import SourceError
from sdsf.sources.recognition import recognise, source_of
from sdsf.sources.registry import read_source
from tests.conftest import shared_file

TAB28 = "drees/drees_eaje_Tab28_dep.csv.gz"
HEADER = "Code région;Code département;Département;2022;2023"


def value(parsed, code, year):
    obs = parsed.observations
    row = obs[(obs[c.CODE] == code) & (obs[c.YEAR] == year)]
    assert len(row) == 1, (code, year)
    return row[c.VALUE].iloc[0]


def test_places_in_creches_collectives_published_checks(reference):
    parsed = read_source("drees-eaje", shared_file(TAB28), reference)
    assert parsed.producer == "DREES" and parsed.dataset == "drees_eaje_tab28_dep"
    assert parsed.levels == [c.DEPARTEMENT]
    assert parsed.years == list(range(2016, 2024))
    assert set(parsed.observations[c.VARIABLE]) == {c.DREES_PLACES_CRECHES_COLLECTIVES}
    # « 40 056 » with a narrow no-break space (U+202F) between thousands
    assert value(parsed, "75", 2023) == 40_056
    assert value(parsed, "93", 2023) == 14_676
    assert value(parsed, "01", 2016) == 2_644
    assert parsed.file_edition == "2023"


def test_aggregates_are_set_aside_and_reported(reference):
    parsed = read_source("drees-eaje", shared_file(TAB28), reference)
    codes = set(parsed.observations[c.CODE])
    assert {"2A", "2B", "67", "68", "69"} <= codes
    assert not codes & {"20", "6AE", "69D", "69M"}
    assert len(codes) == 100  # 101 départements, no Mayotte
    assert "976" not in codes
    # the Rhône as a whole (69 = 69D + 69M), as the reference geography codes it
    assert value(parsed, "69", 2023) == 17_498 == 3_153 + 14_345
    notes = " ".join(parsed.skipped)
    for code in ("20 Collectivité de Corse", "6AE", "69D", "69M"):
        assert code in notes
    assert "2A, 2B : valeur inconnue en 2018 à 2023" in notes


def test_an_empty_cell_is_unknown_never_zero(reference):
    parsed = read_source("drees-eaje", shared_file(TAB28), reference)
    assert value(parsed, "2A", 2017) == 823
    assert pd.isna(value(parsed, "2A", 2018))
    assert pd.isna(value(parsed, "2B", 2023))
    assert (parsed.observations[c.VALUE] == 0).sum() == 0


@pytest.mark.parametrize("number", sorted(TABLES))
def test_every_table_is_read_with_its_variable(reference, number):
    relative = f"drees/drees_eaje_Tab{number}_dep.csv.gz"
    parsed = read_source("drees-eaje", shared_file(relative), reference)
    assert set(parsed.observations[c.VARIABLE]) == {TABLES[number].variable}
    assert parsed.observations[c.CODE].nunique() == 100
    assert parsed.years[-1] == 2023


def test_childminder_approvals(reference):
    parsed = read_source("drees-eaje", shared_file("drees/drees_eaje_Tab33_dep.csv.gz"), reference)
    assert parsed.years == list(range(2010, 2024))
    assert value(parsed, "01", 2010) == 5_707
    assert value(parsed, "02", 2023) == 3_467


def test_a_file_whose_table_cannot_be_told_is_refused(reference, tmp_path):
    path = tmp_path / "drees_eaje_dep.csv.gz"
    shutil.copy(shared_file(TAB28), path)
    with pytest.raises(SourceError, match="tableau DREES indéterminé") as error:
        read_source("drees-eaje", path, reference)
    assert "Tab28 (places en crèches collectives)" in error.value.french()
    assert "Rien n'a été importé" in error.value.french()
    assert table_of("Tab99.csv") is None and table_of("tableau_28.csv") is TABLES[28]


def test_a_bad_number_names_its_row_and_column(reference, tmp_path):
    path = tmp_path / "Tab28.csv"
    path.write_text(f"{HEADER}\r\n11;75;Paris;40\u202f283;beaucoup\r\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        read_source("drees-eaje", path, reference)
    assert (error.value.row, error.value.column) == (2, "2023")


def test_recognised_by_its_header_and_its_name(tmp_path):
    with gzip.open(shared_file(TAB28), "rt", encoding="utf-8") as file:
        columns = file.readline().strip().split(";")
    assert source_of(columns) == "drees-eaje"
    assert source_of(["Code région", "Code département", "Département"]) is None
    shutil.copy(shared_file(TAB28), tmp_path / "drees_eaje_Tab28_dep.csv.gz")
    shutil.copy(shared_file(TAB28), tmp_path / "places_creches.csv.gz")
    found = {r.path.name: r for r in recognise([tmp_path])}
    assert found["drees_eaje_Tab28_dep.csv.gz"].source == "drees-eaje"
    untold = found["places_creches.csv.gz"]
    assert untold.source is None and "son nom ne dit pas lequel" in untold.reason
