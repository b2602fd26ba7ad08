"""Imports are scoped to their département, a partial file never erases, implausible results
wait for a confirmation (web and CLI), and uploads are bounded before they are read."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from sdsf.core import columns as c
from sdsf.web.apps.accounts.models import PILOT, Organisation, Profile
from sdsf.web.apps.datasets.models import ImportedFile, ImportJob, Observation

pytestmark = pytest.mark.django_db
HOME_CARE = c.places(c.GARDE_DOMICILE)


def fingerprint() -> tuple[object, ...]:
    return (
        ImportedFile.objects.count(),
        Observation.objects.count(),
        tuple(
            Observation.objects.filter(variable=HOME_CARE, level=c.COMMUNE)
            .order_by("code", "year")
            .values_list("code", "year", "value")
        ),
    )


def home_care(code: str, year: int) -> float | None:
    return (
        Observation.objects.filter(variable=HOME_CARE, code=code, year=year)
        .values_list("value", flat=True)
        .first()
    )


def latest_year() -> int:
    return int(
        Observation.objects.filter(variable=HOME_CARE, level=c.COMMUNE).order_by("-year")[0].year
    )


def pilot_of(departement: str):
    user = get_user_model().objects.create_user(f"pilote{departement}@caf.fr", password="x")
    org = Organisation.objects.create(
        departement=departement, kind="caf", name=f"Caf {departement}"
    )
    Profile.objects.create(user=user, organisation=org, role=PILOT)
    return user


def upload(client, name: str, body: str, source: str = "garde-domicile"):
    file = SimpleUploadedFile(name, body.encode("utf-8"))
    return client.post("/donnees/importer/", {"source": source, "fichier": file}, follow=True)


def test_a_pilot_cannot_import_rows_of_another_departement(client):
    client.force_login(pilot_of("49"))
    before = fingerprint()
    year = latest_year()
    response = upload(
        client, "garde.csv", f"annee;code_commune;enfants_garde_domicile\n{year};44109;7\n"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fichier refusé" in html
    assert "hors de votre département (49)" in html
    assert "département 44 (1 ligne)" in html
    assert fingerprint() == before
    job = ImportJob.objects.get()
    assert job.status == ImportJob.FAILED


def test_a_national_file_is_the_administrators(client, tmp_path):
    from django.core.exceptions import PermissionDenied

    from sdsf.web.apps.datasets.imports import import_file

    path = tmp_path / "txcouv_pe_dep.csv"
    path.write_text("annee;numdep;txcouv_dep\n2023;44;61.0\n2023;53;78.0\n")
    before = fingerprint()
    with pytest.raises(PermissionDenied, match="un fichier national"):
        import_file(
            "caf-couverture", path, user=get_user_model().objects.get(username="demo@sdsf.local")
        )
    assert fingerprint() == before
    admin = get_user_model().objects.create_superuser("admin@caf.fr", "admin@caf.fr", "x")
    report = import_file("caf-couverture", path, user=admin)
    assert report.file.territories == 2


def test_a_partial_registry_replaces_only_what_it_lists(client):
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    year = latest_year()
    nantes_before = home_care("44109", year)
    others = dict(
        Observation.objects.filter(variable=HOME_CARE, level=c.COMMUNE, year=year)
        .exclude(code="44109")
        .values_list("code", "value")
    )
    assert len(others) > 200 and sum(others.values()) > 0
    response = upload(
        client,
        "garde_nantes.csv",
        f"annee;code_commune;enfants_garde_domicile\n{year};44109;{int(nantes_before) + 3}\n",
    )
    html = response.content.decode()
    assert "Import terminé" in html, html
    assert "1 commune sur 207 dans le fichier ; les autres gardent leurs valeurs" in html
    assert home_care("44109", year) == nantes_before + 3
    after = dict(
        Observation.objects.filter(variable=HOME_CARE, level=c.COMMUNE, year=year)
        .exclude(code="44109")
        .values_list("code", "value")
    )
    assert after == others


def test_implausible_results_wait_for_a_confirmation(client):
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    year = latest_year()
    before = fingerprint()
    response = upload(
        client,
        "garde_erreur.csv",
        f"annee;code_commune;enfants_garde_domicile\n{year};44109;250000\n",
    )
    html = response.content.decode()
    assert "Résultats invraisemblables : rien n'est encore enregistré" in html
    assert "Nantes (44109)" in html
    assert "au-delà de 200 places pour 100 enfants" in html
    assert "une variation de plus de 50 %" in html
    assert 'id="differences"' in html
    assert fingerprint() == before  # nothing stored while waiting
    job = ImportJob.objects.get()
    assert job.status == ImportJob.TO_CONFIRM
    # cancel: nothing stored, the kept file is removed
    response = client.post(f"/donnees/imports/{job.pk}/", {"op": "annuler"}, follow=True)
    assert "Import annulé" in response.content.decode()
    assert fingerprint() == before
    # a second try, confirmed: stored, with the warning in the report
    upload(
        client,
        "garde_erreur.csv",
        f"annee;code_commune;enfants_garde_domicile\n{year};44109;250000\n",
    )
    job = ImportJob.objects.filter(status=ImportJob.TO_CONFIRM).get()
    response = client.post(f"/donnees/imports/{job.pk}/", {"op": "confirmer"}, follow=True)
    html = response.content.decode()
    assert "Import terminé" in html
    assert "Avertissement confirmé" in html
    assert home_care("44109", year) == 250000


def test_someone_elses_import_is_not_shown(client):
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    year = latest_year()
    upload(client, "g.csv", f"annee;code_commune;enfants_garde_domicile\n{year};44109;250000\n")
    job = ImportJob.objects.get()
    client.force_login(pilot_of("49"))
    assert client.get(f"/donnees/imports/{job.pk}/").status_code == 404
    assert client.post(f"/donnees/imports/{job.pk}/", {"op": "confirmer"}).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.TO_CONFIRM


def test_the_cli_summarises_then_imports_with_confirmer(tmp_path):
    from sdsf.cli.main import app

    year = latest_year()
    path = tmp_path / "garde.csv"
    path.write_text(f"annee;code_commune;enfants_garde_domicile\n{year};44109;250000\n")
    before = fingerprint()
    runner = CliRunner()
    result = runner.invoke(app, ["import", "garde-domicile", str(path)])
    assert result.exit_code == 3, result.output
    assert "rien n'a été importé" in result.output
    assert "au-delà de 200" in result.output
    assert "relancez la même commande avec --confirmer" in result.output
    assert "Traceback" not in result.output
    assert fingerprint() == before
    result = runner.invoke(app, ["import", "garde-domicile", str(path), "--confirmer"])
    assert result.exit_code == 0, result.output
    assert "1 commune sur 207" in result.output
    assert home_care("44109", year) == 250000


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, settings):
    from sdsf.web.www.uploads import upload_limit

    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    before = fingerprint()
    announced = upload_limit() + 50 * 1024 * 1024
    response = client.generic(
        "POST",
        "/donnees/importer/",
        b"",  # the body is never read: the announced length is enough to refuse
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(announced),
    )
    html = response.content.decode()
    assert response.status_code == 413
    assert "Fichier trop volumineux" in html
    assert fingerprint() == before


def test_an_upload_that_passes_the_limit_while_it_arrives_is_cut_off(client, monkeypatch):
    from sdsf.web.www import uploads

    monkeypatch.setattr(uploads, "upload_limit", lambda: 1000)
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    before = fingerprint()
    body = "annee;code_commune;enfants_garde_domicile\n" + "2023;44109;1\n" * 400
    response = upload(client, "gros.csv", body)
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.content.decode()
    assert fingerprint() == before
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("pilote", "importé"),
        ("admin", "importé"),
        ("autre_pilote", "hors de votre département"),
        ("comite", 403),
        ("contributeur", 403),
        ("lecteur", 403),
        ("national", 403),
        ("sans_role", 403),
    ],
)
def test_rights_matrix_of_a_departement_registry(client, role, outcome):
    """The rights matrix of imports: a registry of 44, sent by every role."""
    from tests.web.test_permissions import _user

    client.force_login(_user(role))
    year = latest_year()
    value = int(home_care("44109", year)) + 5
    before = fingerprint()
    file = SimpleUploadedFile(
        "g.csv", f"annee;code_commune;enfants_garde_domicile\n{year};44109;{value}\n".encode()
    )
    response = client.post("/donnees/importer/", {"source": "garde-domicile", "fichier": file})
    if outcome == 403:
        assert response.status_code == 403
        assert "ne permet pas" in response.content.decode()
        assert fingerprint() == before and not ImportJob.objects.exists()
        return
    page = client.get(response["Location"]).content.decode()
    assert outcome in page or "Import terminé" in page, re.sub(
        r"\s+", " ", re.sub("<[^>]+>", " ", page)
    )[-3000:]
    if outcome == "importé":
        assert home_care("44109", year) == value
    else:
        assert fingerprint() == before


def test_an_import_left_unconfirmed_for_a_week_is_cancelled(client):
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    from sdsf.web.apps.datasets.import_jobs import expire_unconfirmed

    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    year = latest_year()
    upload(client, "g.csv", f"annee;code_commune;enfants_garde_domicile\n{year};44109;250000\n")
    job = ImportJob.objects.get(status=ImportJob.TO_CONFIRM)
    kept = settings.SDSF_IMPORTS_DIR / job.staged
    assert kept.exists()
    assert expire_unconfirmed() == 0
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    assert expire_unconfirmed() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.CANCELLED and not kept.exists()
