import os
import tempfile
from pathlib import Path

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

# Documents are written in the request (a test reads them at once); the background thread is
# tested on its own.
SDSF_DOCUMENTS_IN_BACKGROUND = False
SDSF_DOCUMENTS_DIR = Path(tempfile.gettempdir()) / f"sdsf-test-documents-{os.getpid()}"
