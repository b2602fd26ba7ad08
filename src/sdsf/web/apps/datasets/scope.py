"""Whose file is it: the départements a parsed file touches, and the right to import it.

Importing is a right on a département: a pilot imports a file whose rows all fall in their
département. A file with rows in several départements, or for a région or France, is a national
file: the administrator's (rights matrix: :mod:`sdsf.web.apps.accounts.permissions`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd
from django.core.exceptions import PermissionDenied

from sdsf.core import columns as c
from sdsf.reports.formatting import counted
from sdsf.sources.anct import qpv_departement
from sdsf.sources.base import ParsedFile
from sdsf.web.apps.accounts.permissions import (
    IMPORT,
    IMPORT_NATIONAL,
    can,
    departement_of,
    require,
)
from sdsf.web.apps.datasets.services import values_for_codes
from sdsf.web.apps.territories.models import Territory

NATIONAL_LEVELS = (c.REGION, c.FRANCE)


@dataclass(frozen=True)
class Scope:
    """Rows of the file per département; ``national``: rows of a région or of France."""

    rows_by_departement: dict[str, int]
    national: bool

    @property
    def departements(self) -> list[str]:
        return sorted(self.rows_by_departement)


def file_scope(parsed: ParsedFile) -> Scope:
    obs = parsed.observations
    national = bool(obs[c.LEVEL].isin(NATIONAL_LEVELS).any())
    counts: Counter[str] = Counter()
    qpv = obs[obs[c.LEVEL] == c.QPV]
    counts.update(qpv_departement(code) for code in qpv[c.CODE])
    mapped = obs[obs[c.LEVEL].isin([c.COMMUNE, c.ARRONDISSEMENT, c.EPCI, c.DEPARTEMENT])]
    if not mapped.empty:
        codes = mapped[[c.LEVEL, c.CODE]].astype(str)
        departement_of_code = pd.DataFrame(
            values_for_codes(
                Territory.objects.exclude(level=c.CUSTOM),
                "code",
                set(codes[c.CODE]),
                "level",
                "code",
                "departement",
            ),
            columns=[c.LEVEL, c.CODE, "_dep"],
        ).astype(str)
        # vectorised: a national file has a million rows
        deps = codes.merge(departement_of_code, on=[c.LEVEL, c.CODE], how="left")["_dep"]
        deps = deps.fillna("").astype(object).replace("", "?")
        counts.update({str(k): int(v) for k, v in deps.value_counts().items()})
    return Scope(dict(counts), national)


def require_import(user: object, parsed: ParsedFile) -> Scope:
    """Refuse (:class:`PermissionDenied`, in French) a file that falls outside the user's
    départements; nothing is stored then."""
    scope = file_scope(parsed)
    outside = [d for d in scope.departements if not can(user, IMPORT, d)]
    national = scope.national or len(scope.departements) > 1 or bool(outside)
    if national and not can(user, IMPORT_NATIONAL):
        raise PermissionDenied(_refusal(user, scope, outside))
    for departement in scope.departements:
        if departement != "?":
            require(user, IMPORT, departement)
    return scope


def _refusal(user: object, scope: Scope, outside: list[str]) -> str:
    own = departement_of(user)
    where = f"votre département ({own})" if own else "votre département"
    if scope.national:
        what = "des lignes d'une région ou de la France entière"
    else:
        listed = ", ".join(
            f"{d} ({counted(scope.rows_by_departement[d], 'ligne')})"
            for d in (outside or scope.departements)[:8]
        )
        what = f"des lignes hors de {where} : département {listed}"
    return (
        f"Fichier refusé : il contient {what}. Un fichier ne s'importe que pour son propre "
        "département ; un fichier national (plusieurs départements, une région, la France) "
        "s'importe par l'administrateur de la plateforme. Rien n'a été importé."
    )
