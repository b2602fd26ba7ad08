"""Follow-up of a schéma: places created, and where; progress of an indicator to its target."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CreatedPlaces:
    """Places created between two years (sum of the increases of the territories whose places
    grew: a closure elsewhere does not cancel a creation), and the share created in priority
    territories."""

    created: float
    in_priority: float

    @property
    def share(self) -> float | None:
        return None if self.created <= 0 else 100 * self.in_priority / self.created


def created_places(
    before: Mapping[str, float], after: Mapping[str, float], priority: Collection[str]
) -> CreatedPlaces:
    """``before`` and ``after``: places by territory code; territories missing from either
    year are left out (unknown, never counted as a creation from zero)."""
    frame = pd.DataFrame(
        {"before": pd.Series(before, dtype=float), "after": pd.Series(after, dtype=float)}
    )
    frame = frame.dropna()
    growth = (frame["after"] - frame["before"]).clip(lower=0)
    in_priority = growth[growth.index.isin(list(priority))]
    return CreatedPlaces(float(growth.sum()), float(in_priority.sum()))


def target_for(targets: Mapping[int, float], year: int) -> tuple[int, float] | None:
    """The target of ``year``, else the next one, else the last one (a value is judged only
    against the target of its own year)."""
    if not targets:
        return None
    later = sorted(y for y in targets if y >= year)
    chosen = later[0] if later else max(targets)
    return chosen, targets[chosen]


def reached(value: float, target: float, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target
