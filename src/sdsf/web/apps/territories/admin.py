from __future__ import annotations

from django.contrib import admin

from sdsf.web.apps.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "level", "departement", "epci", "area_km2")
    list_filter = ("level",)
    search_fields = ("code", "name")
    exclude = ("geometry", "geojson")
    filter_horizontal = ("members",)
