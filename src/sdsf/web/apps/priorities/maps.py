"""The priority map's colours and legend, and its print version (PNG, SVG) for documents."""

from __future__ import annotations

from typing import Any

from sdsf.core import columns as c
from sdsf.core.priority import STATUS, UNDETERMINED, ZONE
from sdsf.parameters.rules import RuleSet, parse_ruleset
from sdsf.reports.maps import Area, StaticMap
from sdsf.web.apps.diagnostic.sheets import simulated_data
from sdsf.web.apps.priorities.models import PriorityVersion
from sdsf.web.apps.territories.services import territory_queryset

ZONE_COLORS = {1: "#ce0500", 2: "#fc5d00", 3: "#ffca00", 4: "#ffe9a0"}
NOT_PRIORITY_COLOR = "#eceefa"
UNDETERMINED_COLOR = "#b5b5b5"


def color(row: dict[str, Any]) -> str:
    if not row["final"]:
        return UNDETERMINED_COLOR if row[STATUS] == UNDETERMINED else NOT_PRIORITY_COLOR
    return ZONE_COLORS.get(row.get(ZONE) or 4, ZONE_COLORS[4])


def legend(rules: RuleSet) -> list[tuple[str, str]]:
    zones = {}
    for spec in rules.zones:
        zones.setdefault(spec.zone, f"zone {spec.zone} : {spec.label}")
    items = [(ZONE_COLORS.get(z, ZONE_COLORS[4]), label) for z, label in sorted(zones.items())]
    return [*items, (NOT_PRIORITY_COLOR, "non prioritaire"), (UNDETERMINED_COLOR, "non déterminé")]


def version_rules(version: PriorityVersion) -> RuleSet:
    """The rule set as it was stored with the version."""
    return parse_ruleset(dict(version.rules), version.rules_id)


def static_priority_map(
    rows: list[dict[str, Any]], rules: RuleSet, departement: str, dep_name: str
) -> StaticMap:
    """The zones of ``rows`` on the rules' perimeter; hand changes are hatched."""
    by_code = {r[c.CODE]: r for r in rows}
    shapes = territory_queryset(rules.perimeter, departement).values_list("code", "geojson")
    areas = [
        Area(g, color(by_code[k]), hatched=bool(by_code[k]["manuel"]))
        for k, g in shapes
        if g and k in by_code
    ]
    return StaticMap(
        title=f"Territoires prioritaires — {rules.title} — {dep_name}",
        areas=areas,
        legend=[*legend(rules), ("#ffffff", "hachures : modification manuelle")],
        source=f"Règles : {rules.reference}. Réalisation sdsf."
        + (" DONNÉES SIMULÉES." if simulated_data() else ""),
    )
