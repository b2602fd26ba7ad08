"""The schéma document of the demo département in the four formats: the content (diagnostic
tables, maps, charts, plan) assembled cold then warm, each format written, and the total
against the 30 s target. Compared with the way a Caf analyst gets a PDF today: a Word
document exported to PDF by an office suite (here LibreOffice headless converting our own
DOCX, the same content). Called by benchmarks/run.py; run alone, it builds its own workspace
and prints its Markdown section (``python benchmarks/document.py``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _fr(value: float, digits: int = 1) -> str:
    from sdsf.reports.formatting import french_number

    return french_number(value, digits)


def _libreoffice(docx: Path) -> float | None:
    office = shutil.which("soffice")
    if office is None:
        return None
    out = Path(tempfile.mkdtemp(prefix="sdsf-lo-"))
    profile = f"-env:UserInstallation=file://{out}/profil"
    # a first start creates the profile: not counted, as on a desktop where it exists
    subprocess.run(
        [office, "--headless", profile, "--terminate_after_init"],
        check=False,
        capture_output=True,
        timeout=300,
    )
    _, elapsed = _timed(
        lambda: subprocess.run(
            [
                office,
                "--headless",
                "--norestore",
                profile,
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    )
    return elapsed


def _svg_nodes(svg: bytes) -> int:
    from xml.etree import ElementTree

    return sum(1 for _ in ElementTree.fromstring(svg).iter())


def _map_methods(document, pdf_time: float, pdf_size: int) -> list[str]:
    """The PDF with its maps as simplified vectors (the method kept) against the same document
    with every figure as its 300 dpi PNG (the alternative), CPU time of the process."""
    import dataclasses

    from sdsf.reports.document.model import Figure
    from sdsf.reports.document.pdf import to_pdf

    figures = document.figures()
    nodes = sum(_svg_nodes(f.svg) for f in figures if f.svg)
    raster = dataclasses.replace(
        document,
        blocks=[
            dataclasses.replace(b, svg=None) if isinstance(b, Figure) else b
            for b in document.blocks
        ],
    )
    start = time.process_time()
    data = to_pdf(raster)
    raster_time = time.process_time() - start
    return [
        "",
        f"Cartes du PDF : vectorielles simplifiées (retenu ; {len(figures)} figures SVG, "
        f"{nodes} nœuds, texte conservé en texte) contre images PNG 300 dpi, temps de calcul "
        "du processus (CPU) :",
        "",
        "| méthode | temps CPU | taille | rapport |",
        "| --- | --- | --- | --- |",
        f"| PNG 300 dpi | {_fr(raster_time)} s | {_fr(len(data) / 1e6)} Mo | 1 |",
        f"| SVG simplifié (retenu) | {_fr(pdf_time)} s | {_fr(pdf_size / 1e6)} Mo | "
        f"{_fr(raster_time / pdf_time, 2)} × |",
    ]


def benchmark(departement: str = "44") -> list[str]:
    from django.core.cache import cache

    from sdsf.web.apps.documents.models import DocumentJob
    from sdsf.web.apps.documents.services import build, render
    from sdsf.web.apps.schemes.services import current_scheme

    folder = Path(tempfile.mkdtemp(prefix="sdsf-document-"))
    actions = current_scheme(departement).actions.count()
    cache.clear()
    document, cold = _timed(lambda: build(DocumentJob.SCHEMA, departement))
    _, warm = _timed(lambda: build(DocumentJob.SCHEMA, departement))
    times: dict[str, float] = {}
    sizes: dict[str, int] = {}
    for fmt in ("html", "pdf", "docx", "xlsx"):
        cpu = time.process_time()
        data, times[fmt] = _timed(lambda fmt=fmt: render(document, fmt))
        if fmt == "pdf":
            pdf_cpu = time.process_time() - cpu
        sizes[fmt] = len(data)
        (folder / f"schema.{fmt}").write_bytes(data)
    from pypdf import PdfReader

    pages = len(PdfReader(folder / "schema.pdf").pages)
    total = cold + sum(times.values())
    office = _libreoffice(folder / "schema.docx")
    lines = [
        "",
        "## Document du schéma (démo 44)",
        "",
        f"Schéma complet de la démonstration : {len(document.tables())} tableaux, "
        f"{len(document.figures())} figures (cartes et graphiques), {actions} fiches action, "
        f"{pages} pages en PDF. Cible : les quatre formats en moins de 30 s. Une exécution.",
        "",
        "| étape | temps | taille |",
        "| --- | --- | --- |",
        f"| contenu : diagnostic, cartes PNG 300 dpi + SVG simplifié, plan, priorités (à froid, "
        f"cache vidé) | {_fr(cold)} s | |",
        f"| contenu, cache du diagnostic chaud | {_fr(warm)} s | |",
    ]
    labels = {
        "html": "HTML autonome",
        "pdf": "PDF balisé (WeasyPrint)",
        "docx": "DOCX",
        "xlsx": "XLSX",
    }
    lines += [
        f"| {labels[fmt]} | {_fr(t, 2 if t < 1 else 1)} s | {_fr(sizes[fmt] / 1e6)} Mo |"
        for fmt, t in times.items()
    ]
    lines.append(f"| **total à froid, quatre formats** | **{_fr(total)} s** | |")
    lines += _map_methods(document, pdf_cpu, sizes["pdf"])
    if office is not None:
        lines += [
            "",
            "PDF : sdsf contre l'export PDF d'une suite bureautique (LibreOffice sans "
            "interface convertissant le DOCX de sdsf, même contenu, profil déjà créé) :",
            "",
            "| méthode | temps | rapport |",
            "| --- | --- | --- |",
            f"| LibreOffice, DOCX vers PDF | {_fr(office)} s | 1 |",
            f"| sdsf, HTML vers PDF balisé | {_fr(times['pdf'])} s | "
            f"{_fr(office / times['pdf'])} × |",
        ]
    return lines


if __name__ == "__main__":
    workspace = Path(tempfile.mkdtemp(prefix="sdsf-bench-doc-"))
    os.environ["SDSF_WORKSPACE"] = str(workspace)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sdsf.web.config.settings.local")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sdsf.cli.django_setup import setup

    setup(workspace)
    from sdsf.demo.build import build_demo
    from sdsf.web.apps.territories.services import load_reference_geography

    load_reference_geography()
    build_demo("44")
    print("\n".join(benchmark()))
