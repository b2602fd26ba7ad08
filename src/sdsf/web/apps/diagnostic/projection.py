"""Demand projection of a territory: under-3 children from the birth trend (sdsf.core.demand)
and the places that would keep its current coverage rate, or reach the national rate."""

from __future__ import annotations

from sdsf.core import columns as c
from sdsf.core.aggregation import sum_by_group
from sdsf.core.demand import project_children
from sdsf.web.apps.datasets.coverage import coverage_table, national_rates
from sdsf.web.apps.datasets.services import observations
from sdsf.web.apps.territories.services import membership


def projection(level: str, code: str, departement: str, horizon: int = 3) -> dict[str, object]:
    """Under-3 children projected from the birth trend for a territory, with the places its
    current global rate, and the national rate, would require."""
    if level == c.DEPARTEMENT:
        members = membership(c.DEPARTEMENT, departement)
    else:
        members = membership(level, departement)
    members = members[members[c.GROUP] == code]
    births = observations([c.BIRTHS], c.COMMUNE, sorted(set(members[c.CODE])))
    if births.empty:
        return {"rows": []}
    grouped = sum_by_group(
        births.pivot_table(
            index=[c.CODE, c.YEAR], columns=c.VARIABLE, values=c.VALUE, aggfunc="first"
        ).reset_index(),
        members,
        [c.BIRTHS],
    )
    projected = project_children(grouped, horizon=horizon)
    if projected.empty:
        return {"rows": []}
    cover = coverage_table(level, departement)
    cover = cover[(cover[c.CODE] == code) & cover[c.RATE_GLOBAL].notna()]
    current = cover.iloc[-1] if not cover.empty else None
    national = (
        national_rates(int(current[c.YEAR])).get(c.RATE_GLOBAL) if current is not None else None
    )
    rows = []
    for rec in projected.to_dict("records"):
        children = float(rec[c.CHILDREN_UNDER_3])
        rows.append(
            {
                "year": int(rec[c.YEAR]),
                "births": float(rec["naissances_projetees"]),
                "children": children,
                "places_current": children * float(current[c.RATE_GLOBAL]) / 100
                if current is not None
                else None,
                "places_national": children * national / 100 if national else None,
            }
        )
    return {
        "rows": rows,
        "trend": float(projected["tendance_annuelle"].iloc[0]),
        "rate": float(current[c.RATE_GLOBAL]) if current is not None else None,
        "rate_year": int(current[c.YEAR]) if current is not None else None,
        "places": float(current[c.PLACES_TOTAL]) if current is not None else None,
        "national": national,
    }
