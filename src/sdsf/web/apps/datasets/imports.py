"""An import, from the file to the stored values: read and validate, check the user's right on
every département the file touches, store in one transaction, then check what the file did;
an implausible result rolls everything back until the user confirms.

The CLI calls :func:`import_file` directly; the web app queues it for a worker process
(:mod:`sdsf.web.apps.datasets.tasks`), since a national file takes minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from sdsf.sources.errors import SourceError
from sdsf.sources.registry import read_source
from sdsf.web.apps.accounts.permissions import IMPORT, require
from sdsf.web.apps.datasets.models import ImportedFile
from sdsf.web.apps.datasets.plausibility import (
    Preview,
    preview,
    snapshot,
    watched_departements,
)
from sdsf.web.apps.datasets.scope import require_import
from sdsf.web.apps.datasets.services import ImportReport, sha256_of, store
from sdsf.web.apps.territories.services import is_loaded, reference_codes

Progress = Callable[[int, str], None]


class ConfirmationNeeded(Exception):
    """The import gave implausible results: nothing was stored; ``preview`` says why."""

    def __init__(self, file_name: str, preview: Preview) -> None:
        self.file_name = file_name
        self.preview = preview
        super().__init__(
            f"« {file_name} » : {len(preview.warnings)} résultat(s) invraisemblable(s) à "
            "confirmer avant l'import ; rien n'a été importé."
        )


def _nothing(percent: int, step: str) -> None:
    return None


def import_file(
    source: str,
    path: Path,
    *,
    user: object | None = None,
    display_name: str | None = None,
    level: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
    simulated: bool = False,
    confirmed: bool = False,
    progress: Progress = _nothing,
) -> ImportReport:
    """Read, validate and store a file in one transaction.

    The same file (same SHA-256, still active) changes nothing. A newer file of the same
    dataset replaces the values of the (territory, year) pairs it lists, and the replacement
    is recorded. A file outside the user's départements is refused
    (:class:`~django.core.exceptions.PermissionDenied`); bad input raises
    :class:`SourceError`; implausible results raise :class:`ConfirmationNeeded` unless
    ``confirmed``. In each case nothing is stored.
    """
    require(user, IMPORT)
    name = display_name or path.name
    if not is_loaded():
        raise SourceError(
            name,
            "la géographie de référence n'est pas chargée",
            expected="lancer d'abord « sdsf init »",
        )
    progress(5, "Empreinte du fichier")
    digest = sha256_of(path)
    existing = ImportedFile.objects.filter(
        sha256=digest, source=source, replaced_at__isnull=True
    ).first()
    if existing is not None:
        return ImportReport(existing, already_imported=True)
    progress(10, "Lecture et contrôle du fichier")
    parsed = read_source(
        source,
        path,
        reference_codes(),
        display_name=name,
        level=level,
        year=year,
        ignore_unknown=ignore_unknown,
    )
    if parsed.observations.empty:
        raise SourceError(
            name, "aucune valeur à importer", expected="au moins une ligne de données"
        )
    progress(40, "Contrôle des droits sur les départements du fichier")
    scope = require_import(user, parsed)
    departements = [d for d in scope.departements if d != "?"]
    watched = watched_departements(parsed, departements)
    with transaction.atomic():
        progress(45, "Valeurs enregistrées avant l'import")
        before = snapshot(watched, parsed.years)
        progress(55, "Enregistrement des valeurs")
        report = store(
            parsed, digest=digest, size=path.stat().st_size, user=user, simulated=simulated
        )
        progress(80, "Contrôles de vraisemblance")
        found = preview(
            parsed,
            departements,
            before,
            snapshot(watched, parsed.years),
            report.implicit_zeros,
        )
        if found.warnings and not confirmed:
            raise ConfirmationNeeded(name, found)
        report.coverage = found.coverage
        report.warnings = found.warnings
    progress(100, "Import terminé")
    return report
