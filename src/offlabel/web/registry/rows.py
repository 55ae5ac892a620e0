"""Database rows as the core's records: one converter per table, for bulk reads and single rows.

Each table's converter reads the same named values (``subject__public_id``, ``therapy__name``
…) whether they come from ``QuerySet.values()`` (a whole registry in one query per table) or
from one model instance (:func:`values_of`, e.g. an entry about to be saved), so the record
checked before a save is exactly the record an export later writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    RegistryBundle,
    ScoreRow,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.records import SideEffect as SideEffectRow
from offlabel.registry.scales import alsfrs_r_items
from offlabel.registry.vocabulary import (
    Adherence,
    Burden,
    CourseSource,
    DiagnosisMethod,
    DoseUnit,
    EventKind,
    ItemMissing,
    ItemValue,
    OnsetRegion,
    ReversalStatus,
    ScaleKey,
    Sex,
    Sod1Genotype,
    TimeOfDay,
)
from offlabel.web.registry.models import (
    Evaluation,
    Milestone,
    ScoreRecord,
    SideEffect,
    Subject,
    TreatmentCourse,
)

E = TypeVar("E", bound=StrEnum)

SUBJECT_VALUES = (
    "pk",
    "public_id",
    "kind",
    "onset_date",
    "birth_year",
    "sex",
    "breed",
    "sod1",
    "diagnosis_date",
    "onset_region",
    "diagnosis_method",
    "diagnosis_confirmed_by",
    "weight_kg",
    "consent_date",
    "consent_scope",
    "reversal__status",
)
COURSE_VALUES = (
    "pk",
    "subject__public_id",
    "therapy_text",
    "therapy__name",
    "start_date",
    "stop_date",
    "dose",
    "dose_unit",
    "cost_per_month",
    "frequency",
    "time_of_day",
    "source",
    "reason_stopped",
)
EVALUATION_VALUES = (
    "pk",
    "course__subject__public_id",
    "course__therapy_text",
    "course__therapy__name",
    "course__start_date",
    "date",
    "efficacy",
    "adherence",
    "burden",
    "notes",
)
SCORE_VALUES = ("pk", "subject__public_id", "date", "scale", "total", "items")
MILESTONE_VALUES = ("pk", "subject__public_id", "event", "date")


def _opt(enum: type[E], value: str | None) -> E | None:
    return enum(value) if value else None


def values_of(instance: models.Model, names: Sequence[str]) -> dict[str, Any]:
    """The named values of one instance, following ``a__b`` through its relations (an unsaved
    instance too); a missing relation gives ``None``."""
    out: dict[str, Any] = {}
    for name in names:
        value: Any = instance
        for part in name.split("__"):
            if value is None:
                break
            try:
                value = getattr(value, part)
            except models.ObjectDoesNotExist:
                value = None
        if isinstance(value, models.Model):
            value = value.pk
        out[name] = value
    return out


def therapy_name(text: str | None, catalogue: str | None, *, pooled: bool) -> str:
    """As entered (free text wins), or pooled under the catalogue's name where linked."""
    return (catalogue or text or "") if pooled else (text or catalogue or "")


def subject_row(v: Mapping[str, Any]) -> SubjectRow:
    dog = v["kind"] == Subject.Kind.DOG
    return SubjectRow(
        v["public_id"],
        TargetSpecies.DOG if dog else TargetSpecies.HUMAN,
        v["onset_date"],
        v["birth_year"],
        Sex(v["sex"] or Sex.UNKNOWN),
        v["breed"] or "",
        _opt(Sod1Genotype, v["sod1"]),
        diagnosis_date=v["diagnosis_date"],
        onset_region=_opt(OnsetRegion, v["onset_region"]),
        diagnosis_method=_opt(DiagnosisMethod, v["diagnosis_method"]),
        diagnosis_confirmed_by=v["diagnosis_confirmed_by"] or "",
        weight_kg=v["weight_kg"],
        consent_date=v["consent_date"],
        consent_scope=v["consent_scope"] or "",
        reversal=_opt(ReversalStatus, v["reversal__status"]),
    )


def course_row(v: Mapping[str, Any], *, pooled: bool = False) -> TreatmentRow:
    return TreatmentRow(
        v["subject__public_id"],
        therapy_name(v["therapy_text"], v["therapy__name"], pooled=pooled),
        v["start_date"],
        v["stop_date"],
        v["dose"],
        _opt(DoseUnit, v["dose_unit"]),
        v["cost_per_month"],
        v["frequency"] or "",
        _opt(TimeOfDay, v["time_of_day"]),
        _opt(CourseSource, v["source"]),
        v["reason_stopped"] or "",
    )


def evaluation_row(
    v: Mapping[str, Any], effects: Iterable[tuple[str, str]], *, pooled: bool = False
) -> EvaluationRow:
    return EvaluationRow(
        v["course__subject__public_id"],
        therapy_name(v["course__therapy_text"], v["course__therapy__name"], pooled=pooled),
        v["date"],
        Efficacy(v["efficacy"]),
        tuple(SideEffectRow(name, _opt(Severity, severity)) for name, severity in effects),
        v["course__start_date"],
        _opt(Adherence, v["adherence"]),
        _opt(Burden, v["burden"]),
        v["notes"] or "",
    )


def stored_items(items: Mapping[str, Any] | None) -> tuple[tuple[str, ItemValue], ...]:
    """ALSFRS-R items as stored (JSON: a score, or ``"not_done"``/``"unknown"``)."""
    if not items:
        return ()
    values = item_values(items) or {}
    return alsfrs_r_items(values)


def item_values(items: Mapping[str, Any] | None) -> dict[str, ItemValue] | None:
    """Items as given by a form or an API (``4``, ``"4"``, ``"not_done"``) as item values;
    anything else is kept as it came, for the checks to report."""
    if items is None:
        return None
    missing = {m.value for m in ItemMissing}
    out: dict[str, Any] = {}
    for key, value in items.items():
        if isinstance(value, str) and value in missing:
            out[str(key)] = ItemMissing(value)
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            out[str(key)] = int(value)
        else:
            out[str(key)] = value
    return out


def items_to_store(items: Mapping[str, ItemValue] | None) -> dict[str, int | str] | None:
    if not items:
        return None
    return {
        key: value.value if isinstance(value, ItemMissing) else value
        for key, value in alsfrs_r_items(items)
    }


def score_row(v: Mapping[str, Any]) -> ScoreRow:
    return ScoreRow(
        v["subject__public_id"],
        v["date"],
        ScaleKey(v["scale"]),
        v["total"],
        stored_items(v["items"]),
    )


def event_row(v: Mapping[str, Any]) -> EventRow:
    return EventRow(v["subject__public_id"], EventKind(v["event"]), v["date"])


def side_effects_of(evaluation: Evaluation) -> list[tuple[str, str]]:
    return [(s.name, s.severity) for s in evaluation.side_effects.all()] if evaluation.pk else []


# -- whole sets of subjects --------------------------------------------------------------------


@dataclass
class Records:
    """The records of some subjects as five lists, with the database pk of every row.

    ``rows["scores"][i]`` is the record of the score with pk ``pks["scores"][i]``; the lists are
    in no particular order (:meth:`bundle` sorts).
    """

    rows: dict[str, list[Any]] = field(
        default_factory=lambda: {
            t: [] for t in ("subjects", "treatments", "evaluations", "scores", "events")
        }
    )
    pks: dict[str, list[int]] = field(
        default_factory=lambda: {
            t: [] for t in ("subjects", "treatments", "evaluations", "scores", "events")
        }
    )

    def bundle(self) -> RegistryBundle:
        return RegistryBundle(
            subjects=tuple(self.rows["subjects"]),
            treatments=tuple(self.rows["treatments"]),
            evaluations=tuple(self.rows["evaluations"]),
            scores=tuple(self.rows["scores"]),
            events=tuple(self.rows["events"]),
        )


def records_of(subjects: QuerySet[Subject], *, pooled: bool = False) -> Records:
    """Every live record of ``subjects``, one query per table (side effects: one more)."""
    ids = subjects.values("pk")
    out = Records()

    def put(table: str, pk: int, row: Any) -> None:
        out.rows[table].append(row)
        out.pks[table].append(pk)

    for v in subjects.order_by().values(*SUBJECT_VALUES):
        put("subjects", v["pk"], subject_row(v))
    for v in TreatmentCourse.objects.filter(subject__in=ids).order_by().values(*COURSE_VALUES):
        put("treatments", v["pk"], course_row(v, pooled=pooled))
    effects: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for evaluation_id, name, severity in (
        SideEffect.objects.filter(
            evaluation__course__subject__in=ids,
            evaluation__deleted_at__isnull=True,
            evaluation__course__deleted_at__isnull=True,
        )
        .order_by("id")
        .values_list("evaluation_id", "name", "severity")
    ):
        effects[evaluation_id].append((name, severity))
    for v in (
        Evaluation.objects.filter(course__subject__in=ids, course__deleted_at__isnull=True)
        .order_by()
        .values(*EVALUATION_VALUES)
    ):
        put("evaluations", v["pk"], evaluation_row(v, effects[v["pk"]], pooled=pooled))
    for v in ScoreRecord.objects.filter(subject__in=ids).order_by().values(*SCORE_VALUES):
        put("scores", v["pk"], score_row(v))
    for v in Milestone.objects.filter(subject__in=ids).order_by().values(*MILESTONE_VALUES):
        put("events", v["pk"], event_row(v))
    return out
