"""The document as one self-contained HTML file (images embedded as data URIs, style inline),
readable on screen and printable: the print CSS gives A4 pages, running headers with the
chapter, page numbers « page n sur N », a table of contents with page numbers, table headers
repeated on each page, rows and figures that never break in two. WeasyPrint renders the same
file to PDF (:mod:`sdsf.reports.document.pdf`)."""

from __future__ import annotations

import base64
from html import escape
from importlib import resources

from sdsf.reports.document.cells import cell_text, is_number
from sdsf.reports.document.model import (
    Bullets,
    Document,
    Fiche,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from sdsf.reports.workbook import SIMULATED_NOTICE


def _css() -> str:
    return resources.files("sdsf.reports.document").joinpath("document.css").read_text("utf-8")


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _table(table: Table) -> str:
    sheet = table.sheet
    numeric = [is_number(col) for col in sheet.columns]
    head = "".join(
        f'<th scope="col"{" class=num" if num else ""}>{escape(col.header)}</th>'
        for col, num in zip(sheet.columns, numeric, strict=True)
    )
    body = []
    for r, row in enumerate(sheet.rows):
        cells = []
        for i, (col, value) in enumerate(zip(sheet.columns, row, strict=True)):
            text = escape(cell_text(col, value, sheet.digits(r, col)))
            if i == 0 and not numeric[0]:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td{' class=num' if numeric[i] else ''}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(sheet.columns)}">Aucune ligne.</td></tr>')
    notice = f'<p class="notice">{escape(sheet.notice)}</p>' if sheet.notice else ""
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    wide = " wide" if len(sheet.columns) > 7 else ""
    wide += " landscape" if len(sheet.columns) > 9 else ""
    return (
        f'<figure class="table{wide}" id="tableau-{table.number}">'
        f"<table><caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"{notice}{note}<p class=source>Source : {escape(sheet.sources)}</p></figure>"
    )


def _figure(figure: Figure) -> str:
    data = (
        _data_uri(figure.svg, "image/svg+xml") if figure.svg else _data_uri(figure.png, "image/png")
    )
    return (
        f'<figure class="figure" id="figure-{figure.number}">'
        f'<img src="{data}" alt="{escape(figure.alt)}" style="width:{figure.width_cm}cm">'
        f"<figcaption>{escape(figure.caption)}</figcaption></figure>"
    )


def _fiche(fiche: Fiche) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in fiche.rows
    )
    return f'<table class="fiche"><tbody>{rows}</tbody></table>'


def _block(block: object) -> str:
    if isinstance(block, Heading):
        return f'<h{block.level} id="{block.anchor}">{escape(block.text)}</h{block.level}>'
    if isinstance(block, Paragraph):
        cls = f' class="{block.style}"' if block.style else ""
        return f"<p{cls}>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, Fiche):
        return _fiche(block)
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    raise TypeError(block)


def _toc(document: Document) -> str:
    items = "".join(
        f'<li class="toc-{h.level}"><a href="#{h.anchor}">{escape(h.text)}</a></li>'
        for h in document.headings(2)
    )
    return (
        '<nav class="toc" aria-labelledby="sommaire"><h1 id="sommaire" class="toc-title">'
        f"Sommaire</h1><ol>{items}</ol></nav>"
    )


def _cover(document: Document) -> str:
    cover = document.cover
    lines = "".join(f"<li>{escape(line)}</li>" for line in cover.lines)
    block = (
        f'<div class="cover-lines"><p class="cover-lines-title">{escape(cover.lines_title)}</p>'
        f"<ul>{lines}</ul></div>"
        if lines
        else ""
    )
    simulated = f'<p class="simulated">{SIMULATED_NOTICE}</p>' if document.simulated else ""
    return (
        '<section class="cover">'
        '<p class="republique">RÉPUBLIQUE<br>FRANÇAISE</p>'
        f'<p class="kicker">{escape(cover.kicker)}</p>'
        f'<p class="cover-title">{escape(cover.title)}</p>'
        f'<p class="cover-subtitle">{escape(cover.subtitle)}</p>'
        f"{simulated}{block}"
        f'<p class="cover-footer">{escape(cover.footer)}</p></section>'
    )


def to_html(document: Document) -> str:
    """The whole document as one HTML string (UTF-8)."""
    body = "".join(_block(b) for b in document.blocks)
    simulated = f'<p class="simulated running">{SIMULATED_NOTICE}</p>' if document.simulated else ""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(document.title)}</title>"
        f'<meta name="description" content="{escape(document.subject)}">'
        '<meta name="generator" content="sdsf">'
        f"<style>{_css()}</style></head><body>"
        f'<p class="running-title">{escape(document.title)}</p>{simulated}'
        f"{_cover(document)}{_toc(document)}<main>{body}</main></body></html>"
    )
