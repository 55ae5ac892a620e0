from collections.abc import Callable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from offlabel.web.common.extensions import NavItem


class CatalogConfig(AppConfig):
    name = "offlabel.web.catalog"
    label = "catalog"
    verbose_name = "Therapies, conditions and topics"
    nav_items = [NavItem(_("Topics"), "catalog:home")]

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.catalog import demo

        topics = demo.load()
        out(f"catalog: {len(topics)} topics")
