"""The document as PDF: the HTML of :mod:`sdsf.reports.document.html` printed by WeasyPrint,
as PDF/UA-1 (tagged: headings, tables, figures with their alternative text, the language and
title in the metadata), with bookmarks built from the headings."""

from __future__ import annotations

from sdsf.reports.document.html import to_html
from sdsf.reports.document.model import Document


def to_pdf(document: Document, html: str | None = None) -> bytes:
    from weasyprint import HTML

    source = html if html is not None else to_html(document)
    pdf = HTML(string=source, media_type="print").write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False, custom_metadata=True
    )
    assert pdf is not None
    return pdf
