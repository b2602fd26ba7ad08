"""Background work on the database queue (django-tasks-db): a worker runs what the web asks
for; a task left running by a worker that stopped is resumed at once, then failed after the
attempts of the parameters; a person has a bounded number of documents in the queue. (A real
kill of a worker process, and its restart, is in the browser scenario, test_browser.py.)"""

from __future__ import annotations

import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.jobs.models import WorkerProcess
from sdsf.web.apps.jobs.services import HOSTNAME, recover_interrupted, run_worker
from tests.conftest import DEMO_DEPARTEMENT as DEP
from tests.workers import DATABASE_QUEUE

pytestmark = pytest.mark.django_db
DOCUMENTS = f"/departements/{DEP}/schema/documents/"


@pytest.fixture
def queue(settings, monkeypatch):
    """The database queue. The worker runs in the test's own transaction: its loop must not
    close the connection between tasks (Django's test client does the same for requests)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = DATABASE_QUEUE
    return settings


@pytest.fixture
def pilot(client):
    user = get_user_model().objects.get(username="demo@sdsf.local")
    client.force_login(user)
    return user


def ask_fiche(client) -> DocumentJob:
    response = client.post(
        DOCUMENTS, {"op": "produire", "kind": "fiche", "formats": ["html"], "territory": "44109"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DocumentJob.objects.latest("pk")


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_worker_runs_what_the_web_queued(client, pilot, queue):
    job = ask_fiche(client)
    assert job.status == DocumentJob.WAITING  # queued, not written inside the request
    html = client.get(DOCUMENTS).content.decode()
    assert "en attente" in html
    assert run_worker(batch=True) == 1
    job.refresh_from_db()
    assert job.status == DocumentJob.DONE, job.error
    assert [f["format"] for f in job.files] == ["html"]
    assert not WorkerProcess.objects.exists()  # a worker that stops removes itself


def test_a_task_cut_short_is_resumed_then_failed(client, pilot, queue):
    job = ask_fiche(client)
    result = DBTaskResult.objects.get()
    for attempt in (1, 2):
        # the state a killed worker leaves: the task and the document « running »
        WorkerProcess.objects.create(
            worker_id=f"mort-{attempt}", hostname=HOSTNAME, pid=dead_pid(), seen_at=timezone.now()
        )
        DBTaskResult.objects.filter(pk=result.pk).update(
            status=TaskResultStatus.RUNNING,
            worker_ids=[f"mort-{n}" for n in range(1, attempt + 1)],
        )
        DocumentJob.objects.filter(pk=job.pk).update(status=DocumentJob.RUNNING, progress=40)
        recovered = recover_interrupted()
        assert [r.resumed for r in recovered] == [attempt == 1]
        job.refresh_from_db()
        if attempt == 1:
            assert job.status == DocumentJob.WAITING
            assert "Reprise" in job.step
            assert DBTaskResult.objects.get().status == TaskResultStatus.READY
        else:
            assert job.status == DocumentJob.FAILED
            assert "interrompue à plusieurs reprises" in job.error
            assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert not WorkerProcess.objects.exists()  # the dead workers are forgotten
    html = client.get(DOCUMENTS).content.decode()
    assert "interrompue à plusieurs reprises" in html


def test_a_live_worker_keeps_its_task(client, pilot, queue):
    import os

    ask_fiche(client)
    WorkerProcess.objects.create(
        worker_id="vivant", hostname=HOSTNAME, pid=os.getpid(), seen_at=timezone.now()
    )
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, worker_ids=["vivant"])
    assert recover_interrupted() == []
    # on another machine, silent for longer than the parameter: held for stopped
    WorkerProcess.objects.update(
        hostname="autre-machine", seen_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    assert [r.resumed for r in recover_interrupted()] == [True]


def test_a_person_has_a_bounded_number_of_documents_in_the_queue(client, pilot, queue):
    from sdsf.web.apps.jobs.services import limit

    most = limit("documents_simultanes_par_personne")
    for _ in range(most):
        ask_fiche(client)
    response = client.post(
        DOCUMENTS,
        {"op": "produire", "kind": "fiche", "formats": ["html"], "territory": "44109"},
        follow=True,
    )
    html = response.content.decode()
    assert "Aucun document lancé" in html
    assert f"au plus {most} à la fois" in html
    assert DocumentJob.objects.count() == most
    run_worker(batch=True)
    ask_fiche(client)  # once written, a new one is accepted
