from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API at ``/api/v1/`` and the personal access tokens that open it."""

    name = "offlabel.web.api"
    label = "api"
    verbose_name = "API"
