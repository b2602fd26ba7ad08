"""The edition of a published file: which of two files publishing the same figure is newer.

A Cnaf file ``txcouv_pe_dep`` of 2017-2022 publishes first-edition 2022 rates; the file of
2022-2023 publishes them revised (SOURCES.md: Paris 2022 = 78.2, then 77.7). For the Cnaf and
Insee datasets the edition of a file is therefore the last reference year it publishes; a user
may also give it at import, as a year or as a date of publication (JJ/MM/AAAA).

An edition is kept as text that sorts in time: ``"2023"`` for a year, ``"2023-03-15"`` for a
date. A year sorts before every date of that year and after every date of the year before.
"""

from __future__ import annotations

import datetime as dt
import re

FIRST_YEAR, LAST_YEAR = 1990, 2100
EXPECTED = f"une année ({FIRST_YEAR} à {LAST_YEAR}) ou une date JJ/MM/AAAA"
_YEAR = re.compile(r"\d{4}")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class EditionError(ValueError):
    """An edition given by the user that is neither a year nor a date, in French."""

    def __init__(self, found: str) -> None:
        self.found = found
        super().__init__(f"édition invalide « {found} » : attendu {EXPECTED}")


def parse_edition(text: str | int) -> str:
    """``"2024"`` -> ``"2024"``, ``"15/03/2024"`` -> ``"2024-03-15"``; anything else (or a year
    outside 1990-2100) raises :class:`EditionError`."""
    given = str(text).strip()
    if _YEAR.fullmatch(given):
        if FIRST_YEAR <= int(given) <= LAST_YEAR:
            return given
        raise EditionError(given)
    match = _DATE.fullmatch(given)
    if match is None:
        raise EditionError(given)
    day, month, year = (int(part) for part in match.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise EditionError(given)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise EditionError(given) from None


def edition_label(edition: str) -> str:
    """How a user reads a stored edition: ``"2024"`` or ``"15/03/2024"``."""
    if len(edition) == 10:
        year, month, day = edition.split("-")
        return f"{day}/{month}/{year}"
    return edition


def edition_of_years(years: list[int]) -> str:
    """The edition of a file that does not say it otherwise: its last reference year."""
    return str(max(years)) if years else ""
