"""Root URLs: each domain app mounts its own ``urls.py``."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from offlabel.web.accounts.language_views import language_choose
from offlabel.web.api.api import api
from offlabel.web.api.docs import docs_asset

urlpatterns = [
    path("admin/", admin.site.urls),
    path("language/<str:code>/", language_choose, name="language"),
    path("api/v1/docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("api/v1/", api.urls),
    path("accounts/tokens/", include("offlabel.web.api.urls")),
    path("accounts/", include("offlabel.web.accounts.urls")),
    path("literature/", include("offlabel.web.literature.urls")),
    path("reviews/", include("offlabel.web.reviews.urls")),
    path("registry/", include("offlabel.web.registry.urls")),
    path("analytics/", include("offlabel.web.analytics.urls")),
    path("community/", include("offlabel.web.network.urls")),
    path("", include("offlabel.web.catalog.urls")),
]
