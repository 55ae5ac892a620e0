"""The analytics app: registry figures on topic pages, reviewers' analyses, frozen snapshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.urls import reverse

from offlabel.web.common.extensions import NavItem, Panel


class AnalyticsConfig(AppConfig):
    name = "offlabel.web.analytics"
    label = "analytics"
    verbose_name = "Registry analytics"
    nav_items = [NavItem("Analyses", "analytics:index", ("reviewer", "editor"))]

    def topic_panels(self, request: HttpRequest, topic: Any) -> list[Panel]:
        """The public registry panel: aggregates only, cached per registry version."""
        from offlabel.web.analytics import presentation, selectors

        fingerprint = selectors.registry_fingerprint()
        threshold = selectors.min_cell()

        def compute() -> dict[str, Any]:
            summary = selectors.topic_summary(topic, fingerprint)
            return presentation.panel_context(summary, key=f"topic-{topic.pk}", threshold=threshold)

        context = dict(selectors.cached(f"panel:{topic.pk}:{fingerprint}:{threshold}", compute))
        user = request.user
        if user.is_authenticated and user.has_any_role("reviewer", "editor"):
            context["analysis_url"] = reverse("analytics:topic", args=[topic.slug])
        return [Panel("What the registry shows", "analytics/_topic_panel.html", context)]

    def review_section_extras(self, request: HttpRequest, review: Any, section: str) -> list[Panel]:
        """Snapshots frozen into this review version's Cases or Risks section."""
        from offlabel.web.analytics import selectors, services
        from offlabel.web.analytics.models import RegistrySnapshot

        if section not in RegistrySnapshot.Section.values:
            return []
        threshold = selectors.min_cell()
        return [
            Panel(
                f"Registry snapshot of {frozen.data_date:%d %B %Y}",
                "analytics/_snapshot_panel.html",
                services.snapshot_context(frozen, threshold),
            )
            for frozen in selectors.snapshots_of_review(review, section)
        ]

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.analytics import demo

        out(demo.load())
