"""Texts of the documents that do not depend on the département (``documents/textes.yaml``)
and the glossary of acronyms (``documents/glossaire.yaml``). Strict: every section of the
document must have its text, and nothing else is accepted."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sdsf.parameters import HERE, ParameterError, _StrictLoader

FOLDER = HERE / "documents"
SECTIONS = (
    "contexte",
    "methode",
    "diagnostic",
    "priorites",
    "gouvernance",
    "indicateurs_communs",
)


def _yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path.name} : YAML invalide ({exc})") from exc


def parse_texts(raw: Any, name: str = "textes.yaml") -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict) or set(raw) != set(SECTIONS):
        found = ", ".join(map(str, raw)) if isinstance(raw, dict) else type(raw).__name__
        raise ParameterError(f"{name} : clés attendues {', '.join(SECTIONS)} ; trouvé {found}")
    out = {}
    for key in SECTIONS:
        paragraphs = raw[key]
        if (
            not isinstance(paragraphs, list)
            or not paragraphs
            or not all(isinstance(p, str) and p.strip() for p in paragraphs)
        ):
            raise ParameterError(f"{name}, {key} : une liste de paragraphes non vides attendue")
        out[key] = tuple(p.strip() for p in paragraphs)
    return out


@cache
def texts() -> dict[str, tuple[str, ...]]:
    return parse_texts(_yaml(FOLDER / "textes.yaml"))


@cache
def glossary() -> dict[str, str]:
    raw = _yaml(FOLDER / "glossaire.yaml")
    if not isinstance(raw, dict) or not all(
        isinstance(k, str | int) and isinstance(v, str) and v.strip() for k, v in raw.items()
    ):
        raise ParameterError("glossaire.yaml : une définition par sigle attendue")
    return dict(sorted(((str(k), v) for k, v in raw.items()), key=lambda kv: kv[0].lower()))
