from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "offlabel.web.registry"
    label = "registry"
