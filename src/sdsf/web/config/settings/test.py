import os
import tempfile
from pathlib import Path

# A fixed key for the tests (the workspace's key file is tested on its own).
os.environ.setdefault("SDSF_SECRET_KEY", "sdsf-tests-" + "k3y-0f-t3st5-" * 5)

from sdsf.web.config.settings.base import *  # noqa: F403
from sdsf.web.config.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file (not :memory:) so that the live server thread of browser tests sees the data.
    # One file per test process: two suites running at once never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"sdsf-test-{os.getpid()}.sqlite3")
    }

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Background tasks run at once, inside the request that enqueues them (a test reads the
# document or the import report at once); the database queue and its worker are tested on
# their own (tests/web/test_jobs.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SDSF_DOCUMENTS_DIR = Path(tempfile.gettempdir()) / f"sdsf-test-documents-{os.getpid()}"
SDSF_IMPORTS_DIR = Path(tempfile.gettempdir()) / f"sdsf-test-imports-{os.getpid()}"

# Computed figures: the process's own memory (each test clears it); the file and Redis caches
# of the other settings are tested on their own (tests/web/apps/datasets/test_stored.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# An import does not queue the refresh of the figures (every test would compute them all);
# tests of the refresh turn it on.
SDSF_REFRESH_ON_IMPORT = False
# Page bodies rendered at each request, so that tests read the context of every response; the
# stored bodies are tested on their own (tests/web/test_national_scale.py).
SDSF_STORE_PAGE_BODIES = False
