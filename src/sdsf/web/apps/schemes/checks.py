"""Ranges and formats of what people type into the schéma, its action plan and the priority
map. The services check them themselves (the web forms, the command line and the demo all go
through the services), so that a bad value never reaches the database; the forms check the
same bounds first, to answer next to the field. Messages in French, without the final period
(the pages add it)."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

YEAR_MIN, YEAR_MAX = 1990, 2100
DATE_MIN, DATE_MAX = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)
# Funding.amount: 12 digits, 2 of them after the decimal point
AMOUNT_MAX = Decimal("9999999999.99")
AMOUNT_MAX_LABEL = "9 999 999 999,99 €"
# an indicator's value, baseline or target, a threshold: beyond, a typing mistake
NUMBER_MAX = 1e15
# a long text (editorial, description, minutes, decision, justification...)
TEXT_MAX = 20_000
# the territories an action names
TERRITORIES_MAX = 500
# characters no document can hold (XML 1.0: control characters but tab and line breaks, and
# two non-characters); typed by mistake (a copy from a terminal), they would break the
# workbooks and documents
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class SchemeError(ValueError):
    """A user mistake, told in French."""


def year(value: Any, label: str = "année") -> int:
    """A year between :data:`YEAR_MIN` and :data:`YEAR_MAX`."""
    try:
        found = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise SchemeError(f"{label} : une année est attendue, pas « {str(value)[:20]} »") from exc
    if not YEAR_MIN <= found <= YEAR_MAX:
        raise SchemeError(f"{label} : une année entre {YEAR_MIN} et {YEAR_MAX} est attendue")
    return found


def date(value: dt.date | None, label: str = "date") -> dt.date | None:
    """A date between :data:`DATE_MIN` and :data:`DATE_MAX` (or none)."""
    if value is None:
        return None
    if not isinstance(value, dt.date):
        raise SchemeError(f"{label} : une date est attendue")
    if isinstance(value, dt.datetime):
        value = value.date()
    if not DATE_MIN <= value <= DATE_MAX:
        raise SchemeError(
            f"{label} : une date entre le {DATE_MIN:%d/%m/%Y} et le {DATE_MAX:%d/%m/%Y} "
            "est attendue"
        )
    return value


def number(value: Any, label: str = "valeur") -> float:
    """A finite number no larger than :data:`NUMBER_MAX` in absolute value."""
    try:
        found = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise SchemeError(f"{label} : un nombre est attendu") from exc
    if not math.isfinite(found) or abs(found) > NUMBER_MAX:
        raise SchemeError(f"{label} : un nombre entre -10^15 et 10^15 est attendu")
    return found


def optional_number(value: Any, label: str = "valeur") -> float | None:
    return None if value is None or value == "" else number(value, label)


def amount(value: Any, label: str = "montant") -> Decimal:
    """An amount of euros: ``1 000,50``, ``1000.5`` or a number; not negative, to the cent,
    at most :data:`AMOUNT_MAX` (the column's digits)."""
    text = str(value).strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    try:
        found = Decimal(text.replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise SchemeError(
            f"{label} illisible « {str(value)[:30]} » (attendu : un nombre d'euros)"
        ) from exc
    if not found.is_finite():
        raise SchemeError(f"{label} illisible « {str(value)[:30]} » (attendu : un nombre d'euros)")
    if found < 0:
        raise SchemeError(f"un {label} ne peut pas être négatif")
    if found > AMOUNT_MAX:
        raise SchemeError(f"un {label} ne peut pas dépasser {AMOUNT_MAX_LABEL}")
    if found != found.quantize(Decimal("0.01")):
        raise SchemeError(f"un {label} se donne au centime près (deux décimales au plus)")
    return found.quantize(Decimal("0.01"))


def text(value: Any, label: str, max_length: int = TEXT_MAX, *, required: bool = False) -> str:
    """A text, stripped: at most ``max_length`` characters, no NUL character."""
    found = str(value if value is not None else "").strip()
    if required and not found:
        raise SchemeError(f"le champ « {label} » est obligatoire")
    if len(found) > max_length:
        raise SchemeError(
            f"le champ « {label} » compte {len(found)} caractères : {max_length} au plus"
        )
    if CONTROL.search(found):
        raise SchemeError(
            f"le champ « {label} » contient un caractère de contrôle invisible : retirez-le"
        )
    return found


def targets(value: Any, label: str = "cibles") -> dict[str, float]:
    """Targets by year, ``{"2027": 65.0}``: years within bounds, finite numbers."""
    if not value:
        return {}
    if not isinstance(value, dict):
        raise SchemeError(f"{label} : attendu des cibles par année")
    return {
        str(year(y, f"{label}, année « {str(y)[:20]} »")): number(v, f"{label} {y}")
        for y, v in value.items()
    }
