"""Every URL of the site, and ``/bench/bare/``: a constant page through the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>bare</title></head>"
    "<body><main><h1>A constant page</h1><p>"
    + "The reference for the web benchmark: no template, no query. " * 30
    + "</p></main></body></html>"
).encode()


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("offlabel.web.config.urls")),
]
