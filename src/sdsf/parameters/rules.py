"""Priority rule sets (regles/*.yaml): declarative, checked strictly, thresholds resolved from
the dated parameters.

A rule set names its perimeter (communes or EPCI), its criteria (catalogue indicator, operator,
threshold), how they combine (all, any, at least k, weighted score), its crossings (QPV, ZRR...),
its zones (first matching condition wins: prioritaire, croisement, score_min) and its ranking.
A threshold is a dated parameter (``parametre: priorites.frt.seuil_revenu``), a literal value
(``valeur: 0``) or computed from the territories of the run (``reference: mediane``).
A département's adjustment is an overlay (a partial rule set) merged over a shipped one and
checked by the same parser.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sdsf.parameters import Parameter, ParameterError, _parse_date, _StrictLoader, load
from sdsf.parameters.indicators import catalogue

FOLDER = Path(__file__).parent / "regles"
TOP = {
    "titre",
    "description",
    "reference",
    "date",
    "perimetre",
    "criteres",
    "combinaison",
    "croisements",
    "zones",
    "classement",
}
CRITERION = {"libelle", "indicateur", "operateur", "seuil"}
OPERATORS = ("<", "<=", ">", ">=")
PERIMETERS = {"commune": "commune", "epci": "epci"}
COMBINATIONS = {"toutes", "une", "au_moins", "score"}
ZONE_CONDITIONS = {"prioritaire", "croisement", "score_min"}


@dataclass(frozen=True)
class Threshold:
    parameter: str = ""
    value: float | None = None
    reference: str = ""  # « mediane »

    def label(self) -> str:
        if self.parameter:
            return f"paramètre {self.parameter}"
        if self.reference:
            return "médiane des territoires du département"
        return "valeur fixée"


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    indicator: str
    operator: str
    threshold: Threshold


@dataclass(frozen=True)
class Zone:
    zone: int
    label: str
    priority: bool | None
    crossing: bool | None
    score_min: float | None


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    description: str
    reference: str
    date: dt.date
    perimeter: str
    criteria: tuple[Criterion, ...]
    combination: str
    at_least: int
    weights: dict[str, float]
    score_threshold: float
    crossings: tuple[Criterion, ...]
    zones: tuple[Zone, ...]
    ranking: str
    ascending: bool
    raw: dict[str, Any]

    def thresholds(self, when: dt.date | None = None) -> dict[str, float | str]:
        """Each criterion's and crossing's threshold: the parameter in force at ``when`` (the
        rule set's date by default), a literal value, or « mediane » left to the engine."""
        date = when or self.date
        out: dict[str, float | str] = {}
        for item in (*self.criteria, *self.crossings):
            threshold = item.threshold
            if threshold.parameter:
                out[item.id] = float(_parameter(threshold.parameter).at(date))
            elif threshold.reference:
                out[item.id] = threshold.reference
            else:
                out[item.id] = float(threshold.value or 0)
        return out


def _parameter(path: str) -> Parameter:
    node: Any = load()
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise ParameterError(f"paramètre inconnu « {path} »")
        node = node[part]
    if not isinstance(node, Parameter):
        raise ParameterError(f"« {path} » n'est pas un paramètre daté")
    return node


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ParameterError(f"{where} : un dictionnaire est attendu")
    return value


def _keys(raw: Mapping[str, Any], where: str, allowed: set[str], required: set[str]) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise ParameterError(f"{where} : clés inconnues {sorted(unknown)}")
    missing = required - set(raw)
    if missing:
        raise ParameterError(f"{where} : clés manquantes {sorted(missing)}")


def _threshold(raw: Any, where: str) -> Threshold:
    raw = _mapping(raw, where)
    _keys(raw, where, {"parametre", "valeur", "reference"}, set())
    if len(raw) != 1:
        raise ParameterError(f"{where} : un seuil est « parametre », « valeur » ou « reference »")
    if "parametre" in raw:
        _parameter(str(raw["parametre"]))
        return Threshold(parameter=str(raw["parametre"]))
    if "reference" in raw:
        if raw["reference"] != "mediane":
            raise ParameterError(f"{where} : référence « {raw['reference']} » inconnue (mediane)")
        return Threshold(reference="mediane")
    return Threshold(value=_finite(raw["valeur"], f"{where}.seuil"))


def _finite(value: Any, where: str) -> float:
    """A finite number: a threshold, a weight (NaN or infinity would decide nothing, and
    cannot be stored)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ParameterError(f"{where} : valeur numérique attendue") from exc
    if not math.isfinite(number):
        raise ParameterError(f"{where} : un nombre fini est attendu, pas « {value} »")
    return number


def _criterion(key: str, raw: Any, where: str) -> Criterion:
    raw = _mapping(raw, where)
    _keys(raw, where, CRITERION, CRITERION)
    indicator = str(raw["indicateur"])
    if indicator not in catalogue().indicators:
        raise ParameterError(f"{where} : indicateur « {indicator} » inconnu du catalogue")
    if raw["operateur"] not in OPERATORS:
        raise ParameterError(
            f"{where} : opérateur « {raw['operateur']} » inconnu ({', '.join(OPERATORS)})"
        )
    return Criterion(
        key, str(raw["libelle"]), indicator, str(raw["operateur"]), _threshold(raw["seuil"], where)
    )


def _zone(raw: Any, where: str) -> Zone:
    raw = _mapping(raw, where)
    _keys(raw, where, {"zone", "libelle", "si"}, {"zone", "si"})
    condition = _mapping(raw["si"], f"{where}.si")
    _keys(condition, f"{where}.si", ZONE_CONDITIONS, set())
    if not condition:
        raise ParameterError(f"{where}.si : au moins une condition")
    return Zone(
        int(raw["zone"]),
        str(raw.get("libelle", f"zone {raw['zone']}")),
        condition.get("prioritaire"),
        condition.get("croisement"),
        _finite(condition["score_min"], f"{where}.si.score_min")
        if "score_min" in condition
        else None,
    )


def parse_ruleset(raw: Mapping[str, Any], rule_id: str) -> RuleSet:
    """Check a rule set (already loaded from YAML) and build it; French errors."""
    where = rule_id
    try:
        raw = _mapping(raw, where)
        _keys(raw, where, TOP, TOP - {"croisements", "classement", "description"})
        if raw["perimetre"] not in PERIMETERS:
            raise ParameterError(f"perimetre « {raw['perimetre']} » inconnu (commune ou epci)")
        criteria = tuple(
            _criterion(str(k), v, f"criteres.{k}")
            for k, v in _mapping(raw["criteres"], "criteres").items()
        )
        if not criteria:
            raise ParameterError("criteres : au moins un critère")
        crossings = tuple(
            _criterion(str(k), v, f"croisements.{k}")
            for k, v in _mapping(raw.get("croisements") or {}, "croisements").items()
        )
        combination = _mapping(raw["combinaison"], "combinaison")
        kind = combination.get("type")
        if kind not in COMBINATIONS:
            raise ParameterError(f"combinaison : type « {kind} » inconnu ({sorted(COMBINATIONS)})")
        _keys(combination, "combinaison", {"type", "au_moins", "poids", "seuil"}, {"type"})
        ids = {c.id for c in criteria}
        weights = {
            str(k): _finite(v, f"combinaison.poids.{k}")
            for k, v in _mapping(combination.get("poids") or {}, "combinaison.poids").items()
        }
        if set(weights) - ids:
            raise ParameterError(
                f"combinaison.poids : critères inconnus {sorted(set(weights) - ids)}"
            )
        if kind == "score" and not weights:
            weights = dict.fromkeys(ids, 1.0)
        zones_raw = raw["zones"]
        if not isinstance(zones_raw, list) or not zones_raw:
            raise ParameterError("zones : une liste d'au moins une zone est attendue")
        ranking = _mapping(raw.get("classement") or {}, "classement")
        _keys(ranking, "classement", {"indicateur", "ordre"}, set())
        ranked_by = str(ranking.get("indicateur", criteria[0].indicator))
        if ranked_by not in catalogue().indicators:
            raise ParameterError(f"classement : indicateur « {ranked_by} » inconnu du catalogue")
        if ranking.get("ordre", "croissant") not in ("croissant", "decroissant"):
            raise ParameterError("classement.ordre : « croissant » ou « decroissant »")
        return RuleSet(
            id=rule_id,
            title=str(raw["titre"]),
            description=str(raw.get("description", "")),
            reference=str(raw["reference"]),
            date=_parse_date(raw["date"], "date"),
            perimeter=PERIMETERS[str(raw["perimetre"])],
            criteria=criteria,
            combination=str(kind),
            at_least=int(combination.get("au_moins", len(criteria))),
            weights=weights,
            score_threshold=_finite(combination.get("seuil", 0), "combinaison.seuil"),
            crossings=crossings,
            zones=tuple(_zone(z, f"zones[{i}]") for i, z in enumerate(zones_raw)),
            ranking=ranked_by,
            ascending=ranking.get("ordre", "croissant") == "croissant",
            raw=copy.deepcopy(dict(raw)),
        )
    except ParameterError as exc:
        raise ParameterError(f"règles « {rule_id} » : {exc}") from exc


def parse_ruleset_text(text: str, rule_id: str) -> RuleSet:
    """A rule set from YAML text (duplicate keys refused)."""
    try:
        raw = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"règles « {rule_id} » : YAML illisible ({exc})") from exc
    except ParameterError as exc:
        raise ParameterError(f"règles « {rule_id} » : {exc}") from exc
    return parse_ruleset(raw, rule_id)


def merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """A rule set with an overlay applied: mappings merged key by key (a threshold, ``seuil``,
    is replaced whole), other values replaced; a key set to None removes it (a criterion)."""
    out = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        elif key != "seuil" and isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@cache
def shipped() -> dict[str, RuleSet]:
    """The rule sets shipped with sdsf, by id (file name)."""
    return {
        path.stem: parse_ruleset_text(path.read_text(encoding="utf-8"), path.stem)
        for path in sorted(FOLDER.glob("*.yaml"))
    }
