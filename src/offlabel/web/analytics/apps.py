"""The analytics app: registry figures on topic pages, reviewers' analyses, frozen snapshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offlabel.web.common.extensions import NavItem, Panel


class AnalyticsConfig(AppConfig):
    name = "offlabel.web.analytics"
    label = "analytics"
    verbose_name = "Registry analytics"
    nav_items = [NavItem(_("Analyses"), "analytics:index", ("reviewer", "editor"))]

    def ready(self) -> None:
        from offlabel.web.analytics import carry
        from offlabel.web.reviews.signals import review_publishing, review_version_started

        review_version_started.connect(
            carry.on_review_version_started, dispatch_uid="analytics.carry_snapshots"
        )
        review_publishing.connect(carry.on_review_publishing, dispatch_uid="analytics.snapshots")

    def topic_panels(self, request: HttpRequest, topic: Any) -> list[Panel]:
        """The public registry panel: aggregates only, cached per registry version."""
        from offlabel.web.analytics import selectors

        context = selectors.topic_panel(topic)
        user = request.user
        if user.is_authenticated and user.has_any_role("reviewer", "editor"):
            context["analysis_url"] = reverse("analytics:topic", args=[topic.slug])
        return [Panel(_("What the registry shows"), "analytics/_topic_panel.html", context)]

    def review_section_extras(self, request: HttpRequest, review: Any, section: str) -> list[Panel]:
        """Snapshots frozen into this review version's Cases or Risks section."""
        from offlabel.web.analytics import selectors, services
        from offlabel.web.analytics.models import RegistrySnapshot
        from offlabel.web.common.selectors import min_cell

        if section not in RegistrySnapshot.Section.values:
            return []
        threshold = min_cell()
        return [
            Panel(
                gettext("Registry snapshot of %(date)s")
                % {"date": date_format(frozen.data_date, "DATE_FORMAT")},
                "analytics/_snapshot_panel.html",
                services.snapshot_context(frozen, threshold),
            )
            for frozen in selectors.snapshots_of_review(review, section)
        ]

    def review_workspace_panels(self, request: HttpRequest, review: Any) -> list[Panel]:
        """The version's snapshots in the workspace: an editor keeps, refreshes or drops each
        one carried over from the previous version."""
        from offlabel.web.analytics.carry import Decision, snapshot_rows

        rows = snapshot_rows(review)
        if not rows:
            return []
        user = request.user
        context = {
            "review": review,
            "snapshots": rows,
            "decisions": list(Decision),
            "is_editor": bool(user.is_authenticated and user.has_any_role("editor")),
        }
        return [Panel(_("Registry snapshots"), "analytics/_snapshot_decisions.html", context)]

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.analytics import demo

        out(demo.load())
