from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import AppConfig, apps
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.roles import Role
from offlabel.web.common.extensions import EVERYONE, SIGNED_IN, NavItem, Panel

_PROFESSIONALS = (Role.CLINICIAN, Role.VETERINARIAN, Role.REVIEWER, Role.EDITOR)


class NetworkConfig(AppConfig):
    name = "offlabel.web.network"
    label = "network"
    verbose_name = "Community: requests, discussions, prescribers and consults"
    nav_items = [
        NavItem(_("Future reviews"), "network:future", (EVERYONE,)),
        NavItem(_("Red flags"), "network:red_flags", (EVERYONE,)),
        NavItem(_("Discussions"), "network:discussions", _PROFESSIONALS),
        # The directory is for clinicians, vets and editors (reviewers do not see it).
        NavItem(
            _("Prescribers"),
            "network:prescribers",
            (Role.CLINICIAN, Role.VETERINARIAN, Role.EDITOR),
        ),
        NavItem(_("Consults"), "network:consults", (Role.CLINICIAN, Role.VETERINARIAN)),
        NavItem(_("Notifications"), "network:notifications", (SIGNED_IN,)),
    ]

    def ready(self) -> None:
        from offlabel.web.network.receivers import on_review_published
        from offlabel.web.reviews.signals import review_published

        review_published.connect(
            on_review_published,
            sender=apps.get_model("reviews", "Review"),
            dispatch_uid="network.requests_published",
        )

    def topic_panels(self, request: HttpRequest, topic: Any) -> list[Panel]:
        from offlabel.web.network.panels import community_panel, follow_panel

        panel = community_panel(request, topic)
        return [follow_panel(topic, "topic"), *([panel] if panel is not None else [])]

    def review_actions(self, request: HttpRequest, review: Any) -> list[Panel]:
        """ "Follow this review" (the same for everyone, so the page stays cacheable)."""
        from offlabel.web.network.panels import follow_panel

        return (
            [follow_panel(review.topic, "review", review.get_absolute_url())]
            if (review.is_public)
            else []
        )

    def demo_load(self, out: Callable[[str], None]) -> None:
        from offlabel.web.network import demo

        out(demo.load())
