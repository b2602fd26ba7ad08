"""Production by default: no debug unless asked, a secret key of the workspace (readable by its
owner only) unless given, a clean deployment check, French error pages that show no code, no
setting and no password."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.test import Client

from sdsf.web.config.secret import FILE_NAME, secret_key

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> str:
    # as a server's environment: not the test run's settings, nor the browser tests' switch
    unset = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.pop("SDSF_SECRET_KEY", None)
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return done.stdout + done.stderr


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    out = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DJANGO_SETTINGS_MODULE="sdsf.web.config.settings.prod",
        SDSF_WORKSPACE=str(tmp_path),
        SDSF_ALLOWED_HOSTS="sdsf.exemple.gouv.fr",
    )
    assert "System check identified no issues" in out, out


@pytest.mark.parametrize(
    ("entry", "module"),
    [
        # what gunicorn serves, and what every sdsf command (sdsf serve included) starts with
        ("from sdsf.web.config import wsgi", "sdsf.web.config.settings.prod"),
        (
            "import os; from sdsf.cli import main; os.environ.setdefault("
            "'DJANGO_SETTINGS_MODULE', 'sdsf.web.config.settings.local'); "
            "from sdsf.cli.django_setup import setup; setup(None)",
            "sdsf.web.config.settings.local",
        ),
    ],
)
def test_debug_is_off_unless_asked(tmp_path, entry, module):
    out = run_python(
        f"{entry}; from django.conf import settings; "
        "print('DEBUG', settings.DEBUG, settings.SETTINGS_MODULE)",
        SDSF_WORKSPACE=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'base.sqlite3'}",
    )
    assert f"DEBUG False {module}" in out, out


def test_the_secret_key_is_made_once_per_workspace_and_kept_private(tmp_path):
    first = secret_key(tmp_path, environ={})
    assert len(first) >= 50
    assert secret_key(tmp_path, environ={}) == first
    mode = stat.S_IMODE((tmp_path / FILE_NAME).stat().st_mode)
    assert mode == 0o600
    given = "k" * 10 + "ey-from-the-environment-" * 3
    assert secret_key(tmp_path, environ={"SDSF_SECRET_KEY": given}) == given


def test_a_missing_or_weak_key_is_told_in_french(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SDSF_SECRET_KEY est trop courte"):
        secret_key(tmp_path, environ={"SDSF_SECRET_KEY": "court"})
    locked = tmp_path / "ferme"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("le superutilisateur écrit partout : dossier non protégeable")
        with pytest.raises(ImproperlyConfigured, match="clé secrète introuvable"):
            secret_key(locked, environ={})
    finally:
        locked.chmod(0o700)
    (tmp_path / FILE_NAME).write_text("")
    with pytest.raises(ImproperlyConfigured, match="vide ou trop courte"):
        secret_key(tmp_path, environ={})


def test_an_unreadable_workspace_key_stops_the_command_in_french(tmp_path):
    (tmp_path / FILE_NAME).write_text("trop-courte")
    out = run_python(
        "from sdsf.cli.main import main; main(['couverture'])",
        DJANGO_SETTINGS_MODULE="sdsf.web.config.settings.local",
        SDSF_WORKSPACE=str(tmp_path),
    )
    assert "vide ou trop courte" in out
    assert "KeyError" not in out


@pytest.mark.django_db
def test_a_missing_page_is_french_in_the_design_system(client):
    response = client.get("/departements/44/nulle-part/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in html
    assert "fr-header" in html


@pytest.mark.django_db
def test_a_server_error_shows_no_code_no_setting_no_password(monkeypatch, caplog):
    from sdsf.web.apps.accounts import services
    from sdsf.web.apps.accounts.models import Invitation, Organisation

    org = Organisation.objects.filter(departement="44").first()
    invitation = Invitation.objects.create(
        email="nouvelle@msa.fr", organisation=org, role="lecteur"
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "accept", broken)
    client = Client(raise_request_exception=False)
    secret = "Mot-de-passe-tres-secret-2026"
    response = client.post(
        f"/invitation/{invitation.token}/",
        {"first_name": "A", "last_name": "B", "password1": secret, "password2": secret},
    )
    html = response.content.decode()
    assert response.status_code == 500
    assert "Erreur du serveur" in html and "Rien n'a été enregistré" in html
    for leak in (secret, "Traceback", "SECRET_KEY", "DATABASES", "panne", "RuntimeError"):
        assert leak not in html
    assert secret not in caplog.text


@pytest.mark.django_db
def test_a_busy_database_is_told_in_french(monkeypatch):
    from django.contrib.auth import get_user_model

    from sdsf.web.www import views

    def busy(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(views, "departements_with_rates", busy)
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="lecteur@sdsf.local"))
    response = client.get("/departements/")
    assert response.status_code == 503
    assert "La base de données est occupée" in response.content.decode()


CONCURRENT_SAVES = """
import os, threading, time
import django
django.setup()
from django.db import connection, transaction
from django.conf import settings
mode = os.environ["MODE"]
if mode != "IMMEDIATE":
    settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] = mode
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS texte (id INTEGER PRIMARY KEY, version INTEGER)")
    cursor.execute("INSERT INTO texte VALUES (1, 0)")
connection.close()
errors = []
def save():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT version FROM texte WHERE id = 1")  # the form's state
            time.sleep(0.5)  # both people press « Enregistrer » together
            cursor.execute("UPDATE texte SET version = version + 1 WHERE id = 1")
    except Exception as exc:
        errors.append(str(exc))
    finally:
        connection.close()
threads = [threading.Thread(target=save) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT version FROM texte")
    print("VERSION", cursor.fetchone()[0], "ERREURS", errors)
"""


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("IMMEDIATE", "VERSION 2 ERREURS []"), ("DEFERRED", "database is locked")],
)
def test_two_simultaneous_saves_on_sqlite_wait_for_each_other(tmp_path, mode, expected):
    """The settings' transactions take the write lock when they begin: the second save waits
    for the first (busy timeout) instead of failing with « database is locked », which is what
    SQLite's default (deferred) transactions do when both read before writing."""
    out = run_python(
        CONCURRENT_SAVES,
        DJANGO_SETTINGS_MODULE="sdsf.web.config.settings.local",
        SDSF_WORKSPACE=str(tmp_path),
        SDSF_SECRET_KEY="x" * 20 + "cle-de-test-des-sauvegardes-simultanees",
        DATABASE_URL=f"sqlite:///{tmp_path / 'concurrence.sqlite3'}",
        MODE=mode,
    )
    assert expected in out, out


@pytest.mark.django_db
def test_reading_pages_does_not_write_the_session_every_time():
    """The expiry of a session moves on at most every five minutes: reading pages needs no
    database write (an import holding SQLite's write lock does not stop others reading)."""
    import time

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from sdsf.web.www.sessions import REFRESH_SECONDS, SEEN

    client = Client()
    client.force_login(get_user_model().objects.get(username="lecteur@sdsf.local"))
    client.get("/departements/")
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    Session.objects.filter(session_key=key).update(expire_date=expiry)  # as saved
    client.get("/departements/")
    assert Session.objects.get(session_key=key).expire_date == expiry  # not written again
    session = client.session
    session[SEEN] = int(time.time()) - REFRESH_SECONDS - 1
    session.save()
    before = Session.objects.get(session_key=key).expire_date
    time.sleep(1.1)
    client.get("/departements/")
    assert Session.objects.get(session_key=key).expire_date > before  # activity moves it on


def test_a_bad_request_is_told_in_french():
    from django.test import RequestFactory

    from sdsf.web.www.errors import bad_request

    response = bad_request(RequestFactory().get("/"))
    assert response.status_code == 400
    assert "Requête refusée" in response.content.decode()
