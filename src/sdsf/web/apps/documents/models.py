"""A request to write a document (the schéma, an annual review, a territory fiche) in one or
more formats: its progress while it runs in the background, then its files, with the data it
was written from (the data revision and the vintages of the imported files)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sdsf.web.apps.schemes.models import Scheme


class DocumentJob(models.Model):
    SCHEMA, REVIEW, FICHE = "schema", "bilan", "fiche"
    KINDS = {
        SCHEMA: "Schéma départemental",
        REVIEW: "Bilan annuel",
        FICHE: "Fiche territoire",
    }
    WAITING, RUNNING, DONE, FAILED = "en_attente", "en_cours", "termine", "echec"
    STATUSES = {
        WAITING: "en attente",
        RUNNING: "en cours",
        DONE: "terminé",
        FAILED: "échec",
    }
    departement = models.CharField("département", max_length=3, db_index=True)
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("document", max_length=10, choices=list(KINDS.items()))
    year = models.PositiveSmallIntegerField("année du bilan", null=True, blank=True)
    territory = models.CharField("territoire", max_length=60, blank=True)
    formats = models.JSONField("formats", default=list)
    status = models.CharField(max_length=12, choices=list(STATUSES.items()), default=WAITING)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    step = models.CharField("étape", max_length=200, blank=True)
    files = models.JSONField("fichiers", default=list)  # [{"format", "name", "size"}]
    data_revision = models.IntegerField("révision des données", default=0)
    vintage = models.TextField("données utilisées", blank=True)
    error = models.TextField("erreur", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.CharField("demandé par", max_length=150, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "document"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({', '.join(self.formats)})"

    @property
    def active(self) -> bool:
        return self.status in (self.WAITING, self.RUNNING)
