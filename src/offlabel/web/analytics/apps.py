from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "offlabel.web.analytics"
    label = "analytics"
