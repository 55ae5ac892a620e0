from django.urls import path

from offlabel.web.literature import views

app_name = "literature"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:topic_slug>/", views.library, name="library"),
    path("<slug:topic_slug>/add/", views.reference_add, name="reference_add"),
    path("<slug:topic_slug>/import/", views.import_start, name="import"),
    path("<slug:topic_slug>/import/<uuid:token>/", views.import_preview, name="import_preview"),
    path(
        "<slug:topic_slug>/import/<uuid:token>/discard/",
        views.import_discard,
        name="import_discard",
    ),
    path("<slug:topic_slug>/searches/", views.saved_search_create, name="saved_search_create"),
    path(
        "<slug:topic_slug>/searches/<int:pk>/delete/",
        views.saved_search_delete,
        name="saved_search_delete",
    ),
    path(
        "<slug:topic_slug>/flags/<int:pk>/dismiss/",
        views.watch_flag_dismiss,
        name="watch_flag_dismiss",
    ),
]
