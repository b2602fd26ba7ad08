"""Background work on Django's tasks framework (django-tasks, with its database backend
django-tasks-db: one queue in SQLite or PostgreSQL, no other server).

A worker process (``sdsf worker``; ``sdsf serve`` starts one) registers itself, reports every
few seconds, and runs the queued tasks one at a time. A task left « running » by a worker that
stopped (killed, restarted, machine down) is found at once when a worker starts, and within
``plateforme.taches.silence_max`` seconds otherwise: it is queued again (the tasks of sdsf are
idempotent: a document is written again, an import was rolled back), or failed for good after
``plateforme.taches.tentatives_max`` attempts; the app that owns it is told
(:data:`~sdsf.web.apps.jobs.signals.task_interrupted`) and updates what the user sees.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sdsf.parameters import load
from sdsf.web.apps.jobs.models import WorkerProcess
from sdsf.web.apps.jobs.signals import task_interrupted

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
HOSTNAME = socket.gethostname()[:255]
INTERRUPTED = "sdsf.web.apps.jobs.services.Interrupted"


class Interrupted(Exception):
    """A task whose worker stopped before it finished."""


def limit(name: str, day: dt.date | None = None) -> int:
    """A limit of the background work (``plateforme.taches``), in force at ``day``."""
    return int(load()["plateforme"]["taches"][name].at(day or timezone.localdate()))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def alive(worker: WorkerProcess, now: dt.datetime | None = None) -> bool:
    """On this machine, a worker is alive while its process exists (its reports may lag
    behind a long write on SQLite); on another machine, while it reports."""
    if worker.hostname == HOSTNAME:
        return _pid_alive(worker.pid)
    now = now or timezone.now()
    return worker.seen_at >= now - dt.timedelta(seconds=limit("silence_max"))


def live_workers(now: dt.datetime | None = None) -> set[str]:
    return {w.worker_id for w in WorkerProcess.objects.all() if alive(w, now)}


def worker_available() -> bool:
    """Whether a worker runs to take the queued tasks (the pages say when none does)."""
    return bool(live_workers())


@dataclass(frozen=True)
class Recovered:
    task_path: str
    args: list[Any]
    resumed: bool


def recover_interrupted(now: dt.datetime | None = None) -> list[Recovered]:
    """Queue again, or fail, the tasks « running » on a worker that is gone."""
    now = now or timezone.now()
    live = live_workers(now)
    WorkerProcess.objects.exclude(worker_id__in=live).delete()
    attempts = limit("tentatives_max")
    out = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        worker = result.worker_ids[-1] if result.worker_ids else None
        if worker in live:
            continue
        resumed = len(result.worker_ids) < attempts
        running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        if resumed:
            changed = running.update(status=TaskResultStatus.READY, started_at=None)
        else:
            changed = running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=INTERRUPTED,
                traceback=f"interrompu {len(result.worker_ids)} fois (processus de travail arrêté)",
            )
        if not changed:  # another process recovered it first
            continue
        args = list(result.args_kwargs.get("args", []))
        log.warning(
            "tâche %s %s interrompue : %s",
            result.task_path,
            args,
            "reprise" if resumed else "échec",
        )
        task_interrupted.send(
            sender=WorkerProcess,
            task_path=result.task_path,
            args=args,
            kwargs=dict(result.args_kwargs.get("kwargs", {})),
            resumed=resumed,
        )
        out.append(Recovered(result.task_path, args, resumed))
    return out


class _Heartbeat(threading.Thread):
    """Reports the worker alive every few seconds, and recovers the tasks of other workers
    that stopped reporting."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"sdsf-heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        beats = 0
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                WorkerProcess.objects.filter(worker_id=self.worker_id).update(
                    seen_at=timezone.now()
                )
                beats += 1
                if beats % 6 == 0:
                    recover_interrupted()
            except Exception:  # the database is busy or gone: try again at the next beat
                log.exception("processus de travail %s : signal de vie impossible", self.worker_id)
            finally:
                connection.close()


def run_worker(*, batch: bool = False, interval: float = 1.0, worker_id: str = "") -> int:
    """Run queued tasks until stopped (SIGINT/SIGTERM finish the running task first), or, with
    ``batch``, until the queue is empty. Returns the number of tasks run."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker_id = worker_id or f"{HOSTNAME}-{os.getpid()}-{get_random_string(8)}"[:64]
    WorkerProcess.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": HOSTNAME, "pid": os.getpid(), "seen_at": timezone.now()},
    )
    recovered = recover_interrupted()
    for item in recovered:
        log.warning("reprise : %s %s", item.task_path, item.args)
    heartbeat = _Heartbeat(worker_id)
    heartbeat.start()
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    if threading.current_thread() is threading.main_thread():
        worker.configure_signals()
    try:
        worker.run()
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=HEARTBEAT_SECONDS + 1)
        if not connection.in_atomic_block:
            close_old_connections()
        WorkerProcess.objects.filter(worker_id=worker_id).delete()
        if threading.current_thread() is threading.main_thread():
            worker.reset_signals()
    return int(worker._run_tasks)
