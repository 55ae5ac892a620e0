from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from offlabel.web.common.extensions import NavItem, Panel


class ReviewsConfig(AppConfig):
    name = "offlabel.web.reviews"
    label = "reviews"
    verbose_name = "Evidence reviews"
    nav_items = [
        NavItem(_("Reviews"), "reviews:index"),
        NavItem(_("Review workspace"), "reviews:workspace", audience=("reviewer", "editor")),
    ]

    def topic_panels(self, request: HttpRequest, topic: Any) -> list[Panel]:
        from offlabel.web.reviews.models import Review
        from offlabel.web.reviews.selectors import review_grade_rows

        versions = list(
            Review.objects.filter(topic=topic)
            .exclude(status=Review.Status.SUPERSEDED)
            .prefetch_related("published_grades")
            .select_related("topic")
        )
        published = next((r for r in versions if r.status == Review.Status.PUBLISHED), None)
        in_review = any(r.is_open for r in versions)
        return [
            Panel(
                _("Evidence review"),
                "reviews/_topic_panel.html",
                {
                    "review": published,
                    "grades": review_grade_rows(published) if published else [],
                    "in_review": in_review,
                },
            )
        ]

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.reviews import demo

        reviews = demo.load()
        out(
            "reviews: "
            + ", ".join(f"{r.topic.slug} v{r.version} ({r.get_status_display()})" for r in reviews)
        )
