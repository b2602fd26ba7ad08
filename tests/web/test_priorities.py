"""Priority territories in the database and the web app.

A test territory set in Mayenne is built from files in the published layouts (Cnaf commune
coverage with the portal's field names, DGCL DGF criteria, DGFiP IRCOM, ANCT QPV); the FRT 2014
rules give the statuses, zones and sentences computed by hand. The demo département walks the
committee's decision: proposal, manual change, validation, immutability, comparison.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from sdsf.parameters.rules import shipped
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.priorities.models import ManualChange, PriorityVersion, ValidatedVersionError
from sdsf.web.apps.priorities.services import (
    add_manual_change,
    compare,
    create_overlay,
    final_rows,
    rule_sets,
    run,
    save_version,
)
from tests.conftest import DEMO_DEPARTEMENT as DEMO
from tests.web.downloads import downloaded

pytestmark = pytest.mark.django_db
# Laval, Château-Gontier-sur-Mayenne, Mayenne, Ahuillé
LAVAL, CHATEAU, MAYENNE, AHUILLE = "53130", "53062", "53147", "53001"


@pytest.fixture
def user_client(client):
    """The demo's pilot: steers the priority map of the demo département (44)."""
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    return client


@pytest.fixture
def mayenne(tmp_path):
    """Four communes of Mayenne with every criterion from a published layout."""
    files = {
        ("caf-couverture", "txcouv_pe_com_2023.csv"): (
            "annee;numcom;nomcom;txcouv_com\n"
            f"2023;{LAVAL};LAVAL;38,2\n2023;{CHATEAU};CHATEAU-GONTIER;40,0\n"
            f"2023;{MAYENNE};MAYENNE;62,0\n2023;{AHUILLE};AHUILLE;30,0\n"
        ),
        ("dgcl-potentiel-financier", "criteres_repartition_2023.csv"): (
            "Informations générales - Code INSEE de la commune;Informations générales - "
            "Population DGF de l'année N;Potentiel fiscal et financier des communes - "
            "Potentiel financier\n"
            f"{LAVAL};50 000;35 600 000\n{CHATEAU};17 000;16 626 000\n"
            f"{MAYENNE};13 000;9 100 000\n"
        ),
        ("dgfip-ircom", "ircom_2022.csv"): (
            "Dép.;Commune;Libellé de la commune;Revenu fiscal de référence par tranche (en "
            "euros);Nombre de foyers fiscaux;Revenu fiscal de référence des foyers fiscaux\n"
            "530;130;Laval;Total;30 000;586 200\n530;062;Château-Gontier;Total;9 000;190 773\n"
            "530;147;Mayenne;Total;7 000;140 000\n530;001;Ahuillé;Total;800;14 400\n"
        ),
        ("qpv", "qpv_demographie_2022.csv"): (
            "CODGEO;LIBGEO;POP_MUN;LIB_COM;ENF_2\nQP053001;Saint-Nicolas;6 500;Laval;300\n"
        ),
    }
    for (source, name), text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_file(source, path, user=SYSTEM)


def test_frt_2014_on_published_layouts_by_hand(mayenne):
    result = run("53", shipped()["frt-2014"]).table.set_index("code")
    laval = result.loc[LAVAL]
    # Laval: 38,2 < 54 ; 35 600 000 / 50 000 = 712 € < 978 € ; 586 200 k€ / 30 000 = 19 540 €
    assert laval["statut"] == "prioritaire" and laval["zone"] == 1  # with a QPV
    assert laval["explication"] == (
        "Prioritaire (zone 1) : taux de couverture 38,2 < 54 ; potentiel financier 712\u00a0€ "
        "< 978\u00a0€ ; revenu moyen 19\u202f540\u00a0€ <= 21\u202f197\u00a0€ ; avec quartier "
        "prioritaire"
    )
    # Château-Gontier: 40 < 54 ; 978 € is not < 978 € -> not priority
    chateau = result.loc[CHATEAU]
    assert chateau["statut"] == "non prioritaire"
    assert "potentiel financier 978\u00a0€ ≥ 978\u00a0€" in chateau["explication"]
    # Mayenne: 62 ≥ 54 -> not priority
    assert result.loc[MAYENNE, "statut"] == "non prioritaire"
    # Ahuillé: coverage and income hold, potentiel financier missing -> non déterminé
    ahuille = result.loc[AHUILLE]
    assert ahuille["statut"] == "non déterminé"
    assert "potentiel financier inconnu" in ahuille["explication"]
    assert result.loc[LAVAL, "rang"] == 1


def test_pages_explain_and_list_undetermined(mayenne, user_client):
    html = user_client.get("/departements/53/priorites/").content.decode()
    assert "Prioritaire (zone 1) : taux de couverture 38,2 &lt; 54" in html
    assert 'id="non-determines"' in html and "Ahuillé" in html
    assert 'id="sensibilite"' in html
    fiche = user_client.get(f"/territoires/commune/{LAVAL}/").content.decode()
    assert "Territoire prioritaire" in fiche and "taux de couverture 38,2" in fiche


def test_demo_committee_decision(user_client):
    # the demo's committee validated version 1 already: this proposal is the next one
    response = user_client.post(f"/departements/{DEMO}/priorites/", {"regles": "frt-2014"})
    version = PriorityVersion.objects.filter(departement=DEMO).order_by("-number").first()
    n = version.number
    assert response.status_code == 302 and response["Location"].endswith(f"/versions/{n}/")
    outside = next(r for r in version.result if r["statut"] != "prioritaire")
    response = user_client.post(
        f"/departements/{DEMO}/priorites/versions/{n}/",
        {
            "territoire": outside["code"],
            "modification": "ajout",
            "justification": "Zone d'activité nouvelle, 400 emplois en 2025.",
        },
    )
    assert ManualChange.objects.filter(version=version, code=outside["code"]).exists()
    page = user_client.get(f"/departements/{DEMO}/priorites/versions/{n}/").content.decode()
    assert "Zone d&#x27;activité nouvelle" in page and "ajouté à la main" in page
    geo = user_client.get(f"/departements/{DEMO}/priorites/carte?version={n}").json()
    hatched = [f for f in geo["features"] if f["properties"].get("hachure")]
    assert [f["properties"]["code"] for f in hatched] == [outside["code"]]
    user_client.post(
        f"/departements/{DEMO}/priorites/versions/{n}/",
        {
            "action": "valider",
            "date": "2026-06-15",
            "seance": "Comité du 15 juin 2026",
            "decision": "Le comité adopte la carte des territoires prioritaires.",
        },
    )
    version.refresh_from_db()
    assert version.validated and version.validated_on == dt.date(2026, 6, 15)
    # Immutable: services, model and pages refuse any change.
    with pytest.raises(ValidatedVersionError):
        add_manual_change(version, outside["code"], "retrait", "essai", user=SYSTEM)
    with pytest.raises(ValidatedVersionError):
        version.save()
    user_client.post(
        f"/departements/{DEMO}/priorites/versions/{n}/",
        {"territoire": outside["code"], "modification": "retrait", "justification": "essai"},
    )
    assert ManualChange.objects.filter(version=version).count() == 1
    page = user_client.get(f"/departements/{DEMO}/priorites/versions/{n}/").content.decode()
    assert 'id="form-modification"' not in page and "ne peut plus être modifiée" in page


def test_versions_compare_who_entered_and_left():
    first = save_version(DEMO, "frt-2014", user=SYSTEM)
    removed = next(r for r in first.result if r["statut"] == "prioritaire")
    add_manual_change(
        first, removed["code"], "retrait", "Déjà couvert par un projet en cours.", user=SYSTEM
    )
    overlay = create_overlay(
        DEMO,
        "frt-2014",
        "FRT 44 couverture 60",
        {"criteres": {"couverture": {"seuil": {"valeur": 60}}}},
        "Taux national 2023 : 60,9.",
        user=SYSTEM,
    )
    second = save_version(DEMO, overlay.code, user=SYSTEM)
    diff = compare(first, second)
    assert removed["code"] in {r["code"] for r in diff["entres"]}
    assert len(diff["entres"]) >= 1
    finals = {r["code"]: r["final"] for r in final_rows(first)}
    assert finals[removed["code"]] is False


def test_overlay_is_checked_and_needs_a_reason():
    from sdsf.parameters import ParameterError

    with pytest.raises(ParameterError, match="motif"):
        create_overlay(DEMO, "frt-2014", "x", {}, " ", user=SYSTEM)
    with pytest.raises(ParameterError, match="inconnu du catalogue"):
        create_overlay(
            DEMO,
            "frt-2014",
            "x",
            {"criteres": {"couverture": {"indicateur": "taux_magique"}}},
            "essai",
            user=SYSTEM,
        )
    create_overlay(
        DEMO, "frt-2014", "Sans revenu", {"criteres": {"revenu": None}}, "Pas d'IRCOM.", user=SYSTEM
    )
    assert any(r.title == "Sans revenu" for r in rule_sets(DEMO).values())


def test_exports_and_png(user_client):
    xlsx = user_client.get(f"/departements/{DEMO}/priorites/export.xlsx?regles=bonus-territoire")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A4"].value == "Code" and sheet.max_row >= 4 + 14
    csv = downloaded(user_client.get(f"/departements/{DEMO}/priorites/export.csv"))
    csv = csv.decode("utf-8-sig")
    assert "Explication" in csv.splitlines()[0]
    png = user_client.get(f"/departements/{DEMO}/priorites/carte?format=png")
    assert png.content[:4] == b"\x89PNG"
    geo = json.loads(user_client.get(f"/departements/{DEMO}/priorites/carte").content)
    assert len(geo["features"]) > 200


def test_adapt_rules_in_the_web_app(user_client):
    url = f"/departements/{DEMO}/priorites/adapter/?regles=frt-2014"
    assert user_client.get(url).status_code == 200
    refused = user_client.post(url, {"nom": "FRT 44", "seuil_couverture": "60", "motif": ""})
    assert refused.status_code == 302 and "adapter" in refused["Location"]
    response = user_client.post(
        url,
        {
            "nom": "FRT 44",
            "seuil_couverture": "60,9",
            "retirer_revenu": "on",
            "motif": "Seuil porté au taux national 2023 ; pas de fichier IRCOM récent.",
        },
    )
    assert response.status_code == 302
    code = response["Location"].split("regles=")[1]
    page = user_client.get(f"/departements/{DEMO}/priorites/?regles={code}")
    assert page.status_code == 200
    rules = page.context["rules"]
    assert rules.title == "FRT 44" and [c.id for c in rules.criteria] == [
        "couverture",
        "potentiel_financier",
    ]
    assert "&lt; 60,9" in page.content.decode()
