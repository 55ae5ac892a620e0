from collections.abc import Callable

from django.apps import AppConfig

from offlabel.web.common.extensions import NavItem


class RegistryConfig(AppConfig):
    name = "offlabel.web.registry"
    label = "registry"
    verbose_name = "Outcomes registry"
    nav_items = [
        NavItem(
            "My records", "registry:dashboard", ("patient", "owner", "clinician", "veterinarian")
        ),
        NavItem("De-identified registry", "registry:deidentified", ("reviewer",)),
        NavItem("Registry import", "registry:import", ("editor",)),
    ]

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.registry import demo

        out(demo.load())
