"""Start Django for the CLI, on the workspace the user chose."""

from __future__ import annotations

import os
from pathlib import Path


def setup(workspace: Path | None) -> None:
    if workspace is not None:
        os.environ["SDSF_WORKSPACE"] = str(workspace)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdsf.web.config.settings.local")
    ws = Path(os.environ.get("SDSF_WORKSPACE", "sdsf-data"))
    if "DATABASE_URL" not in os.environ:
        ws.mkdir(parents=True, exist_ok=True)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
