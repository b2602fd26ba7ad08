"""Organisations of a département, the people who belong to them and their role, invitations.

Roles (the rights each gives are in :mod:`permissions`):
- administrateur: the platform's administrator, everywhere;
- pilote: the team running the schéma (usually the Caf), in its département;
- membre_comite: a member of the steering committee;
- contributeur: edits the actions its organisation pilots or co-pilots;
- lecteur: reads its département's schéma;
- national: reads every département (the national steering body).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

ADMIN = "administrateur"
PILOT = "pilote"
COMMITTEE = "membre_comite"
CONTRIBUTOR = "contributeur"
READER = "lecteur"
NATIONAL = "national"
ROLES = {
    ADMIN: "Administrateur de la plateforme",
    PILOT: "Pilote du schéma",
    COMMITTEE: "Membre du comité",
    CONTRIBUTOR: "Contributeur",
    READER: "Lecteur",
    NATIONAL: "Lecture nationale",
}
INVITATION_DAYS = 14


class Organisation(models.Model):
    KINDS = {
        "prefecture": "Préfecture",
        "caf": "Caf",
        "conseil_departemental": "Conseil départemental",
        "commune": "Commune",
        "epci": "EPCI",
        "msa": "MSA",
        "dsden": "DSDEN (Éducation nationale)",
        "udaf": "Udaf",
        "autre": "Autre partenaire",
        "national": "Instance nationale",
    }
    departement = models.CharField("département", max_length=3, blank=True, db_index=True)
    kind = models.CharField("type", max_length=30, choices=list(KINDS.items()))
    name = models.CharField("nom", max_length=200)
    territory = models.CharField("code du territoire (commune, EPCI)", max_length=9, blank=True)

    class Meta:
        verbose_name = "organisation"
        ordering = ["departement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "name"], name="organisation_name")
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    role = models.CharField("rôle", max_length=20, choices=list(ROLES.items()), default=READER)

    class Meta:
        verbose_name = "profil"

    @property
    def departement(self) -> str:
        return self.organisation.departement if self.organisation else ""


def _token() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> object:
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class Invitation(models.Model):
    """An invitation sent by a pilot: the link lets the person choose a password."""

    email = models.EmailField("adresse électronique")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField("rôle", max_length=20, choices=list(ROLES.items()))
    token = models.CharField(max_length=64, unique=True, default=_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    @property
    def usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
