"""The worker processes that run background tasks (documents, imports), as each one reports
itself while it lives: a task claimed by a worker that stopped reporting is interrupted, and
is resumed or failed at once (:mod:`sdsf.web.apps.jobs.services`)."""

from __future__ import annotations

from django.db import models


class WorkerProcess(models.Model):
    worker_id = models.CharField("identifiant", max_length=64, unique=True)
    hostname = models.CharField("machine", max_length=255)
    pid = models.IntegerField("processus")
    started_at = models.DateTimeField("démarré le", auto_now_add=True)
    seen_at = models.DateTimeField("vu le")

    class Meta:
        verbose_name = "processus de travail"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
