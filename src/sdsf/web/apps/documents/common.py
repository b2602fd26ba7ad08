"""Parts shared by the documents: the data they are written from (vintages, revision), the
annexes (data sources with producer, vintage and licence; glossary of acronyms; partners met)
and the département's name."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from sdsf.core import columns as c
from sdsf.parameters.documents import glossary
from sdsf.reports.document.model import Builder
from sdsf.reports.workbook import Column, Sheet
from sdsf.sources.registry import OPEN_LICENCE, SOURCES
from sdsf.web.apps.accounts.models import Organisation
from sdsf.web.apps.datasets.models import ImportedFile
from sdsf.web.apps.datasets.revision import current
from sdsf.web.apps.schemes.models import Attendance, Scheme
from sdsf.web.apps.territories.models import Territory

PLATFORM = "sdsf : données saisies par les partenaires du schéma"


def departement_name(code: str) -> str:
    name = (
        Territory.objects.filter(level=c.DEPARTEMENT, code=code)
        .values_list("name", flat=True)
        .first()
    )
    return name or code


def active_files() -> list[ImportedFile]:
    return list(
        ImportedFile.objects.filter(replaced_at__isnull=True).order_by("producer", "dataset")
    )


def vintage(files: list[ImportedFile] | None = None) -> str:
    """The data a document is written from, in words: each producer with the years of its
    files (« Insee 2016-2023 »), and the data revision; the detail is in the sources annex."""
    files = active_files() if files is None else files
    years: dict[str, set[int]] = {}
    for f in files:
        years.setdefault(f.producer, set()).update(int(y) for y in f.years)
    parts = []
    for producer, found in years.items():
        span = f"{min(found)}-{max(found)}" if len(found) > 1 else ", ".join(map(str, found))
        parts.append(f"{producer} {span}".strip())
    text = " ; ".join(parts) if parts else "aucune donnée importée"
    return f"{text} (révision des données n° {current()})"


def generated_on() -> str:
    return f"Document produit par sdsf le {timezone.localtime():%d/%m/%Y à %H:%M}"


def sources_sheet(files: list[ImportedFile] | None = None) -> Sheet:
    files = active_files() if files is None else files
    return Sheet(
        name="Sources",
        title="Sources des données",
        columns=[
            Column("Producteur"),
            Column("Jeu de données"),
            Column("Fichier"),
            Column("Millésimes"),
            Column("Licence"),
            Column("Importé le"),
        ],
        rows=[
            [
                f.producer,
                f.dataset,
                f.file_name,
                f.years_label,
                SOURCES[f.source].licence if f.source in SOURCES else OPEN_LICENCE,
                f"{timezone.localtime(f.imported_at):%d/%m/%Y}",
            ]
            for f in files
        ],
        sources="registre des imports de sdsf (producteur, fichier, empreinte, date)",
        simulated=any(f.simulated for f in files),
        notice="Fichiers en vigueur à la date du document ; les versions remplacées sont "
        "conservées dans sdsf.",
    )


def glossary_sheet() -> Sheet:
    return Sheet(
        name="Glossaire",
        title="Glossaire des sigles",
        columns=[Column("Sigle"), Column("Signification")],
        rows=[[k, v] for k, v in glossary().items()],
        sources="sdsf",
    )


def partners_sheet(scheme: Scheme) -> Sheet:
    """The organisations met while the schéma was drawn up: at the committee, in the
    concertation, as signatories."""
    present = Counter(
        Attendance.objects.filter(meeting__scheme=scheme, status="present").values_list(
            "organisation_id", flat=True
        )
    )
    comments = Counter(scheme.comments.values_list("organisation_id", flat=True))
    signed = {s.organisation_id: s for s in scheme.signatories.all() if s.signed_on is not None}
    ids = set(present) | set(comments) | set(signed)
    organisations = Organisation.objects.filter(pk__in=ids).order_by("kind", "name")
    rows: list[list[object]] = []
    for org in organisations:
        signatory = signed.get(org.pk)
        rows.append(
            [
                org.name,
                org.get_kind_display(),
                present.get(org.pk, 0),
                comments.get(org.pk, 0),
                (
                    f"signé le {signatory.signed_on:%d/%m/%Y}"
                    + (" (adhésion ultérieure)" if signatory.joined_later else "")
                )
                if signatory
                else "",
            ]
        )
    return Sheet(
        name="Partenaires",
        title="Partenaires rencontrés",
        columns=[
            Column("Organisation"),
            Column("Type"),
            Column("Présences au comité", 0),
            Column("Contributions à la concertation", 0),
            Column("Signature"),
        ],
        rows=rows,
        sources=PLATFORM,
    )


def annexes(b: Builder, scheme: Scheme | None, files: list[ImportedFile]) -> None:
    b.heading("Annexes")
    b.heading("Sources des données", 2)
    b.table(sources_sheet(files))
    b.heading("Glossaire", 2)
    b.table(glossary_sheet())
    if scheme is not None:
        b.heading("Partenaires rencontrés", 2)
        b.table(partners_sheet(scheme))
