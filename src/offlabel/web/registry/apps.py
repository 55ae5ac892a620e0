from collections.abc import Callable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.roles import Role
from offlabel.web.common.extensions import NavItem


class RegistryConfig(AppConfig):
    name = "offlabel.web.registry"
    label = "registry"
    verbose_name = "Outcomes registry"
    nav_items = [
        NavItem(
            _("My records"),
            "registry:dashboard",
            (Role.PATIENT, Role.OWNER, Role.CLINICIAN, Role.VETERINARIAN),
        ),
        NavItem(_("De-identified registry"), "registry:deidentified", (Role.REVIEWER,)),
        NavItem(_("Registry import"), "registry:import", (Role.EDITOR,)),
    ]

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.registry import demo

        out(demo.load())
