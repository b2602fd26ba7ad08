"""French number formatting: decimal comma, narrow no-break space between thousands."""

from __future__ import annotations

import math

NNBSP = "\u202f"


def as_number(value: object) -> float | None:
    """``value`` as a float, or None when it is missing or not a number."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def french_number(
    value: object, digits: int = 1, *, grouping: bool = True, missing: str = ""
) -> str:
    """``1234.5`` -> ``1 234,5``; missing values -> ``missing`` (never ``0``)."""
    number = as_number(value)
    if number is None:
        return missing
    text = f"{number:,.{digits}f}"
    text = text.replace(",", "\x00").replace(".", ",")
    return text.replace("\x00", NNBSP if grouping else "")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 valeur``, ``1 600 valeurs``: French number and agreement."""
    word = noun if abs(number) < 2 else (plural or f"{noun}s")
    return f"{french_number(number, 0)} {word}"
