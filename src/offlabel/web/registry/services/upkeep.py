"""Work the task queue does every day: purge old deletions, send re-score reminders.

The tasks (``registry/tasks.py``) call these; these never call the tasks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from offlabel.registry.vocabulary import DAYS_PER_MONTH
from offlabel.web.common.models import AuditEvent
from offlabel.web.registry.models import (
    RESTORE_DAYS,
    Evaluation,
    Milestone,
    ScoreRecord,
    Subject,
    TreatmentCourse,
)


def _scrub(model: type[Any], pks: list[int]) -> None:
    from django.contrib.contenttypes.models import ContentType

    AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(p) for p in pks]
    ).update(before=None, after=None, object_repr="(purged entry)")


@transaction.atomic
def registry_purge(*, now: dt.datetime | None = None) -> int:
    """Remove for good what was deleted more than ``RESTORE_DAYS`` days ago (and the values
    its history rows kept); returns how many rows went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=RESTORE_DAYS)
    removed = 0
    subjects = Subject.all_objects.filter(deleted_at__lt=cutoff)
    keys = list(subjects.values_list("public_id", flat=True))
    AuditEvent.objects.filter(owner_key__in=keys).update(
        before=None, after=None, object_repr="(purged record)", note=""
    )
    models: tuple[type[Any], ...] = (Evaluation, ScoreRecord, Milestone, TreatmentCourse, Subject)
    for model in models:
        old = model.all_objects.filter(deleted_at__lt=cutoff)
        pks = list(old.values_list("pk", flat=True))
        if not pks:
            continue
        _scrub(model, pks)
        model.all_objects.filter(pk__in=pks).delete()
        removed += len(pks)
    return removed


def reminders_due(today: dt.date) -> list[Subject]:
    """Records whose owner asked for a reminder that is due: ``reminder_months`` since the last
    score (or since the record began) and since the last reminder."""
    due = []
    subjects = (
        Subject.objects.filter(reminder_months__gt=0, owner__is_active=True)
        .annotate(last_score=Max("scores__date", filter=Q(scores__deleted_at__isnull=True)))
        .select_related("owner")
    )
    for subject in subjects:
        every = dt.timedelta(days=round(subject.reminder_months * DAYS_PER_MONTH))
        last = subject.last_score or timezone.localtime(subject.created).date()
        if last + every > today:
            continue
        if subject.reminder_sent_on is not None and subject.reminder_sent_on + every > today:
            continue
        due.append(subject)
    return due


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each owner whose reminder is due (a notification, e-mailed as they chose)."""
    from offlabel.web.network.models import Notification
    from offlabel.web.network.services.notifications import notify

    today = today or timezone.localdate()
    sent = 0
    for subject in reminders_due(today):
        with transaction.atomic():
            notify(
                recipient=subject.owner,
                kind=Notification.Kind.SCORE_REMINDER,
                title=f"Time to re-score “{subject.label}”",
                body=(
                    f"You asked to be reminded every {subject.reminder_months} month(s). "
                    "A new score keeps the record's trajectory meaningful."
                ),
                url=reverse("registry:score_new", kwargs={"public_id": subject.public_id}),
            )
            Subject.objects.filter(pk=subject.pk).update(reminder_sent_on=today)
        sent += 1
    return sent
