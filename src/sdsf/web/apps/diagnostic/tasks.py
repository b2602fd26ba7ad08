"""The diagnostic's background task: the refresh of the figures after an import."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh(revision_value: int) -> None:
    from sdsf.web.apps.diagnostic.refresh import refresh as run

    run(revision_value)
