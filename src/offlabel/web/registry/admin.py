from django.contrib import admin

from offlabel.web.registry.models import (
    CareAccess,
    Evaluation,
    Milestone,
    ScoreRecord,
    Subject,
    TreatmentCourse,
)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["public_id", "kind", "origin", "onset_date", "created"]
    list_filter = ["kind", "origin"]
    search_fields = ["public_id"]
    raw_id_fields = ["owner", "entered_by"]


@admin.register(TreatmentCourse)
class TreatmentCourseAdmin(admin.ModelAdmin):
    """Editors link free-text therapies to the catalogue here."""

    list_display = ["subject", "therapy", "therapy_text", "start_date", "stop_date"]
    list_filter = ["therapy"]
    search_fields = ["therapy_text", "subject__public_id"]
    raw_id_fields = ["subject", "entered_by"]


admin.site.register(Evaluation, raw_id_fields=["course", "entered_by"])
admin.site.register(ScoreRecord, raw_id_fields=["subject", "entered_by"])
admin.site.register(Milestone, raw_id_fields=["subject", "entered_by"])
admin.site.register(CareAccess, raw_id_fields=["subject", "clinician", "invited_by"])
