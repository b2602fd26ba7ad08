"""DREES figures per département beside the Cnaf ones: after importing the real Tab28
(places in crèches collectives), Seine-Saint-Denis shows 14,676 places in 2023 (SOURCES.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.diagnostic.services import figures
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db
DEP = "93"


def test_drees_places_show_for_the_departement_in_the_diagnostic(client):
    report = import_file(
        "drees-eaje", shared_file("drees/drees_eaje_Tab28_dep.csv.gz"), user=SYSTEM
    )
    assert any("6AE" in line for line in report.lines())  # aggregates set aside, reported
    indicator = catalogue().indicators["places_creches_collectives_drees"]
    assert indicator in catalogue().of_theme("accueil")
    [figure] = figures(c.DEPARTEMENT, DEP, DEP, [indicator])
    assert (figure.value, figure.year) == (14_676, 2023)
    [paris] = figures(c.DEPARTEMENT, "75", "75", [indicator])
    assert paris.value == 40_056
    client.force_login(get_user_model().objects.create_user("caf93@caf.fr", password="x"))
    response = client.get(f"/departements/{DEP}/diagnostic/accueil/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Places en crèches collectives (DREES)" in html
    assert "14\u202f676" in html
    assert "DREES, enquête Aide sociale" in html
