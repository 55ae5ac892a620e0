"""Typed registry records: the rows of the bulk CSV layout and their vocabularies.

One dataclass per CSV file (see ``CSV_LAYOUT.md``). They hold parsed, typed values; checking
them against each other is the job of :mod:`offlabel.registry.validation`, reading and writing
them the job of :mod:`offlabel.registry.csv_read` and :mod:`offlabel.registry.csv_write`. No
record ever holds a name or an e-mail address: identifiable details stay in the web layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.vocabulary import (
    Adherence,
    Burden,
    CourseSource,
    DiagnosisMethod,
    DoseUnit,
    EventKind,
    ItemValue,
    OnsetRegion,
    ReversalStatus,
    ScaleKey,
    Sex,
    Sod1Genotype,
    TimeOfDay,
)


@dataclass(frozen=True, slots=True)
class SubjectRow:
    """A person with ALS or a dog with DM (``subjects.csv``).

    ``consent_date`` and ``consent_scope`` record the consent a clinician or vet obtained for a
    case history; ``reversal`` is the state of a possible reversal (a lasting ALSFRS-R rise, a
    dog walking again) once it has been flagged.
    """

    subject_id: str
    species: TargetSpecies
    onset_date: dt.date
    birth_year: int | None = None
    sex: Sex = Sex.UNKNOWN
    breed: str = ""
    sod1: Sod1Genotype | None = None
    diagnosis_date: dt.date | None = None
    onset_region: OnsetRegion | None = None
    diagnosis_method: DiagnosisMethod | None = None
    diagnosis_confirmed_by: str = ""
    weight_kg: float | None = None
    consent_date: dt.date | None = None
    consent_scope: str = ""
    reversal: ReversalStatus | None = None


@dataclass(frozen=True, slots=True)
class TreatmentRow:
    """A treatment course (``treatments.csv``); dose is the total per day, stop empty if ongoing."""

    subject_id: str
    therapy: str
    start_date: dt.date
    stop_date: dt.date | None = None
    dose: float | None = None
    dose_unit: DoseUnit | None = None
    cost_per_month: float | None = None
    frequency: str = ""
    time_of_day: TimeOfDay | None = None
    source: CourseSource | None = None
    reason_stopped: str = ""


@dataclass(frozen=True, slots=True)
class SideEffect:
    """A side effect named in an evaluation, with its severity when given."""

    name: str
    severity: Severity | None = None

    def __str__(self) -> str:
        return self.name if self.severity is None else f"{self.name}:{self.severity.value}"


@dataclass(frozen=True, slots=True)
class EvaluationRow:
    """An evaluation of a therapy by the subject, owner or clinician (``evaluations.csv``).

    ``course_start`` names the course evaluated (the subject's course of ``therapy`` that
    started that day); without it the evaluation belongs to the latest course of the therapy
    started on or before ``date``.
    """

    subject_id: str
    therapy: str
    date: dt.date
    efficacy: Efficacy
    side_effects: tuple[SideEffect, ...] = ()
    course_start: dt.date | None = None
    adherence: Adherence | None = None
    burden: Burden | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """A progression score at a date (``scores.csv``).

    ``items`` holds an item-sum scale's items (ALSFRS-R: ``("1", 4), ("2", 3)`` …, each a score
    or an :class:`~offlabel.registry.vocabulary.ItemMissing` reason), in the scale's item order;
    empty when only the total was recorded. ``total`` is ``None`` exactly when an item is
    missing: an incomplete scale has no total.
    """

    subject_id: str
    date: dt.date
    scale: ScaleKey
    total: int | None
    items: tuple[tuple[str, ItemValue], ...] = ()

    @property
    def item_map(self) -> dict[str, ItemValue]:
        """The items as a mapping, item key → score or missing reason."""
        return dict(self.items)


@dataclass(frozen=True, slots=True)
class EventRow:
    """A dated milestone (``events.csv``)."""

    subject_id: str
    event: EventKind
    date: dt.date


@dataclass(frozen=True, slots=True)
class RegistryBundle:
    """All records of a registry directory.

    :func:`~offlabel.registry.csv_read.read_registry_dir` returns them in the order
    :meth:`canonical` gives (the order files are written in).
    """

    subjects: tuple[SubjectRow, ...] = ()
    treatments: tuple[TreatmentRow, ...] = ()
    evaluations: tuple[EvaluationRow, ...] = ()
    scores: tuple[ScoreRow, ...] = ()
    events: tuple[EventRow, ...] = ()

    def canonical(self) -> RegistryBundle:
        """The same records sorted the way files are written (deterministic output)."""
        return RegistryBundle(
            subjects=tuple(sorted(self.subjects, key=lambda s: s.subject_id)),
            treatments=tuple(
                sorted(
                    self.treatments,
                    key=lambda t: (
                        t.subject_id,
                        t.start_date,
                        t.therapy,
                        repr(t),
                    ),
                )
            ),
            evaluations=tuple(
                sorted(self.evaluations, key=lambda e: (e.subject_id, e.date, e.therapy, repr(e)))
            ),
            scores=tuple(
                sorted(self.scores, key=lambda s: (s.subject_id, s.date, s.scale, repr(s)))
            ),
            events=tuple(sorted(self.events, key=lambda e: (e.subject_id, e.date, e.event))),
        )
