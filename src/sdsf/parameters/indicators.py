"""The indicator catalogue of the diagnostic (catalogue/indicateurs.yaml), loaded strictly.

Each indicator says what it measures, in which unit, how it is computed from commune variables,
from which source, and which import fills it; the themes list their indicators in reading order.
The same catalogue drives the computation (sdsf.core.indicators), the pages and the exports, and
is shown to users on the methods page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sdsf.core import columns as c
from sdsf.parameters import ParameterError, _StrictLoader

CATALOGUE = Path(__file__).parent / "catalogue" / "indicateurs.yaml"
KINDS = {
    "somme": 1,
    "ratio": 2,
    "evolution": 1,
    "publie": 1,
    "couverture": 1,
    "qpv": 1,
}
REQUIRED = {"libelle", "unite", "definition", "source", "calcul", "variables", "imports"}
OPTIONAL = {
    "echelle",
    "decimales",
    "partiel",
    "annees",
    "objectif",
    "millesimes_differents",
    "niveaux",
}


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    definition: str
    source: str
    kind: str
    variables: tuple[str, ...]
    imports: tuple[str, ...]
    scale: float = 1.0
    decimals: int = 0
    partial: bool = False
    years: int = 0  # for « evolution »: N - years to N
    target: str = ""  # the name of a parameter in objectifs.yaml
    # ratio of two sources of different vintages: the numerator's latest value up to N
    mixed_vintages: bool = False
    # the levels the producer publishes it for (« publie »: DREES by département); () = all
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    themes: dict[str, Theme]

    def of_theme(self, theme: str) -> list[Indicator]:
        return [self.indicators[i] for i in self.themes[theme].indicators]


def _indicator(key: str, raw: Any) -> Indicator:
    where = f"indicateurs.{key}"
    if not isinstance(raw, Mapping):
        raise ParameterError(f"{where} : un indicateur doit être un dictionnaire")
    unknown = set(raw) - REQUIRED - OPTIONAL
    if unknown:
        raise ParameterError(f"{where} : clés inconnues {sorted(unknown)}")
    missing = REQUIRED - set(raw)
    if missing:
        raise ParameterError(f"{where} : clés manquantes {sorted(missing)}")
    kind = str(raw["calcul"])
    if kind not in KINDS:
        raise ParameterError(f"{where} : calcul « {kind} » inconnu (attendu : {', '.join(KINDS)})")
    variables = raw["variables"]
    if not isinstance(variables, list) or len(variables) != KINDS[kind]:
        raise ParameterError(
            f"{where} : le calcul « {kind} » attend {KINDS[kind]} variable(s), trouvé {variables!r}"
        )
    if kind == "evolution" and int(raw.get("annees", 0)) <= 0:
        raise ParameterError(f"{where} : une évolution demande « annees » (entier positif)")
    levels = raw.get("niveaux", [])
    if not isinstance(levels, list) or not set(levels) <= set(c.LEVELS):
        raise ParameterError(
            f"{where} : « niveaux » attend une liste parmi {', '.join(c.LEVELS)}, trouvé {levels!r}"
        )
    return Indicator(
        levels=tuple(str(v) for v in levels),
        id=key,
        label=str(raw["libelle"]),
        unit=str(raw["unite"]),
        definition=str(raw["definition"]),
        source=str(raw["source"]),
        kind=kind,
        variables=tuple(str(v) for v in variables),
        imports=tuple(str(v) for v in raw["imports"]),
        scale=float(raw.get("echelle", 1)),
        decimals=int(raw.get("decimales", 0)),
        partial=bool(raw.get("partiel", False)),
        years=int(raw.get("annees", 0)),
        target=str(raw.get("objectif", "")),
        mixed_vintages=bool(raw.get("millesimes_differents", False)),
    )


def parse_catalogue(text: str, name: str = CATALOGUE.name) -> Catalogue:
    """Parse and check a catalogue: unknown keys, unknown calculations, themes naming an
    indicator that does not exist are refused with a French message."""
    try:
        raw = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{name} : YAML illisible ({exc})") from exc
    except ParameterError as exc:
        raise ParameterError(f"{name} : {exc}") from exc
    if not isinstance(raw, Mapping) or set(raw) != {"themes", "indicateurs"}:
        raise ParameterError(f"{name} : attendu exactement les clés « themes » et « indicateurs »")
    try:
        indicators = {str(k): _indicator(str(k), v) for k, v in raw["indicateurs"].items()}
        themes = {}
        for key, theme in raw["themes"].items():
            if not isinstance(theme, Mapping) or set(theme) != {"titre", "indicateurs"}:
                raise ParameterError(f"themes.{key} : attendu « titre » et « indicateurs »")
            unknown = [i for i in theme["indicateurs"] if i not in indicators]
            if unknown:
                raise ParameterError(f"themes.{key} : indicateurs inconnus {unknown}")
            themes[str(key)] = Theme(str(key), str(theme["titre"]), tuple(theme["indicateurs"]))
    except ParameterError as exc:
        raise ParameterError(f"{name} : {exc}") from exc
    return Catalogue(indicators, themes)


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue."""
    return parse_catalogue(CATALOGUE.read_text(encoding="utf-8"))
