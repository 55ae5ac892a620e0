"""Following a topic or its review: who hears of new published versions and grade changes,
and of discussions made public, through the usual notifications (in-app, and by e-mail as each
person's notification setting says)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record
from offlabel.web.network.models import Notification, Subscription
from offlabel.web.network.services.notifications import notify


def _require_account(user: Any) -> User:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to follow a review or topic."))
    return user  # type: ignore[no-any-return]


def _kind(kind: str) -> Subscription.Kind:
    try:
        return Subscription.Kind(kind)
    except ValueError:
        raise ValidationError(
            _("Follow a review or a topic, not %(kind)r.") % {"kind": kind}
        ) from None


def subscription_follow(*, user: Any, topic: Topic, kind: str) -> Subscription:
    """Follow a topic or its review (following twice keeps one subscription)."""
    account = _require_account(user)
    chosen = _kind(kind)
    try:
        with transaction.atomic():
            found, created = Subscription.objects.get_or_create(
                user=account, topic=topic, kind=chosen
            )
            if created:
                audit_record(
                    by=account,
                    action=AuditEvent.Action.CREATE,
                    instance=found,
                    after={"topic": topic.slug, "kind": chosen.value},
                )
    except IntegrityError:  # a second click racing the first
        found = Subscription.objects.get(user=account, topic=topic, kind=chosen)
    return found


@transaction.atomic
def subscription_unfollow(*, user: Any, topic: Topic, kind: str) -> bool:
    """Stop following; returns whether there was a subscription."""
    account = _require_account(user)
    found = Subscription.objects.filter(user=account, topic=topic, kind=_kind(kind)).first()
    if found is None:
        return False
    audit_record(
        by=account,
        action=AuditEvent.Action.DELETE,
        instance=found,
        before={"topic": topic.slug, "kind": found.kind},
    )
    found.delete()
    return True


def _followers(topic: Topic, kinds: Iterable[str], exclude: set[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            subscriptions__topic=topic,
            subscriptions__kind__in=list(kinds),
        )
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("pk")
    )


def subscribers_notify_published(*, review: Any, exclude: set[int] | None = None) -> int:
    """Tell the followers of a topic and of its review about a newly published version, with
    its grade changes; people in ``exclude`` (already told) are skipped. Returns how many."""
    from offlabel.web.reviews.selectors import review_change_sentence, review_grade_changes

    topic = review.topic

    def title() -> str:
        text = gettext(
            "Version %(version)s of the review of %(therapy)s for %(condition)s is published"
        ) % {
            "version": review.version,
            "therapy": topic.therapy.name,
            "condition": topic.condition.name,
        }
        changes = review_grade_changes(review)
        return text + (": " + "; ".join(c.text for c in changes) if changes else "")

    def body() -> str:
        text = str(review_change_sentence(review))
        return text + ("\n\n" + review.change_summary if review.change_summary else "")

    people = _followers(topic, Subscription.Kind.values, exclude or set())
    for person in people:
        notify(
            recipient=person,
            kind=Notification.Kind.FOLLOWED,
            title=lazy(title, str)(),  # written in each follower's language
            body=lazy(body, str)(),
            url=review.get_absolute_url(),
        )
    return len(people)


def subscribers_notify_thread_public(*, thread: Any) -> int:
    """Tell a topic's followers that one of its discussions is now public."""
    people = _followers(thread.topic, [Subscription.Kind.TOPIC], {thread.author_id})
    for person in people:
        notify(
            recipient=person,
            kind=Notification.Kind.FOLLOWED,
            title=format_lazy(
                _("A discussion of {topic} is now public: “{thread}”"),
                topic=thread.topic,
                thread=thread.title,
            ),
            url=thread.get_absolute_url(),
        )
    return len(people)
