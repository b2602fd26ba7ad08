"""Imports from the web: the file is kept in the workspace and imported by a worker process
(never inside the request: a national file takes minutes), with its progress; implausible
results wait for the person's confirmation or cancellation; the kept file is removed once the
import is done, refused or cancelled.

Rights are checked by :func:`sdsf.web.apps.datasets.imports.import_file` when the worker runs
it, as the person who sent the file (their rights at that moment), and here for the requests.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename

from sdsf.reports.formatting import counted
from sdsf.sources.errors import SourceError
from sdsf.sources.registry import SOURCES
from sdsf.web.apps.accounts.permissions import ADMIN, IMPORT, require, role_of
from sdsf.web.apps.datasets.imports import ConfirmationNeeded, import_file
from sdsf.web.apps.datasets.models import ImportJob, current_user_name
from sdsf.web.apps.jobs.services import limit, recover_interrupted

log = logging.getLogger(__name__)


class ImportRequestError(ValueError):
    """A request that cannot be served, in French."""


def folder() -> Path:
    return Path(settings.SDSF_IMPORTS_DIR)


def request_import(
    user: object,
    source: str,
    file_name: str,
    chunks: Iterable[bytes],
    *,
    level: str = "",
    year: int | None = None,
    edition: str = "",
    ignore_unknown: bool = False,
) -> ImportJob:
    """Keep the file sent and queue its import. A person has at most
    ``plateforme.taches.imports_simultanes_par_personne`` imports waiting or running."""
    from sdsf.web.apps.datasets.tasks import run_import

    require(user, IMPORT)
    if source not in SOURCES:
        raise ImportRequestError(f"type de fichier inconnu « {source} »")
    most = limit("imports_simultanes_par_personne")
    waiting = ImportJob.objects.filter(created_by=user, status__in=ImportJob.ACTIVE).count()
    if waiting >= most:
        raise ImportRequestError(
            f"vous avez déjà {counted(waiting, 'import')} en attente ou en cours (au plus "
            f"{most} à la fois) : attendez que l'un d'eux se termine"
        )
    staged = folder() / uuid.uuid4().hex / (get_valid_filename(Path(file_name).name) or "fichier")
    staged.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with staged.open("wb") as handle:
        for chunk in chunks:
            size += len(chunk)
            handle.write(chunk)
    job = ImportJob.objects.create(
        created_by=user if getattr(user, "pk", None) else None,
        requested_by=current_user_name(user),
        source=source,
        file_name=file_name[:255],
        staged=str(staged.relative_to(folder())),
        size=size,
        level=level or "",
        year=year,
        edition=edition or "",
        ignore_unknown=ignore_unknown,
        step="En attente d'un processus de travail",
    )
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def visible_jobs(user: object) -> QuerySet[ImportJob]:
    """The imports a person may follow: their own; every import for the administrator."""
    jobs = ImportJob.objects.select_related("imported_file")
    if role_of(user) == ADMIN:
        return jobs
    return jobs.filter(created_by=user) if getattr(user, "pk", None) else jobs.none()


CONFIRMATION_DAYS = 7


def expire_unconfirmed(now: dt.datetime | None = None) -> int:
    """Imports left waiting for a confirmation for a week are cancelled (their kept file
    removed): nothing of them was ever stored."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        status=ImportJob.TO_CONFIRM, finished_at__lt=now - dt.timedelta(days=CONFIRMATION_DAYS)
    )
    for job in stale:
        finish(job, ImportJob.CANCELLED, step="Annulé : pas de confirmation en sept jours")
    return len(stale)


def recent_jobs(user: object, count: int = 10) -> list[ImportJob]:
    recover_interrupted()
    expire_unconfirmed()
    return list(visible_jobs(user)[:count])


def _own(user: object, job: ImportJob) -> None:
    if not visible_jobs(user).filter(pk=job.pk).exists():
        raise PermissionDenied("Cet import a été demandé par une autre personne.")


def confirm(user: object, job: ImportJob) -> ImportJob:
    """Import again, this time keeping the implausible results the person has read."""
    from sdsf.web.apps.datasets.tasks import run_import

    _own(user, job)
    require(user, IMPORT)
    if job.status != ImportJob.TO_CONFIRM:
        raise ImportRequestError("cet import n'attend pas de confirmation")
    job.confirmed = True
    job.status = ImportJob.WAITING
    job.progress = 0
    job.step = "Confirmé : en attente d'un processus de travail"
    job.save(update_fields=["confirmed", "status", "progress", "step"])
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def cancel(user: object, job: ImportJob) -> ImportJob:
    _own(user, job)
    if job.status != ImportJob.TO_CONFIRM:
        raise ImportRequestError("seul un import qui attend une confirmation peut être annulé")
    finish(job, ImportJob.CANCELLED, step="Annulé : rien n'a été importé")
    return job


def finish(job: ImportJob, status: str, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.status = status
    job.finished_at = timezone.now()
    job.save()
    if status != ImportJob.TO_CONFIRM and job.staged:
        shutil.rmtree(folder() / Path(job.staged).parent, ignore_errors=True)


def run(job_id: int) -> None:
    """The worker's part: import the kept file as the person who sent it."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status not in ImportJob.ACTIVE:
        return  # cancelled, or already done by a previous attempt
    job.status, job.progress, job.step = ImportJob.RUNNING, 1, "Import en cours"
    job.save(update_fields=["status", "progress", "step"])

    def progress(percent: int, step: str) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=percent, step=step)

    user = job.created_by
    path = folder() / job.staged
    try:
        if user is None:
            raise PermissionDenied("Le compte qui a envoyé ce fichier n'existe plus.")
        report = import_file(
            job.source,
            path,
            user=user,
            display_name=job.file_name,
            level=job.level or None,
            year=job.year,
            edition=job.edition or None,
            ignore_unknown=job.ignore_unknown,
            confirmed=job.confirmed,
            progress=progress,
        )
    except ConfirmationNeeded as exc:
        found = exc.preview
        finish(
            job,
            ImportJob.TO_CONFIRM,
            progress=100,
            step="Résultats invraisemblables : confirmez ou annulez l'import",
            preview={
                "coverage": found.coverage,
                "warnings": found.warnings,
                "changed": found.changed,
                "changes": [
                    [ch.territory, ch.year, ch.label, ch.before_text, ch.after_text]
                    for ch in found.changes
                ],
            },
        )
    except SourceError as exc:
        finish(job, ImportJob.FAILED, error=exc.french(), step="Fichier refusé")
    except PermissionDenied as exc:
        finish(job, ImportJob.FAILED, error=str(exc), step="Fichier refusé")
    except Exception as exc:  # an unexpected failure is shown on the page, not lost
        log.exception("import %s", job_id)
        finish(
            job,
            ImportJob.FAILED,
            error="erreur inattendue pendant l'import : rien n'a été importé ; signalez-la à "
            f"l'administrateur de sdsf (détail dans le journal du serveur, {type(exc).__name__})",
            step="Échec",
        )
    else:
        finish(
            job,
            ImportJob.DONE,
            progress=100,
            step="Import terminé",
            report=report.lines(),
            imported_file=report.file,
        )
