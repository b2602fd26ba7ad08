"""A worker process (``sdsf worker``) on the test database, for the tests that need the real
queue: live-server tests, whose data is committed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def database_url() -> str:
    from django.db import connection

    found = connection.settings_dict
    if found["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{found['NAME']}"
    password = f":{found['PASSWORD']}" if found.get("PASSWORD") else ""
    return (
        f"postgres://{found['USER']}{password}@{found['HOST'] or '127.0.0.1'}:"
        f"{found['PORT'] or 5432}/{found['NAME']}"
    )


def start_worker(settings, log: Path) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "sdsf.web.config.settings.local",
        "SDSF_DOCUMENTS_DIR": str(settings.SDSF_DOCUMENTS_DIR),
        "SDSF_IMPORTS_DIR": str(settings.SDSF_IMPORTS_DIR),
        "SDSF_SECRET_KEY": settings.SECRET_KEY,
    }
    handle = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "sdsf.cli", "worker"], env=env, stdout=handle, stderr=handle
    )
