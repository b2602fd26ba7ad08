"""Organisations and people: partners added by the pilot, invitations by email, accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from sdsf.web.apps.accounts.models import ADMIN, NATIONAL, ROLES, Invitation, Organisation, Profile
from sdsf.web.apps.accounts.permissions import INVITE, STEER, require


class AccountError(ValueError):
    """A user mistake, told in French."""


def _fits(value: str, label: str, max_length: int) -> None:
    """A text no longer than its column, without NUL character."""
    if len(value) > max_length:
        raise AccountError(f"{label} : {max_length} caractères au plus ({len(value)} saisis)")
    if "\x00" in value:
        raise AccountError(f"{label} : caractère nul")


def add_organisation(
    user: object, departement: str, name: str, kind: str, territory: str = ""
) -> Organisation:
    require(user, STEER, departement)
    if kind not in Organisation.KINDS or not name.strip():
        raise AccountError("nom et type de l'organisation obligatoires")
    _fits(name.strip(), "nom", 200)
    _fits(territory.strip(), "code du territoire", 9)
    if Organisation.objects.filter(departement=departement, name=name.strip()).exists():
        raise AccountError(f"l'organisation « {name.strip()} » existe déjà")
    return Organisation.objects.create(
        departement=departement, name=name.strip(), kind=kind, territory=territory.strip()
    )


def invite(
    user: object, email: str, organisation: Organisation, role: str, accept_url: str
) -> Invitation:
    """Record the invitation and send its link by email (Django's mail backend).
    ``accept_url``: the absolute URL of the acceptance page, with ``{token}``."""
    require(user, INVITE, organisation.departement)
    if role not in ROLES or role in (ADMIN, NATIONAL):
        raise AccountError("ce rôle ne s'attribue pas par invitation")
    email = email.strip().lower()
    _fits(email, "adresse électronique", 254)
    if get_user_model().objects.filter(username__iexact=email).exists():
        raise AccountError(f"un compte existe déjà pour {email}")
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        invited_by=user if getattr(user, "pk", None) else None,
    )
    sender = getattr(user, "get_full_name", lambda: "")() or getattr(user, "email", "")
    send_mail(
        f"Invitation au schéma des services aux familles ({organisation.departement})",
        f"Bonjour,\n\n{sender} vous invite à rejoindre sdsf, l'espace partagé du schéma "
        f"départemental des services aux familles, pour {organisation.name} "
        f"(rôle : {ROLES[role].lower()}).\n\nChoisissez votre mot de passe ici (lien valable "
        f"jusqu'au {timezone.localtime(invitation.expires_at):%d/%m/%Y}) :\n"
        f"{accept_url.format(token=invitation.token)}\n",
        None,
        [email],
    )
    return invitation


def accept(invitation: Invitation, first_name: str, last_name: str, password: str) -> object:
    """Create the invited person's account; the password follows the strong-password rules."""
    if not invitation.usable:
        raise AccountError("cette invitation a expiré ou a déjà servi")
    users = get_user_model()
    user = users(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        Profile.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user
