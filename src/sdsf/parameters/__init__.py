"""Dated parameters (after OpenFisca): numbers that change with policy live here, never in code.

Each parameter is a mapping with ``description``, ``unit``, ``reference`` and ``values`` keyed
by the date it takes effect. ``load().at("2023-12-31").couverture.taux_national.global_``...
Nodes are reached by attribute (``global`` is a Python keyword: write ``node["global"]``).
The loader is strict: unknown keys, duplicate keys and bad dates are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PARAMETER_KEYS = {"description", "unit", "reference", "values"}
NODE_KEYS = {"description"}
HERE = Path(__file__).parent


class ParameterError(ValueError):
    """A parameter file that does not follow the schema."""


class _StrictLoader(yaml.SafeLoader):
    """YAML loader refusing duplicate keys, keeping dates as strings to check them ourselves."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise ParameterError(f"clé « {key} » en double (ligne {key_node.start_mark.line + 1})")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def _parse_date(value: object, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ParameterError(f"{where} : date invalide « {value} » (attendu AAAA-MM-JJ)") from exc


class Parameter:
    """One dated parameter."""

    def __init__(self, path: str, raw: Mapping[str, Any]) -> None:
        unknown = set(raw) - PARAMETER_KEYS
        if unknown:
            raise ParameterError(f"{path} : clés inconnues {sorted(unknown)}")
        missing = PARAMETER_KEYS - set(raw)
        if missing:
            raise ParameterError(f"{path} : clés manquantes {sorted(missing)}")
        if not isinstance(raw["values"], Mapping) or not raw["values"]:
            raise ParameterError(f"{path} : « values » doit associer des dates à des valeurs")
        self.path = path
        self.description = str(raw["description"])
        self.unit = str(raw["unit"])
        self.reference = str(raw["reference"])
        self.values = sorted((_parse_date(k, path), v) for k, v in raw["values"].items())

    def in_force(self, date: dt.date) -> tuple[dt.date, Any] | None:
        """The date and value in force at ``date`` (the latest that took effect on or before
        it), or None; for a published statistic, the date says which year it describes."""
        current = None
        for start, value in self.values:
            if start <= date:
                current = (start, value)
        return current

    def at(self, date: dt.date) -> Any:
        """Value in force at ``date`` (the latest one that took effect on or before it)."""
        current = self.in_force(date)
        if current is None:
            raise ParameterError(f"{self.path} : aucune valeur en vigueur au {date.isoformat()}")
        return current[1]


class Node(Mapping[str, Any]):
    """A tree of parameters; ``node.at(date)`` gives the values in force at that date."""

    def __init__(self, path: str, raw: Mapping[str, Any]) -> None:
        self.path = path
        self.description = str(raw.get("description", ""))
        self.children: dict[str, Node | Parameter] = {}
        for key, value in raw.items():
            if key in NODE_KEYS:
                continue
            child_path = f"{path}.{key}" if path else str(key)
            if not isinstance(value, Mapping):
                raise ParameterError(f"{child_path} : un paramètre doit être un dictionnaire")
            is_leaf = "values" in value
            self.children[str(key)] = (
                Parameter(child_path, value) if is_leaf else Node(child_path, value)
            )

    def __getitem__(self, key: str) -> Node | Parameter:
        return self.children[key]

    def __getattr__(self, key: str) -> Node | Parameter:
        try:
            return self.children[key]
        except KeyError as exc:
            raise AttributeError(key) from exc

    def __iter__(self) -> Iterator[str]:
        return iter(self.children)

    def __len__(self) -> int:
        return len(self.children)

    def at(self, date: str | dt.date) -> Values:
        when = _parse_date(date, self.path or "paramètres") if isinstance(date, str) else date
        return Values({k: v.at(when) for k, v in self.children.items()})


class Values(dict[str, Any]):
    """Parameter values at one date, reachable by attribute."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError as exc:
            raise AttributeError(key) from exc


def load_file(path: Path) -> Node:
    """Load one parameter file strictly."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path.name} : YAML illisible ({exc})") from exc
    except ParameterError as exc:
        raise ParameterError(f"{path.name} : {exc}") from exc
    if not isinstance(raw, Mapping):
        raise ParameterError(f"{path.name} : le fichier doit contenir un dictionnaire")
    try:
        return Node("", raw)
    except ParameterError as exc:
        raise ParameterError(f"{path.name} : {exc}") from exc


@cache
def load() -> Node:
    """All parameter files of this folder, one top-level node per file stem."""
    tree: dict[str, Any] = {}
    nodes = {p.stem: load_file(p) for p in sorted(HERE.glob("*.yaml"))}
    root = Node("", tree)
    root.children.update(nodes)
    return root
