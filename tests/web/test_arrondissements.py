"""Paris, Lyon and Marseille both ways: the Cnaf publishes them only by arrondissement, shown
at the arrondissement level; their counts add up to the commune (real files of ../shared/data)."""

from __future__ import annotations

import pytest

from sdsf.core import columns as c
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.coverage import coverage_table
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.models import Observation
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db


def test_cnaf_arrondissement_rates_at_the_arrondissement_level(client, django_user_model):
    for name in ("txcouv_pe_com_2020_2022", "txcouv_pe_dep_2022_2023"):
        import_file("caf-couverture", shared_file(f"caf/{name}.csv.gz"), user=SYSTEM)
    import_file(
        "insee-naissances",
        shared_file("insee/naissances_domiciliees_arm_2008_2024.csv.gz"),
        user=SYSTEM,
    )
    table = coverage_table(c.ARRONDISSEMENT, "75", 2022).set_index(c.CODE)
    assert len(table) == 20
    assert table.loc["75115", c.RATE_GLOBAL] == 75.1  # Cnaf txcouv_pe_com, Paris 15e, 2022
    assert table.loc["75115", c.METHOD] == c.METHOD_PUBLISHED
    assert table[c.CHILDREN_UNDER_3].notna().all()  # Insee births by arrondissement
    # the rates stay at the arrondissement level: never added into Paris
    assert not Observation.objects.filter(
        variable=c.RATE_GLOBAL, level=c.COMMUNE, code="75056"
    ).exists()
    user = django_user_model.objects.create_user("lecteur-arm", "arm@sdsf.local", "x")
    client.force_login(user)
    paris = client.get("/departements/75/?niveau=arrondissement&annee=2022").content.decode()
    assert "Arrondissements municipaux" in paris and "Paris 15e Arrondissement" in paris
    assert "Arrondissements municipaux" not in client.get("/departements/44/").content.decode()


def test_paris_places_add_up_from_its_arrondissements():
    import_file(
        "caf-places",
        shared_file("caf/nbpla_pe_com_2020_2022.csv.gz"),
        user=SYSTEM,
        confirmed=True,
    )
    arms = Observation.objects.filter(
        variable=c.PLACES_TOTAL, level=c.ARRONDISSEMENT, code__startswith="751", year=2022
    )
    paris = Observation.objects.get(
        variable=c.PLACES_TOTAL, level=c.COMMUNE, code="75056", year=2022
    )
    assert arms.count() == 20
    assert paris.value == sum(arms.values_list("value", flat=True))
