from collections.abc import Callable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from offlabel.web.common.extensions import NavItem


class AccountsConfig(AppConfig):
    name = "offlabel.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
    nav_items = [NavItem(_("Role requests"), "accounts:role_requests", ("editor",))]

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from offlabel.web.accounts.middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="offlabel-session-started")

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.accounts import demo

        demo.load()
        out(f"accounts: {len(demo.DEMO_ACCOUNTS)} demo accounts")
