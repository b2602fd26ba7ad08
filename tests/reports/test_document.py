"""The document renderers on a small document (no database): French typography, numbering
shared by every format, DOCX styles and fields, self-contained HTML, tagged PDF with
bookmarks, one XLSX sheet per table."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import openpyxl
import pytest
from docx import Document as open_docx
from hypothesis import given
from hypothesis import strategies as st

from sdsf.reports.document.docx import to_docx
from sdsf.reports.document.html import to_html
from sdsf.reports.document.model import Builder, Cover, Document
from sdsf.reports.document.pdf import to_pdf
from sdsf.reports.document.typography import NBSP, NNBSP, french
from sdsf.reports.document.xlsx import to_workbook
from sdsf.reports.plots import grouped_bars
from sdsf.reports.workbook import Column, Sheet, year_column
from tests.tools import require_tool


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Objectif : 75 %", f"Objectif{NBSP}: 75{NBSP}%"),
        ("Vraiment ?", f"Vraiment{NNBSP}?"),
        ("oui; non!", f"oui{NNBSP}; non{NNBSP}!"),
        ('le "bonus territoire"', f"le «{NBSP}bonus territoire{NBSP}»"),
        ("« déjà »", f"«{NBSP}déjà{NBSP}»"),
        ("12 €", f"12{NBSP}€"),
        ("https://data.caf.fr/page", "https://data.caf.fr/page"),  # no space in an address
        ("réunion à 10:30", "réunion à 10:30"),  # nor in a time
    ],
)
def test_french_typography(text, expected):
    assert french(text) == expected


@given(st.text(alphabet=st.sampled_from(list('ab1 :;!?%€«»"\n')), max_size=40))
def test_french_typography_is_idempotent(text):
    once = french(text)
    assert french(once) == once


def _document() -> Document:
    b = Builder()
    b.heading("Contexte")
    b.paragraph('Le "schéma" couvre six ans : il est renouvelé.')
    b.text("Deux enjeux :\n\n- le premier ;\n  suite du premier\n- le second.", "vide")
    b.heading("Chiffres", 2)
    b.table(
        Sheet(
            "Couverture",
            "Taux de couverture",
            [Column("Territoire"), year_column(), Column("Taux", 1), Column("Places", 0)],
            [["Nantes", 2023, 61.26, 12345], ["Rezé", 2023, None, 800]] * 30,
            "Cnaf",
        )
    )
    png, svg = grouped_bars(
        ["Global", "EAJE"], {"44": [60.3, 30.1], "France": [59.8, None]}, "places", "Source : test"
    )
    b.figure(png, svg, "Taux par mode", "Diagramme : global 60,3, EAJE 30,1.")
    b.heading("Plan")
    b.fiche([("Pilote", "Caf"), ("Vide", "")])
    b.table(Sheet("Second", "Deuxième tableau", [Column("A")], [], "sdsf"))
    return Document(
        "Schéma de test",
        "test",
        Cover(
            "Schéma", "Loire-Atlantique", "2024-2030", ["Préfecture"], "Signataires", "produit le"
        ),
        b.blocks,
        subject="test",
        vintage="Cnaf 2023",
        simulated=True,
    )


def test_builder_numbers_tables_and_figures_and_reads_typed_text():
    doc = _document()
    assert [t.caption for t in doc.tables()] == [
        "Tableau 1 — Taux de couverture",
        "Tableau 2 — Deuxième tableau",
    ]
    assert [f.caption for f in doc.figures()] == ["Figure 1 — Taux par mode"]
    bullets = next(b for b in doc.blocks if type(b).__name__ == "Bullets")
    assert bullets.items == [f"le premier{NNBSP}; suite du premier", "le second."]
    fiche = next(b for b in doc.blocks if type(b).__name__ == "Fiche")
    assert fiche.rows == [("Pilote", "Caf")]  # an empty field is left out


def test_html_is_self_contained_with_print_css():
    html = to_html(_document())
    assert '<html lang="fr">' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert re.findall(r'<img src="data:image/svg\+xml;base64,', html)
    assert "counter(pages)" in html and "target-counter" in html
    assert html.count("<caption>Tableau") == 2
    assert "61,3" in html and "12\u202f345" in html and "—" in html  # rounding, missing
    assert ">2023<" in html  # years without separator nor decimals


def test_docx_styles_fields_and_pictures():
    data = to_docx(_document())
    doc = open_docx(io.BytesIO(data))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [("Heading 1", "Contexte"), ("Heading 2", "Chiffres"), ("Heading 1", "Plan")]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'TOC \\o "1-2"' in xml
    assert xml.count("SEQ Tableau") == 2 and xml.count("SEQ Figure") == 1
    assert "<w:tblHeader/>" in xml and "<w:cantSplit/>" in xml
    assert 'descr="Diagramme : global 60,3, EAJE 30,1."' in xml
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0].width.cm == pytest.approx(16, abs=0.01)
    footer = zipfile.ZipFile(io.BytesIO(data)).read("word/footer1.xml").decode()
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert doc.core_properties.language == "fr-FR"
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'Theme="' not in styles  # our font, not the template's theme font
    assert len(doc.tables) == 3  # two tables and a fiche


def test_pdf_is_tagged_with_bookmarks(tmp_path):
    from pypdf import PdfReader

    require_tool("pdftotext")
    pdf = tmp_path / "test.pdf"
    pdf.write_bytes(to_pdf(_document()))
    reader = PdfReader(pdf)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == ["Contexte", "Plan"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Schéma de test"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Tableau 1 — Taux de couverture" in text
    assert re.search(r"Page 3 sur \d", text)
    # the header row is repeated on the page where the long table goes on
    assert text.count("Territoire") >= 2


def test_xlsx_has_one_sheet_per_table_with_sources():
    book = openpyxl.load_workbook(io.BytesIO(to_workbook(_document())))
    assert book.sheetnames == ["Sommaire", "T01 Couverture", "T02 Second"]
    sheet = book["T01 Couverture"]
    assert sheet["A1"].value == "Tableau 1 — Taux de couverture"
    assert sheet["C5"].value == 61.26 and sheet["C5"].number_format == "# ##0.0"
    assert sheet["B5"].number_format == "0"  # a year
    last = [c.value for c in sheet["A"] if c.value]
    assert last[-1] == "Sources : Cnaf"
