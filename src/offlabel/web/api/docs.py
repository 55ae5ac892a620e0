"""The API reference page (Swagger UI) with its assets served by the site itself.

django-ninja ships Swagger UI's files in its package; this page links them through
:func:`docs_asset` (a short list, read from the package) rather than through the static files,
so ``collectstatic`` never copies or compresses the few megabytes of assets and source maps
the package also holds, and no CDN is ever named. The online validator badge is off.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import ninja
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.svg": "image/svg+xml",
    "favicon.png": "image/png",
}
SETTINGS = {"validatorUrl": None, "persistAuthorization": False}


@cache
def _asset(name: str) -> bytes:
    return (Path(ninja.__file__).parent / "static" / "ninja" / name).read_bytes()


def docs_asset(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ASSETS:
        raise Http404("No such file.")
    response = HttpResponse(_asset(name), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


class SiteSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "api": api,
            "swagger_settings": json.dumps(settings, indent=1),
            "assets": {
                name.replace("-", "_").replace(".", "_"): reverse("api-docs-asset", args=[name])
                for name in ASSETS
            },
        }
        return render(request, "api/docs.html", context)


def site_swagger() -> SiteSwagger:
    return SiteSwagger(settings=SETTINGS)
