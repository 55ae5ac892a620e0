"""The token pages (under the account pages); the API itself is mounted by the root URLs."""

from django.urls import path

from offlabel.web.api import views

app_name = "api"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
