"""Logging in: the email in any case; five failures lock the account from that address only,
so that nobody elsewhere can lock a known account out (no denial of service); French messages.
"""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "famille-accueil-2026"


def attempt(client: Client, username: str, password: str, address: str):
    return client.post(
        "/connexion/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_email_logs_in_whatever_its_case():
    client = Client()
    response = attempt(client, "  Lecteur@SDSF.Local ", PASSWORD, "10.1.1.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_failures_lock_the_account_from_that_address_only():
    attacker = Client()
    for username in ["lecteur@sdsf.local", "LECTEUR@sdsf.local"] * 2 + ["Lecteur@Sdsf.Local"]:
        attempt(attacker, username, "mauvais", "203.0.113.9")
        assert "_auth_user_id" not in attacker.session
    locked = attempt(attacker, "lecteur@sdsf.local", PASSWORD, "203.0.113.9")
    html = locked.content.decode()
    assert "Connexion suspendue" in html
    assert "quinze minutes" in html
    assert "_auth_user_id" not in attacker.session
    # the account's owner, from their own network, is not locked out
    owner = Client()
    assert attempt(owner, "lecteur@sdsf.local", PASSWORD, "192.0.2.20").status_code == 302
    assert owner.session["_auth_user_id"]


def test_a_wrong_password_is_told_in_french():
    html = attempt(Client(), "lecteur@sdsf.local", "mauvais", "10.1.1.2").content.decode()
    assert "Adresse électronique ou mot de passe incorrect." in html
