"""Reads of the registry.

:func:`subjects_visible_to` is THE gate: every view that shows a subject, or anything recorded
about one, fetches it through this selector and answers 404 when it is not there. Reviewers and
the analytics app never read identifiable rows: they get :func:`deidentified_bundle` or
:func:`registry_frames` (pseudonymous ids, dates counted from onset).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.reports.deidentify import DeidentifiedBundle, deidentify, pseudonym
from offlabel.reports.records import (
    DoseUnit,
    EvaluationRow,
    EventKind,
    EventRow,
    RegistryBundle,
    ScaleKey,
    ScoreRow,
    Sex,
    Sod1Genotype,
    SubjectRow,
    TreatmentRow,
)
from offlabel.reports.records import (
    SideEffect as SideEffectRow,
)
from offlabel.web.accounts.roles import Role
from offlabel.web.registry.models import (
    CareAccess,
    Evaluation,
    Milestone,
    ScoreRecord,
    SideEffect,
    Subject,
    TreatmentCourse,
)

if TYPE_CHECKING:
    from offlabel.outcomes.data import RegistryFrames

CLINICAL_ROLES = (Role.CLINICIAN, Role.VETERINARIAN)

#: De-identified frames count every date from onset; onset is placed on this day.
DEIDENTIFIED_EPOCH = dt.date(2000, 1, 1)


# -- the gate ---------------------------------------------------------------------------------


def subjects_visible_to(user: Any) -> QuerySet[Subject]:
    """The subjects this user may see identifiably: their own, and those shared with them by an
    active consent. Everyone else (reviewers included) sees none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Subject.objects.none()
    if not user.has_any_role(*CLINICAL_ROLES):  # a professional role taken away ends access
        return Subject.objects.filter(owner=user)
    shared = CareAccess.objects.filter(clinician=user, status=CareAccess.Status.ACTIVE).values(
        "subject_id"
    )
    return Subject.objects.filter(Q(owner=user) | Q(pk__in=shared))


def subjects_contributable_by(user: Any) -> QuerySet[Subject]:
    """The subjects this user may add to: their own, and those shared for contribution."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Subject.objects.none()
    if not user.has_any_role(*CLINICAL_ROLES):
        return Subject.objects.filter(owner=user)
    shared = CareAccess.objects.filter(
        clinician=user, status=CareAccess.Status.ACTIVE, scope=CareAccess.Scope.CONTRIBUTE
    ).values("subject_id")
    return Subject.objects.filter(Q(owner=user) | Q(pk__in=shared))


def subjects_owned_by(user: Any) -> QuerySet[Subject]:
    """The records this account owns (its own person record, its dogs, its case histories)."""
    return Subject.objects.filter(owner=user)


def own_person_record(user: Any) -> Subject | None:
    """A patient's record of themselves, if they have made it (there is at most one)."""
    return Subject.objects.filter(
        owner=user, kind=Subject.Kind.PERSON, origin=Subject.Origin.SELF
    ).first()


def subject_for(user: Any, public_id: str, *, contribute: bool = False) -> Subject:
    """One subject through the gate, or 404."""
    gate = subjects_contributable_by(user) if contribute else subjects_visible_to(user)
    subject = gate.filter(public_id=public_id).select_related("owner").first()
    if subject is None:
        raise Http404("No such record.")
    return subject


def owned_subject(user: Any, public_id: str) -> Subject:
    """A subject only its owner may manage (sharing, editing, deletion), or 404."""
    subject = subject_for(user, public_id)
    if subject.owner_id != user.pk:
        raise Http404("No such record.")
    return subject


# -- one subject's record ---------------------------------------------------------------------


def courses_of(subject: Subject) -> QuerySet[TreatmentCourse]:
    evaluations = Evaluation.objects.prefetch_related("side_effects").order_by("date", "id")
    return (
        subject.courses.select_related("therapy")
        .prefetch_related(Prefetch("evaluations", queryset=evaluations))
        .order_by("start_date", "id")
    )


def scores_of(subject: Subject) -> QuerySet[ScoreRecord]:
    return subject.scores.order_by("date", "scale", "id")


def milestones_of(subject: Subject) -> QuerySet[Milestone]:
    return subject.milestones.order_by("date", "id")


def access_of(subject: Subject) -> QuerySet[CareAccess]:
    return subject.access.select_related("clinician").order_by("-invited_at", "-id")


def invitations_for(user: Any) -> QuerySet[CareAccess]:
    """Open invitations addressed to this user's e-mail address."""
    return CareAccess.objects.filter(
        email__iexact=user.email, status=CareAccess.Status.INVITED
    ).select_related("subject", "invited_by")


def follow_up_end(subject: Subject) -> dt.date | None:
    ends = [
        m.date
        for m in subject.milestones.all()
        if EventKind(m.event).ends_follow_up  # few rows per subject
    ]
    return min(ends) if ends else None


def subject_row(subject: Subject) -> SubjectRow:
    """The core's view of a subject (for the validation rules)."""
    return SubjectRow(
        subject_id=subject.public_id,
        species=subject.species,
        onset_date=subject.onset_date,
        birth_year=subject.birth_year,
        sex=Sex(subject.sex or Sex.UNKNOWN),
        breed=subject.breed,
        sod1=Sod1Genotype(subject.sod1) if subject.sod1 else None,
    )


# -- the bulk layout ----------------------------------------------------------------------------


def _opt(enum: Any, value: str) -> Any:
    return enum(value) if value else None


def registry_bundle(subjects: QuerySet[Subject] | None = None) -> RegistryBundle:
    """The records of ``subjects`` (default: all) in the bulk CSV layout, one query per table.

    Treatment and evaluation therapies are written as entered (so an import exports back the
    same), dates as dates: this is identifiable data, for owners' own exports and the CLI.
    """
    base = Subject.objects.all() if subjects is None else subjects
    ids = base.values("pk")
    subject_rows = [
        SubjectRow(
            pid,
            TargetSpecies.DOG if kind == Subject.Kind.DOG else TargetSpecies.HUMAN,
            onset,
            birth,
            Sex(sex or Sex.UNKNOWN),
            breed,
            _opt(Sod1Genotype, sod1),
        )
        for pid, kind, onset, birth, sex, breed, sod1 in base.order_by().values_list(
            "public_id", "kind", "onset_date", "birth_year", "sex", "breed", "sod1"
        )
    ]
    treatments = [
        TreatmentRow(pid, text or name or "", start, stop, dose, _opt(DoseUnit, unit), cost)
        for pid, text, name, start, stop, dose, unit, cost in TreatmentCourse.objects.filter(
            subject__in=ids
        ).values_list(
            "subject__public_id",
            "therapy_text",
            "therapy__name",
            "start_date",
            "stop_date",
            "dose",
            "dose_unit",
            "cost_per_month",
        )
    ]
    effects: dict[int, list[SideEffectRow]] = defaultdict(list)
    for evaluation_id, name, severity in (
        SideEffect.objects.filter(evaluation__course__subject__in=ids)
        .order_by("id")
        .values_list("evaluation_id", "name", "severity")
    ):
        effects[evaluation_id].append(SideEffectRow(name, _opt(Severity, severity)))
    evaluations = [
        EvaluationRow(pid, text or name or "", date, Efficacy(efficacy), tuple(effects[pk]))
        for pk, pid, text, name, date, efficacy in Evaluation.objects.filter(
            course__subject__in=ids
        ).values_list(
            "pk",
            "course__subject__public_id",
            "course__therapy_text",
            "course__therapy__name",
            "date",
            "efficacy",
        )
    ]
    scores = [
        ScoreRow(pid, date, ScaleKey(scale), total)
        for pid, date, scale, total in ScoreRecord.objects.filter(subject__in=ids).values_list(
            "subject__public_id", "date", "scale", "total"
        )
    ]
    events = [
        EventRow(pid, EventKind(event), date)
        for pid, event, date in Milestone.objects.filter(subject__in=ids).values_list(
            "subject__public_id", "event", "date"
        )
    ]
    return RegistryBundle(
        tuple(subject_rows), tuple(treatments), tuple(evaluations), tuple(scores), tuple(events)
    ).canonical()


def pseudonym_salt() -> str:
    """The secret the pseudonyms are keyed with: ``OFFLABEL_PSEUDONYM_SALT`` if set, else one
    derived from ``SECRET_KEY`` (stable for a site, never shown)."""
    salt = getattr(settings, "OFFLABEL_PSEUDONYM_SALT", "") or os.environ.get(
        "OFFLABEL_PSEUDONYM_SALT", ""
    )
    if salt:
        return str(salt)
    return hashlib.sha256(f"offlabel-pseudonym:{settings.SECRET_KEY}".encode()).hexdigest()


def deidentified_bundle(species: TargetSpecies | str | None = None) -> DeidentifiedBundle:
    """The whole registry de-identified: hashed ids, days since onset, no names or e-mails."""
    subjects = Subject.objects.all()
    if species is not None:
        kind = Subject.Kind.DOG if TargetSpecies(species) is TargetSpecies.DOG else "person"
        subjects = subjects.filter(kind=kind)
    return deidentify(registry_bundle(subjects), pseudonym_salt())


def registry_frames(
    *, species: TargetSpecies | str | None = None, deidentified: bool = True
) -> RegistryFrames:
    """The registry as :class:`~offlabel.outcomes.data.RegistryFrames`, for the analyses.

    One query per table. Therapies are the catalogue's names where a course is linked to the
    catalogue (so "LDN" and "Low-dose naltrexone" pool), the free text otherwise.

    With ``deidentified`` (the default) subject ids are pseudonyms and every subject's dates are
    shifted so that onset falls on :data:`DEIDENTIFIED_EPOCH` (birth year shifted alike): the
    frames keep every interval an analysis needs and no calendar date.
    """
    import pandas as pd

    from offlabel.outcomes.data import RegistryFrames

    subjects = Subject.objects.all()
    if species is not None:
        target = TargetSpecies(species)
        subjects = subjects.filter(
            kind=Subject.Kind.DOG if target is TargetSpecies.DOG else Subject.Kind.PERSON
        )
    ids = subjects.values("pk")
    s = pd.DataFrame(
        list(
            subjects.order_by("pk").values_list(
                "public_id", "kind", "onset_date", "birth_year", "sex", "breed", "sod1"
            )
        ),
        columns=["subject_id", "species", "onset_date", "birth_year", "sex", "breed", "sod1"],
    )
    s["species"] = s["species"].map({"dog": "dog", "person": "human"})
    t = pd.DataFrame(
        list(
            TreatmentCourse.objects.filter(subject__in=ids)
            .order_by("pk")
            .values_list(
                "subject__public_id",
                "therapy__name",
                "therapy_text",
                "start_date",
                "stop_date",
                "dose",
                "dose_unit",
                "cost_per_month",
            )
        ),
        columns=[
            "subject_id",
            "catalog_name",
            "therapy_text",
            "start_date",
            "stop_date",
            "dose",
            "dose_unit",
            "cost_per_month",
        ],
    )
    t.insert(1, "therapy", t.pop("catalog_name").fillna(t["therapy_text"]))
    t = t.drop(columns="therapy_text")
    effects: dict[int, list[str]] = defaultdict(list)
    for evaluation_id, name, severity in (
        SideEffect.objects.filter(evaluation__course__subject__in=ids)
        .order_by("id")
        .values_list("evaluation_id", "name", "severity")
    ):
        effects[evaluation_id].append(f"{name}:{severity}" if severity else name)
    e = pd.DataFrame(
        [
            (pid, name or text, date, efficacy, ";".join(effects[pk]) or None)
            for pk, pid, name, text, date, efficacy in Evaluation.objects.filter(
                course__subject__in=ids
            )
            .order_by("pk")
            .values_list(
                "pk",
                "course__subject__public_id",
                "course__therapy__name",
                "course__therapy_text",
                "date",
                "efficacy",
            )
        ],
        columns=["subject_id", "therapy", "date", "efficacy", "side_effects"],
    )
    sc = pd.DataFrame(
        list(
            ScoreRecord.objects.filter(subject__in=ids)
            .order_by("pk")
            .values_list("subject__public_id", "date", "scale", "total")
        ),
        columns=["subject_id", "date", "scale", "total"],
    )
    ev = pd.DataFrame(
        list(
            Milestone.objects.filter(subject__in=ids)
            .order_by("pk")
            .values_list("subject__public_id", "event", "date")
        ),
        columns=["subject_id", "event", "date"],
    )
    for frame in (s, t, e):
        for column in ("breed", "sod1", "dose_unit"):
            if column in frame.columns:
                frame[column] = frame[column].replace("", None)
    if deidentified:
        s, t, e, sc, ev = _deidentify_frames(s, t, e, sc, ev)
    return RegistryFrames.from_frames(
        s, t, e, sc, ev, source="<registry, de-identified>" if deidentified else "<registry>"
    )


def _deidentify_frames(s: Any, t: Any, e: Any, sc: Any, ev: Any) -> tuple[Any, ...]:
    import pandas as pd

    if s.empty:
        return s, t, e, sc, ev  # nothing to hide (and no subject, so no other row either)
    salt = pseudonym_salt()
    onset = pd.to_datetime(s.set_index("subject_id")["onset_date"])
    shift = pd.Timestamp(DEIDENTIFIED_EPOCH) - onset  # per subject
    ids = {pid: pseudonym(pid, salt) for pid in s["subject_id"]}
    s = s.copy()
    s["birth_year"] = [
        None if pd.isna(by) else DEIDENTIFIED_EPOCH.year - (o.year - int(by))
        for by, o in zip(s["birth_year"], onset, strict=True)
    ]
    s["birth_year"] = s["birth_year"].astype("Float64")
    out = [s]
    for frame, dates in (
        (t, ("start_date", "stop_date")),
        (e, ("date",)),
        (sc, ("date",)),
        (ev, ("date",)),
    ):
        frame = frame.copy()
        offset = pd.to_timedelta(frame["subject_id"].map(shift))
        for column in dates:
            frame[column] = pd.to_datetime(frame[column]) + offset
        out.append(frame)
    s["onset_date"] = pd.Timestamp(DEIDENTIFIED_EPOCH)
    for frame in out:
        frame["subject_id"] = frame["subject_id"].map(ids)
    return tuple(out)


def registry_csv_dir(
    directory: str | os.PathLike[str], *, deidentified: bool = True
) -> str | os.PathLike[str]:
    """Write the whole registry into ``directory`` (the bulk layout, or the de-identified one)."""
    from offlabel.reports.csv_layout import write_registry_dir
    from offlabel.reports.deidentify import write_deidentified_dir

    if deidentified:
        write_deidentified_dir(deidentified_bundle(), directory)
    else:
        write_registry_dir(registry_bundle(), directory)
    return directory
