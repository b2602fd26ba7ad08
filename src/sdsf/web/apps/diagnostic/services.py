"""The diagnostic: every indicator of the catalogue for every territory of a level.

Computed indicators come from the commune variables (inputs.commune_inputs) through the pure
engine (sdsf.core.indicators); published ones (Filosofi) are read for the territory itself;
coverage rates come from the coverage engine (published where they exist). Tables are cached
under the data revision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from sdsf.core import columns as c
from sdsf.core.indicators import INDICATOR, compute_indicators, latest
from sdsf.core.inequality import Inequality, inequality
from sdsf.parameters import load
from sdsf.parameters.indicators import Indicator, catalogue
from sdsf.reports.formatting import french_number
from sdsf.sources.anct import qpv_departement
from sdsf.web.apps.datasets.coverage import (
    NATIONAL_PARAMETER_SOURCE,
    coverage_table,
    national_rates,
)
from sdsf.web.apps.datasets.models import QpvCommune
from sdsf.web.apps.datasets.services import observations
from sdsf.web.apps.datasets.stored import DEPARTEMENT_LEVELS, remember, table_key
from sdsf.web.apps.diagnostic.inputs import QPV_VARIABLES, commune_inputs, qpv_group_values
from sdsf.web.apps.diagnostic.national import france_figures
from sdsf.web.apps.territories.models import Territory
from sdsf.web.apps.territories.services import membership, territories

NATIONAL_COVERAGE_MIN_DEPARTEMENTS = 96


def _published(level: str, codes: list[str]) -> pd.DataFrame:
    specs = [i for i in catalogue().indicators.values() if i.kind == "publie"]
    obs = observations([i.variables[0] for i in specs], level, codes)
    if obs.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, INDICATOR, c.VALUE])
    by_variable = {i.variables[0]: i.id for i in specs}
    obs = obs.dropna(subset=[c.VALUE])
    return pd.DataFrame(
        {
            c.CODE: obs[c.CODE],
            c.YEAR: obs[c.YEAR].astype(int),
            INDICATOR: obs[c.VARIABLE].map(by_variable),
            c.VALUE: obs[c.VALUE],
        }
    )


def _coverage(level: str, departement: str | None) -> pd.DataFrame:
    specs = [i for i in catalogue().indicators.values() if i.kind == "couverture"]
    table = coverage_table(level, departement)
    if level == c.FRANCE and not table.empty:
        # the parameters' national rates come back, with their source, in national.py
        table = table[table[c.SOURCE] != NATIONAL_PARAMETER_SOURCE]
    if table.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, INDICATOR, c.VALUE])
    long = table.melt(
        id_vars=[c.CODE, c.YEAR],
        value_vars=[i.variables[0] for i in specs],
        var_name=INDICATOR,
        value_name=c.VALUE,
    )
    long[INDICATOR] = long[INDICATOR].map({i.variables[0]: i.id for i in specs})
    return long.dropna(subset=[c.VALUE])


def _national_partial_guard(values: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """At France level, partial sums (and QPV counts) are kept only for sources covering
    (almost) every département: a national sum of one département's data would mislead."""
    deps = values[c.CODE].str[:2] if not values.empty else pd.Series(dtype=str)
    qpv_deps = {qpv_departement(q) for q in QpvCommune.objects.values_list("qpv", flat=True)}
    qpv_vars = {*QPV_VARIABLES, "commune_avec_qpv"}
    drop = []
    for ind in catalogue().indicators.values():
        if ind.kind == "qpv" or (qpv_vars & set(ind.variables)):
            if len(qpv_deps) < NATIONAL_COVERAGE_MIN_DEPARTEMENTS:
                drop.append(ind.id)
        elif ind.partial:
            variable = ind.variables[0]
            covered = deps[values[variable].notna()].nunique() if variable in values else 0
            if covered < NATIONAL_COVERAGE_MIN_DEPARTEMENTS:
                drop.append(ind.id)
    return table[~table[INDICATOR].isin(drop)]


def compute_indicator_table(level: str, departement: str | None = None) -> pd.DataFrame:
    """Long table ``code``, ``annee``, ``indicateur``, ``valeur`` of every territory of
    ``level`` touching ``departement`` (all of France for the France level)."""
    terr = territories(level, departement)
    members = membership(level, departement if level != c.FRANCE else None)
    codes = sorted(set(members[c.CODE])) if not members.empty else []
    local = departement if level in DEPARTEMENT_LEVELS else None
    values = (
        commune_inputs(None if level == c.FRANCE else codes, local) if codes else pd.DataFrame()
    )
    frames = []
    if not values.empty:
        computed = compute_indicators(
            values, members, catalogue().indicators.values(), qpv_group_values(members)
        )
        if level == c.FRANCE:
            computed = _national_partial_guard(values, computed)
        frames.append(computed)
    frames.append(_published(level, terr[c.CODE].tolist()))
    frames.append(_coverage(level, departement if level != c.FRANCE else None))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[c.CODE, c.YEAR, INDICATOR, c.VALUE])
    table = pd.concat(frames, ignore_index=True)
    table = table[table[c.CODE].isin(terr[c.CODE])]
    table[c.YEAR] = table[c.YEAR].astype(int)
    return table.sort_values([INDICATOR, c.CODE, c.YEAR]).reset_index(drop=True)


def indicator_table(level: str, departement: str | None = None) -> pd.DataFrame:
    """:func:`compute_indicator_table`, cached under the data revision (a copy)."""
    key = table_key("diagnostic", level, departement)
    return remember(key, lambda: compute_indicator_table(level, departement))


@dataclass
class Figure:
    """One indicator for one territory, with its comparisons."""

    indicator: Indicator
    value: float | None
    year: int | None
    departement: float | None
    france: float | None
    france_scope: str
    target: float | None
    rank: int | None = None
    ranked: int = 0
    france_year: int | None = None
    # empty for an imported national figure; else the reference parameter and its source
    france_source: str = ""
    # « partiel : 12 IRIS publiés sur 97 » for a sum over what a producer publishes
    completeness: str = ""
    france_completeness: str = ""
    # why a missing value is missing when no import would fill it (else: the import hint)
    missing_reason: str = ""
    # empty for the whole territory; else « partie X : N communes sur M » (a coverage rate of
    # the département's part of a straddling EPCI)
    perimeter: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def france_origin(self) -> str:
        """Where the France figure comes from, in French (scope, year, file or parameter)."""
        if self.france is None:
            return ""
        where = self.france_scope + (f", {self.france_year}" if self.france_year else "")
        if self.france_source:
            return f"{where} ; chiffre de référence publié, {self.france_source}"
        return f"{where} ; fichier national importé"


def france_sources(figures: list[Figure]) -> str:
    """The reference parameters the France column of ``figures`` uses, for a sheet's sources."""
    used = sorted({f.france_source for f in figures if f.france is not None and f.france_source})
    return " ; ".join(f"France : {s}" for s in used)


Lookup = dict[tuple[str, str], tuple[float, int]]


def lookup(frame: pd.DataFrame) -> Lookup:
    """(code, indicator) -> (value, year) of a table of latest values."""
    if frame.empty:
        return {}
    keys = zip(frame[c.CODE], frame[INDICATOR], strict=True)
    values = zip(frame[c.VALUE].astype(float), frame[c.YEAR].astype(int), strict=True)
    return dict(zip(keys, values, strict=True))


def _at_year(table: pd.DataFrame, year: int | None) -> pd.DataFrame:
    return latest(table, year) if not table.empty else table


def target_value(ind: Indicator, year: int | None) -> float | None:
    """The national objective of an indicator for ``year`` (a COG target of objectifs.yaml)."""
    if not ind.target or year is None:
        return None
    param = load()["objectifs"][ind.target]
    return float(param.at(dt.date(year, 12, 31)))


def figures(
    level: str, code: str, departement: str, indicators: list[Indicator], year: int | None = None
) -> list[Figure]:
    """Each indicator for territory ``code`` (its latest year, at most ``year``), with the
    département, France (at most the territory's year; an imported national figure, else the
    published reference parameter, see national.py), the national target and its rank among the
    level's territories of the département (1 = highest value)."""
    own = _at_year(indicator_table(level, departement), year)
    own_values = lookup(own)
    dep_values = lookup(_at_year(indicator_table(c.DEPARTEMENT, departement), year))
    peers: dict[str, npt.NDArray[np.float64]] = {}
    if level != c.DEPARTEMENT and not own.empty:
        local = own[own[c.CODE].isin(set(territories(level, departement)[c.CODE]))]
        peers = {
            str(key): group.to_numpy(dtype=float)
            for key, group in local.groupby(INDICATOR)[c.VALUE]
        }
    perimeters = coverage_perimeters(level, departement, own[own[c.CODE] == code])
    # France at most at the territory's year, else the département's (never a later year)
    years = {
        ind.id: own_values.get((code, ind.id), dep_values.get((departement, ind.id), (None, year)))[
            1
        ]
        for ind in indicators
    }
    france_table = indicator_table(c.FRANCE)
    france = france_figures(france_table, indicators, years)
    france_values = lookup(_at_year(france_table, year))
    outside = _communes_outside(level, code, departement)
    out = []
    for ind in indicators:
        value, value_year = own_values.get((code, ind.id), (None, None))
        dep_value = dep_values.get((departement, ind.id), (None, None))[0]
        national = france.get(ind.id)
        figure = Figure(
            ind,
            value,
            value_year,
            dep_value,
            national.value if national else None,
            national.scope if national else "",
            target_value(ind, value_year),
            france_year=national.year if national else None,
            france_source=national.source if national else "",
            perimeter=str(perimeters.get(code, ""))
            if ind.kind == "couverture" and value is not None
            else "",
        )
        if value is not None and ind.partial:
            figure.completeness = completeness(ind, own_values, code)
        if figure.france is not None and ind.partial:
            figure.france_completeness = completeness(ind, france_values, c.FRANCE_CODE)
        if value is None:
            figure.missing_reason = _missing_reason(ind, level, outside)
        if value is not None and ind.id in peers:
            figure.ranked = len(peers[ind.id])
            figure.rank = int((peers[ind.id] > value).sum()) + 1
        out.append(figure)
    return out


IRIS_PUBLISHED, IRIS_MESH = "iris_publies_caf", "iris_insee"  # catalogue indicators
LEVEL_PLURALS = {
    c.DEPARTEMENT: "départements",
    c.REGION: "régions",
    c.COMMUNE: "communes",
    c.EPCI: "EPCI",
    c.FRANCE: "la France",
}


def _communes_outside(level: str, code: str, departement: str) -> tuple[int, int]:
    """(communes of an EPCI outside the département, all its communes); (0, 0) otherwise."""
    if level != c.EPCI:
        return (0, 0)
    members = Territory.objects.filter(level=c.COMMUNE, epci=code)
    return (members.exclude(departement=departement).count(), members.count())


def _missing_reason(ind: Indicator, level: str, outside: tuple[int, int]) -> str:
    """Why a figure is unknown when importing its source again would not fill it."""
    if ind.levels and level not in ind.levels:
        where = ", ".join(LEVEL_PLURALS.get(lv, lv) for lv in ind.levels)
        return f"publié par le producteur pour les {where} seulement ({ind.source})"
    if outside[0]:
        return (
            f"non connu pour l'EPCI entier : {outside[0]} de ses {outside[1]} communes sont hors "
            "du département, et les données de leur département manquent ou sont incomplètes"
        )
    return ""


def completeness(ind: Indicator, values: Lookup, code: str) -> str:
    """How much of the territory a partial sum covers, in French: for the Caf data by IRIS,
    the IRIS it publishes against the Insee mesh (« partiel : 12 IRIS publiés sur 97 »)."""
    if "caf-iris" not in ind.imports:
        return "partiel : somme des seules données publiées (parties secrètes ou absentes)"
    published = values.get((code, IRIS_PUBLISHED), (None, None))[0]
    mesh = values.get((code, IRIS_MESH), (None, None))[0]
    if published is None:
        return "partiel : somme des IRIS publiés par la Caf"
    if mesh is None:
        return (
            f"partiel : {french_number(published, 0)} IRIS publiés par la Caf (nombre total "
            "d'IRIS du territoire non connu ; il vient de la table des IRIS de l'Insee, "
            "« insee-iris »)"
        )
    if published > mesh:  # the mesh of another year or another data set
        return (
            f"partiel : {french_number(published, 0)} IRIS publiés par la Caf (le maillage "
            f"importé en compte {french_number(mesh, 0)} : autre millésime)"
        )
    return f"partiel : {french_number(published, 0)} IRIS publiés sur {french_number(mesh, 0)}"


def level_table(level: str, departement: str, indicators: list[Indicator], year: int | None):
    """Wide table: one row per territory of ``level`` touching the département, one column
    per indicator (latest year at most ``year``), plus a ``annee_<id>`` column per indicator."""
    terr = territories(level, departement)
    long = _at_year(indicator_table(level, departement), year)
    ids = [i.id for i in indicators]
    long = long[long[INDICATOR].isin(ids)] if not long.empty else long
    wide = terr.copy()
    if not long.empty:
        values = long.pivot(index=c.CODE, columns=INDICATOR, values=c.VALUE)
        years = long.pivot(index=c.CODE, columns=INDICATOR, values=c.YEAR)
        wide = wide.merge(values, left_on=c.CODE, right_index=True, how="left")
        years.columns = [f"annee_{col}" for col in years.columns]
        wide = wide.merge(years, left_on=c.CODE, right_index=True, how="left")
    for ind in ids:
        if ind not in wide:
            wide[ind] = np.nan
    perimeters = coverage_perimeters(level, departement, long)
    wide[c.PERIMETER] = [str(perimeters.get(code, "")) for code in wide[c.CODE]]
    return wide.sort_values(c.CODE).reset_index(drop=True)


def coverage_perimeters(level: str, departement: str, long: pd.DataFrame) -> pd.Series:
    """code -> « partie Loire-Atlantique : N communes sur M » for the territories whose
    coverage rates in ``long`` (a slice of the indicator table) are those of their part in the
    département only (an EPCI straddling its border, see core.coverage.group_rates)."""
    empty = pd.Series(dtype=object)
    if level not in (c.EPCI, c.CUSTOM) or long.empty:
        return empty
    cover = coverage_table(level, departement)
    if cover.empty or c.PERIMETER not in cover:
        return empty
    parts = cover.loc[cover[c.PERIMETER].fillna("") != "", [c.CODE, c.YEAR, c.PERIMETER]]
    ids = [i.id for i in catalogue().indicators.values() if i.kind == "couverture"]
    used = long.loc[long[INDICATOR].isin(ids), [c.CODE, c.YEAR]].drop_duplicates()
    if parts.empty or used.empty:
        return empty
    parts = parts.assign(**{c.YEAR: parts[c.YEAR].astype(int)})
    hits = used.assign(**{c.YEAR: used[c.YEAR].astype(int)}).merge(parts, on=[c.CODE, c.YEAR])
    return hits.groupby(c.CODE)[c.PERIMETER].first()


def inequality_by_year(level: str, departement: str) -> list[tuple[int, Inequality]]:
    """Inequality of the global coverage rate across the level's territories of the
    département, weighted by children under 3, for every year with rates."""
    table = coverage_table(level, departement)
    if table.empty:
        return []
    share = float(load()["diagnostic"]["seuil_inegalite"].values[-1][1])
    out = []
    for year, rows in table.groupby(c.YEAR):
        if level == c.EPCI:
            rows = rows[rows[c.CODE].isin(territories(level, departement)[c.CODE])]
        national = national_rates(int(year)).get(c.RATE_GLOBAL)
        threshold = share * national if national else float("nan")
        result = inequality(
            rows[c.RATE_GLOBAL].to_numpy(dtype=float),
            rows[c.CHILDREN_UNDER_3].to_numpy(dtype=float),
            threshold,
        )
        if result.territories:
            out.append((int(year), result))
    return out


def history(level: str, code: str, departement: str, indicators: list[Indicator]) -> dict:
    """Values of the territory by year for the indicators known in more than one year."""
    table = indicator_table(level, departement)
    table = table[table[c.CODE] == code]
    out = {}
    for ind in indicators:
        rows = table[table[INDICATOR] == ind.id].sort_values(c.YEAR)
        if len(rows) > 1:
            out[ind.id] = list(
                zip(rows[c.YEAR].astype(int), rows[c.VALUE].astype(float), strict=True)
            )
    return out
