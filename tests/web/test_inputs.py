"""No input breaks a page: values out of range or badly formed, typed in a form of the schéma
space or of the priorities, or sent to a service by the command line, are refused with a French
message and change nothing; odd values already stored (a negative or decreasing target, a huge
value, a non-finite float, an empty or very long text) still show."""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from sdsf.reports.charts import progress_svg
from sdsf.web.apps.accounts.models import Organisation
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.actionplan import services as plan
from sdsf.web.apps.actionplan.models import Action, ActionIndicator, Funding, IndicatorValue
from sdsf.web.apps.priorities.models import PriorityVersion, RuleOverlay
from sdsf.web.apps.priorities.services import save_version
from sdsf.web.apps.schemes import services as gov
from sdsf.web.apps.schemes.models import Decision, Meeting
from sdsf.web.apps.schemes.services import SchemeError
from tests.conftest import DEMO_DEPARTEMENT as DEP
from tests.web.stored import fingerprint

pytestmark = pytest.mark.django_db

S = f"/departements/{DEP}/schema"


@pytest.fixture
def pilot(client):
    """The demo's pilot: steers the schéma and the priority map of the demo département."""
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    return client


def _action() -> Action:
    return Action.objects.filter(scheme=gov.current_scheme(DEP)).order_by("number").first()


def _page(response) -> str:
    assert response.status_code != 500
    return response.content.decode()


def _refused(client, url: str, data: dict[str, object], *expected: str) -> str:
    """Post, follow, and check: not a 500, the French messages shown, nothing stored."""
    before = fingerprint()
    response = client.post(url, data, follow=True)
    html = _page(response)
    assert response.status_code == 200, response.status_code
    for text in expected:
        assert text in html, (text, _alerts(html))
    assert fingerprint() == before, "un refus a modifié les données"
    return html


def _alerts(html: str) -> str:
    import re

    found = re.findall(r'class="fr-(?:error-text|alert[^"]*)"[^>]*>\s*(?:<p>)?(.*?)<', html)
    return " | ".join(found)[:800]


# --- an action indicator with a negative target -------------------------------------------


def test_a_negative_target_shows_on_the_action_page_and_the_dashboard(pilot):
    action = _action()
    url = f"{S}/actions/{action.pk}/"
    response = pilot.post(
        url,
        {"op": "indicateur", "ind-label": "Écart au taux cible", "ind-targets": "2027: -5"},
    )
    assert response.status_code == 302, _alerts(response.content.decode())
    indicator = action.indicators.get(label="Écart au taux cible")
    assert indicator.targets == {"2027": -5.0}
    html = _page(pilot.get(url))
    assert "Écart au taux cible" in html and "cible 2027 : -5,0" in html
    assert "<svg" in html
    assert _page(pilot.get(f"{S}/tableau-de-bord/")).count("Écart au taux cible") >= 1


def test_a_decreasing_target_is_met_from_below_and_drawn(pilot):
    action = _action()
    url = f"{S}/actions/{action.pk}/"
    response = pilot.post(
        url,
        {
            "op": "indicateur",
            "ind-label": "Délai d'attente (jours)",
            "ind-baseline": "90",
            "ind-baseline_year": "2024",
            "ind-targets": "2025: 60, 2027: 40",
            # higher_is_better unticked: lower is better
        },
    )
    assert response.status_code == 302, _alerts(response.content.decode())
    indicator = action.indicators.get(label="Délai d'attente (jours)")
    assert indicator.higher_is_better is False
    response = pilot.post(
        url,
        {
            "op": "valeur",
            "indicateur": indicator.pk,
            "valeur-year": "2025",
            "valeur-value": "55",
            "valeur-source": "bilan",
        },
    )
    assert response.status_code == 302, _alerts(response.content.decode())
    html = _page(pilot.get(url))
    start = html.index("Délai d&#x27;attente (jours)")
    block = html[start : html.index("</svg>", start)]
    assert "cible 2025 atteinte" in block
    assert "<circle" in block and "<path" in block  # the value and the targets are drawn
    assert _page(pilot.get(f"{S}/tableau-de-bord/")).count("cible 2025 atteinte") >= 1


def test_odd_stored_values_do_not_break_the_pages(pilot):
    """Values stored by an older version or by hand: negative, huge, non-finite, empty or
    very long texts, control characters, a target keyed by something that is not a year."""
    action = _action()
    Action.objects.filter(pk=action.pk).update(title="\x1b[31m", objective="x" * 20_000)
    odd = ActionIndicator.objects.create(
        action=action,
        label="",
        baseline=math.inf,
        baseline_year=2024,
        targets={"2026": -1e300, "2027": 1e300, "année": 5},
    )
    IndicatorValue.objects.create(
        indicator=odd, year=2025, value=-math.inf, source="", entered_on=dt.date(2025, 1, 1)
    )
    IndicatorValue.objects.create(
        indicator=odd, year=2026, value=1e308, source="x" * 300, entered_on=dt.date(2026, 1, 1)
    )
    flat = ActionIndicator.objects.create(
        action=action, label="Plat\x0b", unit="\x07", targets={"2026": -5}
    )
    IndicatorValue.objects.create(
        indicator=flat, year=2026, value=-5, source="s", entered_on=dt.date(2026, 1, 1)
    )
    if connection.vendor == "postgresql":  # SQLite keeps no NaN (it stores NULL)
        IndicatorValue.objects.create(
            indicator=flat, year=2027, value=math.nan, source="s", entered_on=dt.date(2027, 1, 1)
        )
        ActionIndicator.objects.filter(pk=flat.pk).update(baseline=math.nan)
    assert pilot.get(f"{S}/actions/{action.pk}/").status_code == 200
    assert pilot.get(f"{S}/tableau-de-bord/").status_code == 200
    assert pilot.get(f"{S}/plan/").status_code == 200
    response = pilot.get(f"{S}/bilan-2026.xlsx")
    assert response.status_code == 200
    openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize(
    ("values", "targets"),
    [
        ([(2026, -5.0)], [(2027, -5.0)]),  # all equal and negative
        ([(2026, 3.0)], []),  # a single point
        ([], [(2026, 0.0)]),  # zero alone
        ([(2025, -1.0), (2026, -7.0)], [(2027, -9.0)]),  # all negative
        ([(2025, math.nan), (2026, math.inf), (2027, 4.0)], [(2028, -math.inf)]),
        ([(2025, math.nan)], [(2026, math.inf)]),  # nothing finite
        ([(2025, 1e308), (2026, -1e308)], []),
    ],
)
def test_the_chart_draws_any_values(values, targets):
    svg = progress_svg(values, targets, "Indicateur")
    assert "nan" not in svg.lower() and "inf" not in svg.lower()
    finite = [v for _, v in values if math.isfinite(v)]
    assert svg.count("<circle") == len(finite)


def test_the_chart_draws_the_values_between_its_bounds():
    svg = progress_svg([(2025, -1.0), (2026, -7.0)], [(2027, -9.0)], "Écart")
    ys = [float(part.split('"')[0]) for part in svg.split(' cy="')[1:]]
    assert all(10 <= y <= 98 for y in ys)
    assert ys[0] < ys[1]  # -1 is drawn above -7


# --- funding over the column's digits ------------------------------------------------------


def test_funding_beyond_the_column_is_refused_in_french(pilot):
    action = Action.objects.filter(scheme=gov.current_scheme(DEP), pilot__kind="caf").first()
    funder = Organisation.objects.filter(departement=DEP).first()
    url = f"{S}/actions/{action.pk}/"
    for amount, message in [
        ("10 000 000 000", "9 999 999 999,99"),
        ("-5", "négatif"),
        ("NaN", "illisible"),
        ("1,005", "centime"),
    ]:
        data = {"op": "financement", "fin-funder": funder.pk, "fin-year": "2027"}
        _refused(pilot, url, data | {"fin-amount": amount}, "Rien n&#x27;a été enregistré", message)
    with pytest.raises(SchemeError, match="9 999 999 999,99"):
        plan.add_funding(SYSTEM, action, funder, 2027, Decimal("10000000000"))
    with pytest.raises(SchemeError, match="année"):
        plan.add_funding(SYSTEM, action, funder, 99999, "1000")
    assert not Funding.objects.filter(amount__gte=Decimal("10000000000")).exists()
    response = pilot.post(
        url,
        {
            "op": "financement",
            "fin-funder": funder.pk,
            "fin-year": "2027",
            "fin-amount": "9 999 999 999,99",
        },
    )
    assert response.status_code == 302
    assert Funding.objects.filter(action=action, amount=Decimal("9999999999.99")).exists()


# --- going to a département by its code ----------------------------------------------------


@pytest.mark.parametrize("code", ["a/b", "../44", "999", "<b>", "4" * 500])
def test_going_to_an_unknown_departement_says_so(pilot, code):
    response = pilot.get("/departements/aller/", {"code": code}, follow=True)
    html = _page(response)
    assert response.status_code == 200
    assert "Département inconnu" in html
    assert response.redirect_chain[-1][0] == "/departements/"


def test_going_to_a_departement_by_its_code(pilot):
    response = pilot.get("/departements/aller/", {"code": " 2a "})
    assert response.status_code == 302 and response["Location"] == "/departements/2A/"


# --- an indicator's years and targets ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ind-baseline_year", "99999999999", "Année de départ"),
        ("ind-baseline_year", "-5", "Année de départ"),
        ("ind-baseline", "1e999", "Valeur de départ"),
        ("ind-targets", "2027: inf", "illisible"),
        ("ind-targets", "2027: nan", "illisible"),
        ("ind-targets", "99999: 5", "année"),
        ("ind-targets", "-5: 5", "année"),
        ("ind-targets", "1800: 5", "année"),
        ("ind-targets", "2027: 1e999", "illisible"),
        ("ind-label", "x" * 301, "Indicateur"),
        ("ind-label", "Places\x1b[0m", "Caractère de contrôle"),
        ("ind-unit", "\x00", "Unité"),
    ],
)
def test_indicator_out_of_range_is_refused_in_french(pilot, field, value, message):
    action = _action()
    data = {"op": "indicateur", "ind-label": "Indicateur neuf", "ind-targets": "2027: 4"}
    _refused(
        pilot,
        f"{S}/actions/{action.pk}/",
        data | {field: value},
        "Rien n&#x27;a été enregistré",
        message,
    )


def test_the_indicator_service_checks_the_same_ranges():
    action = _action()
    before = fingerprint()
    for fields, message in [
        ({"baseline_year": 99999999999}, "année"),
        ({"baseline_year": -5}, "année"),
        ({"baseline": math.nan}, "nombre"),
        ({"targets": {"2027": math.inf}}, "nombre"),
        ({"targets": {"99999": 5}}, "année"),
        ({"targets": {"abc": 5}}, "année"),
        ({"label": "x" * 301}, "300"),
        ({"label": "Places\x1b"}, "contrôle"),
    ]:
        with pytest.raises(SchemeError, match=message):
            plan.add_indicator(SYSTEM, action, **({"label": "Indicateur"} | fields))
    indicator = action.indicators.filter(source_indicator="").first()
    for year, value in [(99999, 1.0), (2026, math.inf), (2026, math.nan)]:
        with pytest.raises(SchemeError):
            plan.enter_value(SYSTEM, indicator, year, value, "bilan")
    assert fingerprint() == before


# --- an adapted threshold --------------------------------------------------------------------


@pytest.mark.parametrize("threshold", ["nan", "1e999", "-inf", "abc", "1" * 400])
def test_adapted_threshold_must_be_a_finite_number(pilot, threshold):
    url = f"/departements/{DEP}/priorites/adapter/?regles=frt-2014"
    html = _page(pilot.get(url))
    assert 'name="seuil_potentiel_financier"' in html
    _refused(
        pilot,
        url,
        {
            "regles": "frt-2014",
            "nom": "Règles adaptées",
            "seuil_potentiel_financier": threshold,
            "motif": "Un motif",
        },
        "Seuil",
    )
    assert not RuleOverlay.objects.exists()


def test_the_overlay_service_refuses_a_non_finite_threshold():
    from sdsf.parameters import ParameterError
    from sdsf.web.apps.priorities.services import create_overlay

    for value in (math.nan, math.inf):
        with pytest.raises(ParameterError, match="nombre"):
            create_overlay(
                DEP,
                "frt-2014",
                "Règles",
                {"criteres": {"potentiel_financier": {"seuil": {"valeur": value}}}},
                "motif",
                user=SYSTEM,
            )
    assert not RuleOverlay.objects.exists()


# --- ids that are not integers ---------------------------------------------------------------


def test_an_indicator_id_that_is_not_a_number(pilot):
    action = _action()
    data = {"op": "valeur", "valeur-year": "2026", "valeur-value": "3", "valeur-source": "bilan"}
    for pk in ("abc", "", "99999999999999999999", "1.5"):
        _refused(
            pilot, f"{S}/actions/{action.pk}/", data | {"indicateur": pk}, "Indicateur inconnu"
        )


def test_a_decision_id_that_is_not_a_number(pilot):
    decision = Decision.objects.filter(meeting__scheme=gov.current_scheme(DEP)).first()
    for pk in ("x", "", "99999999999999999999"):
        _refused(
            pilot,
            f"{S}/comite/{decision.meeting_id}/",
            {"op": "correction", "decision": pk, "modif-kind": "autre", "modif-text": "Texte"},
            "Décision inconnue",
        )


def test_a_partner_id_beyond_the_database_range(pilot):
    """A list of ids (the action's partners) with a number too large for the database."""
    scheme = gov.current_scheme(DEP)
    orgs = list(Organisation.objects.filter(departement=DEP).values_list("pk", flat=True))
    data = {
        "op": "action",
        "orientation": scheme.orientations.first().pk,
        "title": "Nouvelle action",
        "objective": "Objectif",
        "pilot": orgs[0],
        "expected_result": "Résultat",
        "status": "prevue",
    }
    for partners in (["9223372036854775808"], ["abc"], [str(orgs[1]), "-1"]):
        _refused(pilot, f"{S}/plan/", data | {"partners": partners}, "Partenaires (co-pilotes)")


def test_partner_forms_say_what_is_wrong(pilot):
    _refused(
        pilot,
        f"{S}/partenaires/",
        {"op": "organisation", "name": "Commune", "kind": "commune", "territory": "4" * 10},
        "Rien n&#x27;a été enregistré. Code commune ou EPCI",
    )
    _refused(
        pilot,
        f"{S}/partenaires/",
        {"op": "invitation", "email": "x" * 250 + "@exemple.fr", "role": "lecteur"},
        "Rien n&#x27;a été enregistré. Adresse électronique",
    )


@pytest.mark.parametrize(
    "url",
    [
        f"{S}/phases/99999999999999999999/",
        f"{S}/comite/99999999999999999999/",
        f"{S}/actions/99999999999999999999/",
        f"{S}/orientations/99999999999999999999/",
        f"{S}/concertation/99999999999999999999/reponse/",
        f"/departements/{DEP}/priorites/versions/99999999999999999999/",
    ],
)
def test_a_huge_id_in_the_address_is_not_found(pilot, url):
    assert pilot.get(url).status_code == 404
    response = pilot.post(url, {"op": "jalon"})
    assert response.status_code == 404
    assert "introuvable" in response.content.decode()


# --- the committee's validation date --------------------------------------------------------


@pytest.mark.parametrize("typed", ["31/12/2026", "2026-12-31"])
def test_validation_date_in_french_or_iso(pilot, typed):
    version = save_version(DEP, "frt-2014", user=SYSTEM)
    url = f"/departements/{DEP}/priorites/versions/{version.number}/"
    response = pilot.post(
        url,
        {"action": "valider", "date": typed, "seance": "Comité du 31 décembre", "decision": "Oui"},
        follow=True,
    )
    assert "validée par le comité" in _page(response)
    version.refresh_from_db()
    assert version.validated and version.validated_on == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "JJ/MM/AAAA"),
        ("2026-13-01", "JJ/MM/AAAA"),
        ("le 3 mars", "JJ/MM/AAAA"),
        ("", "obligatoire"),
        ("01/01/1800", "1990"),
        ("31/12/99999", "JJ/MM/AAAA"),
    ],
)
def test_validation_date_refused_in_french(pilot, typed, message):
    version = save_version(DEP, "frt-2014", user=SYSTEM)
    html = _refused(
        pilot,
        f"/departements/{DEP}/priorites/versions/{version.number}/",
        {"action": "valider", "date": typed, "seance": "Comité", "decision": "Oui"},
        "Date de la séance",
        message,
    )
    assert "Invalid isoformat" not in html
    assert PriorityVersion.objects.get(pk=version.pk).status == PriorityVersion.PROPOSAL


def test_manual_change_checks_its_choices(pilot):
    version = save_version(DEP, "frt-2014", user=SYSTEM)
    url = f"/departements/{DEP}/priorites/versions/{version.number}/"
    code = version.result[0]["code"]
    for data, message in [
        ({"territoire": "abc", "modification": "ajout", "justification": "x"}, "Territoire"),
        ({"territoire": code, "modification": "x", "justification": "x"}, "Modification"),
        ({"territoire": code, "modification": "ajout", "justification": " "}, "Justification"),
    ]:
        _refused(pilot, url, data, message)


# --- dates everywhere: French or ISO, within bounds -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("15/01/2027", dt.date(2027, 1, 15)), ("2027-01-15", dt.date(2027, 1, 15))],
)
def test_dates_accept_french_and_iso(pilot, typed, stored):
    action = _action()
    response = pilot.post(
        f"{S}/actions/{action.pk}/",
        {"op": "jalon", "jalon-title": "Étape datée", "jalon-due_on": typed},
    )
    assert response.status_code == 302, _alerts(response.content.decode())
    assert action.milestones.get(title="Étape datée").due_on == stored


@pytest.mark.parametrize("typed", ["0001-01-01", "01/01/3000", "29/02/2027"])
def test_dates_out_of_bounds_are_refused(pilot, typed):
    _refused(
        pilot,
        f"{S}/comite/",
        {"date": typed, "title": "Comité", "place": "", "agenda": ""},
        "Rien n&#x27;a été enregistré. Date :",
    )
    with pytest.raises(SchemeError, match="1990"):
        gov.add_meeting(SYSTEM, gov.current_scheme(DEP), dt.date(1, 1, 1), "Comité")
    assert not Meeting.objects.filter(date__lt=dt.date(1990, 1, 1)).exists()
