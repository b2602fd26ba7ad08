"""The schéma's life on the demo: calendar from a template, late phases, committee decisions
linked to what they decide, concurrent edits, history, computed indicators refreshed by an
import, invitations, lockout, password reset, annual review, national view."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from sdsf.web.apps.accounts.models import Invitation, Organisation, Profile
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.actionplan import services as plan
from sdsf.web.apps.actionplan.history import action_history
from sdsf.web.apps.actionplan.models import Action, ActionIndicator
from sdsf.web.apps.schemes import revisions
from sdsf.web.apps.schemes import services as gov
from sdsf.web.apps.schemes.models import Scheme
from sdsf.web.apps.schemes.services import SchemeError
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db


def _pilot():
    return get_user_model().objects.get(username="demo@sdsf.local")


def test_prefiguration_calendar_follows_the_seed():
    # Launch in December 2013, pre-project January-February 2014, concertation March-April,
    # signature in June 2014, four years (Cnaf press kit, « Le calendrier »).
    scheme = gov.create_scheme(
        SYSTEM, "53", "Préfiguration", dt.date(2013, 12, 1), "prefiguration-2013"
    )
    phases = {p.kind: p for p in scheme.phases.all()}
    assert (phases["lancement"].planned_start, phases["lancement"].planned_end) == (
        dt.date(2013, 12, 1),
        dt.date(2013, 12, 31),
    )
    assert phases["pre_projet"].planned_start == dt.date(2014, 1, 1)
    assert phases["pre_projet"].planned_end == dt.date(2014, 2, 28)
    assert phases["concertation"].planned_start == dt.date(2014, 3, 1)
    assert phases["concertation"].planned_end == dt.date(2014, 4, 30)
    assert phases["signature"].planned_start == dt.date(2014, 6, 1)
    assert phases["signature"].planned_end == dt.date(2014, 6, 30)
    assert scheme.end == dt.date(2017, 11, 30)


def test_pilot_of_another_departement_cannot_open_a_scheme_here():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="département 53"):
        gov.create_scheme(_pilot(), "53", "x", dt.date(2025, 1, 1), "renouvellement-6-ans")


def test_period_and_dates_are_checked():
    scheme = gov.current_scheme(DEP)
    with pytest.raises(SchemeError, match="6 ans au plus"):
        gov.update_period(SYSTEM, scheme, dt.date(2024, 1, 1), dt.date(2031, 1, 2))
    with pytest.raises(SchemeError, match="suivre"):
        gov.update_period(SYSTEM, scheme, dt.date(2024, 1, 1), dt.date(2023, 1, 1))
    phase = scheme.phases.first()
    with pytest.raises(SchemeError, match="précède"):
        gov.update_phase(SYSTEM, phase, planned_end=phase.planned_start - dt.timedelta(days=1))


def test_late_phases_are_flagged():
    scheme = gov.current_scheme(DEP)
    states = {s.phase.kind: s for s in gov.phase_states(scheme, dt.date(2026, 11, 29))}
    assert states["signature"].late and states["signature"].state == "terminée en retard"
    assert not states["validation"].late
    assert states["mise_en_oeuvre"].state == "en cours"
    assert states["evaluation"].state == "à venir"
    later = {s.phase.kind: s for s in gov.phase_states(scheme, dt.date(2030, 10, 1))}
    assert later["evaluation"].state == "en retard"
    assert gov.status_label(scheme, dt.date(2026, 11, 29)).startswith("signé le 15/10/2025")


def test_decisions_are_linked_to_what_they_decide():
    from sdsf.web.apps.priorities.services import save_version

    scheme = gov.current_scheme(DEP)
    decisions = {d.kind: d for m in scheme.meetings.all() for d in m.decisions.all()}
    priority = decisions["carte_prioritaires"].priority_version
    assert priority.validated and priority.validated_on == dt.date(2025, 4, 10)
    assert decisions["orientations_actions"].plan_version.content[0]["actions"]
    meeting = scheme.meetings.order_by("date").last()
    with pytest.raises(SchemeError, match="choisir la version"):
        gov.add_decision(SYSTEM, meeting, "carte_prioritaires", "Carte adoptée.")
    version = save_version(DEP, "frt-2014", SYSTEM)
    gov.add_decision(
        SYSTEM, meeting, "carte_prioritaires", "Nouvelle carte.", priority_version=version
    )
    version.refresh_from_db()
    assert version.validated and version.meeting == str(meeting)


def test_a_corrected_decision_keeps_its_former_wording(client):
    scheme = gov.current_scheme(DEP)
    decision = next(d for m in scheme.meetings.all() for d in m.decisions.all())
    former = decision.text
    client.force_login(_pilot())
    url = f"/departements/{DEP}/schema/comite/{decision.meeting_id}/"
    response = client.post(
        url,
        {
            "op": "correction",
            "decision": decision.pk,
            "modif-kind": decision.kind,
            "modif-text": "Rédaction corrigée après relecture.",
        },
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert 'id="corrections"' in html and "Rédaction corrigée après relecture." in html
    assert former.replace("'", "&#x27;") in html  # the former wording stays visible
    assert "Camille Pilote" in html


def test_action_territories_show_the_validated_priority_map(client):
    action = Action.objects.get(scheme__departement=DEP, number=1)
    client.force_login(_pilot())
    html = client.get(f"/departements/{DEP}/schema/actions/{action.pk}/").content.decode()
    part = html[html.index('id="territoires-action"') :]
    part = part[: part.index("</dd>")]
    assert part.count("territoire prioritaire") == 3
    assert "communes prioritaires" in part or "commune prioritaire" in part


def test_concurrent_edits_do_not_overwrite_each_other(client):
    action = Action.objects.filter(scheme__departement=DEP).order_by("number").first()
    opened = action.revision
    plan.update_action(_pilot(), action.pk, {"title": "Titre de la première personne"}, opened)
    with pytest.raises(revisions.ConflictError) as conflict:
        plan.update_action(SYSTEM, action.pk, {"title": "Titre de la seconde"}, opened)
    differences = {d.label: (d.saved, d.yours) for d in conflict.value.differences}
    assert differences["intitulé"] == ("Titre de la première personne", "Titre de la seconde")
    action.refresh_from_db()
    assert action.title == "Titre de la première personne" and action.revision == opened + 1
    # in the page: the second person is told and shown the difference
    client.force_login(_pilot())
    form = {
        "op": "modifier",
        "action-orientation": action.orientation_id,
        "action-title": "Titre de la seconde",
        "action-objective": action.objective,
        "action-pilot": action.pilot_id,
        "action-expected_result": action.expected_result,
        "action-status": action.status,
        "action-revision": opened,
    }
    html = client.post(f"/departements/{DEP}/schema/actions/{action.pk}/", form).content.decode()
    assert 'id="conflit"' in html and "Titre de la première personne" in html
    assert "pendant votre saisie" in html
    action.refresh_from_db()
    assert action.title == "Titre de la première personne"


def test_history_keeps_who_when_before_and_after():
    action = Action.objects.filter(scheme__departement=DEP).order_by("number").first()
    plan.update_action(
        _pilot(), action.pk, {"status": "realisee", "title": "Titre révisé"}, action.revision
    )
    entry = action_history(action)[0]
    assert entry.who == "Camille Pilote (démonstration)" and entry.kind == "modification"
    changes = {ch.field: (ch.before, ch.after) for ch in entry.changes}
    assert changes["état"][1] == "réalisée"
    assert changes["intitulé"][1] == "Titre révisé"


def test_bad_action_input_is_refused_in_french():
    action = Action.objects.filter(scheme__departement=DEP).order_by("number").first()
    with pytest.raises(SchemeError, match="motif"):
        plan.update_action(SYSTEM, action.pk, {"status": "abandonnee"}, action.revision)
    with pytest.raises(SchemeError, match="montant illisible"):
        plan.add_funding(SYSTEM, action, action.pilot, 2026, "douze mille")
    indicator = action.indicators.filter(source_indicator="").first()
    computed = ActionIndicator.objects.exclude(source_indicator="").first()
    with pytest.raises(SchemeError, match="calculé"):
        plan.enter_value(SYSTEM, computed, 2026, 1.0, "saisie")
    with pytest.raises(SchemeError, match="source"):
        plan.enter_value(SYSTEM, indicator, 2026, 1.0, " ")


def test_computed_indicators_follow_the_imports(tmp_path):
    from sdsf.web.apps.datasets.imports import import_file

    computed = ActionIndicator.objects.get(source_indicator="taux_global", territory=DEP)
    years = set(computed.values.values_list("year", flat=True))
    assert years == {2020, 2021, 2022, 2023}
    path = tmp_path / "txcouv_pe_dep_2024.csv"
    path.write_text(
        "Date référence;Numéro Département;Nom Département;Numéro Région;Nom Région;"
        "Taux de couv EAJE PSU;Taux de couv hors EAJE PSU;Taux de couv EAJE - ensemble;"
        "Taux de couv préscolarisation;Taux de couv assistante maternelle;"
        "Taux de couv salariée à domicile;Taux de couv accueil individuel - ensemble;"
        "Taux de couv global\n"
        "2024;44;LOIRE ATLANTIQUE;52;PAYS DE LA LOIRE;20.1;6.0;26.1;2.2;36.9;1.0;37.9;66.2\n",
        encoding="utf-8",
    )
    import_file("caf-couverture", path, user=SYSTEM)
    value = computed.values.get(year=2024)
    assert value.value == pytest.approx(66.2) and value.automatic
    assert "calcul sdsf" in value.source


def test_invitation_then_strong_password(client):
    org = Organisation.objects.get(departement=DEP, kind="msa")
    client.force_login(_pilot())
    response = client.post(
        f"/departements/{DEP}/schema/partenaires/",
        {
            "op": "invitation",
            "email": "Marie.Martin@msa.fr",
            "organisation": org.pk,
            "role": "contributeur",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["marie.martin@msa.fr"]
    link = re.search(r"http://\S+/invitation/(\S+)/", mail.outbox[0].body)
    client.logout()
    url = f"/invitation/{link.group(1)}/"
    weak = client.post(
        url,
        {
            "first_name": "Marie",
            "last_name": "Martin",
            "password1": "123456789012",
            "password2": "123456789012",
        },
    )
    assert "entièrement numérique" in weak.content.decode() or "courant" in weak.content.decode()
    assert not get_user_model().objects.filter(username="marie.martin@msa.fr").exists()
    strong = "Crèches-et-relais-2026"
    done = client.post(
        url,
        {"first_name": "Marie", "last_name": "Martin", "password1": strong, "password2": strong},
    )
    assert done.status_code == 302 and done.url == f"/departements/{DEP}/schema/"
    profile = Profile.objects.get(user__username="marie.martin@msa.fr")
    assert profile.role == "contributeur" and profile.organisation == org
    assert Invitation.objects.get(email="marie.martin@msa.fr").accepted_at is not None
    again = client.get(url).content.decode()
    assert "expiré ou a déjà servi" in again


def test_password_reset_by_email(client):
    response = client.post("/mot-de-passe/oubli/", {"email": "lecteur@sdsf.local"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "Parentalite-et-accueil-2027"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Mot de passe changé" in done.content.decode()
    user = get_user_model().objects.get(username="lecteur@sdsf.local")
    assert user.check_password(new)


def test_annual_review_workbook(client):
    client.force_login(_pilot())
    response = client.get(f"/departements/{DEP}/schema/bilan-2025.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Calendrier",
        "Actions",
        "Indicateurs",
        "Décisions",
        "Objectifs nationaux",
        "Inégalités",
    ]
    decisions = [[cell.value for cell in row] for row in book["Décisions"].iter_rows()]
    assert any("carte des territoires prioritaires, version" in str(r) for r in decisions)
    actions = [[cell.value for cell in row] for row in book["Actions"].iter_rows()]
    assert sum(1 for r in actions if isinstance(r[0], int | float)) == 12


def test_national_view_and_dashboard(client):
    client.force_login(get_user_model().objects.get(username="national@sdsf.local"))
    html = client.get("/national/").content.decode()
    assert "Schéma départemental des services aux familles 2024-2030" in html
    board = client.get(f"/departements/{DEP}/schema/tableau-de-bord/").content.decode()
    for part in (
        'id="objectifs-nationaux"',
        "Assistantes maternelles par relais",
        'class="sdsf-chart"',
    ):
        assert part in board
    assert Scheme.objects.filter(departement=DEP).count() == 1


def test_pages_do_not_query_per_action(client):
    """No N+1: the plan, the dashboard and the review make as many queries with 22 actions
    as with 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(_pilot())
    pages = [f"/departements/{DEP}/schema/{p}" for p in ("plan/", "tableau-de-bord/")]

    def counts() -> list[int]:
        out = []
        for url in pages:
            client.get(url)  # warm the caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    before = counts()
    scheme = gov.current_scheme(DEP)
    template = scheme.actions.order_by("number").first()
    for k in range(10):
        action = plan.create_action(
            SYSTEM,
            scheme,
            {
                "orientation": template.orientation,
                "title": f"Action supplémentaire {k}",
                "objective": "Objectif",
                "pilot": template.pilot,
                "partners": list(template.partners.all()),
                "expected_result": "Résultat",
            },
        )
        indicator = plan.add_indicator(SYSTEM, action, label="Places", targets={2026: 5})
        plan.enter_value(SYSTEM, indicator, 2026, 4.0, "bilan")
    assert counts() == before


def test_an_invalid_form_says_what_is_wrong(client):
    phase = gov.current_scheme(DEP).phases.first()
    client.force_login(_pilot())
    response = client.post(
        f"/departements/{DEP}/schema/phases/{phase.pk}/",
        {f"p{phase.pk}-planned_start": "le 3 mars", f"p{phase.pk}-planned_end": "2024-10-01"},
        follow=True,
    )
    html = response.content.decode()
    assert "Rien n&#x27;a été enregistré. Début prévu :" in html
    phase.refresh_from_db()
    assert phase.planned_end != dt.date(2024, 10, 1)
