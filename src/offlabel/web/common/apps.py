from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Plumbing shared by every domain app: audit trail, Markdown, navigation, topic panels."""

    name = "offlabel.web.common"
    label = "common"
    verbose_name = "Common"
