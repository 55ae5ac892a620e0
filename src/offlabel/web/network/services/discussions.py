"""Discussions among professionals: threads, replies, @mentions and moderation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.network.mentions import find_mentions
from offlabel.web.network.models import Notification, Post, Thread
from offlabel.web.network.permissions import can_discuss, is_editor
from offlabel.web.network.ratelimit import (
    POST_LIMIT,
    POST_WINDOW,
    rate_limit_check,
    rate_limit_record,
)
from offlabel.web.network.services.notifications import notify

MAX_BODY = 20_000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first: the message is empty."))
    if len(body) > MAX_BODY:
        raise ValidationError(
            _("Keep a message under %(n)s characters (it has %(has)s).")
            % {"n": MAX_BODY, "has": len(body)}
        )
    return body


def _check_rate(user: User) -> None:
    rate_limit_check(
        action="post", user_pk=user.pk, limit=POST_LIMIT, window=POST_WINDOW, what="messages"
    )


def _announce(post: Post) -> None:
    """Mentioned members get a mention; earlier participants get a reply notice, once each."""
    thread, author = post.thread, post.author
    url = f"{thread.get_absolute_url()}#post-{post.pk}"
    mentioned = {u.pk: u for u in find_mentions(post.body) if u.pk != author.pk}
    for user in mentioned.values():
        notify(
            recipient=user,
            kind=Notification.Kind.MENTION,
            title=format_lazy(
                _("{author} mentioned you in “{thread}”"), author=author, thread=thread.title
            ),
            url=url,
        )
    participants = (
        User.objects.filter(Q(posts__thread=thread) | Q(threads=thread), is_active=True)
        .exclude(pk__in=[author.pk, *mentioned])
        .distinct()
        .order_by("pk")
    )
    for user in participants:
        if can_discuss(user) or thread.is_public:
            notify(
                recipient=user,
                kind=Notification.Kind.REPLY,
                title=format_lazy(
                    _("{author} replied in “{thread}”"), author=author, thread=thread.title
                ),
                url=url,
            )


@transaction.atomic
def thread_create(*, topic: Topic, author: Any, title: str, body: str) -> Thread:
    """Start a discussion with its first post."""
    if not can_discuss(author):
        raise PermissionDenied(_("Discussions are for clinicians, vets, reviewers and editors."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the discussion a title."))
    body = _clean_body(body)
    _check_rate(author)
    thread = Thread.objects.create(topic=topic, author=author, title=title[:160])
    post = Post.objects.create(thread=thread, author=author, body=body)
    audit_record(
        by=author, action=AuditEvent.Action.CREATE, instance=thread, after=snapshot(thread)
    )
    rate_limit_record(action="post", user_pk=author.pk, window=POST_WINDOW)
    _announce(post)
    return thread


@transaction.atomic
def post_create(*, thread: Thread, author: Any, body: str, reply_to: Post | None = None) -> Post:
    """Reply in a thread; refused when the thread is locked or the author posts too often."""
    if not can_discuss(author):
        raise PermissionDenied(_("Discussions are for clinicians, vets, reviewers and editors."))
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked:
        raise ValidationError(_("This discussion is locked: no new replies."))
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise ValidationError(_("You can only reply to a message in the same discussion."))
    body = _clean_body(body)
    _check_rate(author)
    post = Post.objects.create(thread=thread, author=author, body=body, reply_to=reply_to)
    thread.last_activity = post.created
    thread.save(update_fields=["last_activity"])
    rate_limit_record(action="post", user_pk=author.pk, window=POST_WINDOW)
    _announce(post)
    return post


@transaction.atomic
def post_set_hidden(*, post: Post, by: User, hidden: bool, reason: str = "") -> Post:
    """Editors hide a post from everyone (or show it again); the audit keeps who and why."""
    if not is_editor(by):
        raise PermissionDenied(_("Only editors moderate discussions."))
    before = snapshot(post, exclude=("body",))
    post.is_hidden = hidden
    post.hidden_by = by if hidden else None
    post.hidden_reason = reason.strip()[:200] if hidden else ""
    post.save(update_fields=["is_hidden", "hidden_by", "hidden_reason"])
    audit_record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=post,
        before=before,
        after=snapshot(post, exclude=("body",)),
        note="hidden" if hidden else "shown again",
    )
    return post


@transaction.atomic
def thread_moderate(
    *, thread: Thread, by: User, is_locked: bool | None = None, is_public: bool | None = None
) -> Thread:
    """Editors lock or unlock a thread and make it public or private."""
    if not is_editor(by):
        raise PermissionDenied(_("Only editors moderate discussions."))
    before = snapshot(thread)
    made_public = bool(is_public) and not thread.is_public
    if is_locked is not None:
        thread.is_locked = is_locked
    if is_public is not None:
        thread.is_public = is_public
    thread.save(update_fields=["is_locked", "is_public"])
    audit_record(
        by=by,
        action=AuditEvent.Action.ACCESS if is_public is not None else AuditEvent.Action.UPDATE,
        instance=thread,
        before=before,
        after=snapshot(thread),
    )
    if made_public:
        from offlabel.web.network.services.subscriptions import subscribers_notify_thread_public

        subscribers_notify_thread_public(thread=thread)
    return thread
