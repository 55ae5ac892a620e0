from django.urls import path

from offlabel.web.reviews import views
from offlabel.web.reviews.feeds import ReviewsFeed

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    path("rubric/", views.rubric, name="rubric"),
    path("feed.atom", ReviewsFeed(), name="feed"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/<int:pk>/", views.workspace_review, name="workspace_review"),
    path("workspace/<int:pk>/edit/", views.workspace_edit, name="workspace_edit"),
    path("workspace/<int:pk>/evidence/add/", views.evidence_add, name="evidence_add"),
    path(
        "workspace/<int:pk>/evidence/<int:item_pk>/edit/",
        views.evidence_edit,
        name="evidence_edit",
    ),
    path(
        "workspace/<int:pk>/evidence/<int:item_pk>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "workspace/<int:pk>/evidence/<int:item_pk>/confirm/",
        views.evidence_confirm,
        name="evidence_confirm",
    ),
    path("workspace/<int:pk>/conflicts/", views.conflict_save, name="conflict_save"),
    path("workspace/<int:pk>/circulate/", views.circulate, name="circulate"),
    path("workspace/<int:pk>/vote/", views.vote, name="vote"),
    path("workspace/<int:pk>/publish/", views.publish, name="publish"),
    path("workspace/<int:pk>/new-version/", views.new_version, name="new_version"),
    path(
        "workspace/<int:pk>/translation/<str:language>/",
        views.translation_edit,
        name="translation_edit",
    ),
    path("<slug:topic_slug>/", views.review_latest, name="latest"),
    path("<slug:topic_slug>/feed.atom", ReviewsFeed(), name="topic_feed"),
    path("<slug:topic_slug>/v<int:version>/", views.review_version, name="version"),
    path(
        "<slug:topic_slug>/v<int:version>/export.<str:fmt>",
        views.review_export,
        name="export",
    ),
    path("<slug:topic_slug>/diff/<int:a>/<int:b>/", views.review_diff, name="diff"),
]
