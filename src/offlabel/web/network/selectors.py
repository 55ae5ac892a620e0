"""Reads of the community app."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from offlabel.web.accounts.models import User, Viewer, signed_in
from offlabel.web.catalog.models import Topic
from offlabel.web.network.models import (
    AVAILABILITY_MULTIPLIER,
    ConsultMessage,
    ConsultRequest,
    Notification,
    Post,
    PrescriberListing,
    ReviewRequest,
    Subscription,
    Thread,
)
from offlabel.web.network.permissions import can_discuss, can_prescribe


def _multiplier() -> Case:
    return Case(
        *[
            When(availability=level, then=Value(float(factor)))
            for level, factor in AVAILABILITY_MULTIPLIER.items()
        ],
        default=Value(1.0),
        output_field=FloatField(),
    )


def requests_with_priority() -> QuerySet[ReviewRequest]:
    """Requests annotated with ``vote_count`` and ``priority`` (votes × availability factor)."""
    return (
        ReviewRequest.objects.select_related(
            "therapy", "condition", "topic", "requester", "merged_into"
        )
        .annotate(vote_count=Count("votes", distinct=True))
        .annotate(
            priority=ExpressionWrapper(F("vote_count") * _multiplier(), output_field=FloatField())
        )
    )


def requests_future_reviews() -> QuerySet[ReviewRequest]:
    """Open requests, highest priority first (then most votes, then oldest)."""
    return (
        requests_with_priority()
        .filter(status=ReviewRequest.Status.OPEN)
        .order_by("-priority", "-vote_count", "created", "pk")
    )


def request_detail(pk: int) -> ReviewRequest:
    return (
        requests_with_priority()
        .prefetch_related(
            Prefetch(
                "merged_requests",
                queryset=ReviewRequest.objects.select_related("requester", "therapy", "condition"),
            )
        )
        .get(pk=pk)
    )


def request_ids_voted_by(user: Viewer) -> set[int]:
    account = signed_in(user)
    if account is None:
        return set()
    return set(account.request_votes.values_list("request_id", flat=True))


def requests_for_topic(topic: Topic) -> QuerySet[ReviewRequest]:
    return requests_with_priority().filter(topic=topic).exclude(status=ReviewRequest.Status.MERGED)


# --- discussions -------------------------------------------------------------------------------


def threads_visible_to(user: Viewer) -> QuerySet[Thread]:
    """All threads for discussion members; only public ones for everyone else."""
    threads = Thread.objects.select_related(
        "topic__therapy", "topic__condition", "author"
    ).annotate(post_count=Count("posts", filter=Q(posts__is_hidden=False)))
    return threads if can_discuss(user) else threads.filter(is_public=True)


def thread_posts(thread: Thread, user: Viewer) -> QuerySet[Post]:
    """The posts of a thread; hidden ones only for editors (who moderate them)."""
    posts = thread.posts.select_related("author", "reply_to__author", "hidden_by")
    account = signed_in(user)
    if not (account is not None and account.is_editor):
        posts = posts.filter(is_hidden=False)
    return posts


# --- directory and consults -------------------------------------------------------------------


def listings(topic: Topic | None = None) -> QuerySet[PrescriberListing]:
    found = PrescriberListing.objects.select_related(
        "prescriber", "topic__therapy", "topic__condition"
    ).filter(prescriber__is_active=True)
    return found.filter(topic=topic) if topic is not None else found


def consults_for(user: Viewer) -> QuerySet[ConsultRequest]:
    """Consults the user asked for or was asked for."""
    return (
        ConsultRequest.objects.filter(Q(requester=user) | Q(prescriber=user))
        .select_related("requester", "prescriber", "topic__therapy", "topic__condition")
        .order_by("-created")
    )


def consults_waiting_for_editors() -> QuerySet[ConsultRequest]:
    return (
        ConsultRequest.objects.filter(status=ConsultRequest.Status.PENDING, prescriber__isnull=True)
        .select_related("requester", "topic__therapy", "topic__condition")
        .order_by("created")
    )


def consult_for_party(pk: int, user: Viewer) -> ConsultRequest:
    """A consult its requester or prescriber may open; DoesNotExist for anybody else."""
    if not can_prescribe(user):
        raise ConsultRequest.DoesNotExist
    return (
        consults_for(user)
        .prefetch_related(
            Prefetch("messages", queryset=ConsultMessage.objects.select_related("author"))
        )
        .get(pk=pk)
    )


def notifications_for(user: User, limit: int = 100) -> QuerySet[Notification]:
    return user.notifications.all()[:limit]


def notifications_unread_count(user: User) -> int:
    return int(user.notifications.filter(read_at__isnull=True).count())


# --- subscriptions ------------------------------------------------------------------------------


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related(
        "topic__therapy", "topic__condition"
    )
