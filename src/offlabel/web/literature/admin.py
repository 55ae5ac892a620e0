from django.contrib import admin

from offlabel.web.literature.models import (
    ImportBatch,
    LibraryEntry,
    Reference,
    SavedSearch,
    WatchFlag,
)


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "year", "pmid", "doi", "species", "design")
    list_filter = ("kind", "species", "design", "source")
    search_fields = ("title", "pmid", "doi", "nct", "journal")


@admin.register(LibraryEntry)
class LibraryEntryAdmin(admin.ModelAdmin):
    list_display = ("reference", "topic", "added_by", "added_at")
    list_select_related = ("reference", "topic__therapy", "topic__condition", "added_by")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("source", "topic", "owner", "created", "expires_at")
    list_select_related = ("topic", "owner")
    exclude = ("records",)


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "topic", "species", "last_run_at")
    list_select_related = ("topic",)


@admin.register(WatchFlag)
class WatchFlagAdmin(admin.ModelAdmin):
    list_display = ("title", "topic", "pmid", "doi", "year", "status", "found_at")
    list_filter = ("status",)
    list_select_related = ("topic",)
