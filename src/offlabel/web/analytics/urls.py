"""URLs of the analytics app, mounted at /analytics/."""

from django.urls import path

from offlabel.web.analytics import carry_views, views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("me/<str:public_id>/", views.my_trajectory, name="me"),
    path("snapshots/<int:pk>/decide/", carry_views.snapshot_decide, name="snapshot_decide"),
    path("<slug:topic_slug>/", views.analysis_page, name="topic"),
    path("<slug:topic_slug>/run/<str:kind>/", views.run_start, name="run_start"),
    path("<slug:topic_slug>/runs/<int:pk>/", views.run_detail, name="run"),
    path("<slug:topic_slug>/freeze/", views.freeze, name="freeze"),
]
