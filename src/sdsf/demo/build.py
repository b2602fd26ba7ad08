"""Building the demonstration workspace: simulate, write files in the published layouts, import
them through the same importers as real files (flagged as simulated)."""

from __future__ import annotations

import os
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings

from sdsf.core import columns as c
from sdsf.demo.drees import drees_tables
from sdsf.demo.schema import build_scheme
from sdsf.demo.simulation import simulate
from sdsf.demo.social import simulate_social
from sdsf.parameters import load
from sdsf.sources import datafrance
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.services import ImportReport
from sdsf.web.apps.territories.models import Territory

DEMO_EMAIL = "demo@sdsf.local"
DEMO_PASSWORD = "famille-accueil-2026"


def _national_shares() -> dict[str, float]:
    values = load().at("2023-12-31")["couverture"]["taux_national"]
    return {mode: float(values[mode]) for mode in c.MODES}


def build_demo(departement: str) -> list[str]:
    """Build the demo for ``departement``; return what was done, in French."""
    communes = _communes(departement)
    if communes.empty:
        raise ValueError(f"département inconnu « {departement} »")
    files = simulate_departement(departement, communes, _departement_row(departement))
    folder = Path(settings.WORKSPACE) / "demo" / departement
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"Démonstration (données simulées) pour le département {departement} :"]
    for source, (name, frame, sep) in files.items():
        report = import_demo_file(source, folder / name, frame, sep, f"{departement}-{name}")
        lines += [f"  {line}" for line in report.lines()]
    accounts = build_scheme(departement, DEMO_PASSWORD)
    lines += [
        "",
        "Pour ouvrir la plateforme :",
        f"  {os.path.join('.venv', 'bin', 'sdsf')} serve   puis http://127.0.0.1:8000/",
        f"  compte de démonstration (pilote) : {DEMO_EMAIL} / {DEMO_PASSWORD}",
        "  autres comptes (même mot de passe), un par rôle :",
        *accounts[1:],
        f"  schéma (partenaires, comité, plan d'action, suivi) : "
        f"http://127.0.0.1:8000/departements/{departement}/schema/",
        f"  page du département : http://127.0.0.1:8000/departements/{departement}/",
        f"  diagnostic par thème : http://127.0.0.1:8000/departements/{departement}/diagnostic/",
        f"  document du schéma (DOCX, PDF, HTML, XLSX) : "
        f"http://127.0.0.1:8000/departements/{departement}/schema/documents/ "
        f"ou : {os.path.join('.venv', 'bin', 'sdsf')} schema --departement {departement} "
        "--sortie documents",
    ]
    return lines


DemoFiles = dict[str, tuple[str, pd.DataFrame, str]]  # source -> (file name, frame, separator)


def simulate_departement(
    departement: str, communes: pd.DataFrame, dep: tuple[str, str]
) -> DemoFiles:
    """The simulated files of ``departement`` (source -> file name, frame, separator).

    ``communes``: its communes (``code``, ``libelle``, ``area_km2``, ``epci``), in any order;
    ``dep``: its région code and name. Deterministic: the generators are seeded by the code.
    """
    region, dep_name = dep
    communes = communes[[c.CODE, c.LABEL, "area_km2", "epci"]].copy()
    epci = communes.pop("epci")
    communes["population"] = communes[c.CODE].map(_seed_population())
    data = simulate(communes, _national_shares(), departement)
    communes["epci"] = epci
    density = communes["population"].fillna(0).clip(lower=20) / communes["area_km2"].fillna(
        10
    ).clip(lower=0.5)
    communes["urban"] = np.clip((np.log10(density) - 1.5) / 1.5, 0, 1)
    communes["population"] = communes["population"].fillna(0).clip(lower=20)
    social = simulate_social(communes, departement)
    files: DemoFiles = {
        "insee-naissances": ("naissances_simulees_com.csv", data.births, ","),
        "eaje": ("eaje_simules.csv", data.eaje, ";"),
        "assistantes-maternelles": ("assistantes_maternelles_simulees.csv", data.childminders, ";"),
        "prescolarisation": ("prescolarisation_simulee.csv", data.preschool, ";"),
        "garde-domicile": ("garde_domicile_simulee.csv", data.home_care, ";"),
        "insee-population": ("population_simulee_2023_com.csv", data.population, ","),
        "services-parentalite": ("services_familles_simules.csv", data.services, ";"),
        "filosofi": ("filosofi_simule_com.csv", social.filosofi["com"], ";"),
        "filosofi-epci": ("filosofi_simule_epci.csv", social.filosofi["epci"], ";"),
        "filosofi-dep": ("filosofi_simule_dep.csv", social.filosofi["dep"], ";"),
        "insee-iris": ("iris_simule_2021.csv", social.iris, ";"),
        "caf-iris": ("caf_iris_simule_2020.csv", social.caf_iris, ";"),
        "qpv": ("qpv_demographie_simulee_2022.csv", social.qpv, ";"),
        "dgcl-potentiel-financier": ("criteres_repartition_simules_2023.csv", social.dgcl, ";"),
        "dgfip-ircom": ("ircom_simule_2022.csv", social.ircom, ";"),
        "zrr": ("zrr_simule_2021.csv", social.zrr, ";"),
    }
    tables = drees_tables(
        data,
        departement,
        region,
        dep_name,
        np.random.default_rng(zlib.crc32(f"sdsf-demo-drees-{departement}".encode())),
    )
    for number, table in tables.items():  # the DREES names its tables by number
        files[f"drees-eaje#{number}"] = (f"drees_simule_Tab{number}_dep.csv", table, ";")
    return files


def import_demo_file(
    source: str, path: Path, frame: pd.DataFrame, sep: str, display_name: str
) -> ImportReport:
    """Write ``frame`` at ``path`` and import it as simulated, confirmed (nothing to ask)."""
    frame.to_csv(path, sep=sep, index=False, encoding="utf-8")
    return import_file(
        "filosofi" if source.startswith("filosofi") else source.split("#")[0],
        path,
        user=SYSTEM,
        display_name=display_name,
        simulated=True,
        confirmed=True,  # simulated figures: nothing to ask the operator
        level="commune" if source.startswith("insee") else None,
        year=2023 if source == "insee-population" else None,
    )


def _communes(departement: str | None = None) -> pd.DataFrame:
    """Communes of the reference geography (of ``departement``, else all of them)."""
    rows = Territory.objects.filter(level=c.COMMUNE)
    if departement is not None:
        rows = rows.filter(departement=departement)
    return pd.DataFrame(
        list(rows.values_list("code", "name", "area_km2", "epci", "departement")),
        columns=[c.CODE, c.LABEL, "area_km2", "epci", c.DEPARTEMENT_CODE],
    )


def _departement_row(departement: str) -> tuple[str, str]:
    dep = Territory.objects.get(level=c.DEPARTEMENT, code=departement)
    return dep.region, dep.name


@lru_cache(maxsize=1)
def _seed_population() -> dict[str, float]:
    communes = datafrance._read("communes", ["code", "type", "population_municipale"])
    communes = communes[communes["type"] == "COM"]
    return dict(
        zip(
            communes["code"],
            pd.to_numeric(communes["population_municipale"], errors="coerce"),
            strict=True,
        )
    )
