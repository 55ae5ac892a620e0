"""Notifications: stored for the notifications page and e-mailed now, in a digest, or never."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from offlabel.web.accounts.language import in_language_of
from offlabel.web.accounts.models import User
from offlabel.web.accounts.tasks import send_email
from offlabel.web.network.models import Notification, NotificationSetting

SUBJECT_PREFIX = "[offlabel] "


def site_url(path: str) -> str:
    """An absolute link for an e-mail (``OFFLABEL_SITE_URL``, the demo server by default)."""
    base = str(getattr(settings, "OFFLABEL_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return f"{base}{path}" if path else base


def notification_setting_get(*, user: User) -> NotificationSetting:
    setting, _ = NotificationSetting.objects.get_or_create(user=user)
    return setting


@transaction.atomic
def notification_setting_update(*, user: User, email_frequency: str) -> NotificationSetting:
    setting = notification_setting_get(user=user)
    if email_frequency not in NotificationSetting.Frequency.values:
        raise ValueError(f"Unknown e-mail frequency {email_frequency!r}.")
    if setting.email_frequency == NotificationSetting.Frequency.DAILY != email_frequency:
        # Leaving the digest: what it would have carried stays on the notifications page only.
        user.notifications.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    setting.email_frequency = email_frequency
    setting.save(update_fields=["email_frequency"])
    return setting


def _email_text(notification: Notification) -> str:
    lines = [notification.title, ""]
    if notification.body:
        lines += [notification.body, ""]
    if notification.url:
        lines.append(site_url(notification.url))
    settings_url = site_url("/community/notifications/settings/")
    lines += ["", gettext("Change how we e-mail you: %(url)s") % {"url": settings_url}]
    return "\n".join(lines)


#: A notification's words: a lazy translation (``format_lazy``, ``gettext_lazy``) is written
#: in the recipient's language, not the language of whoever's action sent it.
Text = str | Promise


@transaction.atomic
def notify(
    *, recipient: Any, kind: str, title: Text, body: Text = "", url: str = ""
) -> Notification:
    """Store a notification; e-mail it once the transaction commits if the person wants that.

    The title and body are written out in the recipient's language (``User.language``), for
    the notifications page and the e-mail alike.
    """
    frequency = notification_setting_get(user=recipient).email_frequency
    with in_language_of(recipient):
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, title=str(title)[:200], body=str(body), url=url[:300]
        )
        if frequency == NotificationSetting.Frequency.DAILY:
            return notification
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        if frequency == NotificationSetting.Frequency.IMMEDIATE and recipient.email:
            subject = SUBJECT_PREFIX + notification.title
            text, address = _email_text(notification), [recipient.email]
            transaction.on_commit(lambda: send_email(subject, text, address))
    return notification


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def digest_send(*, now: dt.datetime | None = None) -> int:
    """E-mail each daily-digest reader what arrived since their last digest; returns e-mails sent.

    Called every morning by the periodic task ``network.tasks.daily_digest``.
    """
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created__lte=now,
            recipient__notification_setting__email_frequency=NotificationSetting.Frequency.DAILY,
        )
        .select_related("recipient")
        .order_by("recipient_id", "created", "id")
    )
    by_user: dict[Any, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.recipient].append(notification)
    sent = 0
    for user, notifications in by_user.items():
        with in_language_of(user):
            sent += _digest_send_one(user, notifications, now)
    return sent


def _digest_send_one(user: User, notifications: list[Notification], now: dt.datetime) -> int:
    """One reader's digest, written in their language; returns 1 (the e-mail sent)."""
    parts = [
        gettext("What happened on offlabel since your last digest (%(count)d):")
        % {"count": len(notifications)},
        "",
    ]
    for n in notifications:
        parts.append(f"- {n.title}" + (f"\n  {site_url(n.url)}" if n.url else ""))
    settings_url = site_url("/community/notifications/settings/")
    parts += ["", gettext("Change how we e-mail you: %(url)s") % {"url": settings_url}]
    with transaction.atomic():
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        subject = SUBJECT_PREFIX + gettext("Your daily digest: %(count)d new") % {
            "count": len(notifications)
        }
        text, address = "\n".join(parts), [user.email]
        transaction.on_commit(partial(send_email, subject, text, address))
    return 1
