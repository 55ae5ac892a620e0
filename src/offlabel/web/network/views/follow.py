"""Following a topic or its review, and the list of what one follows (with its feeds)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import signed_in_user
from offlabel.web.catalog.models import Topic
from offlabel.web.network import selectors, services
from offlabel.web.network.models import Subscription
from offlabel.web.network.views._helpers import flash_error


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return ""


def _back(request: HttpRequest) -> HttpResponse:
    return redirect(_next(request) or "network:following")


@login_required
def follow(request: HttpRequest, topic_slug: str) -> HttpResponse:
    """GET: a confirmation page (so review and topic pages carry no form and stay cacheable);
    POST: follow."""
    topic = get_object_or_404(Topic.objects.select_related("therapy", "condition"), slug=topic_slug)
    if request.method != "POST":
        kind = request.GET.get("kind", Subscription.Kind.REVIEW)
        if kind not in Subscription.Kind.values:
            kind = Subscription.Kind.REVIEW
        following = Subscription.objects.filter(
            user=signed_in_user(request), topic=topic, kind=kind
        ).exists()
        return render(
            request,
            "network/follow_confirm.html",
            {
                "topic": topic,
                "kind": kind,
                "following": following,
                "next": _next(request) or topic.get_absolute_url(),
            },
        )
    kind = request.POST.get("kind", Subscription.Kind.REVIEW)
    try:
        services.subscription_follow(user=signed_in_user(request), topic=topic, kind=kind)
    except ValidationError as error:
        flash_error(request, error)
    else:
        what = _("the review of") if kind == Subscription.Kind.REVIEW else _("the topic")
        messages.success(
            request,
            _("You follow %(what)s %(topic)s. You will hear of it as your e-mail setting says.")
            % {"what": what, "topic": topic},
        )
    return _back(request)


@require_POST
@login_required
def unfollow(request: HttpRequest, topic_slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    try:
        stopped = services.subscription_unfollow(
            user=signed_in_user(request), topic=topic, kind=request.POST.get("kind", "")
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        if stopped:
            messages.success(request, _("You no longer follow %(topic)s.") % {"topic": topic})
    return _back(request)


@login_required
def following(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/following.html",
        {
            "subscriptions": selectors.subscriptions_of(signed_in_user(request)),
            "kinds": Subscription.Kind,
        },
    )
