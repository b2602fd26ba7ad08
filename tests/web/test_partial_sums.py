"""A sum over what a producer publishes says how partial it is: the Caf data by IRIS against
the Insee IRIS mesh (real files of ../shared/data: Caf IRIS 2020, IRIS table 2021)."""

from __future__ import annotations

import gzip

import pytest

from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.diagnostic.services import figures
from tests.conftest import DEMO_DEPARTEMENT as DEP
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db

NANTES = "44109"


def _published_iris(code: str) -> int:
    with gzip.open(shared_file("caf/caf_allocataires_iris_2020.csv.gz"), "rt") as handle:
        return sum(1 for line in handle if line.startswith(code))


def _mesh(code: str) -> int:
    path = shared_file("insee/iris_appartenance_2021.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8-sig") as handle:
        return sum(1 for line in handle if line.split(";")[4] == code)


def _allocataires() -> object:
    ind = catalogue().indicators["allocataires_caf"]
    return figures(c.COMMUNE, NANTES, DEP, [ind])[0]


def test_caf_iris_sums_say_how_many_iris_they_cover():
    import_file("insee-iris", shared_file("insee/iris_appartenance_2021.csv.gz"), user=SYSTEM)
    import_file("caf-iris", shared_file("caf/caf_allocataires_iris_2020.csv.gz"), user=SYSTEM)
    figure = _allocataires()
    assert figure.value is not None
    published, mesh = _published_iris(NANTES), _mesh(NANTES)
    assert mesh >= published
    assert figure.completeness == f"partiel : {published} IRIS publiés sur {mesh}"
    # a figure that is not a partial sum says nothing of the kind
    rate = figures(c.COMMUNE, NANTES, DEP, [catalogue().indicators["taux_global"]])[0]
    assert rate.completeness == ""


def test_the_demo_caf_sums_are_partial_against_its_mesh():
    """The simulated Caf publishes the communes of more than 1,000 inhabitants only."""
    figure = figures(c.DEPARTEMENT, DEP, DEP, [catalogue().indicators["allocataires_caf"]])[0]
    assert figure.completeness.startswith("partiel : ")
    published, mesh = (
        int(part.split()[0].replace("\u202f", "")) for part in figure.completeness[10:].split("sur")
    )
    assert 0 < published < mesh


def test_a_straddling_epci_says_why_its_figures_are_unknown():
    """Pays d'Ancenis has communes in Maine-et-Loire, which has no data in the demo: its
    population is unknown for the whole EPCI, and no import of Loire-Atlantique would fill it;
    the DREES publishes by département only."""
    from sdsf.web.apps.territories.models import Territory

    ancenis = Territory.objects.get(level=c.EPCI, name__icontains="Ancenis")
    wanted = [catalogue().indicators[i] for i in ("population", "places_creches_collectives_drees")]
    population, drees = figures(c.EPCI, ancenis.code, DEP, wanted)
    assert population.missing
    outside = Territory.objects.filter(level=c.COMMUNE, epci=ancenis.code).exclude(departement=DEP)
    assert f"{outside.count()} de ses" in population.missing_reason
    assert drees.missing and "départements seulement" in drees.missing_reason


def test_france_is_never_compared_at_a_later_year_than_the_departement():
    """An EPCI whose births are unknown is compared with France at the département's year."""
    from sdsf.web.apps.territories.models import Territory

    ancenis = Territory.objects.get(level=c.EPCI, name__icontains="Ancenis")
    births = catalogue().indicators["naissances"]
    epci = figures(c.EPCI, ancenis.code, DEP, [births])[0]
    dep = figures(c.DEPARTEMENT, DEP, DEP, [births])[0]
    assert epci.missing and dep.year is not None
    assert epci.france_year == dep.france_year and epci.france_year <= dep.year
