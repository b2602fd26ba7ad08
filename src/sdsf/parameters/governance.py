"""Governance templates: calendars of a schéma and the national priorities (orientations
proposed by default). Strict: unknown phases or keys, months out of the period, are refused."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sdsf.parameters import HERE, ParameterError, _StrictLoader

PHASES = (
    "lancement",
    "pre_diagnostic",
    "pre_projet",
    "validation",
    "concertation",
    "signature",
    "mise_en_oeuvre",
    "bilans",
    "evaluation",
)
END = "fin"
FOLDER = HERE / "gouvernance"


@dataclass(frozen=True)
class PhasePlan:
    kind: str
    start_month: int
    end_month: int | None  # None: the end of the schéma


@dataclass(frozen=True)
class CalendarTemplate:
    key: str
    title: str
    reference: str
    months: int
    phases: tuple[PhasePlan, ...]


def _yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path.name} : YAML invalide ({exc})") from exc


def _month(value: Any, where: str, months: int) -> int | None:
    if value == END:
        return None
    if not isinstance(value, int) or not 0 <= value <= months:
        raise ParameterError(f"{where} : mois invalide « {value} » (attendu 0 à {months} ou fin)")
    return value


def parse_calendars(raw: Any, name: str = "calendriers.yaml") -> dict[str, CalendarTemplate]:
    if not isinstance(raw, dict):
        raise ParameterError(f"{name} : un modèle de calendrier par clé attendu")
    out = {}
    for key, body in raw.items():
        where = f"{name}, {key}"
        if not isinstance(body, dict) or set(body) != {
            "titre",
            "reference",
            "duree_mois",
            "phases",
        }:
            raise ParameterError(f"{where} : clés attendues titre, reference, duree_mois, phases")
        months = body["duree_mois"]
        if not isinstance(months, int) or not 12 <= months <= 72:
            raise ParameterError(f"{where} : durée de 12 à 72 mois attendue (six ans au plus)")
        phases = body["phases"]
        if not isinstance(phases, dict) or set(phases) != set(PHASES):
            raise ParameterError(f"{where} : phases attendues {', '.join(PHASES)}")
        plans = []
        for kind in PHASES:
            span = phases[kind]
            if not isinstance(span, dict) or set(span) != {"debut", "fin"}:
                raise ParameterError(f"{where}, {kind} : clés attendues debut et fin")
            start = _month(span["debut"], f"{where}, {kind}", months)
            end = _month(span["fin"], f"{where}, {kind}", months)
            if start is None or (end is not None and end <= start):
                raise ParameterError(f"{where}, {kind} : la fin doit suivre le début")
            plans.append(PhasePlan(kind, start, end))
        out[key] = CalendarTemplate(
            key, str(body["titre"]), str(body["reference"]), months, tuple(plans)
        )
    return out


@cache
def calendars() -> dict[str, CalendarTemplate]:
    return parse_calendars(_yaml(FOLDER / "calendriers.yaml"))


@cache
def national_orientations() -> dict[str, str]:
    raw = _yaml(FOLDER / "orientations.yaml")
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ParameterError("orientations.yaml : un libellé par clé attendu")
    return {str(k): v for k, v in raw.items()}
