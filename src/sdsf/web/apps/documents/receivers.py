"""A document whose worker stopped while writing it is written again, or marked failed."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.jobs.signals import task_interrupted

TASK = "sdsf.web.apps.documents.tasks.write_document"


@receiver(task_interrupted)
def document_interrupted(task_path: str, args: list[Any], resumed: bool, **kwargs: Any) -> None:
    if task_path != TASK or not args:
        return
    jobs = DocumentJob.objects.filter(pk=args[0])
    if resumed:
        jobs.update(
            status=DocumentJob.WAITING,
            progress=0,
            step="Reprise : le processus de travail s'est arrêté pendant l'écriture",
        )
    else:
        jobs.update(
            status=DocumentJob.FAILED,
            error="écriture interrompue à plusieurs reprises (le processus de travail s'est "
            "arrêté) : relancez la demande ; si cela se reproduit, signalez-le à "
            "l'administrateur de sdsf",
            finished_at=timezone.now(),
        )
