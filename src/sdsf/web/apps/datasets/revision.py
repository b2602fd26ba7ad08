"""The data revisions: cache keys of computed tables change whenever the data they read change.

The whole data's revision counts the changes (documents and priority versions record it) and
keys the tables of France, the régions and the whole country. Each département has its own
revision, drawn again by the changes that reach it (:mod:`~sdsf.web.apps.datasets.reach`):
a file of another département leaves its tables in the cache. Keys add random tokens drawn at
each change, so that a change rolled back (an import waiting for confirmation, a failed
transaction) never leaves behind tables cached under a key that the next change takes again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.utils.crypto import get_random_string

from sdsf.web.apps.datasets.models import DataRevision, DepartementRevision


def bump(departements: Iterable[str] | None = None) -> None:
    """Mark the computed tables stale (call inside the transaction that changes data): those of
    the whole country, and those of the départements the change reaches (``departements``:
    the ones it touches; None: every département)."""
    from sdsf.web.apps.datasets.reach import reached

    token = get_random_string(12)
    reach = reached(departements) if departements is not None else None
    fields: dict[str, object] = {"value": F("value") + 1, "token": token}
    if reach is None:
        fields["base"] = token
    if not DataRevision.objects.filter(pk=1).update(**fields):
        DataRevision.objects.get_or_create(
            pk=1, defaults={"value": 1, "token": token, "base": token}
        )
    if reach:
        stale = sorted(reach)
        DepartementRevision.objects.filter(departement__in=stale).update(token=token)
        known = set(
            DepartementRevision.objects.filter(departement__in=stale).values_list(
                "departement", flat=True
            )
        )
        DepartementRevision.objects.bulk_create(
            [DepartementRevision(departement=d, token=token) for d in stale if d not in known],
            ignore_conflicts=True,
        )


def current() -> int:
    row = DataRevision.objects.filter(pk=1).values_list("value", flat=True).first()
    return int(row or 0)


def key() -> str:
    """The part of a cache key that says which data a table of the whole country (France,
    régions, every commune) was computed from."""
    row = DataRevision.objects.filter(pk=1).values_list("value", "token").first()
    return f"{row[0]}.{row[1]}" if row else "0"


def departement_key(departement: str) -> str:
    """The part of a cache key that says which data a table of ``departement`` was computed
    from: the last change of every département, and the last that reached this one."""
    base = DataRevision.objects.filter(pk=1).values_list("base", flat=True).first() or "0"
    own = (
        DepartementRevision.objects.filter(departement=departement)
        .values_list("token", flat=True)
        .first()
    )
    return f"{base}.{own or '0'}"
