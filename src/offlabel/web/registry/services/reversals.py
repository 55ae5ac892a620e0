"""Possible reversals: flagged when a record's scores meet the definition, then checked.

When a person's ALSFRS-R rises by 4 points or more and stays up for 12 months (or a dog scored
not walking unaided walks again; ``registry/definitions/reversal.toml``), the record is
flagged: the clinicians and vets with access to it are told, and the reviewers see it on their
de-identified list. A clinician or vet with access — who holds the clinical records — or an
editor marks it verified or not confirmed; verified cases are marked so wherever the registry
is counted (the ``reversal`` column of the files, the reviewers' counts).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.registry.progress import find_reversal
from offlabel.registry.vocabulary import ReversalStatus
from offlabel.web.accounts.models import RoleGrant, User
from offlabel.web.accounts.roles import Role
from offlabel.web.registry.models import ReversalFlag, Subject
from offlabel.web.registry.selectors import (
    clinicians_of,
    subject_records,
    subjects_visible_to,
)
from offlabel.web.registry.services.common import Action, audit, entry_snapshot


def _tell(users: list[User], title: str, body: str, url: str) -> None:
    from offlabel.web.network.models import Notification
    from offlabel.web.network.services.notifications import notify

    for user in users:
        notify(recipient=user, kind=Notification.Kind.REVERSAL, title=title, body=body, url=url)


@transaction.atomic
def reversal_refresh(*, subject: Subject, by: User | None = None) -> ReversalFlag | None:
    """Flag the record when its scores meet the definition; an unchecked flag whose scores no
    longer do is taken back (a checked one stays: someone looked at the records)."""
    bundle = subject_records(subject).bundle()
    finding = find_reversal(bundle.scores, bundle.events)
    flag = ReversalFlag.objects.filter(subject=subject).first()
    if finding is None:
        if flag is not None and flag.status == ReversalStatus.CANDIDATE:
            audit(by, Action.DELETE, flag, subject, entry_snapshot(flag), None, "No longer met.")
            flag.delete()
        return None
    if flag is not None:
        if flag.status == ReversalStatus.CANDIDATE and flag.evidence != finding.as_dict():
            flag.evidence = finding.as_dict()
            flag.save(update_fields=["evidence"])
        return flag
    flag = ReversalFlag.objects.create(subject=subject, evidence=finding.as_dict())
    audit(by, Action.CREATE, flag, subject, None, entry_snapshot(flag), finding.text)
    record = reverse("registry:subject", kwargs={"public_id": subject.public_id})
    clinicians = list(clinicians_of(subject))
    if subject.owner.has_any_role(Role.CLINICIAN, Role.VETERINARIAN):
        clinicians.append(subject.owner)  # a case history: its clinician owns it
    _tell(
        clinicians,
        f"A possible reversal to check: {subject.label_for(None)}",
        f"{finding.text}. Please check it against the clinical records and mark it.",
        record + "#reversal",
    )
    reviewers = User.objects.filter(
        is_active=True,
        role_grants__role=Role.REVIEWER,
        role_grants__status=RoleGrant.Status.GRANTED,
    ).distinct()
    _tell(
        list(reviewers),
        "A possible reversal was flagged in the registry",
        "It is on the de-identified list of possible reversals, waiting to be checked.",
        reverse("registry:reversals"),
    )
    return flag


@transaction.atomic
def reversal_check(*, flag: ReversalFlag, by: User, verified: bool, note: str = "") -> ReversalFlag:
    """A clinician or vet with access to the record, or an editor, records what the clinical
    records say: verified, or not confirmed."""
    subject = flag.subject
    sees = subjects_visible_to(by).filter(pk=subject.pk).exists()
    clinical = by.has_any_role(Role.CLINICIAN, Role.VETERINARIAN)
    if not ((sees and clinical) or by.has_role(Role.EDITOR)):
        raise PermissionDenied(_("Only the record's clinicians and vets, or an editor, check it."))
    before = entry_snapshot(flag)
    flag.status = ReversalStatus.VERIFIED if verified else ReversalStatus.NOT_CONFIRMED
    flag.checked_by = by
    flag.checked_at = timezone.now()
    flag.note = " ".join(note.split())[:300]
    flag.save()
    audit(by, Action.UPDATE, flag, subject, before, entry_snapshot(flag), flag.note)
    from offlabel.web.registry.services.common import tell_owner

    tell_owner(subject, by, f"checked the possible reversal ({flag.get_status_display().lower()})")
    return flag
