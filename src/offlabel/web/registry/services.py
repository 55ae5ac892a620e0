"""Writes of the registry: each in one transaction, each leaving an audit row.

The audit rows of a subject's data are filed under the subject's public id (``owner_key``), so the
owner's "who changed my record" list is one indexed query. Views validate input with the core
rules (see ``forms.py``) before calling these; the services check who may write.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.records import RegistryBundle
from offlabel.registry.scales import score_alsfrs_r
from offlabel.web.accounts.models import User
from offlabel.web.accounts.roles import Role
from offlabel.web.catalog.models import Therapy
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.registry.models import (
    CareAccess,
    Evaluation,
    Milestone,
    ScoreRecord,
    SideEffect,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.selectors import subjects_contributable_by

Action = AuditEvent.Action
CLINICAL_ROLES = (Role.CLINICIAN, Role.VETERINARIAN)


def _check_contributor(subject: Subject, by: User) -> None:
    if by is not None and not subjects_contributable_by(by).filter(pk=subject.pk).exists():
        raise PermissionDenied("You may not add to this record.")


def _check_owner(subject: Subject, by: User) -> None:
    if by is not None and subject.owner_id != by.pk:
        raise PermissionDenied("Only the record's owner may do this.")


def _audit(by: User, action: str, instance: Any, subject: Subject, before: Any, after: Any) -> None:
    audit_record(
        by=by,
        action=action,
        instance=instance,
        before=before,
        after=after,
        owner_key=subject.public_id,
    )


# -- subjects -----------------------------------------------------------------------------------


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
    owner = owner or by
    if origin == Subject.Origin.SELF:
        if kind == Subject.Kind.PERSON and not owner.has_role(Role.PATIENT):
            raise PermissionDenied("Only an account of a person with ALS keeps its own record.")
        if kind == Subject.Kind.DOG and not owner.has_role(Role.OWNER):
            raise PermissionDenied("Only a dog owner's account keeps dog records.")
    if origin == Subject.Origin.CASE_HISTORY and not by.has_any_role(*CLINICAL_ROLES):
        raise PermissionDenied("Only clinicians and vets enter case histories.")
    subject = Subject.objects.create(
        kind=kind,
        owner=owner,
        origin=origin,
        entered_by=by,
        clinician_entered=origin == Subject.Origin.CASE_HISTORY,
        **fields,
    )
    _audit(by, Action.CREATE, subject, subject, None, snapshot(subject))
    return subject


@transaction.atomic
def subject_update(*, subject: Subject, by: User, **fields: Any) -> Subject:
    _check_owner(subject, by)
    before = snapshot(subject)
    for name, value in fields.items():
        setattr(subject, name, value)
    subject.save()
    _audit(by, Action.UPDATE, subject, subject, before, snapshot(subject))
    return subject


@transaction.atomic
def subject_delete(*, subject: Subject, by: User) -> None:
    _check_owner(subject, by)
    before = snapshot(subject)
    _audit(by, Action.DELETE, subject, subject, before, None)
    subject.delete()


# -- treatments and evaluations ----------------------------------------------------------------


@transaction.atomic
def course_create(*, subject: Subject, by: User, **fields: Any) -> TreatmentCourse:
    _check_contributor(subject, by)
    course = TreatmentCourse.objects.create(subject=subject, entered_by=by, **fields)
    _audit(by, Action.CREATE, course, subject, None, snapshot(course))
    return course


@transaction.atomic
def course_update(*, course: TreatmentCourse, by: User, **fields: Any) -> TreatmentCourse:
    _check_contributor(course.subject, by)
    before = snapshot(course)
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    _audit(by, Action.UPDATE, course, course.subject, before, snapshot(course))
    return course


@transaction.atomic
def course_delete(*, course: TreatmentCourse, by: User) -> None:
    _check_contributor(course.subject, by)
    _audit(by, Action.DELETE, course, course.subject, snapshot(course), None)
    course.delete()


@transaction.atomic
def evaluation_create(
    *,
    course: TreatmentCourse,
    by: User,
    side_effects: Sequence[tuple[str, str]] = (),
    **fields: Any,
) -> Evaluation:
    """Record an evaluation of a course; ``side_effects`` are ``(name, severity)`` pairs."""
    _check_contributor(course.subject, by)
    evaluation = Evaluation.objects.create(course=course, entered_by=by, **fields)
    SideEffect.objects.bulk_create(
        SideEffect(evaluation=evaluation, name=name, severity=severity)
        for name, severity in side_effects
    )
    after = snapshot(evaluation) | {"side_effects": [list(pair) for pair in side_effects]}
    _audit(by, Action.CREATE, evaluation, course.subject, None, after)
    return evaluation


@transaction.atomic
def evaluation_delete(*, evaluation: Evaluation, by: User) -> None:
    subject = evaluation.course.subject
    _check_contributor(subject, by)
    _audit(by, Action.DELETE, evaluation, subject, snapshot(evaluation), None)
    evaluation.delete()


# -- scores and milestones ----------------------------------------------------------------------


@transaction.atomic
def score_create(
    *,
    subject: Subject,
    by: User,
    scale: str,
    date: dt.date,
    total: int | None = None,
    items: dict[str, int] | None = None,
) -> ScoreRecord:
    """Record a score; for ALSFRS-R with ``items`` the total and subscores are computed."""
    _check_contributor(subject, by)
    subscores = None
    if items is not None:
        result = score_alsfrs_r(items)
        total = result.total
        subscores = {
            "bulbar": result.bulbar,
            "limb": result.limb,
            "respiratory": result.respiratory,
        }
    if total is None:
        raise ValueError("a score needs a total or its items")
    score = ScoreRecord.objects.create(
        subject=subject,
        date=date,
        scale=scale,
        total=total,
        items=items,
        subscores=subscores,
        entered_by=by,
    )
    _audit(by, Action.CREATE, score, subject, None, snapshot(score))
    return score


@transaction.atomic
def score_delete(*, score: ScoreRecord, by: User) -> None:
    _check_contributor(score.subject, by)
    _audit(by, Action.DELETE, score, score.subject, snapshot(score), None)
    score.delete()


@transaction.atomic
def milestone_create(*, subject: Subject, by: User, event: str, date: dt.date) -> Milestone:
    _check_contributor(subject, by)
    milestone = Milestone.objects.create(subject=subject, event=event, date=date, entered_by=by)
    _audit(by, Action.CREATE, milestone, subject, None, snapshot(milestone))
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User) -> None:
    _check_contributor(milestone.subject, by)
    _audit(by, Action.DELETE, milestone, milestone.subject, snapshot(milestone), None)
    milestone.delete()


# -- consent ------------------------------------------------------------------------------------


@transaction.atomic
def access_invite(
    *,
    subject: Subject,
    by: User,
    email: str,
    scope: str,
    link_base: str = "",
    notify: bool = True,
) -> CareAccess:
    """Invite a clinician or vet by e-mail; the link in the e-mail (or their registry page)
    lets them accept. Nothing is visible to them before they accept."""
    _check_owner(subject, by)
    access = CareAccess.objects.create(
        subject=subject, email=email.strip().lower(), scope=scope, invited_by=by
    )
    _audit(by, Action.ACCESS, access, subject, None, snapshot(access, exclude=("token",)))
    body = (
        f"{by.display_name} invites you to see a record in the offlabel outcomes registry "
        f"({subject.get_kind_display().lower()} with "
        f"{'degenerative myelopathy' if subject.is_dog else 'ALS'}).\n\n"
        "Sign in with this e-mail address as a clinician or veterinarian and accept here:\n"
        f"{link_base}{access.token}/\n\n"
        "You will see the record only while the consent lasts; it can be withdrawn at any time."
    )
    from offlabel.web.accounts.tasks import send_email

    if notify:
        transaction.on_commit(
            lambda: send_email("A record is shared with you on offlabel", body, [access.email])
        )
    return access


@transaction.atomic
def access_accept(*, access: CareAccess, user: User) -> CareAccess:
    """The invited clinician or vet accepts: from now on the record is visible to them."""
    if not user.has_any_role(*CLINICAL_ROLES):
        raise PermissionDenied("Only clinicians and veterinarians accept invitations.")
    if access.status != CareAccess.Status.INVITED or access.email.lower() != user.email.lower():
        raise PermissionDenied("This invitation is not open for your account.")
    before = snapshot(access, exclude=("token",))
    access.status = CareAccess.Status.ACTIVE
    access.clinician = user
    access.granted_at = timezone.now()
    access.save()
    _audit(
        user, Action.ACCESS, access, access.subject, before, snapshot(access, exclude=("token",))
    )
    return access


@transaction.atomic
def access_revoke(*, access: CareAccess, by: User) -> CareAccess:
    """Withdraw consent; the clinician loses access with their next request."""
    _check_owner(access.subject, by)
    before = snapshot(access, exclude=("token",))
    access.status = CareAccess.Status.REVOKED
    access.revoked_at = timezone.now()
    access.save()
    _audit(by, Action.ACCESS, access, access.subject, before, snapshot(access, exclude=("token",)))
    return access


# -- the account ---------------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user: User) -> int:
    """Delete an account with its registry records and scrub their identifiable audit details.

    Audit rows about the records keep who/when/what-kind but lose their before/after values; one
    row records the deletion itself, naming no one. Returns how many subjects were deleted.
    """
    from django.contrib.contenttypes.models import ContentType

    public_ids = list(Subject.objects.filter(owner=user).values_list("public_id", flat=True))
    AuditEvent.objects.filter(owner_key__in=public_ids).update(
        before=None, after=None, object_repr="(deleted record)"
    )
    AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(before=None, after=None, object_repr="(deleted account)")
    user_pk = user.pk
    count = len(public_ids)
    user.delete()
    audit_record(
        by=None,
        action=Action.DELETE,
        instance=User(pk=user_pk, display_name=f"account #{user_pk}"),
        note=f"Account deleted at its holder's request with {count} registry record(s).",
    )
    return count


# -- bulk import --------------------------------------------------------------------------------

#: The non-login account that owns imported subjects, never shown but to reviewers, de-identified.
IMPORTER_EMAIL = "registry-import@offlabel.invalid"


@dataclass(frozen=True)
class ImportSummary:
    subjects: int
    treatments: int
    evaluations: int
    scores: int
    events: int

    def __str__(self) -> str:
        return (
            f"{self.subjects} subjects, {self.treatments} treatment courses, "
            f"{self.evaluations} evaluations, {self.scores} scores, {self.events} milestones"
        )


def _importer_account() -> User:
    user, _ = User.objects.get_or_create(
        email=IMPORTER_EMAIL, defaults={"display_name": "Registry import", "is_active": False}
    )
    return user


def _taken_ids(ids: Sequence[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(ids), 500):
        taken.update(
            Subject.objects.filter(public_id__in=ids[start : start + 500]).values_list(
                "public_id", flat=True
            )
        )
    return taken


def _therapy_lookup() -> dict[str, Therapy]:
    lookup: dict[str, Therapy] = {}
    for therapy in Therapy.objects.all():
        for name in [therapy.name, *therapy.synonym_list]:
            lookup.setdefault(name.casefold(), therapy)
    return lookup


@transaction.atomic
def registry_import(
    *,
    directory: str | os.PathLike[str],
    by: User | None,
    owner: User | None = None,
    confirm_implausible: bool = False,
    today: dt.date | None = None,
) -> ImportSummary:
    """Check a registry directory completely (the core's reader), then save all of it.

    Imported subjects keep their ``subject_id`` as public id (so an export imports back
    unchanged) and belong to ``owner``, by default the non-login importer account. One audit
    row per subject records who imported it.

    Raises
    ------
    RegistryImportError
        Every problem found (file, line, column), including subject ids already in the
        registry; nothing was saved.
    """
    bundle = read_registry_dir(
        directory, today, confirm_implausible=confirm_implausible, taken=_taken_ids
    )
    return _import_records(bundle, owner=owner or _importer_account(), by=by)


def _import_records(bundle: RegistryBundle, *, owner: User, by: User | None) -> ImportSummary:
    subjects = Subject.objects.bulk_create(
        [
            Subject(
                public_id=s.subject_id,
                kind=Subject.Kind.DOG if s.species is TargetSpecies.DOG else Subject.Kind.PERSON,
                owner=owner,
                origin=Subject.Origin.IMPORTED,
                sex=s.sex.value,
                birth_year=s.birth_year,
                onset_date=s.onset_date,
                breed=s.breed,
                sod1=s.sod1.value if s.sod1 is not None else "",
                entered_by=by,
            )
            for s in bundle.subjects
        ],
        batch_size=500,
    )
    pk_of = dict(
        Subject.objects.filter(public_id__in=[s.subject_id for s in bundle.subjects]).values_list(
            "public_id", "pk"
        )
    )
    therapies = _therapy_lookup()
    course_objs = [
        TreatmentCourse(
            subject_id=pk_of[t.subject_id],
            therapy=therapies.get(t.therapy.casefold()),
            therapy_text=t.therapy,
            dose=t.dose,
            dose_unit=t.dose_unit.value if t.dose_unit is not None else "",
            dose_confirmed=True,
            start_date=t.start_date,
            stop_date=t.stop_date,
            cost_per_month=t.cost_per_month,
            entered_by=by,
        )
        for t in bundle.treatments
    ]
    courses = TreatmentCourse.objects.bulk_create(course_objs, batch_size=500)
    by_therapy: dict[tuple[int, str], list[TreatmentCourse]] = defaultdict(list)
    for course in sorted(courses, key=lambda c: c.start_date):
        by_therapy[(course.subject_id, course.therapy_text.casefold())].append(course)

    def course_for(subject_pk: int, therapy: str, when: dt.date) -> TreatmentCourse:
        # The validation rules guarantee a course of this therapy started on or before `when`.
        candidates = by_therapy[(subject_pk, therapy.casefold())]
        started = [c for c in candidates if c.start_date <= when]
        return (started or candidates)[-1]

    evaluation_objs = [
        Evaluation(
            course=course_for(pk_of[e.subject_id], e.therapy, e.date),
            date=e.date,
            efficacy=e.efficacy.value,
            entered_by=by,
        )
        for e in bundle.evaluations
    ]
    evaluations = Evaluation.objects.bulk_create(evaluation_objs, batch_size=500)
    SideEffect.objects.bulk_create(
        [
            SideEffect(
                evaluation=evaluation,
                name=effect.name,
                severity=effect.severity.value if effect.severity is not None else "",
            )
            for evaluation, row in zip(evaluations, bundle.evaluations, strict=True)
            for effect in row.side_effects
        ],
        batch_size=500,
    )
    ScoreRecord.objects.bulk_create(
        [
            ScoreRecord(
                subject_id=pk_of[s.subject_id],
                date=s.date,
                scale=s.scale.value,
                total=s.total,
                entered_by=by,
            )
            for s in bundle.scores
        ],
        batch_size=1000,
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                subject_id=pk_of[e.subject_id], event=e.event.value, date=e.date, entered_by=by
            )
            for e in bundle.events
        ],
        batch_size=1000,
    )
    for subject in subjects:
        subject.pk = pk_of[subject.public_id]
        audit_record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=subject,
            owner_key=subject.public_id,
            note="Imported from a registry directory.",
        )
    return ImportSummary(
        len(subjects), len(courses), len(evaluations), len(bundle.scores), len(bundle.events)
    )
