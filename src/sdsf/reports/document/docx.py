"""The document as DOCX for partners to edit in Word or LibreOffice: real styles (Titre 1-3
are Word's built-in headings, so Word's table of contents and navigation pane work), a table
of contents field filled with the headings (Word refreshes its page numbers on opening), tables
in a table style with a repeated header row and rows that do not split, numbered captions
(SEQ fields « Tableau » and « Figure »), pictures at 300 dpi with their alternative text, and
running header and page numbers « Page n sur N »."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

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

BLUE = RGBColor(0x00, 0x00, 0x91)
GREY = RGBColor(0x3A, 0x3A, 0x3A)
RED = RGBColor(0xCE, 0x05, 0x00)
FONT = "Liberation Sans"


def _field(paragraph: DocxParagraph, instruction: str, result: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, SEQ, TOC) with its current result."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(result)
    char("end")


def _styles(doc: object) -> None:
    styles = doc.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    defaults = doc.styles.element.find(qn("w:docDefaults"))  # type: ignore[attr-defined]
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    run_defaults.append(lang)
    for level, size in ((1, 18), (2, 14), (3, 11.5)):
        style = styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = BLUE if level < 3 else RGBColor(0x16, 0x16, 0x16)
    styles["Heading 1"].paragraph_format.page_break_before = True
    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0x16, 0x16, 0x16)
    for name in ("Title", "Subtitle"):
        styles[name].font.name = FONT
        styles[name].font.color.rgb = BLUE
    # the template's theme fonts would win over ours in Word: drop them everywhere
    for fonts in styles.element.iter(qn("w:rFonts")):
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        if fonts.get(qn("w:ascii")) is None:
            fonts.set(qn("w:ascii"), FONT)
            fonts.set(qn("w:hAnsi"), FONT)


def _note(doc: object, text: str, color: RGBColor = GREY, italic: bool = False) -> None:
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = color
    run.italic = italic
    paragraph.paragraph_format.space_after = Pt(8)


def _cover(doc: object, document: Document) -> None:
    cover = document.cover
    republique = doc.add_paragraph()  # type: ignore[attr-defined]
    run = republique.add_run("RÉPUBLIQUE\nFRANÇAISE")
    run.bold = True
    run.font.size = Pt(12)
    for _ in range(6):
        doc.add_paragraph()  # type: ignore[attr-defined]
    kicker = doc.add_paragraph(cover.kicker, style="Subtitle")  # type: ignore[attr-defined]
    kicker.paragraph_format.space_after = Pt(4)
    doc.add_paragraph(cover.title, style="Title")  # type: ignore[attr-defined]
    subtitle = doc.add_paragraph()  # type: ignore[attr-defined]
    subtitle.add_run(cover.subtitle).font.size = Pt(16)
    if document.simulated:
        _note(doc, SIMULATED_NOTICE, RED)
    if cover.lines:
        doc.add_paragraph()  # type: ignore[attr-defined]
        title = doc.add_paragraph()  # type: ignore[attr-defined]
        title.add_run(cover.lines_title).bold = True
        for line in cover.lines:
            doc.add_paragraph(line).paragraph_format.space_after = Pt(0)  # type: ignore[attr-defined]
    doc.add_paragraph()  # type: ignore[attr-defined]
    _note(doc, cover.footer)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # type: ignore[attr-defined]


def _toc(doc: object, document: Document) -> None:
    title = doc.add_paragraph("Sommaire", style="Title")  # type: ignore[attr-defined]
    title.runs[0].font.size = Pt(18)
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    entries = "\n".join(("" if h.level == 1 else "    ") + h.text for h in document.headings(2))
    _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u', entries)
    _note(
        doc,
        "Les numéros de page du sommaire se mettent à jour à l'ouverture dans Word "
        "(ou : clic droit › Mettre à jour le champ).",
    )
    settings = doc.settings.element  # type: ignore[attr-defined]
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _shade(cell: object, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _row_flags(table: DocxTable, header_rows: int) -> None:
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index < header_rows:
            properties.append(OxmlElement("w:tblHeader"))


def _caption(doc: object, label: str, number: int, title: str) -> None:
    paragraph = doc.add_paragraph(style="Caption")  # type: ignore[attr-defined]
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f" — {title}")
    paragraph.paragraph_format.keep_with_next = True


def _cell(
    cell: object,
    text: str,
    *,
    bold: bool = False,
    right: bool = False,
    white: bool = False,
    size: float = 8.5,
) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if white:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


TEXT_WIDTH_CM = 17.4


def column_widths(table: Table) -> list[float]:
    """Widths in cm over the text width: each column at least as wide as the longest word of
    its header (8.5 pt bold), the rest shared after the longest text of each column."""
    sheet = table.sheet
    minimums, weights = [], []
    for index, column in enumerate(sheet.columns):
        cells = [
            len(cell_text(column, row[index], sheet.digits(r, column)))
            for r, row in enumerate(sheet.rows[:60])
        ]
        longest_word = max((len(w) for w in column.header.split()), default=4)
        minimums.append(0.19 * longest_word + 0.45)
        weights.append(min(45, max(len(column.header) / 2.5, *cells, 2)))
    spare = TEXT_WIDTH_CM - sum(minimums)
    if spare <= 0:
        return [TEXT_WIDTH_CM * m / sum(minimums) for m in minimums]
    return [m + spare * w / sum(weights) for m, w in zip(minimums, weights, strict=True)]


def _table(doc: object, table: Table) -> None:
    sheet = table.sheet
    _caption(doc, "Tableau", table.number, sheet.title)
    size = 7.5 if len(sheet.columns) > 7 else 8.5
    grid = doc.add_table(rows=1 + max(len(sheet.rows), 1), cols=len(sheet.columns))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, col in zip(grid.rows[0].cells, sheet.columns, strict=True):
        _cell(cell, col.header, bold=True, white=True, right=is_number(col), size=size)
        _shade(cell, "000091")
    if not sheet.rows:
        _cell(grid.rows[1].cells[0], "Aucune ligne.", size=size)
    for r, (row_cells, row) in enumerate(zip(grid.rows[1:], sheet.rows, strict=False)):
        for cell, col, value in zip(row_cells.cells, sheet.columns, row, strict=True):
            text = cell_text(col, value, sheet.digits(r, col))
            _cell(cell, text, right=is_number(col), size=size)
    grid.autofit = False
    for index, width in enumerate(column_widths(table)):
        grid.columns[index].width = Cm(width)  # the grid, which LibreOffice reads
        for cell in grid.columns[index].cells:
            cell.width = Cm(width)  # and each cell, which Word reads
    _row_flags(grid, 1)
    if sheet.notice:
        _note(doc, sheet.notice, italic=True)
    if table.note:
        _note(doc, table.note)
    _note(doc, f"Source : {sheet.sources}")


def _figure(doc: object, figure: Figure) -> None:
    doc.add_picture(io.BytesIO(figure.png), width=Cm(figure.width_cm))  # type: ignore[attr-defined]
    picture = doc.paragraphs[-1]  # type: ignore[attr-defined]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    for properties in picture._p.iter(qn("wp:docPr")):
        properties.set("descr", figure.alt)
        properties.set("title", figure.title)
    _caption(doc, "Figure", figure.number, figure.title)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]


def _fiche(doc: object, fiche: Fiche) -> None:
    grid = doc.add_table(rows=len(fiche.rows), cols=2)  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.autofit = False
    grid.columns[0].width, grid.columns[1].width = Cm(4.5), Cm(TEXT_WIDTH_CM - 4.5)
    for row, (label, value) in zip(grid.rows, fiche.rows, strict=True):
        row.cells[0].width = Cm(4.5)
        row.cells[1].width = Cm(TEXT_WIDTH_CM - 4.5)
        _cell(row.cells[0], label, bold=True, size=9)
        _shade(row.cells[0], "ECEEFA")
        _cell(row.cells[1], value, size=9)
    _row_flags(grid, 0)
    doc.add_paragraph()  # type: ignore[attr-defined]


def _header_footer(doc: object, document: Document) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = document.title
    header.runs[0].font.size = Pt(7.5)
    header.runs[0].font.color.rgb = GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" sur ")
    _field(footer, "NUMPAGES", "1")
    if document.simulated:
        footer.add_run(f" — {SIMULATED_NOTICE}").font.color.rgb = RED
    for run in footer.runs:
        run.font.size = Pt(8)


def to_docx(document: Document) -> bytes:
    doc = new_docx()
    _styles(doc)
    _header_footer(doc, document)
    properties = doc.core_properties
    properties.title = document.title[:255]
    properties.subject = document.subject[:255]
    properties.author = "sdsf"
    properties.language = "fr-FR"
    properties.comments = document.vintage[:255]
    _cover(doc, document)
    _toc(doc, document)
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            if block.style in ("note", "placeholder"):
                _note(
                    doc,
                    block.text,
                    RED if block.style == "placeholder" else GREY,
                    italic=block.style == "placeholder",
                )
            else:
                doc.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Figure):
            _figure(doc, block)
        elif isinstance(block, Fiche):
            _fiche(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
