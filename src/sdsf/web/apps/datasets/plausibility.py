"""Before an import is kept: what it changes in the communes of its départements, and which
results are implausible. A warning asks for a confirmation (web: confirm or cancel; CLI:
``--confirmer``) before anything is stored.

Implausible (dated parameters ``plateforme.imports``): a coverage rate above
``taux_max_vraisemblable`` (200 places per 100 children: a rate may exceed 100, never clamped,
but rarely 200) that the import creates or changes; the places of a mode in a département that
change by more than ``variation_max_places`` (half) for a year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils import timezone

from sdsf.core import columns as c
from sdsf.core.coverage import rates_from_places
from sdsf.parameters import load
from sdsf.reports.formatting import counted, french_number
from sdsf.sources.base import ParsedFile
from sdsf.web.apps.datasets.coverage import commune_quantities
from sdsf.web.apps.territories.models import Territory

SHOWN = 12  # warnings and changes listed one by one; the others are counted
WATCHED = [*c.PLACE_VARIABLES, c.CHILDREN_UNDER_3, *c.RATE_VARIABLES]


def bounds(day: dt.date | None = None) -> tuple[float, float]:
    """(highest plausible rate, largest plausible relative change of places), at ``day``."""
    node = load()["plateforme"]["imports"]
    day = day or timezone.localdate()
    return (
        float(node["taux_max_vraisemblable"].at(day)),
        float(node["variation_max_places"].at(day)),
    )


SUBTOTAL_LABELS = {c.EAJE: "accueil collectif (EAJE)", c.INDIVIDUEL: "accueil individuel"}


def label(variable: str) -> str:
    """« places : garde à domicile », « taux de couverture global »..."""
    for mode, text in (c.MODE_LABELS | SUBTOTAL_LABELS).items():
        text = text if text[:2].isupper() else text[:1].lower() + text[1:]  # « EAJE » stays
        if variable == c.places(mode):
            return f"places : {text}"
        if variable == c.rate(mode):
            return f"taux de couverture : {text}"
    if variable == c.RATE_GLOBAL:
        return "taux de couverture global"
    if variable == c.CHILDREN_UNDER_3:
        return "enfants de moins de 3 ans"
    return variable.replace("_", " ")


@dataclass(frozen=True)
class Change:
    territory: str  # « Nantes (44109) »
    year: int
    label: str
    before: float | None
    after: float | None
    digits: int = 0  # 1 for a rate, 0 for places and children

    @property
    def before_text(self) -> str:
        return french_number(self.before, self.digits, missing="inconnu")

    @property
    def after_text(self) -> str:
        return french_number(self.after, self.digits, missing="inconnu")


@dataclass
class Preview:
    """What the file does to the départements it touches."""

    coverage: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    changed: int = 0  # values changed in all (``changes`` lists the largest)
    warnings: list[str] = field(default_factory=list)


def watched_departements(parsed: ParsedFile, departements: list[str]) -> list[str]:
    """The départements whose commune places or children the file changes (the others keep
    their computed rates: no snapshot is needed there)."""
    obs = parsed.observations
    touching = obs[
        (obs[c.LEVEL] == c.COMMUNE)
        & obs[c.VARIABLE].isin([*c.PLACE_VARIABLES, c.CHILDREN_UNDER_3, c.BIRTHS])
    ]
    if touching.empty and (parsed.implicit is None or parsed.implicit.empty):
        return []
    return departements


def snapshot(departements: list[str], years: list[int]) -> pd.DataFrame:
    """Places by mode, children and computed rates of every commune of ``departements`` for
    ``years``, as stored now (read inside the import's transaction: before, then after)."""
    communes = pd.DataFrame(
        Territory.objects.filter(level=c.COMMUNE, departement__in=departements).values_list(
            "code", "name", "departement"
        ),
        columns=[c.CODE, c.LABEL, c.DEPARTEMENT_CODE],
    )
    columns = [c.CODE, c.LABEL, c.YEAR, c.DEPARTEMENT_CODE, *WATCHED]
    if communes.empty or not years:
        return pd.DataFrame(columns=columns)
    quantities, _ = commune_quantities(communes[c.CODE].tolist())
    quantities = quantities[quantities[c.YEAR].isin(years)]
    if quantities.empty:
        return pd.DataFrame(columns=columns)
    rates = rates_from_places(quantities)
    frame = quantities[[c.CODE, c.YEAR, *c.PLACE_VARIABLES, c.CHILDREN_UNDER_3]].merge(
        rates[[c.CODE, c.YEAR, *c.RATE_VARIABLES]], on=[c.CODE, c.YEAR], how="left"
    )
    frame = frame.merge(communes, on=c.CODE, how="left")
    return frame[columns].reset_index(drop=True)


def preview(
    parsed: ParsedFile,
    departements: list[str],
    before: pd.DataFrame,
    after: pd.DataFrame,
    implicit_zeros: int,
) -> Preview:
    out = Preview()
    names = dict(
        Territory.objects.filter(level=c.DEPARTEMENT, code__in=departements).values_list(
            "code", "name"
        )
    )
    out.coverage = _coverage(parsed, departements, names, implicit_zeros)
    rate_bound, change_bound = bounds()
    joined = before.merge(
        after,
        on=[c.CODE, c.LABEL, c.YEAR, c.DEPARTEMENT_CODE],
        how="outer",
        suffixes=("_avant", ""),
    )
    names |= dict(zip(joined[c.CODE], joined[c.LABEL], strict=True))
    _changes(out, joined, names)
    out.warnings += _rate_warnings(joined, names, rate_bound)
    out.warnings += _published_rate_warnings(parsed, rate_bound)
    out.warnings += _places_warnings(joined, names, change_bound)
    return out


def _named(code: str, names: dict[str, str]) -> str:
    return f"{names.get(code, code)} ({code})"


def _coverage(
    parsed: ParsedFile, departements: list[str], names: dict[str, str], implicit_zeros: int
) -> list[str]:
    """« Loire-Atlantique (44) : 1 commune sur 207 dans le fichier ; les autres gardent leurs
    valeurs ». A file of many départements is summed up, and only those it covers in part
    are listed."""
    obs = parsed.observations
    listed = obs.loc[obs[c.LEVEL] == c.COMMUNE, c.CODE].unique()
    if not len(listed):
        return []
    dep_of = pd.Series(
        dict(
            Territory.objects.filter(level=c.COMMUNE, departement__in=departements).values_list(
                "code", "departement"
            )
        ),
        dtype=object,
    )
    counts = pd.DataFrame(
        {
            "total": dep_of.value_counts(),
            "present": dep_of[dep_of.index.isin(listed)].value_counts(),
        }
    ).fillna(0)
    counts = counts[counts["total"] > 0].astype(int).sort_index()

    def line(departement: str, present: int, total: int) -> str:
        text = f"{_named(departement, names)} : {counted(present, 'commune')} sur {total} dans "
        text += "le fichier" + (" ; les autres gardent leurs valeurs" if present < total else "")
        return text + "."

    if len(counts) <= 3:
        lines = [line(str(d), r.present, r.total) for d, r in counts.iterrows()]
    else:
        partial = counts[counts["present"] < counts["total"]]
        lines = [
            f"{len(counts)} départements : {counted(int(counts['present'].sum()), 'commune')} "
            f"sur {french_number(int(counts['total'].sum()), 0)} dans le fichier"
            + (f", {len(partial)} départements en partie" if len(partial) else "")
            + "."
        ]
        lines += _listed(
            [line(str(d), r.present, r.total) for d, r in partial.iterrows()], "départements"
        )
    if implicit_zeros:
        lines.append(
            f"{counted(implicit_zeros, 'valeur')} à 0 pour les communes absentes du fichier "
            "qui n'avaient encore aucune valeur (le registre est réputé complet pour elles)."
        )
    return lines


def _differs(before: pd.Series, after: pd.Series) -> pd.Series:
    both = before.notna() & after.notna()
    return (before.isna() != after.isna()) | (both & ~np.isclose(before, after, rtol=0, atol=1e-9))


def _changes(out: Preview, joined: pd.DataFrame, names: dict[str, str]) -> None:
    """Every value the import changes, counted; the largest listed (vectorised: a national
    file changes hundreds of thousands)."""
    parts = []
    for variable in [*c.PLACE_VARIABLES, c.CHILDREN_UNDER_3, c.RATE_GLOBAL]:
        before = joined[f"{variable}_avant"].astype(float)
        after = joined[variable].astype(float)
        moved = _differs(before, after)
        if moved.any():
            parts.append(
                pd.DataFrame(
                    {
                        c.CODE: joined.loc[moved, c.CODE],
                        c.YEAR: joined.loc[moved, c.YEAR],
                        c.VARIABLE: variable,
                        "avant": before[moved],
                        "apres": after[moved],
                        "ecart": (after[moved].fillna(0) - before[moved].fillna(0)).abs(),
                    }
                )
            )
    if not parts:
        return
    moved_all = pd.concat(parts, ignore_index=True)
    out.changed = len(moved_all)
    largest = moved_all.nlargest(SHOWN * 2, "ecart")
    out.changes = [
        Change(
            _named(code, names),
            int(year),
            label(variable),
            None if pd.isna(before) else float(before),
            None if pd.isna(after) else float(after),
            1 if variable in c.RATE_VARIABLES else 0,
        )
        for code, year, variable, before, after in largest[
            [c.CODE, c.YEAR, c.VARIABLE, "avant", "apres"]
        ].itertuples(index=False)
    ]


def _listed(lines: list[str], what: str) -> list[str]:
    if len(lines) <= SHOWN:
        return lines
    return [*lines[:SHOWN], f"… et {len(lines) - SHOWN} autres {what}."]


def _rate_warnings(joined: pd.DataFrame, names: dict[str, str], bound: float) -> list[str]:
    lines = []
    published = _published_pairs(joined[c.CODE], joined[c.YEAR])
    keys = pd.MultiIndex.from_arrays([joined[c.CODE], joined[c.YEAR].astype(int)])
    for variable in c.RATE_VARIABLES:
        before = joined[f"{variable}_avant"].astype(float)
        after = joined[variable].astype(float)
        # where the Cnaf's own rate is stored, it is the commune's rate: a rate computed from
        # places and births (another denominator) is no sign of a wrong file
        flagged = (after > bound) & _differs(before, after) & ~keys.isin(published)
        for index in joined.index[flagged]:
            lines.append(
                f"{_named(joined.at[index, c.CODE], names)}, {int(joined.at[index, c.YEAR])} : "
                f"{label(variable)} de {french_number(after[index], 1)} après l'import (avant : "
                f"{french_number(before[index], 1, missing='inconnu')}), au-delà de "
                f"{french_number(bound, 0)} places pour 100 enfants."
            )
    return _listed(lines, "taux au-delà du seuil")


def _published_pairs(codes: pd.Series, years: pd.Series) -> pd.MultiIndex:
    """(commune, year) pairs that have a published global coverage rate stored."""
    from sdsf.web.apps.datasets.models import Observation
    from sdsf.web.apps.datasets.services import values_for_codes

    rows = values_for_codes(
        Observation.objects.filter(
            variable=c.RATE_GLOBAL,
            level=c.COMMUNE,
            year__in=[int(y) for y in years.dropna().unique()],
            value__isnull=False,
        ),
        "code",
        codes.dropna(),
        "code",
        "year",
    )
    if not rows:
        return pd.MultiIndex.from_arrays([[], []])
    return pd.MultiIndex.from_tuples(rows)


def _published_rate_warnings(parsed: ParsedFile, bound: float) -> list[str]:
    obs = parsed.observations
    high = obs[obs[c.VARIABLE].isin(c.RATE_VARIABLES) & (obs[c.VALUE] > bound)]
    lines = [
        f"{code} ({c.LEVEL_LABELS.get(level, level)}), {year} : {label(variable)} publié de "
        f"{french_number(value, 1)}, au-delà de {french_number(bound, 0)}."
        for level, code, year, variable, value in high[
            [c.LEVEL, c.CODE, c.YEAR, c.VARIABLE, c.VALUE]
        ].itertuples(index=False)
    ]
    return _listed(lines, "taux publiés au-delà du seuil")


def _places_warnings(joined: pd.DataFrame, names: dict[str, str], bound: float) -> list[str]:
    if joined.empty:
        return []
    lines = []
    for variable in c.PLACE_VARIABLES:
        sums = joined.groupby([c.DEPARTEMENT_CODE, c.YEAR])[[f"{variable}_avant", variable]].sum(
            min_count=1
        )
        for (departement, year), (before, after) in sums.iterrows():
            if pd.isna(before) or before <= 0 or pd.isna(after):
                continue
            change = (after - before) / before
            if abs(change) > bound:
                lines.append(
                    f"{_named(str(departement), names)}, {int(year)} : {label(variable)} du "
                    f"département {french_number(before, 0)} → {french_number(after, 0)} "
                    f"({'+' if change > 0 else '−'}{french_number(abs(change) * 100, 0)} %), "
                    f"une variation de plus de {french_number(bound * 100, 0)} %."
                )
    return _listed(lines, "variations")
