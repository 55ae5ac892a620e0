"""Registry records in the admin: read-only, and only for those granted the view permission
(an operator's superuser; editors hold none of them). Records change only through the site's
pages, whose services check every rule and leave an audit row."""

from django.contrib import admin

from offlabel.web.common.admin import ReadOnlyAdmin
from offlabel.web.registry.models import (
    CareAccess,
    Evaluation,
    Milestone,
    ScoreRecord,
    Subject,
    TreatmentCourse,
)


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "kind", "origin", "onset_date", "created"]
    list_filter = ["kind", "origin"]
    search_fields = ["public_id"]
    raw_id_fields = ["owner", "entered_by"]


@admin.register(TreatmentCourse)
class TreatmentCourseAdmin(ReadOnlyAdmin):
    list_display = ["subject", "therapy", "therapy_text", "start_date", "stop_date"]
    list_filter = ["therapy"]
    search_fields = ["therapy_text", "subject__public_id"]
    raw_id_fields = ["subject", "entered_by"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    raw_id_fields = ["course", "entered_by"]


@admin.register(ScoreRecord)
class ScoreRecordAdmin(ReadOnlyAdmin):
    list_display = ["subject", "scale", "date", "total"]
    raw_id_fields = ["subject", "entered_by"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    raw_id_fields = ["subject", "entered_by"]


@admin.register(CareAccess)
class CareAccessAdmin(ReadOnlyAdmin):
    raw_id_fields = ["subject", "clinician", "invited_by"]
