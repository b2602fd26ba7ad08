"""Every table of the document in one workbook: a « Sommaire » sheet listing the tables, then
one styled sheet per table (« T01 … »), in the document's order, each with its sources."""

from __future__ import annotations

from dataclasses import replace

from sdsf.reports.document.model import Document
from sdsf.reports.workbook import Column, Sheet, to_xlsx


def sheet_name(number: int, name: str) -> str:
    return f"T{number:02d} {name}"[:31]


def to_workbook(document: Document) -> bytes:
    tables = document.tables()
    index = Sheet(
        name="Sommaire",
        title=f"{document.title} — tableaux",
        columns=[
            Column("Tableau", 0, grouping=False),
            Column("Titre"),
            Column("Feuille"),
            Column("Source"),
        ],
        rows=[
            [t.number, t.sheet.title, sheet_name(t.number, t.sheet.name), t.sheet.sources]
            for t in tables
        ],
        sources=document.vintage or "sdsf",
        simulated=document.simulated,
        notice=document.vintage,
    )
    sheets = [index] + [
        replace(t.sheet, name=sheet_name(t.number, t.sheet.name), title=t.caption) for t in tables
    ]
    return to_xlsx(sheets)
