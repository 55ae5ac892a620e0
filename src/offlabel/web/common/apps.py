from django.apps import AppConfig
from django.db.models import signals


class CommonConfig(AppConfig):
    """Plumbing shared by every domain app: audit trail, Markdown, navigation, topic panels,
    and the content version the caches hang on."""

    name = "offlabel.web.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from offlabel.web.common import receivers

        signals.post_save.connect(receivers.on_save, dispatch_uid="common.content_save")
        signals.post_delete.connect(receivers.on_delete, dispatch_uid="common.content_delete")
        signals.m2m_changed.connect(receivers.on_m2m, dispatch_uid="common.content_m2m")
