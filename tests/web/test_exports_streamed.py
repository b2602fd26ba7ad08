"""CSV downloads are streamed as they are encoded, with their name and charset, and carry what
the previous encoding wrote; map layers are JSON with the stored geometries as they are."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from sdsf.core import columns as c
from sdsf.web.apps.datasets.coverage import coverage_table
from tests.cli.test_fast_outputs import reference_csv
from tests.conftest import DEMO_DEPARTEMENT as DEP
from tests.web.downloads import downloaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    """The demo's pilot (Caf of the demo département)."""
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    return client


CSV_ROUTES = {
    f"/departements/{DEP}/export.csv?niveau=commune&annee=2023": f"couverture_{DEP}_commune_2023",
    f"/departements/{DEP}/diagnostic/accueil/export.csv?niveau=epci": (
        f"diagnostic_accueil_{DEP}_epci"
    ),
    f"/departements/{DEP}/priorites/export.csv": f"priorites_{DEP}",
    "/territoires/commune/44109/export.csv": "fiche_commune_44109",
}


def test_csv_downloads_are_streamed_with_their_headers(user_client):
    for url, stem in CSV_ROUTES.items():
        response = user_client.get(url)
        assert response.streaming, url
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{stem}.csv"'
        text = downloaded(response).decode("utf-8")
        assert text.startswith("\ufeff") and text.count("\ufeff") == 1, url
        assert text.endswith("\r\n")


def test_coverage_csv_is_the_previous_encoding(user_client):
    response = user_client.get(f"/departements/{DEP}/export.csv?niveau=commune&annee=2023")
    table = coverage_table(c.COMMUNE, DEP, 2023)
    assert len(table) > 200
    assert downloaded(response) == reference_csv(table).encode("utf-8")


def test_map_layer_keeps_geometries_and_french_properties(user_client):
    response = user_client.get(f"/departements/{DEP}/carte.geojson?niveau=commune&annee=2023")
    assert response["Content-Type"] == "application/geo+json"
    geo = json.loads(response.content)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) > 200
    nantes = next(f for f in geo["features"] if f["properties"]["code"] == "44109")
    assert nantes["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert nantes["properties"]["nom"] == "Nantes"
    assert "Taux de couverture global" in nantes["properties"]["taux"]
    assert "\\u00e9" not in response.content.decode("utf-8")  # French as it is, not escaped
