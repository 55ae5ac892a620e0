from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "offlabel.web.network"
    label = "network"
