"""Logging in with one's email address, whatever its case (``Prenom.Nom@caf.fr`` is
``prenom.nom@caf.fr``): accounts are keyed by the address in lower case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


def normalize_email(value: object) -> str:
    return str(value or "").strip().lower()


def login_name(request: HttpRequest | None, credentials: dict[str, Any]) -> str:
    """The account name django-axes counts failures against (the same for any case)."""
    return normalize_email(credentials.get("username") if credentials else "")


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        users = get_user_model()
        found = list(users._default_manager.filter(username__iexact=normalize_email(username))[:2])
        if len(found) != 1:
            users().set_password(password)  # same time as a real check (no account guessing)
            return None
        user = found[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
