"""Priority rule overlays of a département, proposals (versions) and the committee's decision.

A version freezes a rule set, the data revision and the result for every territory; manual
changes (a territory added or removed, with a written justification) are kept apart and shown.
Once the committee validates a version it is immutable: saving it again, or changing its manual
changes, raises :class:`ValidatedVersionError`.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class ValidatedVersionError(ValueError):
    """A validated version cannot be changed."""


class RuleOverlay(models.Model):
    """A département's adjustment of a shipped rule set (validated against the same schema)."""

    departement = models.CharField("département", max_length=3, db_index=True)
    code = models.CharField("identifiant", max_length=80, unique=True)
    base = models.CharField("règles de départ", max_length=60)
    name = models.CharField("nom", max_length=200)
    changes = models.JSONField("modifications")
    reason = models.TextField("motif")
    created_by = models.CharField("créé par", max_length=150)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "règles adaptées"
        ordering = ["-created_at"]


class PriorityVersion(models.Model):
    PROPOSAL = "proposition"
    VALIDATED = "validee"
    STATUSES = [(PROPOSAL, "proposition"), (VALIDATED, "validée par le comité")]

    departement = models.CharField("département", max_length=3, db_index=True)
    number = models.IntegerField("numéro")
    rules_id = models.CharField("règles", max_length=80)
    rules_title = models.CharField("titre des règles", max_length=200)
    rules = models.JSONField("règles appliquées")
    thresholds = models.JSONField("seuils appliqués")
    data_revision = models.BigIntegerField("révision des données")
    data_files = models.JSONField("fichiers de données", default=list)
    result = models.JSONField("résultat")
    status = models.CharField("statut", max_length=20, choices=STATUSES, default=PROPOSAL)
    created_by = models.CharField("proposé par", max_length=150)
    created_at = models.DateTimeField("proposé le", auto_now_add=True)
    validated_on = models.DateField("validé le", null=True, blank=True)
    meeting = models.CharField("séance du comité", max_length=200, blank=True)
    decision = models.TextField("décision", blank=True)
    validated_by = models.CharField("validé par", max_length=150, blank=True)

    class Meta:
        verbose_name = "version de la carte des territoires prioritaires"
        ordering = ["departement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "number"], name="version_number")
        ]

    @property
    def validated(self) -> bool:
        return self.status == self.VALIDATED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = PriorityVersion.objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored.first() == self.VALIDATED:
                raise ValidatedVersionError(
                    f"la version {self.number} est validée par le comité : elle ne peut plus "
                    "être modifiée"
                )
        super().save(*args, **kwargs)


class ManualChange(models.Model):
    ADD = "ajout"
    REMOVE = "retrait"
    ACTIONS = [(ADD, "ajouté à la main"), (REMOVE, "retiré à la main")]

    version = models.ForeignKey(
        PriorityVersion, on_delete=models.CASCADE, related_name="manual_changes"
    )
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=ACTIONS)
    justification = models.TextField("justification")
    author = models.CharField("auteur", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "modification manuelle"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_change_per_territory")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.version.validated:
            raise ValidatedVersionError(
                "la version est validée par le comité : ses territoires ne peuvent plus changer"
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.version.validated:
            raise ValidatedVersionError("la version est validée par le comité")
        return super().delete(*args, **kwargs)
