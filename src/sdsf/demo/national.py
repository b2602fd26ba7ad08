"""The demo on several départements, or all of them: each département is simulated as by the
one-département demo (same seeds, same figures), then each source is written as ONE file
covering all of them, as a national published file would be, and imported once.

A territory that is not a commune may be simulated by two départements: an EPCI straddling a
boundary is in the Filosofi EPCI file of each of its départements (each summing only its own
communes). One row per key is kept: the row of the département the territory belongs to in the
reference geography (the EPCI's seat), else the first listed département in code order. Rows
keyed by a commune, a département, an IRIS or a simulated QPV are simulated once by
construction; the same rule applies to them should they repeat.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from django.conf import settings

from sdsf.core import columns as c
from sdsf.demo.schema import build_schemes
from sdsf.reports.formatting import counted
from sdsf.web.apps.territories.models import Territory

# source -> the columns that identify a row (registries of establishments have none: rows)
KEYS: dict[str, list[str]] = {
    "insee-naissances": ["code"],
    "assistantes-maternelles": ["annee", "code_commune"],
    "prescolarisation": ["annee", "code_commune"],
    "garde-domicile": ["annee", "code_commune"],
    "insee-population": ["codgeo"],
    "filosofi": ["CODGEO"],
    "filosofi-epci": ["CODGEO"],
    "filosofi-dep": ["CODGEO"],
    "insee-iris": ["CODE_IRIS"],
    "caf-iris": ["CODGEO"],
    "qpv": ["CODGEO"],
    "dgcl-potentiel-financier": ["Informations générales - Code INSEE de la commune"],
    "dgfip-ircom": ["Dép.", "Commune"],
    "zrr": ["CODGEO"],
}
DREES_KEY = ["Code département"]
ALL = {"all", "toutes", "tous", "france"}


def departement_codes(spec: str) -> list[str]:
    """The départements of ``spec``: « all » (every département of the reference geography) or
    codes separated by commas, in code order, each once. An unknown code raises ValueError
    naming it, in French."""
    departements = Territory.objects.filter(level=c.DEPARTEMENT).order_by("code")
    known = list(departements.values_list("code", flat=True))
    if spec.strip().lower() in ALL:
        return known
    asked = [part.strip().upper() for part in spec.split(",") if part.strip()]
    asked = [a.zfill(2) if a.isdigit() and len(a) == 1 else a for a in asked]
    if not asked:
        raise ValueError("aucun département demandé (par exemple --departement 44,49 ou all)")
    unknown = [a for a in dict.fromkeys(asked) if a not in set(known)]
    if len(unknown) == 1:
        raise ValueError(f"département inconnu « {unknown[0]} » : rien n'a été modifié")
    if unknown:
        listed = ", ".join(f"« {u} »" for u in unknown)
        raise ValueError(f"départements inconnus {listed} : rien n'a été modifié")
    return sorted(set(asked), key=known.index)


def combine(
    per_departement: dict[str, dict[str, tuple[str, pd.DataFrame, str]]],
    home: dict[str, str],
) -> dict[str, tuple[str, pd.DataFrame, str]]:
    """One frame per source, the départements' rows one after the other (in code order), one
    row per key (see the module docstring): ``home`` maps a non-commune territory code (EPCI)
    to its département in the reference geography."""
    out: dict[str, tuple[str, pd.DataFrame, str]] = {}
    first = next(iter(per_departement.values()))
    for source, (name, _, sep) in first.items():
        parts = []
        for dep, files in per_departement.items():
            frame = files[source][1]
            parts.append(frame.assign(_dep=dep))
        frame = pd.concat(parts, ignore_index=True)
        keys = DREES_KEY if source.startswith("drees") else KEYS.get(source)
        if keys:
            frame = _one_per_key(frame, keys, home)
        out[source] = (name, frame.drop(columns=["_dep"]), sep)
    return out


def _one_per_key(frame: pd.DataFrame, keys: list[str], home: dict[str, str]) -> pd.DataFrame:
    """The row of the key's own département, else of the first département in code order."""
    owner = frame[keys[0]].astype(str).map(home)
    frame = frame.assign(_away=(owner.notna() & (owner != frame["_dep"])).astype(int))
    kept = frame.reset_index().sort_values(["_away", "index"], kind="stable")
    kept = kept.drop_duplicates(keys, keep="first").sort_values("index", kind="stable")
    return kept.drop(columns=["index", "_away"]).reset_index(drop=True)


def build_national_demo(codes: Sequence[str]) -> list[str]:
    """Build the demo on the départements ``codes`` (several): simulate each, import one file
    per source covering all of them, then seed the demo schéma of each département (accounts
    suffixed by the département code); return a short summary, in French."""
    from sdsf.demo.build import (
        DEMO_PASSWORD,
        _communes,
        import_demo_file,
        simulate_departement,
    )

    started = time.perf_counter()
    communes = _communes()
    communes = communes[communes[c.DEPARTEMENT_CODE].isin(list(codes))]
    deps = {
        code: (region, name)
        for code, region, name in Territory.objects.filter(
            level=c.DEPARTEMENT, code__in=list(codes)
        ).values_list("code", "region", "name")
    }
    grouped = dict(tuple(communes.groupby(c.DEPARTEMENT_CODE, sort=False)))
    per_departement = {
        code: simulate_departement(code, grouped[code], deps[code]) for code in codes
    }
    home = dict(Territory.objects.filter(level=c.EPCI).values_list("code", "departement"))
    files = combine(per_departement, home)
    del per_departement, grouped, communes  # the combined files only, from here on
    simulated = time.perf_counter() - started
    everything = len(codes) == Territory.objects.filter(level=c.DEPARTEMENT).count()
    label = "france" if everything else "-".join(codes) if len(codes) <= 10 else f"{len(codes)}dep"
    folder = Path(settings.WORKSPACE) / "demo" / label
    folder.mkdir(parents=True, exist_ok=True)
    scope = "tous les départements" if everything else f"les départements {', '.join(codes)}"
    lines = [
        f"Démonstration (données simulées) pour {scope} ({len(codes)}) : "
        f"simulation en {simulated:.0f} s, un fichier par source."
    ]
    started = time.perf_counter()
    for source in list(files):
        name, frame, sep = files.pop(source)  # each frame freed once imported
        report = import_demo_file(source, folder / name, frame, sep, f"{label}-{name}")
        del frame
        lines.append(f"  {report.lines()[0]}")
        skipped = report.file.skipped if not report.already_imported else []
        lines += [f"    Écarté : {s}" for s in skipped[:3]]
    lines.append(f"  Imports en {time.perf_counter() - started:.0f} s.")
    started = time.perf_counter()
    accounts = build_schemes(codes, DEMO_PASSWORD)
    lines += [
        f"  Schémas de démonstration : {counted(len(codes), 'département')} "
        f"en {time.perf_counter() - started:.0f} s.",
        "",
        "Pour ouvrir la plateforme :",
        f"  {os.path.join('.venv', 'bin', 'sdsf')} serve   puis http://127.0.0.1:8000/",
        f"  comptes (mot de passe {DEMO_PASSWORD}), un par rôle et par département, "
        f"suffixés par son code : demo-{codes[0]}@sdsf.local (pilote), "
        f"comite-{codes[0]}@, contributeur-{codes[0]}@, lecteur-{codes[0]}@sdsf.local…",
        *accounts,
        f"  page d'un département : http://127.0.0.1:8000/departements/{codes[0]}/",
    ]
    return lines
