"""Why a territory is (or is not) a priority, in one French sentence.

« Prioritaire (zone 1) : taux de couverture 38,2 < 54 ; potentiel financier 712 € < 978 € ;
revenu moyen 19 540 € <= 21 197 € ; avec quartier prioritaire ». Numbers use the rounding of
the tables; a criterion without data says so and never counts as failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdsf.reports.formatting import french_number

STATUS_LABELS = {
    "prioritaire": "Prioritaire",
    "non prioritaire": "Non prioritaire",
    "non déterminé": "Non déterminé",
}
NEGATIONS = {"<": "≥", "<=": ">", ">": "≤", ">=": "<"}


@dataclass(frozen=True)
class CriterionResult:
    label: str
    value: float | None
    operator: str
    threshold: float
    met: bool | None
    decimals: int
    unit: str


def number(value: float, decimals: int, unit: str, *, threshold: bool = False) -> str:
    """A value with the table's rounding; a whole threshold without decimals (« 54 »)."""
    digits = 0 if threshold and float(value).is_integer() else decimals
    text = french_number(value, digits)
    return f"{text}\u00a0€" if unit == "€" else text


def criterion_text(item: CriterionResult) -> str:
    """« taux de couverture 38,2 < 54 », « ... 62,0 ≥ 54 » when it fails, « ... inconnu »."""
    if item.value is None or item.met is None:
        return f"{item.label} inconnu"
    operator = item.operator if item.met else NEGATIONS[item.operator]
    value = number(item.value, item.decimals, item.unit)
    threshold = number(item.threshold, item.decimals, item.unit, threshold=True)
    return f"{item.label} {value} {operator} {threshold}"


def explanation(
    status: str,
    zone: int | None,
    criteria: list[CriterionResult],
    crossings: list[CriterionResult],
    manual: tuple[str, str] | None = None,
) -> str:
    """The sentence for one territory; ``manual`` is (action, justification) of a hand change."""
    head = STATUS_LABELS.get(status, status)
    if status == "prioritaire":
        head += f" (zone {zone})" if zone is not None else " (zone non déterminée)"
    parts = [criterion_text(c) for c in criteria]
    parts += [
        f"avec {c.label}"
        if c.met
        else f"{c.label} : inconnu"
        if c.met is None
        else f"sans {c.label}"
        for c in crossings
        if status == "prioritaire"
    ]
    text = f"{head} : {' ; '.join(parts)}"
    if manual is not None:
        action, justification = manual
        verb = "ajouté à la main" if action == "ajout" else "retiré à la main"
        text += f". Puis {verb} : {justification}"
    return text
