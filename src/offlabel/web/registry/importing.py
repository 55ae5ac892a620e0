"""Bulk import and export of registry directories (the core's CSV layout, both ways).

:func:`registry_import` reads and checks the whole directory with
:func:`offlabel.reports.csv_layout.read_registry_dir` first: any problem raises
:class:`~offlabel.reports.problems.RegistryImportError` naming file, line and column, and
nothing is written. Then one transaction creates every row with ``bulk_create`` and one audit
row per subject. Imported subjects keep their ``subject_id`` as public id (so an export imports
back unchanged) and belong to the importing account: by default the non-login
"registry import" account, never shown to anyone but reviewers (de-identified).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.reports.csv_layout import SUBJECTS, read_registry_dir, write_registry_dir
from offlabel.reports.deidentify import write_deidentified_dir
from offlabel.reports.problems import ImportProblem, ProblemCode, RegistryImportError
from offlabel.reports.records import RegistryBundle
from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Therapy
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record
from offlabel.web.registry.models import (
    Evaluation,
    Milestone,
    ScoreRecord,
    SideEffect,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.selectors import deidentified_bundle, registry_bundle

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


def importer_account() -> User:
    """The non-login account that owns imported subjects (created on first use)."""
    user = User.objects.filter(email=IMPORTER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=IMPORTER_EMAIL, password=None, display_name="Registry import", is_active=False
        )
    return user


def _subject_lines(directory: Path) -> dict[str, int]:
    """Line of each subject id in subjects.csv (header = line 1), for conflict messages."""
    lines: dict[str, int] = {}
    with (directory / SUBJECTS).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            lines.setdefault((row.get("subject_id") or "").strip(), reader.line_num)
    return lines


def _therapy_lookup() -> dict[str, Therapy]:
    lookup: dict[str, Therapy] = {}
    for therapy in Therapy.objects.all():
        for name in [therapy.name, *therapy.synonym_list]:
            lookup.setdefault(name.casefold(), therapy)
    return lookup


def check_conflicts(bundle: RegistryBundle, directory: Path) -> list[ImportProblem]:
    """Subject ids already in the database (an import never overwrites a record)."""
    ids = [s.subject_id for s in bundle.subjects]
    taken: set[str] = set()
    for start in range(0, len(ids), 500):
        taken.update(
            Subject.objects.filter(public_id__in=ids[start : start + 500]).values_list(
                "public_id", flat=True
            )
        )
    if not taken:
        return []
    lines = _subject_lines(directory)
    return sorted(
        (
            ImportProblem(
                SUBJECTS,
                lines.get(pid, 0),
                "subject_id",
                f"subject {pid!r} is already in the registry; an import never overwrites records",
                ProblemCode.DUPLICATE,
            )
            for pid in taken
        ),
        key=lambda p: p.line,
    )


def registry_import(
    directory: str | os.PathLike[str],
    *,
    owner: User | None = None,
    by: User | None = None,
    confirm_implausible: bool = False,
    today: dt.date | None = None,
) -> ImportSummary:
    """Validate a registry directory completely, then save all of it in one transaction.

    Raises
    ------
    RegistryImportError
        Every problem found (file, line, column); nothing was saved.
    """
    path = Path(directory)
    bundle = read_registry_dir(path, today, confirm_implausible=confirm_implausible)
    problems = check_conflicts(bundle, path)
    if problems:
        raise RegistryImportError(problems)
    return _save(bundle, owner=owner or importer_account(), by=by)


@transaction.atomic
def _save(bundle: RegistryBundle, *, owner: User, by: User | None) -> ImportSummary:
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
            actor=by,
            action=AuditEvent.Action.CREATE,
            instance=subject,
            owner_key=subject.public_id,
            note="Imported from a registry directory.",
        )
    return ImportSummary(
        len(subjects), len(courses), len(evaluations), len(bundle.scores), len(bundle.events)
    )


def registry_export(directory: str | os.PathLike[str], *, deidentified: bool = False) -> int:
    """Write the whole registry into ``directory``; returns the number of subjects."""
    if deidentified:
        bundle = deidentified_bundle()
        write_deidentified_dir(bundle, directory)
        return len(bundle.subjects)
    plain = registry_bundle()
    write_registry_dir(plain, directory)
    return len(plain.subjects)
