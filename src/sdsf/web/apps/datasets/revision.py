"""The data revision: cache keys of computed tables change whenever stored data changes.

The number counts the changes (documents and priority versions record it); the cache key adds
a random token drawn at each change, so that a change rolled back (an import waiting for
confirmation, a failed transaction) never leaves behind tables cached under a number that the
next change will take again.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.crypto import get_random_string

from sdsf.web.apps.datasets.models import DataRevision


def bump() -> None:
    """Mark every computed table as stale (call inside the transaction that changes data)."""
    token = get_random_string(12)
    if not DataRevision.objects.filter(pk=1).update(value=F("value") + 1, token=token):
        DataRevision.objects.get_or_create(pk=1, defaults={"value": 1, "token": token})


def current() -> int:
    row = DataRevision.objects.filter(pk=1).values_list("value", flat=True).first()
    return int(row or 0)


def key() -> str:
    """The part of a cache key that says which data a cached table was computed from."""
    row = DataRevision.objects.filter(pk=1).values_list("value", "token").first()
    return f"{row[0]}.{row[1]}" if row else "0"
