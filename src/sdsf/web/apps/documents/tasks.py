"""The documents' background task: a requested document is written by a worker process
(``sdsf worker``), never inside the web request."""

from __future__ import annotations

from django_tasks import task


@task()
def write_document(job_id: int) -> None:
    from sdsf.web.apps.documents.services import run

    run(job_id)
