from django.contrib import admin

from offlabel.web.analytics.models import AnalysisRun, RegistrySnapshot


@admin.register(AnalysisRun)
class AnalysisRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "topic", "kind", "status", "created_by", "created_at")
    list_filter = ("kind", "status")
    readonly_fields = ("params", "result", "registry_version", "created_at", "finished_at")


@admin.register(RegistrySnapshot)
class RegistrySnapshotAdmin(admin.ModelAdmin):
    list_display = ("pk", "review", "section", "n", "data_date", "created_by")
    list_filter = ("section",)
    readonly_fields = ("figures", "registry_version", "created_at")
