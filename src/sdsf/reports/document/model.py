"""A document as a list of blocks, independent of its format: headings (three levels, which
build the table of contents and the PDF bookmarks), paragraphs, bullet lists, numbered tables
(each a :class:`~sdsf.reports.workbook.Sheet`, so that the XLSX holds every table), numbered
figures (PNG at print resolution for DOCX, SVG for HTML and PDF), fiches (label / value pairs,
one per action) and page breaks.

The :class:`Builder` numbers tables and figures once, so that every format shows the same
« Tableau 3 » and « Figure 2 », and applies French typography to running text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sdsf.reports.document.typography import french
from sdsf.reports.workbook import Sheet


@dataclass
class Heading:
    text: str
    level: int  # 1, 2 or 3
    anchor: str = ""


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "note" (small, grey), "lead" (introduction), "placeholder"


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    sheet: Sheet
    number: int
    note: str = ""

    @property
    def caption(self) -> str:
        return f"Tableau {self.number} — {self.sheet.title}"


@dataclass
class Figure:
    png: bytes
    svg: bytes | None
    title: str
    alt: str
    number: int
    width_cm: float = 16.0

    @property
    def caption(self) -> str:
        return f"Figure {self.number} — {self.title}"


@dataclass
class Fiche:
    """Label / value pairs (a fiche action): not a numbered table, its figures are in the
    plan's synthesis tables."""

    rows: list[tuple[str, str]]


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Table | Figure | Fiche | PageBreak


@dataclass
class Cover:
    kicker: str  # « Schéma départemental des services aux familles »
    title: str  # « Loire-Atlantique »
    subtitle: str  # « 2024-2030 »
    lines: list[str] = field(default_factory=list)  # signatories, or the scope
    lines_title: str = ""
    footer: str = ""  # generation date and data vintage


@dataclass
class Document:
    title: str
    stem: str  # file name without extension
    cover: Cover
    blocks: list[Block]
    subject: str = ""
    vintage: str = ""  # the data used, in words
    simulated: bool = False

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    def headings(self, depth: int = 2) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= depth]


BULLET_MARKS = ("- ", "• ", "* ")


def _anchor(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "section"
    anchor, n = base, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor


class Builder:
    """Appends blocks in reading order; numbers tables and figures."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._anchors: set[str] = set()

    def heading(self, text: str, level: int = 1) -> None:
        text = french(text)
        self.blocks.append(Heading(text, level, _anchor(text, self._anchors)))

    def paragraph(self, text: str, style: str = "") -> None:
        if text.strip():
            self.blocks.append(Paragraph(french(text.strip()), style))

    def text(self, typed: str, empty: str) -> None:
        """Text typed in the platform: paragraphs on blank lines, « - » lines as bullets; the
        ``empty`` notice when nothing was typed."""
        if not typed.strip():
            self.paragraph(empty, "placeholder")
            return
        for chunk in re.split(r"\n\s*\n", typed.strip()):
            lines = [line.strip() for line in chunk.splitlines() if line.strip()]
            if lines and lines[0].startswith(BULLET_MARKS):
                items: list[str] = []
                for line in lines:
                    if line.startswith(BULLET_MARKS):
                        items.append(line[2:])
                    else:  # a bullet continued on the next line
                        items[-1] += f" {line}"
                self.bullets(items)
            else:
                self.paragraph(" ".join(lines))

    def bullets(self, items: list[str]) -> None:
        if items:
            self.blocks.append(Bullets([french(i) for i in items]))

    def table(self, sheet: Sheet, note: str = "") -> Table:
        number = sum(isinstance(b, Table) for b in self.blocks) + 1
        sheet.title = french(sheet.title)
        table = Table(sheet, number, french(note))
        self.blocks.append(table)
        return table

    def figure(
        self, png: bytes, svg: bytes | None, title: str, alt: str, width_cm: float = 16.0
    ) -> None:
        number = sum(isinstance(b, Figure) for b in self.blocks) + 1
        self.blocks.append(Figure(png, svg, french(title), alt, number, width_cm))

    def fiche(self, rows: list[tuple[str, str]]) -> None:
        self.blocks.append(Fiche([(label, french(value)) for label, value in rows if value]))

    def page_break(self) -> None:
        self.blocks.append(PageBreak())
