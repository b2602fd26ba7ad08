"""No silent lost update: two people saving the same text of the schéma space from the same
state, the second is refused with the difference (nothing written over the first), and every
text keeps its history; a new custom territory or rule set never replaces another."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.actionplan.models import Orientation
from sdsf.web.apps.schemes.models import Comment, Decision, Meeting, Phase, Scheme
from sdsf.web.apps.schemes.services import current_scheme
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db
S = f"/departements/{DEP}/schema"


def two_pilots() -> tuple[Client, Client]:
    """The demo's pilot in two browsers (two people of the Caf sharing the pilot's rights)."""
    users = get_user_model()
    pilot = users.objects.get(username="demo@sdsf.local")
    other = users.objects.create_user("second.pilote@caf.fr", password="x")
    from sdsf.web.apps.accounts.models import Profile

    Profile.objects.create(user=other, organisation=pilot.profile.organisation, role="pilote")
    first, second = Client(), Client()
    first.force_login(pilot)
    second.force_login(other)
    return first, second


def test_the_second_editorial_is_refused_with_the_difference_and_kept_in_the_form():
    first, second = two_pilots()
    scheme = current_scheme(DEP)
    opened = scheme.revision  # both open the documents page
    url = f"{S}/documents/"
    texts = {"op": "textes", "textes-issues": "Enjeux.", "textes-revision": opened}
    done = first.post(url, texts | {"textes-editorial": "Éditorial de la préfète."})
    assert done.status_code == 302
    html = second.post(url, texts | {"textes-editorial": "Éditorial de la présidente."})
    html = html.content.decode()
    assert 'id="conflit"' in html and "pendant votre saisie" in html
    assert "Éditorial de la préfète." in html  # the saved version, in the table
    assert "Éditorial de la présidente." in html  # yours, in the table and still in the form
    scheme.refresh_from_db()
    assert scheme.editorial == "Éditorial de la préfète."
    assert f'name="textes-revision" value="{scheme.revision}"' in html
    # sent again knowingly, from the saved revision: it replaces, and the history keeps both
    again = second.post(
        url,
        texts | {"textes-editorial": "Éditorial commun.", "textes-revision": scheme.revision},
    )
    assert again.status_code == 302
    scheme.refresh_from_db()
    assert scheme.editorial == "Éditorial commun."
    history = first.get(url).content.decode()
    assert "Historique des textes" in history
    assert "Éditorial de la préfète." in history and "Éditorial commun." in history
    assert Scheme.history.filter(id=scheme.pk).count() >= 3


def test_the_second_minutes_are_refused_and_the_first_kept():
    first, second = two_pilots()
    meeting = Meeting.objects.filter(scheme__departement=DEP).first()
    url = f"{S}/comite/{meeting.pk}/"
    data = {"op": "compte_rendu", "agenda": "Ordre du jour", "revision": meeting.revision}
    assert first.post(url, data | {"minutes": "Compte rendu A."}).status_code == 302
    html = second.post(url, data | {"minutes": "Compte rendu B."}).content.decode()
    assert 'id="conflit"' in html and "Compte rendu B." in html
    meeting.refresh_from_db()
    assert meeting.minutes == "Compte rendu A."
    assert "Historique de l'ordre du jour et du compte rendu" in first.get(url).content.decode()


@pytest.mark.parametrize("what", ["période", "phase", "orientation", "décision", "réponse"])
def test_every_text_of_the_schema_space_has_the_revision_check(what):
    first, second = two_pilots()
    scheme = current_scheme(DEP)
    if what == "période":
        url, obj = f"{S}/periode/", scheme
        data = {"periode-start": "2024-09-01", "periode-revision": scheme.revision}
        values = [{"periode-end": "2030-06-30"}, {"periode-end": "2029-12-31"}]
        read = lambda o: o.end.isoformat()  # noqa: E731
    elif what == "phase":
        obj = scheme.phases.first()
        url, p = f"{S}/phases/{obj.pk}/", f"p{obj.pk}-"
        data = {p + "planned_start": "2024-09-01", p + "revision": obj.revision}
        values = [{p + "planned_end": "2024-10-15"}, {p + "planned_end": "2024-11-30"}]
        read = lambda o: o.planned_end.isoformat()  # noqa: E731
    elif what == "orientation":
        obj = Orientation.objects.filter(scheme=scheme).first()
        url, p = f"{S}/orientations/{obj.pk}/", f"o{obj.pk}-"
        data = {p + "revision": obj.revision}
        values = [{p + "title": "Orientation de A"}, {p + "title": "Orientation de B"}]
        read = lambda o: o.title  # noqa: E731
    elif what == "décision":
        obj = Decision.objects.filter(meeting__scheme=scheme).first()
        url = f"{S}/comite/{obj.meeting_id}/"
        data = {"op": "correction", "decision": obj.pk, "modif-kind": obj.kind}
        data["modif-revision"] = obj.revision
        values = [{"modif-text": "Rédaction de A."}, {"modif-text": "Rédaction de B."}]
        read = lambda o: o.text  # noqa: E731
    else:
        obj = Comment.objects.filter(scheme=scheme, status=Comment.PENDING).first()
        url, p = f"{S}/concertation/{obj.pk}/reponse/", f"r{obj.pk}-"
        data = {p + "status": "retenu", p + "revision": obj.revision}
        values = [{p + "answer": "Réponse de A."}, {p + "answer": "Réponse de B."}]
        read = lambda o: o.answer  # noqa: E731
    first.post(url, data | values[0])
    obj.refresh_from_db()
    kept = read(obj)
    assert kept in (
        "2030-06-30",
        "2024-10-15",
        "Orientation de A",
        "Rédaction de A.",
        "Réponse de A.",
    )
    response = second.post(url, data | values[1], follow=True)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "pendant votre saisie : rien n'a été enregistré" in html, what
    obj.refresh_from_db()
    assert read(obj) == kept
    assert type(obj).history.filter(id=obj.pk).count() >= 2


def test_a_new_custom_territory_never_replaces_another(client):
    from sdsf.web.apps.territories.models import Territory
    from sdsf.web.apps.territories.services import create_custom_territory

    first = create_custom_territory("PWN dup", DEP, ["44109", "44020"], user=SYSTEM)
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    html = client.post(
        f"/departements/{DEP}/territoires/",
        {"nom": "pwn DUP!", "communes": ["44184"], "description": ""},
    ).content.decode()
    assert "existe déjà sous le même code" in html
    kept = Territory.objects.get(pk=first.pk)
    assert kept.name == "PWN dup"
    assert sorted(kept.members.values_list("code", flat=True)) == ["44020", "44109"]


def test_adapted_rules_never_replace_others():
    from sdsf.parameters import ParameterError
    from sdsf.web.apps.priorities.services import create_overlay

    first = create_overlay(DEP, "frt-2014", "Règles 44", {}, "motif A", user=SYSTEM)
    with pytest.raises(ParameterError, match="existent déjà sous le même code"):
        create_overlay(DEP, "frt-2014", "règles 44 !", {}, "motif B", user=SYSTEM)
    first.refresh_from_db()
    assert first.reason == "motif A"


def test_the_phase_dates_still_hold_across_fields():
    from sdsf.web.apps.schemes import services

    phase = Phase.objects.filter(scheme__departement=DEP).first()
    import datetime as dt

    with pytest.raises(services.SchemeError, match="la fin prévue précède le début prévu"):
        services.update_phase(
            SYSTEM, phase, planned_start=dt.date(2025, 5, 1), planned_end=dt.date(2025, 1, 1)
        )
