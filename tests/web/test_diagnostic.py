"""The diagnostic on the demo département: theme pages, fiche, maps, exports, summaries."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.coverage import coverage_table
from sdsf.web.apps.diagnostic.services import figures, indicator_table, level_table
from sdsf.web.apps.territories.services import create_custom_territory
from tests.conftest import DEMO_DEPARTEMENT as DEP
from tests.web.downloads import downloaded

pytestmark = pytest.mark.django_db
NANTES = "44109"


@pytest.fixture
def user_client(client):
    client.force_login(get_user_model().objects.create_user("analyste@caf.fr", password="x"))
    return client


@pytest.mark.parametrize("theme", list(catalogue().themes))
@pytest.mark.parametrize("level", [c.COMMUNE, c.EPCI])
def test_every_theme_page_renders_with_figures_map_and_summary(user_client, theme, level):
    response = user_client.get(f"/departements/{DEP}/diagnostic/{theme}/?niveau={level}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chiffres-cles"' in html and 'id="synthese"' in html
    assert 'id="carte"' in html and 'id="legende"' in html
    assert "Données simulées" in html
    assert len(response.context["summary"]) >= 2  # figures known for every theme of the demo


def test_missing_data_says_which_import_fills_it(user_client):
    # Mayenne has no data in the test database: every row says what to import, no zero.
    for theme in catalogue().themes:
        response = user_client.get(f"/departements/53/diagnostic/{theme}/")
        assert response.status_code == 200
        assert all(f["missing"] for f in response.context["figures"])
        assert response.context["summary"] == []
    html = user_client.get("/departements/53/diagnostic/territoire/").content.decode()
    assert "importer « filosofi »" in html
    assert "importer « caf-iris »" in html
    assert "importer « qpv »" in html
    assert "Aucun indicateur de ce thème" in html


def test_demo_fills_every_theme_including_qpv_and_income():
    dep = figures(c.DEPARTEMENT, DEP, DEP, list(catalogue().indicators.values()))
    missing = [f.indicator.id for f in dep if f.missing]
    assert missing == [], missing
    qpv = {f.indicator.id: f.value for f in dep}
    assert qpv["nombre_qpv"] == 5  # five simulated quartiers, one straddling two towns
    nantes = figures(c.COMMUNE, NANTES, DEP, [catalogue().indicators["nombre_qpv"]])[0]
    assert nantes.value is None  # the straddling quartier: split between towns unknown


def test_diagnostic_coverage_equals_the_coverage_engine():
    rate = coverage_table(c.DEPARTEMENT, DEP, 2023).iloc[0][c.RATE_GLOBAL]
    fig = figures(c.DEPARTEMENT, DEP, DEP, [catalogue().indicators["taux_global"]], 2023)[0]
    assert fig.value == pytest.approx(rate)
    assert fig.france == 60.9 and fig.france_scope == "France hors Mayotte"


def test_sums_over_communes_equal_the_departement():
    table = indicator_table(c.COMMUNE, DEP)
    dep = indicator_table(c.DEPARTEMENT, DEP)
    for indicator in ("population", "enfants_moins_3_ans", "services_parentalite", "nombre_eaje"):
        communes = table[(table["indicateur"] == indicator) & (table[c.YEAR] == 2023)]
        total = dep[(dep["indicateur"] == indicator) & (dep[c.YEAR] == 2023)][c.VALUE].iloc[0]
        assert communes[c.VALUE].sum() == pytest.approx(total), indicator


def test_communes_without_collective_place_are_counted():
    table = level_table(c.COMMUNE, DEP, [catalogue().indicators["nombre_eaje"]], 2023)
    dep = figures(
        c.DEPARTEMENT, DEP, DEP, [catalogue().indicators["communes_sans_place_collective"]], 2023
    )[0]
    assert dep.value == (table["nombre_eaje"] == 0).sum() > 20


def test_fiche_of_a_commune_is_complete(user_client):
    response = user_client.get(f"/territoires/commune/{NANTES}/")
    assert response.status_code == 200
    html = response.content.decode()
    for theme in catalogue().themes.values():
        assert theme.title in html
    assert "1 sur 207" in html  # Nantes has the most inhabitants of the département


def test_fiche_of_a_custom_territory_and_an_epci(user_client):
    territory = create_custom_territory(
        "Bassin nord", DEP, ["44109", "44020", "44035"], user=SYSTEM
    )
    response = user_client.get(f"/territoires/territoire/{territory.code}/")
    assert response.status_code == 200
    assert "Bassin nord" in response.content.decode()
    epci = level_table(c.EPCI, DEP, [], None)[c.CODE].iloc[0]
    assert user_client.get(f"/territoires/epci/{epci}/").status_code == 200
    assert user_client.get("/territoires/commune/99999/").status_code == 404


def test_fiche_exports(user_client):
    response = user_client.get(f"/territoires/commune/{NANTES}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == len(catalogue().themes)
    sheet = book[book.sheetnames[0]]
    assert sheet["A4"].value == "Indicateur"
    csv = downloaded(user_client.get(f"/territoires/commune/{NANTES}/export.csv"))
    csv = csv.decode("utf-8-sig")
    assert "Population municipale;habitants;2023;" in csv


def test_theme_exports_csv_and_xlsx(user_client):
    csv = user_client.get(f"/departements/{DEP}/diagnostic/accueil/export.csv?niveau=epci")
    text = downloaded(csv).decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:2] == ["Code", "Libellé"] and "Taux de couverture global" in header[2]
    assert "Sources : " in text and "DONNÉES SIMULÉES" in text
    xlsx = user_client.get(f"/departements/{DEP}/diagnostic/emploi/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A4"].value == "Code" and sheet.max_row > 200


def test_maps_geojson_png_svg(user_client):
    url = (
        f"/departements/{DEP}/diagnostic/parentalite/carte?niveau=commune&indicateur=services_laep"
    )
    data = user_client.get(url).json()
    assert len(data["features"]) > 200
    assert "Lieux d'accueil enfants-parents (LAEP)" in data["features"][0]["properties"]["taux"]
    png = user_client.get(url + "&format=png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and len(png.content) > 50_000
    svg = user_client.get(url + "&format=svg").content.decode()
    assert "<svg" in svg and "Source" in svg


def test_quantile_and_national_classes(user_client):
    page = user_client.get(f"/departements/{DEP}/diagnostic/accueil/?classes=national")
    assert page.context["mode"] == "national"
    assert any("du national" in label for _, label in page.context["legend"])
    page = user_client.get(f"/departements/{DEP}/diagnostic/accueil/?classes=quantiles")
    assert page.context["mode"] == "quantiles"
    assert page.context["legend"][-1][1] == "non connu"


def test_summary_is_deterministic_and_traceable(user_client):
    url = f"/departements/{DEP}/diagnostic/accueil/?niveau=epci&territoire="
    epci = level_table(c.EPCI, DEP, [], None)[c.CODE].iloc[0]
    first = user_client.get(url + epci).context["summary"]
    second = user_client.get(url + epci).context["summary"]
    assert first == second
    rows = {r["label"]: r for r in user_client.get(url + epci).context["figures"]}
    sentence = next(s for s in first if s.startswith("Taux de couverture global"))
    assert rows["Taux de couverture global"]["value"] in sentence  # same rounding as the table
    assert rows["Taux de couverture global"]["departement"] in sentence


def test_inequality_and_eaje_below_target_are_shown(user_client):
    html = user_client.get(f"/departements/{DEP}/diagnostic/accueil/").content.decode()
    assert "Inégalités de couverture" in html and "Gini" in html
    page = user_client.get(f"/departements/{DEP}/diagnostic/vulnerabilite/")
    below = page.context["below_target"]
    assert below["year"] == 2023 and below["target"] == 10
    assert 0 < len(below["rows"]) < below["declared"]
    assert all(r["share"] < 10 for r in below["rows"])


def test_unknown_theme_or_departement_is_404(user_client):
    assert user_client.get(f"/departements/{DEP}/diagnostic/meteo/").status_code == 404
    assert user_client.get("/departements/00/diagnostic/accueil/").status_code == 404


def test_a_departement_layer_stays_under_one_megabyte(user_client):
    # Pas-de-Calais has the most communes (890): its commune layer is the heaviest.
    response = user_client.get("/departements/62/diagnostic/territoire/carte?niveau=commune")
    assert response.status_code == 200
    assert len(response.json()["features"]) > 850
    assert len(response.content) < 1_000_000
