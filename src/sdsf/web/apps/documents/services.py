"""Writing documents: from the web (a request queued for a worker process, with its progress,
then a list of downloads with their dates and the data used) and from the command line (the
same functions, written to a folder). Every format is written from one content, so that the
DOCX, PDF, HTML and XLSX always agree."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from sdsf.reports.document.docx import to_docx
from sdsf.reports.document.html import to_html
from sdsf.reports.document.model import Document
from sdsf.reports.document.pdf import to_pdf
from sdsf.reports.document.xlsx import to_workbook
from sdsf.reports.formatting import counted
from sdsf.web.apps.accounts.permissions import READ, require
from sdsf.web.apps.datasets.models import current_user_name
from sdsf.web.apps.datasets.revision import current
from sdsf.web.apps.documents.fiche import fiche_document
from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.documents.review import review_document
from sdsf.web.apps.documents.schema import schema_document
from sdsf.web.apps.documents.tasks import write_document
from sdsf.web.apps.jobs.services import limit, recover_interrupted
from sdsf.web.apps.schemes.models import Scheme
from sdsf.web.apps.schemes.services import current_scheme
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import territory_in

log = logging.getLogger(__name__)

FORMATS = ("docx", "pdf", "html", "xlsx")
FORMAT_LABELS = {
    "docx": "Word (DOCX), à coéditer",
    "pdf": "PDF, à signer",
    "html": "HTML autonome, à publier",
    "xlsx": "Tableur (XLSX), tous les tableaux",
}
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Progress = Callable[[int, str], None]


class DocumentError(ValueError):
    """A request that cannot be served, in French for the user."""


def parse_formats(text: str | list[str]) -> list[str]:
    """``"docx,pdf"`` -> ``["docx", "pdf"]``, in the order of :data:`FORMATS`."""
    asked = [f.strip().lower() for f in (text.split(",") if isinstance(text, str) else text)]
    asked = [f for f in asked if f]
    unknown = [f for f in asked if f not in FORMATS]
    if unknown or not asked:
        found = ", ".join(unknown) or "aucun"
        raise DocumentError(f"format inconnu : {found} (attendu : {', '.join(FORMATS)})")
    return [f for f in FORMATS if f in asked]


def scheme_for(departement: str) -> Scheme:
    scheme = current_scheme(departement)
    if scheme is None:
        raise DocumentError(
            f"le département {departement} n'a pas encore de schéma : créez-le dans l'espace "
            "du schéma"
        )
    return scheme


def review_year(scheme: Scheme, year: int | None, today: dt.date | None = None) -> int:
    """The year of an annual review (this year by default), within the schéma's period."""
    year = year or (today or timezone.localdate()).year
    if not scheme.start.year <= year <= scheme.end.year:
        raise DocumentError(
            f"année {year} hors de la période du schéma ({scheme.start:%Y}-{scheme.end:%Y})"
        )
    return year


def fiche_territory(departement: str, code: str) -> Territory:
    if not code.strip():
        raise DocumentError(
            "la fiche territoire demande le code d'une commune, d'un EPCI ou d'un territoire "
            "personnalisé"
        )
    territory = territory_in(departement, code.strip())
    if territory is None:
        raise DocumentError(
            f"territoire « {code} » inconnu dans le département {departement} (attendu : un code "
            "de commune, d'EPCI ou de territoire personnalisé)"
        )
    return territory


def build(
    kind: str,
    departement: str,
    *,
    year: int | None = None,
    territory: str = "",
    today: dt.date | None = None,
) -> Document:
    """The content of a document; :class:`DocumentError` when it cannot be written."""
    if kind == DocumentJob.SCHEMA:
        return schema_document(scheme_for(departement), today)
    if kind == DocumentJob.REVIEW:
        scheme = scheme_for(departement)
        return review_document(scheme, review_year(scheme, year, today), today)
    if kind == DocumentJob.FICHE:
        return fiche_document(fiche_territory(departement, territory), departement)
    raise DocumentError(f"document inconnu « {kind} » (attendu : {', '.join(DocumentJob.KINDS)})")


def render(document: Document, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(document)
    if fmt == "pdf":
        return to_pdf(document)
    if fmt == "html":
        return to_html(document).encode("utf-8")
    if fmt == "xlsx":
        return to_workbook(document)
    raise DocumentError(f"format inconnu : {fmt}")


def write(
    document: Document, formats: list[str], folder: Path, progress: Progress | None = None
) -> list[Path]:
    """Each format to ``folder/<stem>.<format>``; a file appears whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    html = to_html(document) if {"html", "pdf"} & set(formats) else None
    for index, fmt in enumerate(formats):
        if progress:
            progress(50 + 50 * index // len(formats), f"Écriture du {fmt.upper()}")
        if fmt == "html" and html is not None:
            data = html.encode("utf-8")
        elif fmt == "pdf":
            data = to_pdf(document, html)
        else:
            data = render(document, fmt)
        path = folder / f"{document.stem}.{fmt}"
        partial = path.with_suffix(f".{fmt}.partiel")
        partial.write_bytes(data)
        os.replace(partial, path)
        paths.append(path)
    return paths


def job_folder(job: DocumentJob) -> Path:
    return Path(settings.SDSF_DOCUMENTS_DIR) / str(job.pk)


def job_file(job: DocumentJob, fmt: str) -> Path | None:
    for item in job.files:
        if item["format"] == fmt:
            path = job_folder(job) / item["name"]
            return path if path.exists() else None
    return None


def _update(job_id: int, **fields: object) -> None:
    DocumentJob.objects.filter(pk=job_id).update(**fields)


def run(job_id: int) -> DocumentJob:
    """Write a requested document; its row tells the progress, then the files or the error."""
    job = DocumentJob.objects.get(pk=job_id)
    _update(job_id, status=DocumentJob.RUNNING, progress=5, step="Assemblage du contenu")

    def progress(percent: int, step: str) -> None:
        _update(job_id, progress=percent, step=step)

    try:
        revision = current()
        document = build(job.kind, job.departement, year=job.year, territory=job.territory)
        progress(50, "Contenu assemblé")
        paths = write(document, job.formats, job_folder(job), progress)
    except DocumentError as exc:
        _update(job_id, status=DocumentJob.FAILED, error=str(exc), finished_at=timezone.now())
    except Exception as exc:  # an unexpected failure is shown on the page, not lost
        log.exception("document %s", job_id)
        _update(
            job_id,
            status=DocumentJob.FAILED,
            error="erreur inattendue lors de l'écriture : signalez-la à l'administrateur de "
            f"sdsf (détail dans le journal du serveur, {type(exc).__name__})",
            finished_at=timezone.now(),
        )
    else:
        _update(
            job_id,
            status=DocumentJob.DONE,
            progress=100,
            step="Terminé",
            files=[
                {"format": p.suffix[1:], "name": p.name, "size": p.stat().st_size} for p in paths
            ],
            data_revision=revision,
            vintage=document.vintage,
            finished_at=timezone.now(),
        )
    return DocumentJob.objects.get(pk=job_id)


def request_document(
    user: object,
    departement: str,
    kind: str,
    formats: list[str],
    *,
    year: int | None = None,
    territory: str = "",
) -> DocumentJob:
    """Check the request, record it and queue it for a worker process. A person has at most
    ``plateforme.taches.documents_simultanes_par_personne`` documents waiting or being
    written at once."""
    require(user, READ, departement)
    formats = parse_formats(formats)
    if getattr(user, "pk", None):
        most = limit("documents_simultanes_par_personne")
        waiting = DocumentJob.objects.filter(
            created_by=user, status__in=(DocumentJob.WAITING, DocumentJob.RUNNING)
        ).count()
        if waiting >= most:
            raise DocumentError(
                f"vous avez déjà {counted(waiting, 'document')} en attente ou en cours "
                f"d'écriture (au plus {most} à la fois) : attendez que l'un d'eux se termine "
                "pour en demander un autre"
            )
    if kind not in DocumentJob.KINDS:
        raise DocumentError(f"document inconnu « {kind} »")
    scheme = None
    if kind in (DocumentJob.SCHEMA, DocumentJob.REVIEW):
        scheme = scheme_for(departement)
    if kind == DocumentJob.REVIEW and scheme is not None:
        year = review_year(scheme, year)
    if kind == DocumentJob.FICHE:
        territory = fiche_territory(departement, territory).code
    job = DocumentJob.objects.create(
        departement=departement,
        scheme=scheme,
        kind=kind,
        year=year if kind == DocumentJob.REVIEW else None,
        territory=territory if kind == DocumentJob.FICHE else "",
        formats=formats,
        created_by=user if getattr(user, "pk", None) else None,
        requested_by=current_user_name(user),
    )
    write_document.enqueue(job.pk)
    job.refresh_from_db()
    return job


def recent_jobs(departement: str, count: int = 20) -> list[DocumentJob]:
    """The département's latest requests; those whose worker stopped are resumed or failed
    first (:func:`sdsf.web.apps.jobs.services.recover_interrupted`)."""
    recover_interrupted()
    return list(
        DocumentJob.objects.filter(departement=departement).select_related("created_by")[:count]
    )
