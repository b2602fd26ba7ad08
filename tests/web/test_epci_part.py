"""EPCI straddling the département's border (issue 14, point 6).

The demo simulates Loire-Atlantique only: an EPCI with communes in 35, 49 or 56 has no whole
rate, so its département part is shown, labelled « partie Loire-Atlantique : N communes sur M »;
an imported Cnaf EPCI rate (txcouv_pe_epci) wins and is the EPCI's own rate.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.coverage import commune_quantities, coverage_table
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.diagnostic.services import level_table
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import communes_frame, membership
from tests.conftest import DEMO_DEPARTEMENT
from tests.web.downloads import downloaded

pytestmark = pytest.mark.django_db
DEP = DEMO_DEPARTEMENT
YEAR = 2023
REDON, ANCENIS, CAP_ATLANTIQUE = "243500741", "244400552", "244400610"


@pytest.fixture
def user_client(client):
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    return client


def _straddling() -> dict[str, tuple[int, int]]:
    """EPCI of the département with communes outside: code -> (communes inside, all)."""
    members = membership(c.EPCI, DEP)
    inside = members[c.CODE].isin(set(communes_frame(DEP)[c.CODE]))
    counts = pd.DataFrame({"inside": inside.groupby(members[c.GROUP]).sum()})
    counts["total"] = members.groupby(c.GROUP).size()
    counts = counts[counts["inside"] < counts["total"]]
    return {str(k): (int(r["inside"]), int(r["total"])) for k, r in counts.iterrows()}


def _label(code: str) -> str:
    inside, total = _straddling()[code]
    return f"partie Loire-Atlantique : {inside} communes sur {total}"


def test_straddling_epci_get_the_departement_part_rate():
    straddling = _straddling()
    assert set(straddling) == {REDON, ANCENIS, CAP_ATLANTIQUE}
    table = coverage_table(c.EPCI, DEP, YEAR).set_index(c.CODE)
    members = membership(c.EPCI, DEP)
    quantities, _ = commune_quantities(communes_frame(DEP)[c.CODE].tolist())
    quantities = quantities[quantities[c.YEAR] == YEAR]
    for code, (inside, total) in straddling.items():
        assert 0 < inside < total
        row = table.loc[code]
        assert row[c.METHOD] == c.METHOD_DEPARTEMENT_PART
        assert row[c.PERIMETER] == f"partie Loire-Atlantique : {inside} communes sur {total}"
        mine = quantities[quantities[c.CODE].isin(members.loc[members[c.GROUP] == code, c.CODE])]
        places = mine[list(c.PLACE_VARIABLES)].to_numpy().sum()
        children = mine[c.CHILDREN_UNDER_3].sum()
        assert math.isclose(row[c.RATE_GLOBAL], places / children * 100)
        assert math.isclose(row[c.CHILDREN_UNDER_3], children)
    whole = table.drop(index=list(straddling))
    assert (whole[c.PERIMETER] == "").all()
    assert (whole[c.METHOD] != c.METHOD_DEPARTEMENT_PART).all()
    assert whole[c.RATE_GLOBAL].notna().all()


def test_cli_and_exports_label_the_part():
    runner = CliRunner()
    text = runner.invoke(
        app, ["couverture", "--niveau", "epci", "--departement", DEP, "--annee", str(YEAR)]
    ).output
    line = next(row for row in text.splitlines() if row.startswith(REDON))
    assert _label(REDON) in line
    csv = runner.invoke(
        app, ["couverture", "--niveau", "epci", "--departement", DEP, "--format", "csv"]
    ).output
    assert "Périmètre (vide : tout le territoire)" in csv.splitlines()[0]
    assert _label(CAP_ATLANTIQUE) in csv


def test_departement_page_and_map_mark_the_part(user_client):
    html = user_client.get(f"/departements/{DEP}/?niveau=epci&annee={YEAR}").content.decode()
    for code in (REDON, ANCENIS, CAP_ATLANTIQUE):
        assert f"Taux de la {_label(code)}, pas celui de tout l'EPCI" in html
    assert 'id="taux-partiels"' in html
    geo = user_client.get(f"/departements/{DEP}/carte.geojson?niveau=epci&annee={YEAR}").json()
    props = {f["properties"]["code"]: f["properties"] for f in geo["features"]}
    assert props[ANCENIS]["perimetre"] == _label(ANCENIS)
    assert props["244400404"]["perimetre"] == ""  # Nantes Métropole: whole EPCI


def test_diagnostic_epci_tables_mark_the_part(user_client):
    indicators = catalogue().of_theme("accueil")
    table = level_table(c.EPCI, DEP, indicators, None).set_index(c.CODE)
    for code in (REDON, ANCENIS, CAP_ATLANTIQUE):
        assert table.loc[code, c.PERIMETER] == _label(code)
        assert not math.isnan(table.loc[code, "taux_global"])
    assert (table.drop(index=[REDON, ANCENIS, CAP_ATLANTIQUE])[c.PERIMETER] == "").all()
    url = f"/departements/{DEP}/diagnostic/accueil/"
    html = user_client.get(url + "?niveau=epci").content.decode()
    assert f"Taux de couverture de la {_label(REDON)}" in html
    csv = downloaded(user_client.get(url + "export.csv?niveau=epci")).decode("utf-8")
    assert "Périmètre des taux de couverture" in csv
    assert _label(CAP_ATLANTIQUE) in csv


EPCI_HEADER = (
    "Date référence;Numéro EPCI;Nom EPCI;Taux de couv EAJE PSU;Taux de couv hors EAJE PSU;"
    "Taux de couv préscolarisation;Taux de couv assistante maternelle;"
    "Taux de couv salariée à domicile;Taux de couv global"
)


def test_an_imported_cnaf_epci_rate_wins_as_the_epcis_own_rate(tmp_path, user_client):
    path = tmp_path / "txcouv_pe_epci_2023.csv"
    row = f"{YEAR};{REDON};CA REDON AGGLOMERATION;6.1;0.4;4.2;40.3;0.3;51.3"
    path.write_bytes(("\ufeff" + EPCI_HEADER + "\n" + row + "\n").encode("utf-8"))
    import_file("caf-couverture", path, user=SYSTEM)
    table = coverage_table(c.EPCI, DEP, YEAR).set_index(c.CODE)
    redon = table.loc[REDON]
    assert redon[c.RATE_GLOBAL] == 51.3
    assert redon[c.METHOD] == c.METHOD_PUBLISHED
    assert redon[c.PERIMETER] == ""
    assert math.isnan(redon[c.CHILDREN_UNDER_3])  # the part's children are not the EPCI's
    assert "txcouv_pe_epci_2023.csv" in redon[c.SOURCE]
    assert table.loc[ANCENIS, c.PERIMETER] == _label(ANCENIS)  # still a part without file
    html = user_client.get(f"/departements/{DEP}/?niveau=epci&annee={YEAR}").content.decode()
    assert _label(REDON) not in html
    assert _label(ANCENIS) in html


def test_the_fiche_of_a_straddling_epci_says_its_rate_is_the_part(user_client):
    # the fiche reads the EPCI's main département: 44 for Pays d'Ancenis (35 for Redon)
    assert Territory.objects.get(level=c.EPCI, code=ANCENIS).departement == DEP
    html = user_client.get(f"/territoires/epci/{ANCENIS}/").content.decode()
    assert f"Taux de la {_label(ANCENIS)} seulement" in html
    html = user_client.get("/territoires/epci/244400404/").content.decode()  # Nantes Métropole
    assert "sdsf-perimetre" not in html
