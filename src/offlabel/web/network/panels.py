"""The community panel on a topic page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from offlabel.web.common.extensions import Panel
from offlabel.web.network import selectors
from offlabel.web.network.models import Thread
from offlabel.web.network.permissions import INVITER_ROLES, can_discuss, can_see_directory


def community_panel(request: HttpRequest, topic: Any) -> Panel | None:
    """Request and vote state for everyone; discussions and prescribers for professionals."""
    user = request.user
    requests = list(selectors.requests_for_topic(topic))
    context: dict[str, Any] = {
        "topic": topic,
        "requests": requests,
        "voted": selectors.request_ids_voted_by(user) if requests else set(),
    }
    if can_discuss(user):
        context["thread_count"] = Thread.objects.filter(topic=topic).count()
    else:
        context["public_thread_count"] = Thread.objects.filter(topic=topic, is_public=True).count()
    if can_see_directory(user):
        context["prescriber_count"] = selectors.listings(topic).count()
    context["can_invite"] = bool(user.is_authenticated and user.has_any_role(*INVITER_ROLES))
    shows = (
        requests
        or context["can_invite"]
        or "thread_count" in context
        or context.get("public_thread_count")
        or "prescriber_count" in context
    )
    return Panel(_("Community"), "network/_topic_panel.html", context) if shows else None


def follow_panel(topic: Any, kind: str, next_url: str = "") -> Panel:
    """The follow button of a topic or review page (the same markup for every visitor)."""
    return Panel(
        _("Follow"),
        "network/_follow.html",
        {"topic": topic, "kind": kind, "next": next_url or topic.get_absolute_url()},
    )
