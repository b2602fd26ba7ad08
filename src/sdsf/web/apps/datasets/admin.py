"""Read-only administration of imports: provenance is never edited by hand."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from sdsf.web.apps.datasets.models import ImportedFile, Replacement


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ImportedFile)
class ImportedFileAdmin(ReadOnlyAdmin):
    list_display = (
        "file_name",
        "producer",
        "dataset",
        "edition",
        "rows",
        "imported_by",
        "imported_at",
        "replaced_at",
        "simulated",
    )
    list_filter = ("producer", "source", "simulated")
    search_fields = ("file_name", "dataset", "sha256")


@admin.register(Replacement)
class ReplacementAdmin(ReadOnlyAdmin):
    list_display = (
        "old_file",
        "new_file",
        "kind",
        "level",
        "year",
        "values_replaced",
        "replaced_at",
    )
