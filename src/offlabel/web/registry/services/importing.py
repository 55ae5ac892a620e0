"""The bulk import: a registry directory checked completely by the core's reader, then saved.

The same rules as forms and the API (the reader runs :func:`~offlabel.registry.validation.
validate_records`), every field of the layout kept, nothing saved unless everything is valid.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.layout import (
    ALSFRS_R_ITEM_COLUMNS,
    EVALUATIONS,
    EVENTS,
    SCORES,
    SUBJECTS,
    SUBSCORE_COLUMNS,
    TREATMENTS,
)
from offlabel.registry.records import RegistryBundle
from offlabel.registry.scales import alsfrs_r_problems, score_alsfrs_r
from offlabel.registry.schema import SEVERITY_OF_SIDE_EFFECTS, ColumnRule
from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Therapy
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record
from offlabel.web.registry.models import (
    Evaluation,
    Milestone,
    ReversalFlag,
    ScoreRecord,
    SideEffect,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.rows import items_to_store

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
            Subject.all_objects.filter(public_id__in=ids[start : start + 500]).values_list(
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


#: Where each column of the layout is saved (file → column → model and field): the import
#: checks every value against that field's constraints, read from the model itself.
STORED_IN: Mapping[str, Mapping[str, tuple[type[models.Model], str]]] = {
    SUBJECTS: {
        "subject_id": (Subject, "public_id"),
        "birth_year": (Subject, "birth_year"),
        "sex": (Subject, "sex"),
        "breed": (Subject, "breed"),
        "sod1": (Subject, "sod1"),
        "onset_region": (Subject, "onset_region"),
        "diagnosis_method": (Subject, "diagnosis_method"),
        "diagnosis_confirmed_by": (Subject, "diagnosis_confirmed_by"),
        "weight_kg": (Subject, "weight_kg"),
        "consent_scope": (Subject, "consent_scope"),
        "reversal": (ReversalFlag, "status"),
    },
    TREATMENTS: {
        "therapy": (TreatmentCourse, "therapy_text"),
        "dose": (TreatmentCourse, "dose"),
        "dose_unit": (TreatmentCourse, "dose_unit"),
        "cost_per_month": (TreatmentCourse, "cost_per_month"),
        "frequency": (TreatmentCourse, "frequency"),
        "time_of_day": (TreatmentCourse, "time_of_day"),
        "source": (TreatmentCourse, "source"),
        "reason_stopped": (TreatmentCourse, "reason_stopped"),
    },
    EVALUATIONS: {
        "therapy": (TreatmentCourse, "therapy_text"),
        "efficacy": (Evaluation, "efficacy"),
        "side_effects": (SideEffect, "name"),
        SEVERITY_OF_SIDE_EFFECTS: (SideEffect, "severity"),
        "adherence": (Evaluation, "adherence"),
        "burden": (Evaluation, "burden"),
        "notes": (Evaluation, "notes"),
    },
    SCORES: {"scale": (ScoreRecord, "scale"), "total": (ScoreRecord, "total")},
    EVENTS: {"event": (Milestone, "event")},
}
#: Columns saved other than as one model field: dates are dates (a Python date always fits a
#: DateField), the species becomes ``Subject.kind``, items and subscores a JSON document.
NOT_ONE_FIELD: Mapping[str, frozenset[str]] = {
    SUBJECTS: frozenset({"species", "onset_date", "diagnosis_date", "consent_date"}),
    TREATMENTS: frozenset({"subject_id", "start_date", "stop_date"}),
    EVALUATIONS: frozenset({"subject_id", "date", "course_start"}),
    SCORES: frozenset({"subject_id", "date", *ALSFRS_R_ITEM_COLUMNS, *SUBSCORE_COLUMNS}),
    EVENTS: frozenset({"subject_id", "date"}),
}


def column_rule(model: type[models.Model], name: str) -> ColumnRule:
    """A model field's constraints as the core checks them: ``max_length``, its choices, the
    database's range for an integer column narrowed by min/max validators."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):  # pragma: no cover - STORED_IN names fields only
        raise TypeError(f"{model.__name__}.{name} is not a field")
    max_length = getattr(field, "max_length", None)
    choices = (
        frozenset(str(value) for value, _label in field.flatchoices) if field.choices else None
    )
    low: float | None = None
    high: float | None = None
    if isinstance(field, models.IntegerField):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return ColumnRule(
        max_length=max_length,
        choices=choices,
        minimum=low,
        maximum=high,
        stored_as=f"{model.__name__}.{name}",
    )


def import_schema() -> dict[str, dict[str, ColumnRule]]:
    """Every stored column's rule (:data:`STORED_IN`), derived from the models."""
    return {
        file: {column: column_rule(model, name) for column, (model, name) in columns.items()}
        for file, columns in STORED_IN.items()
    }


@transaction.atomic
def registry_import(
    *,
    directory: str | os.PathLike[str],
    by: User | None,
    owner: User | None = None,
    confirm_implausible: bool = False,
    today: dt.date | None = None,
    synthetic: bool = False,
) -> ImportSummary:
    """Check a registry directory completely (the core's reader), then save all of it.

    Imported subjects keep their ``subject_id`` as public id (so an export imports back
    unchanged) and belong to ``owner``, by default the non-login importer account. One audit
    row per subject records who imported it. ``synthetic`` marks simulated records (the demo's):
    every page and export showing figures from them then says the data are synthetic.

    Raises
    ------
    RegistryImportError
        Every problem found (file, line, column), including subject ids already in the
        registry; nothing was saved.
    """
    bundle = read_registry_dir(
        directory,
        today,
        confirm_implausible=confirm_implausible,
        taken=_taken_ids,
        schema=import_schema(),
    )
    return _import_records(bundle, owner=owner or _importer_account(), by=by, synthetic=synthetic)


def _value(member: object) -> str:
    return "" if member is None else str(getattr(member, "value", member))


def _import_records(
    bundle: RegistryBundle, *, owner: User, by: User | None, synthetic: bool = False
) -> ImportSummary:
    subjects = Subject.objects.bulk_create(
        [
            Subject(
                public_id=s.subject_id,
                kind=Subject.Kind.DOG if s.species is TargetSpecies.DOG else Subject.Kind.PERSON,
                owner=owner,
                origin=Subject.Origin.SYNTHETIC if synthetic else Subject.Origin.IMPORTED,
                sex=s.sex.value,
                birth_year=s.birth_year,
                onset_date=s.onset_date,
                breed=s.breed,
                sod1=_value(s.sod1),
                diagnosis_date=s.diagnosis_date,
                onset_region=_value(s.onset_region),
                diagnosis_method=_value(s.diagnosis_method),
                diagnosis_confirmed_by=s.diagnosis_confirmed_by,
                weight_kg=s.weight_kg,
                consent_date=s.consent_date,
                consent_scope=s.consent_scope,
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
    ReversalFlag.objects.bulk_create(
        [
            ReversalFlag(
                subject_id=pk_of[s.subject_id],
                status=s.reversal.value,
                evidence={"text": "Imported from a registry file."},
            )
            for s in bundle.subjects
            if s.reversal is not None
        ]
    )
    therapies = _therapy_lookup()
    course_objs = [
        TreatmentCourse(
            subject_id=pk_of[t.subject_id],
            therapy=therapies.get(t.therapy.casefold()),
            therapy_text=t.therapy,
            dose=t.dose,
            dose_unit=_value(t.dose_unit),
            dose_confirmed=True,
            frequency=t.frequency,
            time_of_day=_value(t.time_of_day),
            start_date=t.start_date,
            stop_date=t.stop_date,
            reason_stopped=t.reason_stopped,
            source=_value(t.source),
            cost_per_month=t.cost_per_month,
            entered_by=by,
        )
        for t in bundle.treatments
    ]
    courses = TreatmentCourse.objects.bulk_create(course_objs, batch_size=500)
    by_therapy: dict[tuple[int, str], list[TreatmentCourse]] = defaultdict(list)
    for course in sorted(courses, key=lambda c: c.start_date):
        by_therapy[(course.subject_id, course.therapy_text.casefold())].append(course)

    def course_for(
        subject_pk: int, therapy: str, when: dt.date, start: dt.date | None
    ) -> TreatmentCourse:
        # The validation rules guarantee a course of this therapy started on or before `when`
        # (the one starting on `start`, when the file names it).
        candidates = by_therapy[(subject_pk, therapy.casefold())]
        if start is not None:
            return next(c for c in candidates if c.start_date == start)
        started = [c for c in candidates if c.start_date <= when]
        return (started or candidates)[-1]

    evaluation_objs = [
        Evaluation(
            course=course_for(pk_of[e.subject_id], e.therapy, e.date, e.course_start),
            date=e.date,
            efficacy=e.efficacy.value,
            adherence=_value(e.adherence),
            burden=_value(e.burden),
            notes=e.notes,
            entered_by=by,
        )
        for e in bundle.evaluations
    ]
    evaluations = Evaluation.objects.bulk_create(evaluation_objs, batch_size=500)
    SideEffect.objects.bulk_create(
        [
            SideEffect(evaluation=evaluation, name=effect.name, severity=_value(effect.severity))
            for evaluation, row in zip(evaluations, bundle.evaluations, strict=True)
            for effect in row.side_effects
        ],
        batch_size=500,
    )
    score_objs = []
    for s in bundle.scores:
        items = dict(s.items)
        subscores = None
        if items and not alsfrs_r_problems(items):
            subscores = score_alsfrs_r(items).subscores
        score_objs.append(
            ScoreRecord(
                subject_id=pk_of[s.subject_id],
                date=s.date,
                scale=s.scale.value,
                total=s.total,
                items=items_to_store(items),
                subscores=subscores,
                confirmed=True,
                entered_by=by,
            )
        )
    ScoreRecord.objects.bulk_create(score_objs, batch_size=1000)
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
