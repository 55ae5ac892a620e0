"""Reads of the registry.

:func:`subjects_visible_to` is THE gate: every view that shows a subject, or anything recorded
about one, fetches it through this selector and answers 404 when it is not there. Reviewers and
the analytics app never read identifiable rows: they get :func:`registry_deidentified` or
:func:`registry_frames` (pseudonymous ids, days counted from onset), both through the core's one
de-identification function (:func:`offlabel.registry.deidentify.deidentify`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.deidentify import DeidentifiedBundle, deidentify
from offlabel.registry.records import RegistryBundle, SubjectRow
from offlabel.registry.vocabulary import EventKind
from offlabel.web.accounts.models import User, Viewer, signed_in
from offlabel.web.accounts.roles import Role
from offlabel.web.registry import rows
from offlabel.web.registry.models import (
    CareAccess,
    Evaluation,
    Milestone,
    ReversalFlag,
    ScoreRecord,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.rows import Records, records_of

if TYPE_CHECKING:
    from offlabel.registry.frames import RegistryFrames

CLINICAL_ROLES = (Role.CLINICIAN, Role.VETERINARIAN)

# -- the gate ---------------------------------------------------------------------------------


def subjects_visible_to(user: Viewer) -> QuerySet[Subject]:
    """The subjects this user may see identifiably: their own, and those shared with them by an
    active consent. Everyone else (reviewers included) sees none."""
    account = signed_in(user)
    if account is None:
        return Subject.objects.none()
    if not account.has_any_role(*CLINICAL_ROLES):  # a professional role taken away ends access
        return Subject.objects.filter(owner=account)
    shared = CareAccess.objects.filter(clinician=account, status=CareAccess.Status.ACTIVE).values(
        "subject_id"
    )
    return Subject.objects.filter(Q(owner=account) | Q(pk__in=shared))


def subjects_contributable_by(user: Viewer) -> QuerySet[Subject]:
    """The subjects this user may add to: their own, and those shared for contribution."""
    account = signed_in(user)
    if account is None:
        return Subject.objects.none()
    if not account.has_any_role(*CLINICAL_ROLES):
        return Subject.objects.filter(owner=account)
    shared = CareAccess.objects.filter(
        clinician=account, status=CareAccess.Status.ACTIVE, scope=CareAccess.Scope.CONTRIBUTE
    ).values("subject_id")
    return Subject.objects.filter(Q(owner=account) | Q(pk__in=shared))


def subjects_owned_by(user: User) -> QuerySet[Subject]:
    """The records this account owns (its own person record, its dogs, its case histories)."""
    return Subject.objects.filter(owner=user)


def subject_own_person(user: User) -> Subject | None:
    """A patient's record of themselves, if they have made it (there is at most one)."""
    return Subject.objects.filter(
        owner=user, kind=Subject.Kind.PERSON, origin=Subject.Origin.SELF
    ).first()


def subject_for(user: Viewer, public_id: str, *, contribute: bool = False) -> Subject:
    """One subject through the gate, or 404."""
    gate = subjects_contributable_by(user) if contribute else subjects_visible_to(user)
    subject = gate.filter(public_id=public_id).select_related("owner").first()
    if subject is None:
        raise Http404(_("No such record."))
    return subject


def subject_owned(user: User, public_id: str) -> Subject:
    """A subject only its owner may manage (sharing, editing, deletion), or 404."""
    subject = subject_for(user, public_id)
    if subject.owner_id != user.pk:
        raise Http404(_("No such record."))
    return subject


# -- one subject's record ---------------------------------------------------------------------


def courses_of(subject: Subject) -> QuerySet[TreatmentCourse]:
    evaluations = Evaluation.objects.prefetch_related("side_effects").order_by("date", "id")
    return (
        subject.courses.select_related("therapy", "entered_by")
        .prefetch_related(Prefetch("evaluations", queryset=evaluations))
        .order_by("start_date", "id")
    )


def scores_of(subject: Subject) -> QuerySet[ScoreRecord]:
    return subject.scores.select_related("entered_by").order_by("date", "scale", "id")


def milestones_of(subject: Subject) -> QuerySet[Milestone]:
    return subject.milestones.order_by("date", "id")


def access_of(subject: Subject) -> QuerySet[CareAccess]:
    return subject.access.select_related("clinician").order_by("-invited_at", "-id")


def invitations_for(user: User) -> QuerySet[CareAccess]:
    """Open invitations addressed to this user's e-mail address, once it is verified (a
    verified address proves its holder could read the invitation's token anyway)."""
    if not user.email_verified:
        return CareAccess.objects.none()
    return CareAccess.objects.filter(
        email__iexact=user.email, status=CareAccess.Status.INVITED, subject__deleted_at__isnull=True
    ).select_related("subject", "invited_by")


def subject_follow_up_end(subject: Subject) -> dt.date | None:
    ends = [
        m.date
        for m in subject.milestones.all()
        if EventKind(m.event).ends_follow_up  # few rows per subject
    ]
    return min(ends) if ends else None


def subject_row(subject: Subject) -> SubjectRow:
    """The core's view of a subject (for the validation rules)."""
    return rows.subject_row(rows.values_of(subject, rows.SUBJECT_VALUES))


# -- the bulk layout ----------------------------------------------------------------------------


def _subjects_of_species(species: TargetSpecies | str | None) -> QuerySet[Subject]:
    subjects = Subject.objects.all()
    if species is not None:
        dog = TargetSpecies(species) is TargetSpecies.DOG
        subjects = subjects.filter(kind=Subject.Kind.DOG if dog else Subject.Kind.PERSON)
    return subjects


def registry_bundle(
    subjects: QuerySet[Subject] | None = None, *, pooled_therapies: bool = False
) -> RegistryBundle:
    """The live records of ``subjects`` (default: all) in the bulk CSV layout, one query per
    table, every field the layout carries.

    Therapies are written as entered (so an import exports back the same), or with
    ``pooled_therapies`` under the catalogue's name where a course is linked to the catalogue
    (so "LDN" and "Low-dose naltrexone" pool, as the analyses want). Dates are dates: this is
    identifiable data, for owners' own exports and the CLI; reviewers get
    :func:`registry_deidentified`.
    """
    base = Subject.objects.all() if subjects is None else subjects
    return records_of(base, pooled=pooled_therapies).bundle().canonical()


def subject_records(subject: Subject) -> Records:
    """One subject's live records with their pks, therapies pooled (what the checks compare)."""
    return records_of(Subject.objects.filter(pk=subject.pk), pooled=True)


def pseudonym_salt() -> str:
    """The secret the pseudonyms are keyed with: ``OFFLABEL_PSEUDONYM_SALT`` if set, else one
    derived from ``SECRET_KEY`` (stable for a site, never shown)."""
    salt = getattr(settings, "OFFLABEL_PSEUDONYM_SALT", "") or os.environ.get(
        "OFFLABEL_PSEUDONYM_SALT", ""
    )
    if salt:
        return str(salt)
    return hashlib.sha256(f"offlabel-pseudonym:{settings.SECRET_KEY}".encode()).hexdigest()


def registry_deidentified(
    species: TargetSpecies | str | None = None, *, pooled_therapies: bool = False
) -> DeidentifiedBundle:
    """The registry (of one species, or all) through the one de-identification function.

    Everything a reviewer sees or downloads, and every analysis the site runs, comes from here.
    """
    bundle = registry_bundle(_subjects_of_species(species), pooled_therapies=pooled_therapies)
    return deidentify(bundle, pseudonym_salt())


def reversals_deidentified() -> DeidentifiedBundle:
    """The records with a possible reversal, through the one de-identification function."""
    flagged = Subject.objects.filter(reversal__isnull=False)
    return deidentify(registry_bundle(flagged), pseudonym_salt())


def registry_frames(
    species: TargetSpecies | str | None = None, *, deidentified: bool = True
) -> RegistryFrames:
    """The registry as :class:`~offlabel.registry.frames.RegistryFrames`, for the analyses.

    Therapies pool under the catalogue's names. With ``deidentified`` (the default) the frames
    come from :func:`registry_deidentified`: pseudonymous ids and every subject's dates counted
    from one epoch (:func:`offlabel.registry.deidentify.dated_on_epoch`), so they keep every
    interval an analysis needs and no calendar date.
    """
    from offlabel.registry.frames import RegistryFrames

    if deidentified:
        return RegistryFrames.from_deidentified(
            registry_deidentified(species, pooled_therapies=True),
            source="<registry, de-identified>",
        )
    bundle = registry_bundle(_subjects_of_species(species), pooled_therapies=True)
    return RegistryFrames.from_bundle(bundle, source="<registry>")


# -- what changed, what was deleted, what is flagged ---------------------------------------------


def subjects_deleted_by_owner(user: User) -> QuerySet[Subject]:
    """The owner's records deleted within the restore window (newest first)."""
    return Subject.all_objects.filter(owner=user, deleted_at__isnull=False).order_by("-deleted_at")


def entries_deleted_of(subject: Subject) -> list[Any]:
    """Entries of one record deleted within the restore window, newest first (evaluations
    deleted with their course come back with it, so they are not listed on their own)."""
    found: list[Any] = []
    for model in (TreatmentCourse, ScoreRecord, Milestone):
        found += model.all_objects.filter(subject=subject, deleted_at__isnull=False).select_related(
            "deleted_by"
        )
    found += Evaluation.all_objects.filter(
        course__subject=subject, deleted_at__isnull=False, course__deleted_at__isnull=True
    ).select_related("course", "deleted_by")
    return sorted(found, key=lambda e: e.deleted_at, reverse=True)


def reversal_of(subject: Subject) -> ReversalFlag | None:
    return ReversalFlag.objects.filter(subject=subject).select_related("checked_by").first()


def reversals_for_review() -> QuerySet[ReversalFlag]:
    """Every flagged possible reversal of a live record (for reviewers: shown de-identified)."""
    return ReversalFlag.objects.filter(subject__deleted_at__isnull=True).select_related("subject")


def reversals_for_clinician(user: User) -> QuerySet[ReversalFlag]:
    """Possible reversals in records this clinician or vet sees (to check against records)."""
    return ReversalFlag.objects.filter(subject__in=subjects_visible_to(user)).select_related(
        "subject", "subject__owner"
    )


def clinicians_of(subject: Subject) -> QuerySet[User]:
    """The clinicians and vets who hold active access to a record (its owner's clinicians)."""
    return User.objects.filter(
        registry_access__subject=subject, registry_access__status=CareAccess.Status.ACTIVE
    ).distinct()
