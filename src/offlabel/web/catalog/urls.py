from django.urls import path

from offlabel.web.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("therapies/<slug:therapy_slug>/side-by-side/", views.side_by_side, name="side_by_side"),
]
