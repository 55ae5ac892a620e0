"""De-identified export of a registry: what reviewers and analyses outside the owner's account see.

:func:`deidentify` turns a :class:`~offlabel.registry.records.RegistryBundle` into a
:class:`DeidentifiedBundle`:

- subject ids become pseudonyms: the first 16 hex digits of HMAC-SHA256(salt, subject_id). The
  same salt gives the same pseudonym (exports can be joined); without the salt they cannot be
  reversed or recomputed from a guessed id. Keep the salt secret and stable.
- every date becomes a whole number of days since the subject's onset (onset = day 0; a course
  started before onset has a negative ``start_day``);
- the birth year becomes the age at onset in whole years (onset year − birth year);
- free text that may name a person, a clinic or a place is left out: evaluation notes, the
  dosing frequency as written, the reason a course stopped, who confirmed the diagnosis and the
  consent wording of a case history (structured values — onset region, adherence, time of day,
  ALSFRS-R items … — are kept);
- the free text that is kept (therapy names as written, side effects, breeds) passes through
  :func:`offlabel.registry.free_text.redact`: person and pet names, phone numbers, postal
  addresses, dates, URLs and e-mail addresses in it become ``[name]``, ``[phone]``,
  ``[address]``, ``[date]``, ``[url]``, ``[e-mail]`` ("LDN from Dr Jane Roe, tel 555-0100"
  → "LDN from [name], [phone]"); the registry's own vocabulary stays as written.

The de-identified layout keeps the file names of the bulk layout, with ``day`` columns instead
of dates:

========================  =================================================================
file                      columns
========================  =================================================================
``subjects.csv``          subject_id, species, onset_day, onset_age_years, sex, breed, sod1,
                          diagnosis_day, onset_region, diagnosis_method, weight_kg, reversal
``treatments.csv``        subject_id, therapy, start_day, stop_day, dose, dose_unit,
                          cost_per_month, time_of_day, source
``evaluations.csv``       subject_id, therapy, day, efficacy, side_effects, course_start_day,
                          adherence, burden
``scores.csv``            subject_id, day, scale, total, item_1 … item_12, bulbar, limb,
                          respiratory
``events.csv``            subject_id, event, day
========================  =================================================================

``onset_day`` is always 0 (kept so that the files say what the days count from).

The analyses count in dates; :func:`dated_on_epoch` gives them a de-identified bundle back as
records dated from a fixed :data:`DEIDENTIFIED_EPOCH` (every subject's onset on that day, its
birth year moved alike), so no calendar date of anyone's survives and every interval does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.registry.free_text import redact
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    RegistryBundle,
    ScoreRow,
    SideEffect,
    SubjectRow,
    TreatmentRow,
)
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

PSEUDONYM_HEX_DIGITS = 16
#: The day every subject's onset falls on in :func:`dated_on_epoch`.
DEIDENTIFIED_EPOCH = dt.date(2000, 1, 1)
MIN_SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class DeidentifiedSubject:
    subject_id: str
    species: TargetSpecies
    onset_age_years: int | None
    sex: Sex
    breed: str
    sod1: Sod1Genotype | None
    onset_day: int = 0
    diagnosis_day: int | None = None
    onset_region: OnsetRegion | None = None
    diagnosis_method: DiagnosisMethod | None = None
    weight_kg: float | None = None
    reversal: ReversalStatus | None = None


@dataclass(frozen=True, slots=True)
class DeidentifiedTreatment:
    subject_id: str
    therapy: str
    start_day: int
    stop_day: int | None
    dose: float | None
    dose_unit: DoseUnit | None
    cost_per_month: float | None
    time_of_day: TimeOfDay | None = None
    source: CourseSource | None = None


@dataclass(frozen=True, slots=True)
class DeidentifiedEvaluation:
    subject_id: str
    therapy: str
    day: int
    efficacy: Efficacy
    side_effects: tuple[SideEffect, ...]
    course_start_day: int | None = None
    adherence: Adherence | None = None
    burden: Burden | None = None


@dataclass(frozen=True, slots=True)
class DeidentifiedScore:
    subject_id: str
    day: int
    scale: ScaleKey
    total: int | None
    items: tuple[tuple[str, ItemValue], ...] = ()


@dataclass(frozen=True, slots=True)
class DeidentifiedEvent:
    subject_id: str
    event: EventKind
    day: int


@dataclass(frozen=True, slots=True)
class DeidentifiedBundle:
    """A registry with pseudonymous ids and days since onset, sorted by pseudonym then day."""

    subjects: tuple[DeidentifiedSubject, ...]
    treatments: tuple[DeidentifiedTreatment, ...]
    evaluations: tuple[DeidentifiedEvaluation, ...]
    scores: tuple[DeidentifiedScore, ...]
    events: tuple[DeidentifiedEvent, ...]


def _salt_bytes(salt: bytes | str) -> bytes:
    key = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
    if len(key) < MIN_SALT_BYTES:
        raise ValueError(f"the salt must be at least {MIN_SALT_BYTES} bytes of secret")
    return key


def pseudonym(subject_id: str, salt: bytes | str) -> str:
    """The de-identified id of a subject: HMAC-SHA256(salt, id), first 16 hex digits."""
    digest = hmac.new(_salt_bytes(salt), subject_id.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_HEX_DIGITS]


def deidentify(bundle: RegistryBundle, salt: bytes | str) -> DeidentifiedBundle:
    """De-identify a registry bundle (see the module docstring for what changes).

    Rows naming a subject that is not in ``bundle.subjects`` are dropped: without an onset there
    is no day 0 (a bundle returned by ``read_registry_dir`` has none).

    Raises
    ------
    ValueError
        If the salt is shorter than 16 bytes, or (never seen in practice) two ids collide.
    """
    key = _salt_bytes(salt)
    onset: dict[str, dt.date] = {}
    ids: dict[str, str] = {}
    for s in bundle.subjects:
        onset[s.subject_id] = s.onset_date
        ids[s.subject_id] = pseudonym(s.subject_id, key)
    if len(set(ids.values())) != len(ids):
        raise ValueError("two subject ids share a pseudonym; use a different salt")

    def day(subject_id: str, when: dt.date) -> int:
        return (when - onset[subject_id]).days

    def maybe_day(subject_id: str, when: dt.date | None) -> int | None:
        return None if when is None else day(subject_id, when)

    subjects = [
        DeidentifiedSubject(
            subject_id=ids[s.subject_id],
            species=s.species,
            onset_age_years=None if s.birth_year is None else s.onset_date.year - s.birth_year,
            sex=s.sex,
            breed=redact(s.breed),
            sod1=s.sod1,
            diagnosis_day=maybe_day(s.subject_id, s.diagnosis_date),
            onset_region=s.onset_region,
            diagnosis_method=s.diagnosis_method,
            weight_kg=s.weight_kg,
            reversal=s.reversal,
        )
        for s in bundle.subjects
    ]
    treatments = [
        DeidentifiedTreatment(
            subject_id=ids[t.subject_id],
            therapy=redact(t.therapy),
            start_day=day(t.subject_id, t.start_date),
            stop_day=maybe_day(t.subject_id, t.stop_date),
            dose=t.dose,
            dose_unit=t.dose_unit,
            cost_per_month=t.cost_per_month,
            time_of_day=t.time_of_day,
            source=t.source,
        )
        for t in bundle.treatments
        if t.subject_id in ids
    ]
    evaluations = [
        DeidentifiedEvaluation(
            ids[e.subject_id],
            redact(e.therapy),
            day(e.subject_id, e.date),
            e.efficacy,
            tuple(SideEffect(redact(x.name), x.severity) for x in e.side_effects),
            maybe_day(e.subject_id, e.course_start),
            e.adherence,
            e.burden,
        )
        for e in bundle.evaluations
        if e.subject_id in ids
    ]
    scores = [
        DeidentifiedScore(ids[s.subject_id], day(s.subject_id, s.date), s.scale, s.total, s.items)
        for s in bundle.scores
        if s.subject_id in ids
    ]
    events = [
        DeidentifiedEvent(ids[e.subject_id], e.event, day(e.subject_id, e.date))
        for e in bundle.events
        if e.subject_id in ids
    ]
    return DeidentifiedBundle(
        subjects=tuple(sorted(subjects, key=lambda s: s.subject_id)),
        treatments=tuple(sorted(treatments, key=lambda t: (t.subject_id, t.start_day, repr(t)))),
        evaluations=tuple(sorted(evaluations, key=lambda e: (e.subject_id, e.day, repr(e)))),
        scores=tuple(sorted(scores, key=lambda s: (s.subject_id, s.day, s.scale, repr(s)))),
        events=tuple(sorted(events, key=lambda e: (e.subject_id, e.day, e.event))),
    )


def dated_on_epoch(bundle: DeidentifiedBundle) -> RegistryBundle:
    """A de-identified bundle as dated records, day 0 of every subject on the same epoch.

    Days become dates counted from :data:`DEIDENTIFIED_EPOCH`; the age at onset becomes a birth
    year counted back from the epoch's year. Ids stay pseudonyms. The result has the shape the
    validation rules and the analyses read, and carries nothing :func:`deidentify` removed.
    """
    epoch = DEIDENTIFIED_EPOCH

    def on(day: int) -> dt.date:
        return epoch + dt.timedelta(days=day)

    def maybe_on(day: int | None) -> dt.date | None:
        return None if day is None else on(day)

    return RegistryBundle(
        subjects=tuple(
            SubjectRow(
                s.subject_id,
                s.species,
                on(s.onset_day),
                None if s.onset_age_years is None else epoch.year - s.onset_age_years,
                s.sex,
                s.breed,
                s.sod1,
                diagnosis_date=maybe_on(s.diagnosis_day),
                onset_region=s.onset_region,
                diagnosis_method=s.diagnosis_method,
                weight_kg=s.weight_kg,
                reversal=s.reversal,
            )
            for s in bundle.subjects
        ),
        treatments=tuple(
            TreatmentRow(
                t.subject_id,
                t.therapy,
                on(t.start_day),
                maybe_on(t.stop_day),
                t.dose,
                t.dose_unit,
                t.cost_per_month,
                time_of_day=t.time_of_day,
                source=t.source,
            )
            for t in bundle.treatments
        ),
        evaluations=tuple(
            EvaluationRow(
                e.subject_id,
                e.therapy,
                on(e.day),
                e.efficacy,
                e.side_effects,
                course_start=maybe_on(e.course_start_day),
                adherence=e.adherence,
                burden=e.burden,
            )
            for e in bundle.evaluations
        ),
        scores=tuple(
            ScoreRow(s.subject_id, on(s.day), s.scale, s.total, s.items) for s in bundle.scores
        ),
        events=tuple(EventRow(e.subject_id, e.event, on(e.day)) for e in bundle.events),
    )
