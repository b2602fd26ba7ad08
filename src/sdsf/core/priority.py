"""Priority status of territories under a declarative rule set (pure, vectorised).

Each criterion compares an indicator with a threshold (``<``, ``<=``, ``>``, ``>=``); a missing
value leaves the criterion undetermined, never false. Criteria combine as:
- ``toutes``: prioritaire when all hold; not when one fails; otherwise « non déterminé »;
- ``une``: prioritaire when one holds; not when all fail; otherwise undetermined;
- ``au_moins`` k: prioritaire when k hold; not when k can no longer hold;
- ``score``: weighted points of the criteria that hold; prioritaire at or above the score
  threshold, decided with the missing criteria counted both ways (undetermined if that
  changes the outcome).
Crossings (QPV, ZRR...) are criteria that do not decide the status but the zone. Zones are
tried in order, the first whose conditions all hold wins (zone 1 = highest priority); a zone
that depends on an unknown value is undetermined. Priority territories are ranked by zone, then
by the ranking indicator. A threshold « mediane » is the median over the evaluated territories.
Source of the 2014 rules: Cnaf circular on the fonds de rééquilibrage territorial (DOMAIN.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
import pandas as pd

PRIORITY: Final = "prioritaire"
NOT_PRIORITY: Final = "non prioritaire"
UNDETERMINED: Final = "non déterminé"
STATUS: Final = "statut"
ZONE: Final = "zone"
RANK: Final = "rang"
SCORE: Final = "score"
CROSSING: Final = "croisement"


class CriterionLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def indicator(self) -> str: ...
    @property
    def operator(self) -> str: ...


class ZoneLike(Protocol):
    @property
    def zone(self) -> int: ...
    @property
    def priority(self) -> bool | None: ...
    @property
    def crossing(self) -> bool | None: ...
    @property
    def score_min(self) -> float | None: ...


class RulesLike(Protocol):
    @property
    def criteria(self) -> tuple[CriterionLike, ...]: ...
    @property
    def crossings(self) -> tuple[CriterionLike, ...]: ...
    @property
    def combination(self) -> str: ...
    @property
    def at_least(self) -> int: ...
    @property
    def weights(self) -> dict[str, float]: ...
    @property
    def score_threshold(self) -> float: ...
    @property
    def zones(self) -> tuple[ZoneLike, ...]: ...
    @property
    def ranking(self) -> str: ...
    @property
    def ascending(self) -> bool: ...


def value_column(criterion_id: str) -> str:
    return f"valeur_{criterion_id}"


def threshold_column(criterion_id: str) -> str:
    return f"seuil_{criterion_id}"


def met_column(criterion_id: str) -> str:
    return f"respecte_{criterion_id}"


def _compare(values: pd.Series, operator: str, threshold: float) -> pd.Series:
    x = values.astype(float)
    result = {
        "<": x < threshold,
        "<=": x <= threshold,
        ">": x > threshold,
        ">=": x >= threshold,
    }[operator]
    return result.astype(float).where(x.notna())


def resolve(
    values: pd.DataFrame, items: Sequence[CriterionLike], thresholds: Mapping[str, float | str]
) -> dict[str, float]:
    """Numeric thresholds: « mediane » becomes the median of the indicator's known values."""
    out = {}
    for item in items:
        threshold = thresholds[item.id]
        if threshold == "mediane":
            column = values[item.indicator] if item.indicator in values else pd.Series(dtype=float)
            out[item.id] = float(column.astype(float).median())
        else:
            out[item.id] = float(threshold)
    return out


def _status(met: pd.DataFrame, rules: RulesLike) -> tuple[pd.Series, pd.Series]:
    """Status and score from the 1/0/NaN table of criteria."""
    true = (met == 1).sum(axis=1)
    false = (met == 0).sum(axis=1)
    unknown = met.isna().sum(axis=1)
    n = met.shape[1]
    score = pd.Series(np.nan, index=met.index)
    if rules.combination == "toutes":
        yes, no = true == n, false > 0
    elif rules.combination == "une":
        yes, no = true > 0, false == n
    elif rules.combination == "au_moins":
        yes, no = true >= rules.at_least, true + unknown < rules.at_least
    else:
        weights = pd.Series({k: rules.weights.get(k, 0.0) for k in met.columns})
        low = met.fillna(0).mul(weights, axis=1).sum(axis=1)
        high = met.fillna(1).mul(weights, axis=1).sum(axis=1)
        yes, no = low >= rules.score_threshold, high < rules.score_threshold
        score = low.where(unknown == 0)
    status = pd.Series(
        np.select([yes, no], [PRIORITY, NOT_PRIORITY], default=UNDETERMINED), index=met.index
    )
    return status, score


def _zones(status: pd.Series, crossing: pd.Series, score: pd.Series, rules: RulesLike) -> pd.Series:
    """First matching zone; undetermined (<NA>) when a needed value is unknown."""
    zone = pd.Series(pd.NA, index=status.index, dtype="Int64")
    decided = status != PRIORITY  # only priority territories get a zone
    for spec in rules.zones:
        holds = pd.Series(True, index=status.index)
        unknown = pd.Series(False, index=status.index)
        if spec.priority is not None:
            holds &= (status == PRIORITY) == spec.priority
        if spec.crossing is not None:
            unknown |= crossing.isna()
            holds &= (crossing == 1) == spec.crossing
        if spec.score_min is not None:
            unknown |= score.isna()
            holds &= score >= spec.score_min
        take = ~decided & holds & ~unknown
        zone[take] = spec.zone
        decided |= take | (~decided & unknown)
    return zone


def evaluate(
    values: pd.DataFrame, rules: RulesLike, thresholds: Mapping[str, float | str]
) -> pd.DataFrame:
    """Evaluate ``rules`` on ``values`` (index: territory code; columns: indicator ids).

    Returns, per territory: each criterion's and crossing's value, threshold and outcome
    (1 / 0 / NaN), the score (score rules), the status, the zone and the rank.
    """
    items = (*rules.criteria, *rules.crossings)
    numeric = resolve(values, items, thresholds)
    out = pd.DataFrame(index=values.index)
    for item in items:
        column = values.get(item.indicator, np.nan)
        out[value_column(item.id)] = pd.Series(column, index=values.index, dtype=float)
        out[threshold_column(item.id)] = numeric[item.id]
        out[met_column(item.id)] = _compare(
            out[value_column(item.id)], item.operator, numeric[item.id]
        )
    met = out[[met_column(c.id) for c in rules.criteria]]
    met.columns = [c.id for c in rules.criteria]
    status, score = _status(met, rules)
    if rules.crossings:
        crossed = out[[met_column(c.id) for c in rules.crossings]]
        crossing = pd.Series(
            np.select([(crossed == 1).any(axis=1), (crossed == 0).all(axis=1)], [1.0, 0.0], np.nan),
            index=out.index,
        )
    else:
        crossing = pd.Series(0.0, index=out.index)
    out[SCORE] = score
    out[CROSSING] = crossing
    out[STATUS] = status
    out[ZONE] = _zones(status, crossing, score, rules)
    ranking = values[rules.ranking].astype(float) if rules.ranking in values else np.nan
    order = pd.DataFrame({"zone": out[ZONE], "key": ranking}, index=out.index)
    order = order[out[STATUS] == PRIORITY].sort_values(
        ["zone", "key"], ascending=[True, rules.ascending], na_position="last", kind="stable"
    )
    out[RANK] = pd.Series(range(1, len(order) + 1), index=order.index, dtype="Int64")
    return out


@dataclass(frozen=True)
class Change:
    criterion: str
    factor: float  # e.g. -0.05
    threshold: float
    entering: int
    leaving: int
    children: float  # children under 3 of the territories whose status changes
    rezoned: int = 0  # priority territories that stay priority but change zone


def sensitivity(
    values: pd.DataFrame,
    rules: RulesLike,
    thresholds: Mapping[str, float | str],
    children: pd.Series,
    factors: Sequence[float] = (-0.10, -0.05, 0.05, 0.10),
) -> list[Change]:
    """How many territories (and children) change status, and how many priority territories
    change zone, when each criterion's threshold moves by each factor, the others unchanged."""
    reference = evaluate(values, rules, thresholds)
    base, base_zone = reference[STATUS], reference[ZONE]
    numeric = resolve(values, rules.criteria, thresholds)
    weights = children.reindex(values.index).astype(float).fillna(0)
    out = []
    for criterion in rules.criteria:
        for factor in factors:
            moved = dict(thresholds)
            moved[criterion.id] = numeric[criterion.id] * (1 + factor)
            moved_result = evaluate(values, rules, moved)
            status = moved_result[STATUS]
            changed = status != base
            both = (status == PRIORITY) & (base == PRIORITY)
            rezoned = both & (moved_result[ZONE].fillna(0) != base_zone.fillna(0))
            out.append(
                Change(
                    criterion.id,
                    factor,
                    float(moved[criterion.id]),
                    int(((status == PRIORITY) & (base != PRIORITY)).sum()),
                    int(((status != PRIORITY) & (base == PRIORITY)).sum()),
                    float(weights[changed].sum()),
                    int(rezoned.sum()),
                )
            )
    return out
