"""The imports' background task: a file sent from the web is imported by a worker process
(``sdsf worker``), never inside the web request."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    from sdsf.web.apps.datasets.import_jobs import run

    run(job_id)
