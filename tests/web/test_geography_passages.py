"""The Insee COG imported as a table of passages: files of its year are carried to the
workspace's geography through it (real files of ../shared/data: COG 2021, Cnaf places)."""

from __future__ import annotations

import gzip

import pytest

from sdsf.core import columns as c
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.models import Observation
from sdsf.web.apps.territories.models import CommuneSplit, FormerCommune
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db


def _published_places(code: str, year: int) -> float:
    with gzip.open(
        shared_file("caf/nbpla_pe_com_2020_2022.csv.gz"), "rt", encoding="utf-8-sig"
    ) as f:
        header = f.readline().strip().split(",")
        for line in f:
            row = dict(zip(header, line.strip().split(","), strict=True))
            if row["num_commune"] == code and row["date_reference"] == str(year):
                return float(row["places_offertes_ensemble"])
    raise AssertionError(code)


def test_cog_passages_carry_a_commune_nouvelle_of_a_commune_nouvelle():
    """Orée d'Anjou (49069, a commune nouvelle of 2015) is part of 49126 today: the Cnaf
    file of 2020-2022 lists 49069 whole, so its places are 49126's, not a partial sum."""
    report = import_file("insee-cog", shared_file("insee/cog_commune_2021.csv.gz"), user=SYSTEM)
    assert any("sans commune déléguée" in s for s in report.file.skipped)
    assert CommuneSplit.objects.filter(old="15141").count() == 5  # Neussargues en Pinatelle
    assert FormerCommune.objects.filter(source="cog_communes").exists()
    import_file(
        "caf-places",
        shared_file("caf/nbpla_pe_com_2020_2022.csv.gz"),
        user=SYSTEM,
        confirmed=True,
    )
    places = Observation.objects.get(
        variable=c.PLACES_TOTAL, level=c.COMMUNE, code="49126", year=2022
    )
    assert places.value == _published_places("49069", 2022)
