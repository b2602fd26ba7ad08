"""The diagnostic on real published files (../shared/data) for Seine-Saint-Denis: INSEE
populations, births and Filosofi, ANCT QPV, Cnaf IRIS. Published figures are the oracles."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.models import QpvCommune
from sdsf.web.apps.diagnostic.services import figures
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db
DEP = "93"
# (source, file, ignore codes unknown to the 2025 geography: Filosofi 2019 predates it)
FILES = [
    ("insee-population", "insee/populations_legales_2023_com.csv.gz", False),
    ("filosofi", "insee/filosofi2019_disp_dep.csv.gz", False),
    ("filosofi", "insee/filosofi2019_disp_metropole.csv.gz", False),
    ("filosofi", "insee/filosofi2019_disp_com.csv.gz", True),
    ("qpv", "qpv/qpv_demographie_2022.csv.gz", False),
    ("caf-iris", "caf/caf_allocataires_iris_2020.csv.gz", False),
]


@pytest.fixture
def real_data():
    reports = {}
    for source, relative, ignore in FILES:
        reports[relative] = import_file(
            source, shared_file(relative), ignore_unknown=ignore, user=SYSTEM
        )
    return reports


def value(indicator: str, level: str = c.DEPARTEMENT, code: str = DEP) -> float | None:
    return figures(level, code, DEP, [catalogue().indicators[indicator]])[0].value


def test_real_figures_of_seine_saint_denis(real_data):
    assert value("population") == 1_704_316  # INSEE, population municipale 2023
    assert value("revenu_median") == 18_070  # Filosofi 2019, Q2 of the département
    assert value("population", c.COMMUNE, "93066") > 100_000  # Saint-Denis
    # QPV: linked to their communes by name, counted where they lie whole.
    assert value("nombre_qpv") >= 60
    assert value("population_qpv") > 400_000
    assert 20 < value("part_population_qpv") < 50
    # Caf IRIS: partial sums over the published IRIS.
    assert value("allocataires_caf") > 100_000
    assert 20 < value("part_familles_monoparentales") < 60


def test_qpv_links_cover_almost_every_quartier(real_data):
    linked = QpvCommune.objects.values("qpv").distinct().count()
    assert linked >= 1_300  # of 1,400 QPV in the file
    report = real_data["qpv/qpv_demographie_2022.csv.gz"]
    assert any("rattachés à leurs communes" in line for line in report.lines())


def test_real_theme_page_renders(real_data, client):
    client.force_login(get_user_model().objects.create_user("caf93@caf.fr", password="x"))
    response = client.get(f"/departements/{DEP}/diagnostic/territoire/?niveau=epci")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1\u202f704\u202f316" in html  # population, French thousands
    assert "18\u202f070" in html  # median income
    summary = " ".join(response.context["summary"])
    assert "Revenu disponible médian" in summary and "France métropolitaine" in summary
