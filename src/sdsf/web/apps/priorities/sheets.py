"""The priority list as a sheet (web exports and the CLI write the same one)."""

from __future__ import annotations

from typing import Any

from sdsf.core import columns as c
from sdsf.core.priority import PRIORITY, RANK, STATUS, ZONE, value_column
from sdsf.parameters.indicators import catalogue
from sdsf.parameters.rules import RuleSet
from sdsf.reports.priorities import number
from sdsf.reports.workbook import Column, Sheet
from sdsf.web.apps.diagnostic.sheets import simulated_data


def result_sheet(rows: list[dict[str, Any]], rules: RuleSet, dep_name: str, label: str) -> Sheet:
    """One row per territory: status, final list, zone, rank, criteria values, explanation."""
    columns = [Column("Code"), Column("Libellé"), Column("Statut"), Column("Liste finale")]
    columns += [Column("Zone", 0), Column("Rang", 0)]
    for item in rules.criteria:
        ind = catalogue().indicators[item.indicator]
        columns.append(Column(f"{ind.label} ({ind.unit})", ind.decimals))
    columns += [Column("Modification manuelle"), Column("Explication")]
    data = [
        [
            r[c.CODE],
            r[c.LABEL],
            r[STATUS],
            "oui" if r["final"] else "non",
            r.get(ZONE),
            r.get(RANK),
            *(r.get(value_column(item.id)) for item in rules.criteria),
            r["manuel"]["justification"] if r["manuel"] else "",
            r["explication"],
        ]
        for r in rows
    ]
    return Sheet(
        name="Territoires prioritaires",
        title=f"Territoires prioritaires — {rules.title} — {dep_name} ({label})",
        columns=columns,
        rows=data,
        sources=f"{rules.reference} ; indicateurs du diagnostic sdsf",
        simulated=simulated_data(),
    )


def run_rows(table: Any) -> list[dict[str, Any]]:
    """Rows of a run (not saved) in the shape of a version's final rows."""
    rows = []
    for rec in table.to_dict("records"):
        zone, rank = rec[ZONE], rec[RANK]
        rows.append(
            rec
            | {
                "final": rec[STATUS] == PRIORITY,
                "manuel": None,
                ZONE: None if zone is None or zone != zone else int(zone),
                RANK: None if rank is None or rank != rank else int(rank),
            }
        )
    return rows


def rules_context(rules: RuleSet, thresholds: dict[str, float]) -> list[dict[str, str]]:
    """Each criterion and crossing of a rule set with its threshold as applied."""
    out = []
    for kind, items in (("critère", rules.criteria), ("croisement", rules.crossings)):
        for item in items:
            ind = catalogue().indicators[item.indicator]
            out.append(
                {
                    "kind": kind,
                    "label": item.label,
                    "indicator": ind.label,
                    "operator": item.operator,
                    "threshold": number(thresholds[item.id], ind.decimals, "", threshold=True),
                    "unit": ind.unit,
                    "origin": item.threshold.label(),
                }
            )
    return out
