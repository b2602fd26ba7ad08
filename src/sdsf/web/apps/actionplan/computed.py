"""Action indicators computed from the diagnostic (coverage of a territory, places...): their
yearly values are filled from the indicator tables and refreshed after every import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from sdsf.core import columns as c
from sdsf.core.indicators import INDICATOR
from sdsf.web.apps.actionplan.models import ActionIndicator, IndicatorValue
from sdsf.web.apps.datasets.signals import data_imported


def refresh(indicators: Iterable[ActionIndicator]) -> int:
    """Store the diagnostic's values of computed indicators, one per year; return how many
    values changed."""
    from sdsf.parameters.indicators import catalogue
    from sdsf.web.apps.diagnostic.services import indicator_table

    tables: dict[tuple[str, str], Any] = {}
    changed = 0
    for indicator in indicators:
        if not indicator.computed:
            continue
        departement = indicator.action.scheme.departement
        key = (indicator.level, departement)
        if key not in tables:
            tables[key] = indicator_table(indicator.level, departement)
        table = tables[key]
        rows = table[
            (table[c.CODE] == indicator.territory)
            & (table[INDICATOR] == indicator.source_indicator)
        ].dropna(subset=[c.VALUE])
        source = catalogue().indicators[indicator.source_indicator]
        existing = {v.year: v for v in indicator.values.all()}
        for year, value in zip(rows[c.YEAR].astype(int), rows[c.VALUE].astype(float), strict=True):
            stored = existing.get(year)
            if stored is not None and stored.value == value:
                continue
            stored = stored or IndicatorValue(indicator=indicator, year=year)
            stored.value = value
            stored.source = f"calcul sdsf depuis le diagnostic ({source.source})"
            stored.entered_on = timezone.localdate()
            stored.automatic = True
            stored.save()
            changed += 1
    return changed


@receiver(data_imported)
def _after_import(sender: object, **kwargs: object) -> None:
    computed = ActionIndicator.objects.exclude(source_indicator="").select_related("action__scheme")
    if computed.exists():
        refresh(computed.prefetch_related("values"))
