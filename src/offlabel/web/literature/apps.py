from django.apps import AppConfig


class LiteratureConfig(AppConfig):
    name = "offlabel.web.literature"
    label = "literature"
