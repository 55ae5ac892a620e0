from django.urls import path

from offlabel.web.registry import views

app_name = "registry"

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
    path("s/<str:public_id>/", views.subject_detail, name="subject"),
    path("s/<str:public_id>/edit/", views.subject_edit, name="subject_edit"),
    path("s/<str:public_id>/delete/", views.subject_delete, name="subject_delete"),
    path("s/<str:public_id>/treatments/new/", views.course_new, name="course_new"),
    path("s/<str:public_id>/treatments/<int:pk>/edit/", views.course_new, name="course_edit"),
    path(
        "s/<str:public_id>/treatments/<int:pk>/delete/", views.course_delete, name="course_delete"
    ),
    path(
        "s/<str:public_id>/treatments/<int:pk>/evaluate/",
        views.evaluation_new,
        name="evaluation_new",
    ),
    path(
        "s/<str:public_id>/evaluations/<int:pk>/delete/",
        views.evaluation_delete,
        name="evaluation_delete",
    ),
    path("s/<str:public_id>/scores/new/", views.score_new, name="score_new"),
    path("s/<str:public_id>/scores/<int:pk>/delete/", views.score_delete, name="score_delete"),
    path("s/<str:public_id>/milestones/new/", views.milestone_new, name="milestone_new"),
    path(
        "s/<str:public_id>/milestones/<int:pk>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path("s/<str:public_id>/share/", views.access_invite, name="access_invite"),
    path("s/<str:public_id>/access/<int:pk>/revoke/", views.access_revoke, name="access_revoke"),
]
