"""The schéma document of the demo département in its four formats: golden structure of the
DOCX, the PDF (pdftotext, bookmarks, tags) and the HTML; every table in the XLSX; the figures
of the text equal to those of their tables and of the platform; the DOCX opened by
LibreOffice; a re-render after an indicator update; the page that requests a document and the
downloads; the annual review and the territory fiche; the command line."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from docx import Document as open_docx
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.core import columns as c
from sdsf.parameters.indicators import catalogue
from sdsf.reports.formatting import french_number
from sdsf.reports.summaries import shown
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.actionplan import services as plan
from sdsf.web.apps.actionplan.models import ActionIndicator
from sdsf.web.apps.diagnostic.services import figures
from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.documents.services import build, write
from tests.conftest import DEMO_DEPARTEMENT as DEP
from tests.tools import require_tool

pytestmark = pytest.mark.django_db

CHAPTERS = [
    "Éditorial",
    "Contexte et cadre juridique",
    "Méthode d'élaboration",
    "Diagnostic territorial partagé",
    "Enjeux",
    "Orientations et plan d'action",
    "Territoires prioritaires",
    "Gouvernance et suivi",
    "Synthèse des indicateurs communs",
    "Annexes",
]
ACTIONS = 12  # the demo plan


@pytest.fixture(scope="module")
def written(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo schéma written once in the four formats."""
    folder = tmp_path_factory.mktemp("schema")
    with django_db_blocker.unblock():
        document = build(DocumentJob.SCHEMA, DEP)
        paths = write(document, ["docx", "pdf", "html", "xlsx"], folder)
    return document, {p.suffix[1:]: p for p in paths}


def _pdftotext(path: Path) -> str:
    require_tool("pdftotext")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_content_follows_article_d214_2(written):
    document, _ = written
    assert [h.text for h in document.headings(1)] == CHAPTERS
    themes = [t.title for t in catalogue().themes.values()]
    level2 = [h.text for h in document.headings(2)]
    assert all(title in level2 for title in themes)
    actions = [h.text for h in document.blocks if type(h).__name__ == "Heading" and h.level == 3]
    assert len(actions) == ACTIONS and actions[0].startswith("Action 1 — ")
    # a map per theme that has data, the coverage chart and the priority map
    assert len(document.figures()) >= 8
    assert document.simulated
    assert document.cover.lines_title == "Signataires" and len(document.cover.lines) == 7


def test_docx_golden_structure(written):
    document, paths = written
    doc = open_docx(paths["docx"])
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert level1 == CHAPTERS
    level3 = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert len(level3) == ACTIONS
    assert len(doc.tables) == len(document.tables()) + ACTIONS  # tables and fiches
    assert len(doc.inline_shapes) == len(document.figures())
    for shape in doc.inline_shapes:  # printed at 300 dpi over the text width at most
        assert shape.width.cm <= 16.01
    xml = zipfile.ZipFile(paths["docx"]).read("word/document.xml").decode()
    assert xml.count("SEQ Tableau") == len(document.tables())
    assert xml.count("SEQ Figure") == len(document.figures())
    assert 'TOC \\o "1-2"' in xml
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions[0].startswith("Tableau 1") and any(t.startswith("Figure 1") for t in captions)
    assert doc.sections[0].header.paragraphs[0].text == document.title


def test_pdf_golden_structure(written):
    from pypdf import PdfReader

    document, paths = written
    text = _pdftotext(paths["pdf"])
    reader = PdfReader(paths["pdf"])
    pages = len(reader.pages)
    assert 25 < pages < 80
    assert f"Page 2 sur {pages}" in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == CHAPTERS
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    for table in document.tables():
        assert f"Tableau {table.number} —" in text
    assert "DONNÉES SIMULÉES" in text
    # the table of contents carries page numbers
    assert re.search(r"Territoires prioritaires \.{5,} \d+", text)


def test_html_golden_structure(written):
    document, paths = written
    html = paths["html"].read_text(encoding="utf-8")
    titles = [unescape(t) for t in re.findall(r"<h1 id=[^>]*>([^<]+)</h1>", html)]
    assert titles == ["Sommaire", *CHAPTERS]
    assert html.count("<img ") == len(document.figures())
    assert not re.search(r'(src|href)="(https?:)?//', html)  # self-contained
    assert html.count('<figure class="table') == len(document.tables())
    assert 'alt=""' not in html


def test_xlsx_has_every_table_with_its_sources(written):
    document, paths = written
    book = openpyxl.load_workbook(paths["xlsx"])
    assert len(book.sheetnames) == len(document.tables()) + 1
    for table, name in zip(document.tables(), book.sheetnames[1:], strict=True):
        sheet = book[name]
        assert sheet["A1"].value == table.caption
        assert sheet.max_row == 4 + len(table.sheet.rows) + 2
        assert str(sheet.cell(sheet.max_row, 1).value).startswith("Sources : ")


def test_figures_in_the_text_match_their_tables_and_the_platform(written):
    document, paths = written
    text = _pdftotext(paths["pdf"])
    flat = re.sub(r"\s+", " ", text)
    indicators = catalogue().of_theme("accueil")
    platform = {f.indicator.id: f for f in figures(c.DEPARTEMENT, DEP, DEP, indicators) if f.value}
    key_table = next(t for t in document.tables() if t.sheet.title.startswith("Accueil du jeune"))
    rows = {row[0]: row for row in key_table.sheet.rows}
    for ind in indicators:
        if ind.id not in platform:
            continue
        value = platform[ind.id].value
        assert rows[ind.label][3] == value  # the table holds the platform's figure
        written_value = shown(value, ind.decimals)
        sentence = f"{ind.label} ({platform[ind.id].year}) : {written_value}"
        assert sentence.replace("\u202f", " ") in flat.replace("\u202f", " ").replace("\xa0", " ")
    rate = platform["taux_global"].value
    common = next(t for t in document.tables() if t.sheet.title.startswith("Synthèse"))
    assert common.sheet.rows[0][3] == rate
    book = openpyxl.load_workbook(paths["xlsx"])
    sheet = book[next(n for n in book.sheetnames if n.startswith(f"T{common.number:02d}"))]
    assert sheet["D5"].value == rate
    assert french_number(rate, 1) in text


def test_libreoffice_opens_the_docx(written, tmp_path):
    _, paths = written
    office = require_tool("soffice")
    subprocess.run(
        [
            office,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(paths["docx"]),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = tmp_path / paths["docx"].with_suffix(".pdf").name
    text = _pdftotext(converted)
    for chapter in CHAPTERS:
        assert chapter in text
    assert "Tableau 1 —" in text


def test_rerender_after_an_indicator_update():
    indicator = ActionIndicator.objects.filter(
        action__scheme__departement=DEP, source_indicator=""
    ).first()
    before = build(DocumentJob.SCHEMA, DEP)
    plan.enter_value(SYSTEM, indicator, 2027, 987.6, "bilan 2027")
    after = build(DocumentJob.SCHEMA, DEP)

    def last_value(document):
        table = next(t for t in document.tables() if t.sheet.name == "Indicateurs des actions")
        row = next(r for r in table.sheet.rows if r[1] == indicator.label)
        return row[6], row[7]

    assert last_value(before) != (987.6, 2027)
    assert last_value(after) == (987.6, 2027)
    fiche = [b for b in after.blocks if type(b).__name__ == "Fiche"][indicator.action.number - 1]
    assert "dernière valeur 987,6 en 2027" in dict(fiche.rows)["Indicateurs"]


def test_the_page_requests_a_document_and_lists_its_downloads(client):
    client.force_login(get_user_model().objects.get(username="lecteur@sdsf.local"))
    url = f"/departements/{DEP}/schema/documents/"
    response = client.post(
        url, {"op": "produire", "kind": "bilan", "formats": ["html", "xlsx"], "year": "2025"}
    )
    assert response.status_code == 302
    job = DocumentJob.objects.get(departement=DEP)
    assert job.status == DocumentJob.DONE and job.progress == 100
    assert [f["format"] for f in job.files] == ["html", "xlsx"]
    assert "révision des données" in job.vintage
    page = client.get(url).content.decode()
    assert "terminé" in page and f"/documents/{job.pk}/html/" in page
    html = client.get(f"{url}{job.pk}/html/")
    assert html.status_code == 200 and b"Bilan annuel 2025" in b"".join(html.streaming_content)
    xlsx = client.get(f"{url}{job.pk}/xlsx/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert "Sommaire" in book.sheetnames
    # a year out of the schéma's period: a French message, no document requested
    response = client.post(
        url, {"op": "produire", "kind": "bilan", "formats": ["pdf"], "year": "2040"}, follow=True
    )
    assert "hors de la période du schéma (2024-2030)" in response.content.decode()
    assert DocumentJob.objects.count() == 1
    # a reader cannot change the texts of the schéma
    response = client.post(url, {"op": "textes", "textes-editorial": "x", "textes-issues": ""})
    assert response.status_code == 403


def test_the_pilots_texts_go_into_the_document(client):
    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    url = f"/departements/{DEP}/schema/documents/"
    response = client.post(
        url,
        {
            "op": "textes",
            "textes-editorial": 'Le "schéma" nous engage : ensemble.',
            "textes-issues": "- premier enjeu ;\n- second enjeu.",
        },
    )
    assert response.status_code == 302
    document = build(DocumentJob.SCHEMA, DEP)
    texts = [getattr(b, "text", None) for b in document.blocks]
    assert "Le «\u00a0schéma\u00a0» nous engage\u00a0: ensemble." in texts
    assert any(
        getattr(b, "items", None) == ["premier enjeu\u202f;", "second enjeu."]
        for b in document.blocks
    )


def test_cli_writes_the_review_and_a_territory_fiche(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "schema",
            "--departement",
            DEP,
            "--document",
            "fiche",
            "--territoire",
            "44109",
            "--format",
            "html,docx",
            "--sortie",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fiche_commune_44109.html").exists()
    assert "Fiche territoire — Nantes" in result.output
    doc = open_docx(tmp_path / "fiche_commune_44109.docx")
    assert "Nantes" in doc.paragraphs[0].text + " ".join(p.text for p in doc.paragraphs[:12])
    result = runner.invoke(
        app, ["schema", "--departement", DEP, "--format", "docx,odt", "--sortie", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "format inconnu : odt (attendu : docx, pdf, html, xlsx)" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(
        app, ["schema", "--departement", DEP, "--document", "fiche", "--sortie", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "la fiche territoire demande le code d'une commune" in result.output
