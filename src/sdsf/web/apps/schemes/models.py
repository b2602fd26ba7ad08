"""A département's schéma and its governance: calendar, committee, concertation, signature.

Every change of the texts typed in the platform (the schéma's period, editorial and issues, a
phase's dates, a meeting's agenda and minutes, a decision, the answer to a comment) is kept
(django-simple-history: who, when, before and after). ``revision`` counts the saved edits of
each: an edit made from an older revision is refused with the difference
(:mod:`sdsf.web.apps.schemes.revisions`), never silently written over another.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from sdsf.web.apps.accounts.models import Organisation


class Scheme(models.Model):
    departement = models.CharField("département", max_length=3, db_index=True)
    title = models.CharField("intitulé", max_length=200)
    start = models.DateField("début")
    end = models.DateField("fin")
    editorial = models.TextField("éditorial", blank=True)
    issues = models.TextField("enjeux", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "schéma"
        ordering = ["departement", "-start"]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    KINDS = {
        "lancement": "Lancement",
        "pre_diagnostic": "Pré-diagnostic",
        "pre_projet": "Élaboration du pré-projet",
        "validation": "Validation par le comité",
        "concertation": "Concertation avec les élus locaux",
        "signature": "Signature",
        "mise_en_oeuvre": "Mise en œuvre",
        "bilans": "Bilans annuels",
        "evaluation": "Évaluation finale",
    }
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("phase", max_length=20, choices=list(KINDS.items()))
    order = models.PositiveSmallIntegerField()
    planned_start = models.DateField("début prévu")
    planned_end = models.DateField("fin prévue")
    actual_start = models.DateField("début réel", null=True, blank=True)
    actual_end = models.DateField("fin réelle", null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "phase"
        ordering = ["scheme", "order"]


class Meeting(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField("date")
    title = models.CharField("intitulé", max_length=200)
    place = models.CharField("lieu", max_length=200, blank=True)
    agenda = models.TextField("ordre du jour", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "réunion du comité"
        ordering = ["scheme", "-date"]

    def __str__(self) -> str:
        return f"{self.title} du {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    STATUSES = {"present": "présent", "excuse": "excusé", "absent": "absent"}
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    name = models.CharField("nom", max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    status = models.CharField("présence", max_length=10, choices=list(STATUSES.items()))

    class Meta:
        verbose_name = "participant"
        ordering = ["meeting", "organisation__name", "name"]


class ActionPlanVersion(models.Model):
    """The action plan as the committee saw it: a snapshot of orientations and actions."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField("contenu")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = "version du plan d'action"
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="plan_version_number")
        ]

    def __str__(self) -> str:
        return f"plan d'action, version {self.number}"


class Decision(models.Model):
    KINDS = {
        "orientations_actions": "Valider les orientations et les actions",
        "carte_prioritaires": "S'accorder sur la carte des territoires prioritaires",
        "communication_signature": "Décider de la communication pour la signature",
        "suivi_evaluation": "Suivre et évaluer le schéma",
        "autre": "Autre décision",
    }
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("objet", max_length=30, choices=list(KINDS.items()))
    text = models.TextField("décision")
    priority_version = models.ForeignKey(
        "priorities.PriorityVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="version de la carte des territoires prioritaires",
    )
    plan_version = models.ForeignKey(
        ActionPlanVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="version du plan d'action",
    )
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "décision"
        ordering = ["meeting", "id"]


class Comment(models.Model):
    """A partner's comment on a section of the draft, and the pilot's answer."""

    SECTIONS = {
        "diagnostic": "Diagnostic",
        "priorites": "Territoires prioritaires",
        "orientations": "Orientations",
        "actions": "Plan d'action",
        "gouvernance": "Gouvernance et suivi",
    }
    PENDING = "en_attente"
    STATUSES = {PENDING: "en attente", "retenu": "pris en compte", "non_retenu": "non retenu"}
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField("partie", max_length=20, choices=list(SECTIONS.items()))
    text = models.TextField("commentaire")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=list(STATUSES.items()), default=PENDING)
    answer = models.TextField("réponse", blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "commentaire"
        ordering = ["scheme", "section", "created_at"]


class Signatory(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    signed_by = models.CharField("signataire", max_length=200, blank=True)
    signed_on = models.DateField("signé le", null=True, blank=True)
    joined_later = models.BooleanField("a rejoint le schéma après sa signature", default=False)

    class Meta:
        verbose_name = "signataire"
        ordering = ["scheme", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "organisation"], name="one_signatory")
        ]
