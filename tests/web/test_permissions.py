"""The rights matrix: every page and action of the schéma workspace (and the data and priority
pages that write), for every role, allowed or refused (403, nothing changed). The demo seeds
the département 44 with one account per role; a pilot of another département and an account
without a role complete the cast."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from sdsf.web.apps.accounts.models import PILOT, Organisation, Profile
from sdsf.web.apps.actionplan.models import Action
from sdsf.web.apps.schemes.models import Comment, Decision, Meeting
from sdsf.web.apps.schemes.services import current_scheme
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db

ROLES = [
    "pilote",
    "comite",
    "contributeur",
    "lecteur",
    "national",
    "admin",
    "autre_pilote",
    "sans_role",
]
READERS = {"pilote", "comite", "contributeur", "lecteur", "national", "admin"}
STEERS = {"pilote", "admin"}
COMMENTERS = {"pilote", "comite", "contributeur", "admin"}


def _user(role: str):
    users = get_user_model()
    emails = {
        "pilote": "demo@sdsf.local",
        "comite": "comite@sdsf.local",
        "contributeur": "contributeur@sdsf.local",
        "lecteur": "lecteur@sdsf.local",
        "national": "national@sdsf.local",
    }
    if role in emails:
        return users.objects.get(username=emails[role])
    if role == "admin":
        return users.objects.create_superuser("admin@sdsf.local", "admin@sdsf.local", "x")
    user = users.objects.create_user(f"{role}@sdsf.local", password="x")
    if role == "autre_pilote":
        org = Organisation.objects.create(departement="53", kind="caf", name="Caf (Mayenne)")
        Profile.objects.create(user=user, organisation=org, role=PILOT)
    return user


def _objects():
    scheme = current_scheme(DEP)
    cd_action = Action.objects.filter(scheme=scheme, pilot__kind="conseil_departemental").first()
    caf_only = (
        Action.objects.filter(scheme=scheme, pilot__kind="caf")
        .exclude(partners__kind="conseil_departemental")
        .first()
    )
    return {
        "scheme": scheme,
        "phase": scheme.phases.first(),
        "meeting": Meeting.objects.filter(scheme=scheme).first(),
        "comment": Comment.objects.filter(scheme=scheme, status=Comment.PENDING).first(),
        "cd_action": cd_action,
        "caf_action": caf_only,
        "indicator": cd_action.indicators.filter(source_indicator="").first(),
        "org": Organisation.objects.filter(departement=DEP, kind="msa").first(),
        "orientation": scheme.orientations.first(),
        "decision": Decision.objects.filter(meeting__scheme=scheme).first(),
    }


S = f"/departements/{DEP}/schema"
DATE = dt.date(2026, 11, 3).isoformat()

# (name, method, url(o), data(o), roles allowed)
CASES = [
    ("schéma", "get", lambda o: f"{S}/", None, READERS),
    ("plan", "get", lambda o: f"{S}/plan/", None, READERS),
    ("fiche action", "get", lambda o: f"{S}/actions/{o['cd_action'].pk}/", None, READERS),
    ("comité", "get", lambda o: f"{S}/comite/", None, READERS),
    ("réunion", "get", lambda o: f"{S}/comite/{o['meeting'].pk}/", None, READERS),
    ("concertation", "get", lambda o: f"{S}/concertation/", None, READERS),
    ("signatures", "get", lambda o: f"{S}/signatures/", None, READERS),
    ("tableau de bord", "get", lambda o: f"{S}/tableau-de-bord/", None, READERS),
    ("bilan XLSX", "get", lambda o: f"{S}/bilan-2025.xlsx", None, READERS),
    ("partenaires", "get", lambda o: f"{S}/partenaires/", None, READERS),
    ("documents", "get", lambda o: f"{S}/documents/", None, READERS),
    (
        "document (fiche territoire)",
        "post",
        lambda o: f"{S}/documents/",
        lambda o: {"op": "produire", "kind": "fiche", "formats": ["xlsx"], "territory": "44109"},
        READERS,
    ),
    (
        "textes du schéma",
        "post",
        lambda o: f"{S}/documents/",
        lambda o: {"op": "textes", "textes-editorial": "Éditorial.", "textes-issues": "Enjeux."},
        STEERS,
    ),
    ("vue nationale", "get", lambda o: "/national/", None, {"national", "admin"}),
    (
        "page d'import",
        "get",
        lambda o: "/donnees/importer/",
        None,
        {"pilote", "admin", "autre_pilote"},
    ),
    (
        "adapter les règles",
        "get",
        lambda o: f"/departements/{DEP}/priorites/adapter/",
        None,
        STEERS,
    ),
    (
        "période du schéma",
        "post",
        lambda o: f"{S}/periode/",
        lambda o: {"periode-start": "2024-09-01", "periode-end": "2030-06-30"},
        STEERS,
    ),
    (
        "phase",
        "post",
        lambda o: f"{S}/phases/{o['phase'].pk}/",
        lambda o: {
            f"p{o['phase'].pk}-planned_start": "2024-09-01",
            f"p{o['phase'].pk}-planned_end": "2024-10-15",
        },
        STEERS,
    ),
    (
        "réunion (création)",
        "post",
        lambda o: f"{S}/comite/",
        lambda o: {"date": DATE, "title": "Comité de suivi", "place": "", "agenda": ""},
        STEERS,
    ),
    (
        "décision",
        "post",
        lambda o: f"{S}/comite/{o['meeting'].pk}/",
        lambda o: {"op": "decision", "kind": "suivi_evaluation", "text": "Le comité prend acte."},
        STEERS,
    ),
    (
        "participant",
        "post",
        lambda o: f"{S}/comite/{o['meeting'].pk}/",
        lambda o: {
            "op": "presence",
            "name": "M. Test",
            "organisation": o["org"].pk,
            "status": "present",
        },
        STEERS,
    ),
    (
        "compte rendu",
        "post",
        lambda o: f"{S}/comite/{o['meeting'].pk}/",
        lambda o: {"op": "compte_rendu", "agenda": "Ordre du jour", "minutes": "Compte rendu."},
        STEERS,
    ),
    (
        "correction d'une décision",
        "post",
        lambda o: f"{S}/comite/{o['decision'].meeting_id}/",
        lambda o: {
            "op": "correction",
            "decision": o["decision"].pk,
            "modif-kind": o["decision"].kind,
            "modif-text": "Rédaction corrigée.",
        },
        STEERS,
    ),
    (
        "commentaire",
        "post",
        lambda o: f"{S}/concertation/",
        lambda o: {"section": "actions", "text": "Un avis."},
        COMMENTERS,
    ),
    (
        "réponse",
        "post",
        lambda o: f"{S}/concertation/{o['comment'].pk}/reponse/",
        lambda o: {f"r{o['comment'].pk}-status": "retenu", f"r{o['comment'].pk}-answer": "Ajouté."},
        STEERS,
    ),
    (
        "signature",
        "post",
        lambda o: f"{S}/signatures/",
        lambda o: {"organisation": o["org"].pk, "signed_by": "La présidente", "signed_on": DATE},
        STEERS,
    ),
    (
        "orientation",
        "post",
        lambda o: f"{S}/plan/",
        lambda o: {
            "op": "orientation",
            "title": "Une orientation locale",
            "axis": "",
            "description": "",
        },
        STEERS,
    ),
    (
        "action (création)",
        "post",
        lambda o: f"{S}/plan/",
        lambda o: {
            "op": "action",
            "orientation": o["orientation"].pk,
            "title": "Nouvelle action",
            "objective": "Objectif",
            "pilot": o["org"].pk,
            "expected_result": "Résultat",
            "status": "prevue",
        },
        STEERS,
    ),
    (
        "action pilotée par le conseil départemental",
        "post",
        lambda o: f"{S}/actions/{o['cd_action'].pk}/",
        lambda o: _edit(o["cd_action"]),
        {"pilote", "admin", "contributeur"},
    ),
    (
        "action de la Caf seule",
        "post",
        lambda o: f"{S}/actions/{o['caf_action'].pk}/",
        lambda o: _edit(o["caf_action"]),
        STEERS,
    ),
    (
        "valeur d'indicateur",
        "post",
        lambda o: f"{S}/actions/{o['cd_action'].pk}/",
        lambda o: {
            "op": "valeur",
            "indicateur": o["indicator"].pk,
            "valeur-year": 2027,
            "valeur-value": 3,
            "valeur-source": "bilan",
        },
        {"pilote", "admin", "contributeur"},
    ),
    (
        "orientation (modification)",
        "post",
        lambda o: f"{S}/orientations/{o['orientation'].pk}/",
        lambda o: {f"o{o['orientation'].pk}-title": "Orientation reformulée"},
        STEERS,
    ),
    (
        "jalon",
        "post",
        lambda o: f"{S}/actions/{o['cd_action'].pk}/",
        lambda o: {"op": "jalon", "jalon-title": "Étape", "jalon-due_on": "2027-01-15"},
        {"pilote", "admin", "contributeur"},
    ),
    (
        "indicateur",
        "post",
        lambda o: f"{S}/actions/{o['cd_action'].pk}/",
        lambda o: {"op": "indicateur", "ind-label": "Nouvel indicateur", "ind-targets": "2027: 4"},
        {"pilote", "admin", "contributeur"},
    ),
    (
        "financement",
        "post",
        lambda o: f"{S}/actions/{o['caf_action'].pk}/",
        lambda o: {
            "op": "financement",
            "fin-funder": o["org"].pk,
            "fin-year": 2027,
            "fin-amount": "1000",
        },
        STEERS,
    ),
    (
        "organisation",
        "post",
        lambda o: f"{S}/partenaires/",
        lambda o: {
            "op": "organisation",
            "name": "Commune test",
            "kind": "commune",
            "territory": "",
        },
        STEERS,
    ),
    (
        "invitation",
        "post",
        lambda o: f"{S}/partenaires/",
        lambda o: {
            "op": "invitation",
            "email": "nouveau@exemple.fr",
            "organisation": o["org"].pk,
            "role": "lecteur",
        },
        STEERS,
    ),
    (
        "proposition de carte prioritaire",
        "post",
        lambda o: f"/departements/{DEP}/priorites/",
        lambda o: {"regles": "frt-2014"},
        STEERS,
    ),
]


def _edit(action: Action) -> dict[str, object]:
    return {
        "op": "modifier",
        "action-orientation": action.orientation_id,
        "action-title": action.title + " (révisée)",
        "action-objective": action.objective,
        "action-pilot": action.pilot_id,
        "action-partners": [p.pk for p in action.partners.all()],
        "action-expected_result": action.expected_result,
        "action-status": "en_cours",
        "action-revision": action.revision,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rights_matrix(client, case, role):
    name, method, url, data, allowed = case
    objects = _objects()
    client.force_login(_user(role))
    before = _fingerprint()
    if method == "get":
        response = client.get(url(objects))
    else:
        response = client.post(url(objects), data(objects))
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if method == "post":
            assert response.status_code == 302, (name, role, _errors(response))
            assert _fingerprint() != before, (name, role, "rien n'a changé")
    else:
        assert response.status_code == 403, (name, role, response.status_code)
        assert "ne permet pas" in response.content.decode() or name == "vue nationale"
        assert _fingerprint() == before, (name, role, "un refus a modifié les données")


def _errors(response) -> str:
    """The error messages of a form sent back."""
    import re

    html = response.content.decode()
    return " | ".join(re.findall(r'class="fr-(?:error-text|alert[^"]*)"[^>]*>(.*?)<', html))[:500]


def _fingerprint() -> tuple[object, ...]:
    """What any of the actions above would change."""
    from sdsf.web.apps.accounts.models import Invitation
    from sdsf.web.apps.actionplan.models import (
        ActionIndicator,
        Funding,
        IndicatorValue,
        Milestone,
        Orientation,
    )
    from sdsf.web.apps.documents.models import DocumentJob
    from sdsf.web.apps.priorities.models import PriorityVersion
    from sdsf.web.apps.schemes.models import Attendance, Phase, Scheme, Signatory

    return (
        tuple(Scheme.objects.order_by("id").values_list("start", "end", "editorial", "issues")),
        DocumentJob.objects.count(),
        tuple(Phase.objects.order_by("id").values_list("planned_start", "planned_end")),
        Meeting.objects.count(),
        tuple(Meeting.objects.order_by("id").values_list("minutes", flat=True)),
        tuple(Decision.objects.order_by("id").values_list("text", flat=True)),
        tuple(Orientation.objects.order_by("id").values_list("title", flat=True)),
        Milestone.objects.count(),
        ActionIndicator.objects.count(),
        Decision.objects.count(),
        Attendance.objects.count(),
        tuple(Comment.objects.order_by("id").values_list("status", flat=True)),
        Comment.objects.count(),
        tuple(Signatory.objects.order_by("id").values_list("signed_on", flat=True)),
        Signatory.objects.count(),
        Orientation.objects.count(),
        tuple(Action.objects.order_by("id").values_list("revision", flat=True)),
        IndicatorValue.objects.count(),
        Funding.objects.count(),
        Organisation.objects.count(),
        Invitation.objects.count(),
        PriorityVersion.objects.count(),
    )


def test_services_refuse_without_the_web_too():
    """The services check rights themselves: a call with a reader's account is refused."""
    from django.core.exceptions import PermissionDenied

    from sdsf.web.apps.actionplan.services import update_action
    from sdsf.web.apps.schemes.services import add_meeting

    reader = _user("lecteur")
    objects = _objects()
    with pytest.raises(PermissionDenied, match="Lecteur"):
        add_meeting(reader, objects["scheme"], dt.date(2026, 1, 1), "Comité")
    with pytest.raises(PermissionDenied):
        update_action(
            reader, objects["cd_action"].pk, {"title": "x"}, objects["cd_action"].revision
        )
