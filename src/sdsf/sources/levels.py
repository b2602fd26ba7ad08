"""Which geographic level a file describes: from an explicit choice, the file name, or codes."""

from __future__ import annotations

import re

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.errors import SourceError

# Hints in published file names (INSEE: *_com_*, *_dep_*...; Filosofi: *_COM, *_DEP...).
NAME_HINTS = (
    (r"(^|[_\-. ])(arm)([_\-. ]|$)", c.ARRONDISSEMENT),
    (r"(^|[_\-. ])(com|communes?)([_\-. ]|$)", c.COMMUNE),
    (r"(^|[_\-. ])(epci)([_\-. ]|$)", c.EPCI),
    (r"(^|[_\-. ])(dep|dpt|departements?)([_\-. ]|$)", c.DEPARTEMENT),
    (r"(^|[_\-. ])(reg|regions?)([_\-. ]|$)", c.REGION),
    (r"(^|[_\-. ])(france|metropole|nat)([_\-. ]|$)", c.FRANCE),
)
USER_LEVELS = {
    "commune": c.COMMUNE,
    "arrondissement": c.ARRONDISSEMENT,
    "epci": c.EPCI,
    "departement": c.DEPARTEMENT,
    "region": c.REGION,
    "france": c.FRANCE,
}
# National aggregates as INSEE and Filosofi name them.
FRANCE_CODES = {
    "F": "FR",
    "FR": "FR",
    "FM": "FM",
    "1": "FM",
    "METRO": "FM",
    "F_X_D976": "FRHM",
    "FRHM": "FRHM",
}


def level_from_name(file_name: str) -> str | None:
    lowered = file_name.lower()
    for pattern, level in NAME_HINTS:
        if re.search(pattern, lowered):
            return level
    return None


def detect_level(codes: pd.Series, file_name: str, explicit: str | None) -> str:
    """The level of a file of codes; ambiguous files must say it (``--niveau``)."""
    if explicit:
        return USER_LEVELS[explicit]
    hinted = level_from_name(file_name)
    if hinted:
        return hinted
    lengths = set(codes.astype(str).str.len())
    if lengths == {5}:
        return c.COMMUNE
    if lengths == {9}:
        return c.EPCI
    raise SourceError(
        file_name,
        "niveau géographique indéterminé (départements ou régions ?)",
        expected="un nom de fichier contenant com, epci, dep ou reg, ou l'option --niveau",
    )
