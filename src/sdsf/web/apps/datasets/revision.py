"""The data revision: cache keys of computed tables change whenever stored data changes."""

from __future__ import annotations

from django.db.models import F

from sdsf.web.apps.datasets.models import DataRevision


def bump() -> None:
    """Mark every computed table as stale (call inside the transaction that changes data)."""
    if not DataRevision.objects.filter(pk=1).update(value=F("value") + 1):
        DataRevision.objects.get_or_create(pk=1, defaults={"value": 1})


def current() -> int:
    row = DataRevision.objects.filter(pk=1).values_list("value", flat=True).first()
    return int(row or 0)
