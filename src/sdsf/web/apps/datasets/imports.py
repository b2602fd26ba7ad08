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
from django.db.models import F, Q

from sdsf.sources.editions import EXPECTED, EditionError, parse_edition
from sdsf.sources.errors import SourceError
from sdsf.sources.registry import read_source
from sdsf.web.apps.accounts.permissions import IMPORT, require
from sdsf.web.apps.datasets.models import ImportedFile, Replacement
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


def _same_file(digest: str, source: str, edition: str | None) -> ImportedFile | None:
    """The same file imported before, whose import again would change nothing: its values are
    in force, or in the history behind a newer edition, but not replaced by a correction (a
    file of the same edition imported later: importing this one again makes it win again)."""
    files = ImportedFile.objects.filter(sha256=digest, source=source)
    if edition is not None:
        files = files.filter(edition=edition)
    corrected = Replacement.objects.filter(
        kind=Replacement.REPLACED, new_file__edition=F("old_file__edition")
    ).values("old_file_id")
    return files.filter(Q(replaced_at__isnull=True) | ~Q(pk__in=corrected)).first()


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
    edition: str | int | None = None,
    ignore_unknown: bool = False,
    simulated: bool = False,
    confirmed: bool = False,
    progress: Progress = _nothing,
) -> ImportReport:
    """Read, validate and store a file in one transaction.

    ``edition`` (a year 1990-2100 or a date JJ/MM/AAAA) is the file's edition when the file
    does not say it (else its last reference year). The same file (same SHA-256 and edition,
    not replaced since by a correction) changes nothing. For the (territory, year) pairs a file
    lists, the values of the newest edition are in force: an older edition imported afterwards
    goes to the history (:mod:`~sdsf.web.apps.datasets.supersession`); every replacement is
    recorded. A file outside the user's départements is refused
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
    given = None
    if edition is not None and str(edition).strip():
        try:
            given = parse_edition(edition)
        except EditionError as exc:
            raise SourceError(
                name, "édition invalide", expected=EXPECTED, found=exc.found
            ) from None
    progress(5, "Empreinte du fichier")
    digest = sha256_of(path)
    existing = _same_file(digest, source, given)
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
            parsed,
            digest=digest,
            size=path.stat().st_size,
            user=user,
            simulated=simulated,
            edition=given,
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
