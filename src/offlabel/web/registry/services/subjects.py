"""Writes of whole records (a person or a dog) and of the account that owns them.

A record is created only by an account whose e-mail address is verified: nothing about
anyone's health is stored before. Its details are edited by its owner (with a reason after the
day it was entered), checked with every rule against the entries it already holds. Deleting a
record asks for a reason and keeps it restorable for ``RESTORE_DAYS`` days; deleting the
account (which asks for its password) purges everything at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User
from offlabel.web.accounts.roles import Role
from offlabel.web.accounts.services import require_verified
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record
from offlabel.web.registry import rows
from offlabel.web.registry.models import RESTORE_DAYS, Subject
from offlabel.web.registry.services.checks import (
    Change,
    check_changes,
    checked_reason,
    may_own,
    reason_needed,
)
from offlabel.web.registry.services.common import Action, audit, entry_snapshot

CLINICAL_ROLES = (Role.CLINICIAN, Role.VETERINARIAN)


def _row(subject: Subject) -> Any:
    return rows.subject_row(rows.values_of(subject, rows.SUBJECT_VALUES))


@transaction.atomic
def subject_create(
    *,
    by: User,
    kind: str,
    owner: User | None = None,
    origin: str = Subject.Origin.SELF,
    **fields: Any,
) -> Subject:
    """Create a person or dog record owned by ``owner`` (default: ``by``)."""
    require_verified(by, "start a record")
    owner = owner or by
    if origin == Subject.Origin.SELF:
        if kind == Subject.Kind.PERSON and not owner.has_role(Role.PATIENT):
            raise PermissionDenied(_("Only an account of a person with ALS keeps its own record."))
        if kind == Subject.Kind.DOG and not owner.has_role(Role.OWNER):
            raise PermissionDenied(_("Only a dog owner's account keeps dog records."))
    if origin == Subject.Origin.CASE_HISTORY and not by.has_any_role(*CLINICAL_ROLES):
        raise PermissionDenied(_("Only clinicians and vets enter case histories."))
    subject = Subject(
        kind=kind,
        owner=owner,
        origin=origin,
        entered_by=by,
        clinician_entered=origin == Subject.Origin.CASE_HISTORY,
        **fields,
    )
    check_changes(None, [Change("subjects", _row(subject))])
    subject.save()
    audit(by, Action.CREATE, subject, subject, None, entry_snapshot(subject))
    return subject


@transaction.atomic
def subject_update(*, subject: Subject, by: User, reason: str = "", **fields: Any) -> Subject:
    """Edit the record's details; every entry it holds is checked against them again."""
    may_own(subject, by)
    reason = checked_reason(reason, needed=reason_needed(subject, by), what="this correction")
    before = entry_snapshot(subject)
    for name, value in fields.items():
        setattr(subject, name, value)
    check_changes(subject, [Change("subjects", _row(subject), subject.pk)])
    subject.save()
    after = entry_snapshot(subject)
    if after != before:
        audit(by, Action.UPDATE, subject, subject, before, after, reason)
    return subject


@transaction.atomic
def subject_delete(*, subject: Subject, by: User, reason: str) -> Subject:
    """Delete a record with a reason: hidden from everyone at once, restorable by its owner for
    ``RESTORE_DAYS`` days, then purged."""
    may_own(subject, by)
    if subject.kind == Subject.Kind.PERSON and subject.origin == Subject.Origin.SELF:
        raise PermissionDenied(_("Your own record goes with your account: delete the account."))
    reason = checked_reason(reason, needed=True, what="this deletion")
    subject.deleted_at, subject.deleted_by, subject.delete_reason = timezone.now(), by, reason
    subject.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated"])
    audit(by, Action.DELETE, subject, subject, entry_snapshot(subject), None, reason)
    return subject


@transaction.atomic
def subject_restore(*, subject: Subject, by: User) -> Subject:
    may_own(subject, by)
    if subject.deleted_at is None:
        return subject
    if subject.deleted_at < timezone.now() - dt.timedelta(days=RESTORE_DAYS):
        raise PermissionDenied(
            _("Deleted records can be restored for %(days)s days only.") % {"days": RESTORE_DAYS}
        )
    subject.deleted_at, subject.deleted_by, subject.delete_reason = None, None, ""
    subject.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated"])
    audit(by, Action.UPDATE, subject, subject, None, entry_snapshot(subject), "Restored.")
    return subject


# -- the account ---------------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user: User, password: str) -> int:
    """Delete an account with all its registry records at once, after checking its password.

    Audit rows about the records keep who/when/what-kind but lose their before/after values; one
    row records the deletion itself, naming no one. Returns how many records were deleted.

    Raises
    ------
    ValidationError
        The password is not the account's.
    """
    if not user.check_password(password):
        raise ValidationError(_("The password is not right."))
    subjects = Subject.all_objects.filter(owner=user)
    public_ids = list(subjects.values_list("public_id", flat=True))
    count = subjects.filter(deleted_at__isnull=True).count()
    AuditEvent.objects.filter(owner_key__in=public_ids).update(
        before=None, after=None, object_repr="(deleted record)", note=""
    )
    AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(before=None, after=None, object_repr="(deleted account)")
    user_pk = user.pk
    subjects.delete()
    user.delete()
    audit_record(
        by=None,
        action=Action.DELETE,
        instance=User(pk=user_pk, display_name=f"account #{user_pk}"),
        note=f"Account deleted at its holder's request with {count} registry record(s).",
    )
    return count
