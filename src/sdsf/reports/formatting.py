"""French number formatting: decimal comma, narrow no-break space between thousands."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")

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


def rounded(values: object, digits: int) -> np.ndarray:
    """Python's ``round(v, digits)`` on every number of an array, vectorised: the decimal
    nearest to the exact binary value, ties to even (``np.round`` rounds ``x * 10**digits``,
    whose own rounding can cross a tie: those few values are rounded by Python). NaN stays."""
    x = np.asarray(values, dtype=float)
    if digits == 0:
        return np.round(x)  # rint: exact, ties to even, as round(v, 0)
    scale = 10.0**digits
    scaled = x * scale
    out = np.round(scaled) / scale
    with np.errstate(invalid="ignore"):
        # the product errs by at most half an ulp of it: doubt within that distance of a tie
        tie = np.abs(scaled - np.floor(scaled) - 0.5)
        doubt = (tie < 1e-9 + np.abs(scaled) * 1e-15) | (np.abs(scaled) >= 2.0**52)
    for i in np.flatnonzero(doubt & np.isfinite(x)):
        out[i] = round(float(x[i]), digits)
    return out


def each_distinct(values: object, fn: Callable[[Any], T], missing: T) -> list[T]:
    """``fn`` of every value of a column, called once per distinct value (a national column holds
    few distinct numbers or texts); missing values (None, NaN) give ``missing``."""
    array = np.asarray(values, dtype=object if isinstance(values, list) else None)
    codes, uniques = pd.factorize(array)
    mapped = np.empty(len(uniques) + 1, dtype=object)  # the last one for the missing (code -1)
    mapped[:-1] = [fn(value) for value in uniques]
    mapped[-1] = missing
    result: list[T] = mapped[codes].tolist()
    return result


def fixed_texts(values: object, digits: int, missing: str = "") -> list[str]:
    """:func:`french_number` without thousands separator on every number of an array
    (``1234.5`` -> ``1234,5``; NaN -> ``missing``), as CSV cells."""
    pattern = f"%.{digits}f"
    return each_distinct(
        np.asarray(values, dtype=float), lambda v: (pattern % v).replace(".", ","), missing
    )
