"""An import whose worker stopped is started again (its transaction was rolled back: nothing
half-stored), or marked failed."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from sdsf.web.apps.datasets.models import ImportJob
from sdsf.web.apps.jobs.signals import task_interrupted

TASK = "sdsf.web.apps.datasets.tasks.run_import"


@receiver(task_interrupted)
def import_interrupted(task_path: str, args: list[Any], resumed: bool, **kwargs: Any) -> None:
    if task_path != TASK or not args:
        return
    job = ImportJob.objects.filter(pk=args[0]).first()
    if job is None:
        return
    if resumed:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.WAITING,
            progress=0,
            step="Reprise : le processus de travail s'est arrêté pendant l'import (rien "
            "n'avait été enregistré)",
        )
        return
    from sdsf.web.apps.datasets.import_jobs import finish

    finish(
        job,
        ImportJob.FAILED,
        error="import interrompu à plusieurs reprises (le processus de travail s'est arrêté) :"
        " rien n'a été importé ; envoyez de nouveau le fichier, et si cela se reproduit "
        "signalez-le à l'administrateur de sdsf",
        step="Échec",
    )
