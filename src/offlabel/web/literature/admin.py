from django.contrib import admin

from offlabel.web.literature.models import LibraryEntry, Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "year", "pmid", "doi", "species", "design")
    list_filter = ("kind", "species", "design", "source")
    search_fields = ("title", "pmid", "doi", "nct", "journal")


@admin.register(LibraryEntry)
class LibraryEntryAdmin(admin.ModelAdmin):
    list_display = ("reference", "topic", "added_by", "added_at")
    list_select_related = ("reference", "topic__therapy", "topic__condition", "added_by")
