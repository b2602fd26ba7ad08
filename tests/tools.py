"""External programs some tests need (poppler, LibreOffice): skipped when absent on a
developer's machine, required in CI (``SDSF_REQUIRE_TOOLS=1``, set by ``.ci/run``)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("SDSF_REQUIRE_TOOLS") == "1":
            pytest.fail(f"programme absent : {name}")
        pytest.skip(f"programme absent : {name}")
    return path
