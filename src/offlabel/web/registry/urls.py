from django.urls import path

from offlabel.web.registry import views

app_name = "registry"


def _entry_paths(kind: str, singular: str) -> list:  # type: ignore[type-arg]
    """Delete (asks why) and restore, for one kind of entry."""
    base = f"s/<str:public_id>/{kind}/<int:pk>/"
    return [
        path(base + "delete/", views.entry_delete, {"kind": kind}, name=f"{singular}_delete"),
        path(base + "restore/", views.entry_restore, {"kind": kind}, name=f"{singular}_restore"),
    ]


urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/<str:kind>/", views.subject_new, name="subject_new"),
    path("case-histories/new/<str:kind>/", views.case_history_new, name="case_history_new"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("export/csv/", views.export_csv, name="export_csv"),
    path("export/json/", views.export_json, name="export_json"),
    path("delete-account/", views.account_delete, name="account_delete"),
    path("import/", views.registry_import_page, name="import"),
    path("deidentified/", views.deidentified, name="deidentified"),
    path("deidentified/export/", views.deidentified_export, name="deidentified_export"),
    path("reversals/", views.reversals, name="reversals"),
    path("s/<str:public_id>/", views.subject_detail, name="subject"),
    path("s/<str:public_id>/edit/", views.subject_edit, name="subject_edit"),
    path("s/<str:public_id>/fhir/", views.subject_fhir, name="subject_fhir"),
    path("s/<str:public_id>/care.<str:fmt>", views.subject_care, name="subject_care"),
    path("s/<str:public_id>/delete/", views.subject_delete, name="subject_delete"),
    path("s/<str:public_id>/restore/", views.subject_restore, name="subject_restore"),
    path("s/<str:public_id>/reminders/", views.reminder_set, name="reminder_set"),
    path("s/<str:public_id>/reversal/", views.reversal_check, name="reversal_check"),
    path("s/<str:public_id>/treatments/new/", views.course_new, name="course_new"),
    path("s/<str:public_id>/treatments/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path(
        "s/<str:public_id>/treatments/<int:pk>/evaluate/",
        views.evaluation_new,
        name="evaluation_new",
    ),
    path(
        "s/<str:public_id>/evaluations/<int:pk>/edit/",
        views.evaluation_edit,
        name="evaluation_edit",
    ),
    path("s/<str:public_id>/scores/new/", views.score_new, name="score_new"),
    path("s/<str:public_id>/scores/<int:pk>/edit/", views.score_edit, name="score_edit"),
    path("s/<str:public_id>/milestones/new/", views.milestone_new, name="milestone_new"),
    path(
        "s/<str:public_id>/milestones/<int:pk>/edit/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    *_entry_paths("treatments", "course"),
    *_entry_paths("evaluations", "evaluation"),
    *_entry_paths("scores", "score"),
    *_entry_paths("milestones", "milestone"),
    path("s/<str:public_id>/share/", views.access_invite, name="access_invite"),
    path("s/<str:public_id>/access/<int:pk>/revoke/", views.access_revoke, name="access_revoke"),
]
