"""What every write of the registry does: the audit row, and telling the owner.

The audit rows of a subject's data are filed under the subject's public id (``owner_key``), so
the record's history is one indexed query; the reason of an edit or a deletion is the row's
note. Whenever someone other than the owner changes a record, the owner is told: a notification
on their notifications page, e-mailed as their notification setting says.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from offlabel.web.accounts.models import User
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.registry.models import Subject

Action = AuditEvent.Action

#: Fields an edit never changes (kept out of before/after so a history shows what did change).
_BOOKKEEPING = ("created", "updated", "entered_by", "deleted_at", "deleted_by", "delete_reason")


def entry_snapshot(instance: models.Model, **extra: Any) -> dict[str, Any]:
    data = snapshot(instance, exclude=("token",))
    for name in _BOOKKEEPING:
        data.pop(name, None)
    return data | extra


def audit(
    by: User | None,
    action: str,
    instance: models.Model,
    subject: Subject,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    note: str = "",
) -> AuditEvent:
    return audit_record(
        by=by,
        action=action,
        instance=instance,
        before=before,
        after=after,
        owner_key=subject.public_id,
        note=note,
    )


def history_url(subject: Subject) -> str:
    return reverse("registry:subject", kwargs={"public_id": subject.public_id}) + "#history"


def tell_owner(subject: Subject, by: User | None, what: str, reason: str = "") -> None:
    """Notify the owner of a change someone else made (nothing when the owner made it)."""
    if by is None or by.pk == subject.owner_id or not subject.owner.is_active:
        return
    from offlabel.web.network.models import Notification
    from offlabel.web.network.services.notifications import notify

    who = by.display_name or "Someone"
    body = f"{who} {what} in your record “{subject.label}” on {timezone.localdate():%Y-%m-%d}."
    if reason:
        body += f"\nTheir reason: {reason}"
    body += "\nThe record's history shows what changed, before and after."
    notify(
        recipient=subject.owner,
        kind=Notification.Kind.RECORD_CHANGED,
        title=f"{who} {what} in “{subject.label}”",
        body=body,
        url=history_url(subject),
    )
