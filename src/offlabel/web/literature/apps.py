from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.roles import Role
from offlabel.web.common.extensions import NavItem, Panel


class LiteratureConfig(AppConfig):
    name = "offlabel.web.literature"
    label = "literature"
    verbose_name = "Literature"
    nav_items = [NavItem(_("Literature"), "literature:index", (Role.REVIEWER, Role.EDITOR))]

    def topic_panels(self, request: HttpRequest, topic: Any) -> list[Panel]:
        """For reviewers and editors: how many records the saved searches flagged."""
        user = request.user
        if not (user.is_authenticated and user.has_any_role(Role.REVIEWER, Role.EDITOR)):
            return []
        from offlabel.web.literature.models import LibraryEntry
        from offlabel.web.literature.selectors import watch_flags_new

        context = {
            "topic": topic,
            "count": watch_flags_new(topic).count(),
            "library_size": LibraryEntry.objects.filter(topic=topic).count(),
        }
        return [Panel(_("Literature"), "literature/_topic_panel.html", context)]

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.literature import demo

        out(demo.load())
