"""The registry's validation rules, as pure functions returning :class:`Problem` lists.

The web forms and the bulk importer share these rules, so a record that a form refuses cannot
come in through a CSV file, and the other way round. Field names in problems are the CSV column
names (``onset_date``, ``dose``, ``total`` …); ALSFRS-R items are ``item_1`` … ``item_12``,
``item_5a``, ``item_5b``.

The rules
---------
- dates: onset ≤ diagnosis ≤ today; no date in the future; course start ≤ stop;
- nothing (score, evaluation, event, treatment start) dated before the subject's birth year, and
  no score, evaluation or event before onset;
- nothing (score, event) dated after the end of follow-up (death, euthanasia, last contact);
- scales: total within the scale, scale and milestone belong to the subject's species, ALSFRS-R
  items 0–4 with exactly one of 5a/5b and a total equal to their sum;
- doses: ``mg/kg`` only for dogs; a dose outside the plausible range for the species and unit
  (``scales/dose_ranges.toml``) gives a problem with ``needs_confirmation=True``: the form asks
  the user to confirm instead of rejecting it;
- vocabulary: efficacy, severity, sex (neutered/spayed only for dogs), SOD1 genotype (dogs only);
- privacy: free text (therapy, breed, side effects) never holds an e-mail address.

:func:`validate_records` runs every rule over whole tables, including the cross-record ones
(unknown subjects, duplicates, evaluations of a therapy the subject never took).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.doses import plausible_range
from offlabel.registry.problems import Problem, ProblemCode
from offlabel.registry.records import EvaluationRow, EventRow, ScoreRow, SubjectRow, TreatmentRow
from offlabel.registry.scales import alsfrs_r_problems, check_total, get_scale, load_milestones
from offlabel.registry.vocabulary import DoseUnit, EventKind, ScaleKey, Sex, Sod1Genotype

E = TypeVar("E", bound=StrEnum)

SUBJECT_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
"""Subject ids: 1–64 letters, digits, ``_``, ``.``, ``-``, starting with a letter or digit."""
EARLIEST_BIRTH_YEAR = 1900
MAX_DOG_AGE_YEARS = 30
_EMAIL = re.compile(r"[^\s@;:,<>]+@[^\s@;:,<>]+\.[A-Za-z]{2,}")


# -- single fields ---------------------------------------------------------------------------


def parse_choice(field: str, text: str, enum: type[E]) -> tuple[E | None, list[Problem]]:
    """Read a vocabulary value; the problem lists the allowed values."""
    try:
        return enum(text), []
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        return None, [Problem(field, f"{text!r} is not one of: {allowed}", ProblemCode.BAD_CHOICE)]


def check_efficacy(value: str, field: str = "efficacy") -> list[Problem]:
    """Efficacy must be one of the :class:`~offlabel.evidence.vocabulary.Efficacy` values."""
    return parse_choice(field, value, Efficacy)[1]


def check_severity(value: str, field: str = "severity") -> list[Problem]:
    """Severity must be one of the :class:`~offlabel.evidence.vocabulary.Severity` values."""
    return parse_choice(field, value, Severity)[1]


def check_subject_id(subject_id: str, field: str = "subject_id") -> list[Problem]:
    if SUBJECT_ID_PATTERN.fullmatch(subject_id):
        return []
    return [
        Problem(
            field,
            f"{subject_id!r} is not a valid subject id (1–64 letters, digits, '_', '.', '-')",
            ProblemCode.BAD_FORMAT,
        )
    ]


def check_free_text(field: str, text: str) -> list[Problem]:
    """Free text in registry files never holds an e-mail address."""
    if _EMAIL.search(text):
        return [
            Problem(
                field,
                "looks like it contains an e-mail address; registry data holds no contact details",
                ProblemCode.PERSONAL_DATA,
            )
        ]
    return []


def check_not_future(field: str, value: dt.date | None, today: dt.date) -> list[Problem]:
    """A clinical date cannot lie after today."""
    if value is not None and value > today:
        return [
            Problem(
                field,
                f"{value.isoformat()} is in the future (today is {today.isoformat()})",
                ProblemCode.FUTURE_DATE,
            )
        ]
    return []


def check_onset_diagnosis(
    onset: dt.date | None,
    diagnosis: dt.date | None,
    today: dt.date,
    *,
    onset_field: str = "onset_date",
    diagnosis_field: str = "diagnosis_date",
) -> list[Problem]:
    """Onset ≤ diagnosis ≤ today (either date may be unknown)."""
    problems = check_not_future(onset_field, onset, today)
    problems += check_not_future(diagnosis_field, diagnosis, today)
    if onset is not None and diagnosis is not None and diagnosis < onset:
        problems.append(
            Problem(
                diagnosis_field,
                f"diagnosis ({diagnosis.isoformat()}) is before onset ({onset.isoformat()})",
                ProblemCode.DATE_ORDER,
            )
        )
    return problems


def check_birth_year(
    birth_year: int | None, species: TargetSpecies, today: dt.date, field: str = "birth_year"
) -> list[Problem]:
    """Birth year not in the future, not before 1900, and a dog at most 30 years old."""
    if birth_year is None:
        return []
    earliest = EARLIEST_BIRTH_YEAR
    if species is TargetSpecies.DOG:
        earliest = max(earliest, today.year - MAX_DOG_AGE_YEARS)
    if birth_year > today.year:
        return [Problem(field, f"{birth_year} is in the future", ProblemCode.FUTURE_DATE)]
    if birth_year < earliest:
        return [
            Problem(
                field,
                f"{birth_year} is too early for a {species.value} (earliest {earliest})",
                ProblemCode.OUT_OF_RANGE,
            )
        ]
    return []


def check_course_dates(
    start: dt.date,
    stop: dt.date | None,
    today: dt.date,
    *,
    start_field: str = "start_date",
    stop_field: str = "stop_date",
) -> list[Problem]:
    """Start ≤ stop, and neither in the future (an ongoing course has no stop date)."""
    problems = check_not_future(start_field, start, today)
    problems += check_not_future(stop_field, stop, today)
    if stop is not None and stop < start:
        problems.append(
            Problem(
                stop_field,
                f"stop ({stop.isoformat()}) is before start ({start.isoformat()})",
                ProblemCode.DATE_ORDER,
            )
        )
    return problems


def check_not_before_birth(field: str, when: dt.date, birth_year: int | None) -> list[Problem]:
    """Nothing is dated before the subject's year of birth."""
    if birth_year is not None and when.year < birth_year:
        return [
            Problem(
                field,
                f"{when.isoformat()} is before the year of birth ({birth_year})",
                ProblemCode.BEFORE_BIRTH,
            )
        ]
    return []


def check_not_before_onset(field: str, when: dt.date, onset: dt.date | None) -> list[Problem]:
    """No score, evaluation or event is dated before onset."""
    if onset is not None and when < onset:
        return [
            Problem(
                field,
                f"{when.isoformat()} is before onset ({onset.isoformat()})",
                ProblemCode.BEFORE_ONSET,
            )
        ]
    return []


def check_not_after_end(field: str, when: dt.date, end: dt.date | None) -> list[Problem]:
    """Nothing is recorded after death, euthanasia or the last contact."""
    if end is not None and when > end:
        return [
            Problem(
                field,
                f"{when.isoformat()} is after the end of follow-up ({end.isoformat()})",
                ProblemCode.AFTER_END,
            )
        ]
    return []


def check_sex(sex: Sex, species: TargetSpecies, field: str = "sex") -> list[Problem]:
    if sex.applies_to(species):
        return []
    return [
        Problem(field, f"{sex.value!r} applies to dogs only", ProblemCode.WRONG_SPECIES),
    ]


def check_sod1(
    sod1: Sod1Genotype | None, species: TargetSpecies, field: str = "sod1"
) -> list[Problem]:
    """Dogs have a SOD1 genotype (``unknown`` allowed); people have none in the registry."""
    if species is TargetSpecies.DOG and sod1 is None:
        return [Problem(field, "a dog needs a SOD1 genotype (or 'unknown')", ProblemCode.REQUIRED)]
    if species is TargetSpecies.HUMAN and sod1 is not None:
        return [Problem(field, "SOD1 genotype is recorded for dogs only", ProblemCode.NOT_ALLOWED)]
    return []


def check_dose(
    species: TargetSpecies,
    dose: float | None,
    unit: DoseUnit | None,
    therapy: str = "*",
    *,
    dose_field: str = "dose",
    unit_field: str = "dose_unit",
) -> list[Problem]:
    """Dose and unit together, ``mg/kg`` for dogs only, and plausible for the species.

    An implausible dose gives a problem with ``needs_confirmation=True``.
    """
    if dose is None and unit is None:
        return []
    if dose is None:
        return [Problem(dose_field, "a unit is given without a dose", ProblemCode.REQUIRED)]
    if unit is None:
        return [Problem(unit_field, "a dose needs its unit (mg or mg/kg)", ProblemCode.REQUIRED)]
    if not math.isfinite(dose) or dose <= 0:
        return [Problem(dose_field, f"dose must be above 0, got {dose}", ProblemCode.OUT_OF_RANGE)]
    if unit is DoseUnit.MG_PER_KG and species is not TargetSpecies.DOG:
        return [
            Problem(
                unit_field,
                "mg/kg is for dogs only; give a person's dose in mg per day",
                ProblemCode.WRONG_SPECIES,
            )
        ]
    plausible = plausible_range(species, unit, therapy)
    if plausible is not None and not plausible.contains(dose):
        return [
            Problem(
                dose_field,
                f"{dose:g} {unit.value} per day is outside the usual range for a "
                f"{species.value} ({plausible.low:g}–{plausible.high:g} {unit.value}); "
                "please check and confirm",
                ProblemCode.IMPLAUSIBLE_DOSE,
                needs_confirmation=True,
            )
        ]
    return []


def check_score(
    scale: ScaleKey, total: int, species: TargetSpecies, field: str = "total"
) -> list[Problem]:
    """The scale belongs to the species and the total lies within it."""
    definition = get_scale(scale)
    if not definition.applies_to(species):
        return [
            Problem(
                "scale",
                f"{definition.name} is not recorded for a {species.value}",
                ProblemCode.WRONG_SPECIES,
            )
        ]
    return definition.total_problems(total, field)


def check_alsfrs_r(items: Mapping[str, int], total: int | None = None) -> list[Problem]:
    """ALSFRS-R items 0–4, exactly one of 5a/5b, and the total (if given) equal to their sum."""
    return alsfrs_r_problems(items) if total is None else check_total(items, total)


def check_event(event: EventKind, species: TargetSpecies, field: str = "event") -> list[Problem]:
    """The milestone applies to the species (e.g. euthanasia and thoracic limbs: dogs only)."""
    if load_milestones()[event].applies_to(species):
        return []
    return [
        Problem(
            field,
            f"{event.value!r} is not recorded for a {species.value}",
            ProblemCode.WRONG_SPECIES,
        )
    ]


# -- whole records ---------------------------------------------------------------------------


def validate_subject(
    subject: SubjectRow, *, today: dt.date, diagnosis_date: dt.date | None = None
) -> list[Problem]:
    """Every rule for one subject (``diagnosis_date`` is optional: the CSV layout has none)."""
    species = subject.species
    problems = check_subject_id(subject.subject_id)
    problems += check_birth_year(subject.birth_year, species, today)
    problems += check_onset_diagnosis(subject.onset_date, diagnosis_date, today)
    problems += check_not_before_birth("onset_date", subject.onset_date, subject.birth_year)
    problems += check_sex(subject.sex, species)
    problems += check_sod1(subject.sod1, species)
    if species is TargetSpecies.HUMAN and subject.breed:
        problems.append(
            Problem("breed", "breed is recorded for dogs only", ProblemCode.NOT_ALLOWED)
        )
    problems += check_free_text("breed", subject.breed)
    return problems


def validate_treatment(
    treatment: TreatmentRow, subject: SubjectRow, *, today: dt.date
) -> list[Problem]:
    """Every rule for one treatment course of ``subject``."""
    problems = []
    if not treatment.therapy:
        problems.append(Problem("therapy", "therapy is required", ProblemCode.REQUIRED))
    problems += check_free_text("therapy", treatment.therapy)
    problems += check_course_dates(treatment.start_date, treatment.stop_date, today)
    problems += check_not_before_birth("start_date", treatment.start_date, subject.birth_year)
    problems += check_dose(
        subject.species, treatment.dose, treatment.dose_unit, treatment.therapy or "*"
    )
    cost = treatment.cost_per_month
    if cost is not None and (not math.isfinite(cost) or cost < 0):
        problems.append(
            Problem(
                "cost_per_month", f"cost must be 0 or more, got {cost}", ProblemCode.OUT_OF_RANGE
            )
        )
    return problems


def validate_evaluation(
    evaluation: EvaluationRow,
    subject: SubjectRow,
    *,
    today: dt.date,
    courses: Sequence[TreatmentRow] | None = None,
) -> list[Problem]:
    """Every rule for one evaluation; with ``courses`` (the subject's), the therapy must be one
    of them and the evaluation must not precede its first start."""
    problems = check_not_future("date", evaluation.date, today)
    problems += check_not_before_birth("date", evaluation.date, subject.birth_year)
    problems += check_not_before_onset("date", evaluation.date, subject.onset_date)
    problems += check_free_text("therapy", evaluation.therapy)
    for effect in evaluation.side_effects:
        problems += check_free_text("side_effects", effect.name)
        if not effect.name.strip() or set(effect.name) & {";", ":"}:
            problems.append(
                Problem(
                    "side_effects",
                    f"side effect name {effect.name!r} must be non-empty, without ';' or ':'",
                    ProblemCode.BAD_FORMAT,
                )
            )
    if courses is not None:
        wanted = evaluation.therapy.casefold()
        starts = [c.start_date for c in courses if c.therapy.casefold() == wanted]
        if not starts:
            problems.append(
                Problem(
                    "therapy",
                    f"subject {subject.subject_id} has no treatment course of "
                    f"{evaluation.therapy!r}",
                    ProblemCode.UNKNOWN_REFERENCE,
                )
            )
        elif evaluation.date < min(starts):
            problems.append(
                Problem(
                    "date",
                    f"evaluation ({evaluation.date.isoformat()}) is before the course started "
                    f"({min(starts).isoformat()})",
                    ProblemCode.DATE_ORDER,
                )
            )
    return problems


def validate_score(
    score: ScoreRow,
    subject: SubjectRow,
    *,
    today: dt.date,
    follow_up_end: dt.date | None = None,
) -> list[Problem]:
    """Every rule for one progression score (``follow_up_end``: date of death/last contact)."""
    problems = check_not_future("date", score.date, today)
    problems += check_not_before_birth("date", score.date, subject.birth_year)
    problems += check_not_before_onset("date", score.date, subject.onset_date)
    problems += check_not_after_end("date", score.date, follow_up_end)
    problems += check_score(score.scale, score.total, subject.species)
    return problems


def validate_event(
    event: EventRow,
    subject: SubjectRow,
    *,
    today: dt.date,
    follow_up_end: dt.date | None = None,
) -> list[Problem]:
    """Every rule for one milestone."""
    problems = check_event(event.event, subject.species)
    problems += check_not_future("date", event.date, today)
    problems += check_not_before_birth("date", event.date, subject.birth_year)
    problems += check_not_before_onset("date", event.date, subject.onset_date)
    problems += check_not_after_end("date", event.date, follow_up_end)
    return problems


# -- whole tables ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LocatedProblem:
    """A problem with the ``index``-th record of a table (``subjects``, ``treatments`` …)."""

    table: str
    index: int
    problem: Problem


def follow_up_end(events: Sequence[EventRow]) -> dt.date | None:
    """Earliest date of death, euthanasia or last contact among one subject's events."""
    ends = [e.date for e in events if e.event.ends_follow_up]
    return min(ends) if ends else None


def validate_records(
    *,
    subjects: Sequence[SubjectRow],
    treatments: Sequence[TreatmentRow] = (),
    evaluations: Sequence[EvaluationRow] = (),
    scores: Sequence[ScoreRow] = (),
    events: Sequence[EventRow] = (),
    today: dt.date,
    check_courses: bool = True,
) -> list[LocatedProblem]:
    """Every rule over whole tables, including cross-record rules.

    Cross-record rules: subject ids unique; every row names a known subject; no repeated
    course (subject, therapy, start), score (subject, date, scale), evaluation (subject, therapy,
    date) or milestone (subject, event); at most one end of follow-up per subject; nothing after
    it; evaluations name a therapy the subject took and follow its start (skipped when
    ``check_courses`` is false, e.g. because some courses could not be read).
    """
    out: list[LocatedProblem] = []

    def add(table: str, index: int, problems: list[Problem]) -> None:
        out.extend(LocatedProblem(table, index, p) for p in problems)

    by_id: dict[str, SubjectRow] = {}
    for i, subject in enumerate(subjects):
        add("subjects", i, validate_subject(subject, today=today))
        if subject.subject_id in by_id:
            add("subjects", i, [_duplicate("subject_id", f"subject id {subject.subject_id!r}")])
        else:
            by_id[subject.subject_id] = subject

    courses: dict[str, list[TreatmentRow]] = defaultdict(list)
    for t in treatments:
        courses[t.subject_id].append(t)
    subject_events: dict[str, list[EventRow]] = defaultdict(list)
    for ev in events:
        subject_events[ev.subject_id].append(ev)
    ends = {sid: follow_up_end(evs) for sid, evs in subject_events.items()}

    def known(table: str, index: int, subject_id: str) -> SubjectRow | None:
        subject = by_id.get(subject_id)
        if subject is None:
            add(table, index, [_unknown_subject(subject_id)])
        return subject

    seen: set[tuple[object, ...]] = set()

    def once(table: str, index: int, key: tuple[object, ...], field: str, what: str) -> bool:
        if (table, *key) in seen:
            add(table, index, [_duplicate(field, what)])
            return False
        seen.add((table, *key))
        return True

    for i, t in enumerate(treatments):
        if (owner := known("treatments", i, t.subject_id)) is not None:
            add("treatments", i, validate_treatment(t, owner, today=today))
            once(
                "treatments",
                i,
                (t.subject_id, t.therapy.casefold(), t.start_date),
                "start_date",
                f"course of {t.therapy!r} starting {t.start_date.isoformat()}",
            )
    for i, e in enumerate(evaluations):
        if (owner := known("evaluations", i, e.subject_id)) is not None:
            add(
                "evaluations",
                i,
                validate_evaluation(
                    e,
                    owner,
                    today=today,
                    courses=courses.get(e.subject_id, []) if check_courses else None,
                ),
            )
            once(
                "evaluations",
                i,
                (e.subject_id, e.therapy.casefold(), e.date),
                "date",
                f"evaluation of {e.therapy!r} on {e.date.isoformat()}",
            )
    for i, s in enumerate(scores):
        if (owner := known("scores", i, s.subject_id)) is not None:
            add(
                "scores",
                i,
                validate_score(s, owner, today=today, follow_up_end=ends.get(s.subject_id)),
            )
            once(
                "scores",
                i,
                (s.subject_id, s.date, s.scale),
                "date",
                f"{s.scale.value} score on {s.date.isoformat()}",
            )
    for i, ev in enumerate(events):
        if (owner := known("events", i, ev.subject_id)) is not None:
            add(
                "events",
                i,
                validate_event(ev, owner, today=today, follow_up_end=ends.get(ev.subject_id)),
            )
            first = once(
                "events", i, (ev.subject_id, ev.event), "event", f"{ev.event.value} milestone"
            )
            if first and ev.event.ends_follow_up:
                once(
                    "events",
                    i,
                    (ev.subject_id, "end"),
                    "event",
                    "end of follow-up (death, euthanasia or lost to follow-up)",
                )
    return out


def _duplicate(field: str, what: str) -> Problem:
    return Problem(field, f"{what} appears more than once", ProblemCode.DUPLICATE)


def _unknown_subject(subject_id: str) -> Problem:
    return Problem(
        "subject_id",
        f"subject {subject_id!r} is not a known subject (subjects.csv)",
        ProblemCode.UNKNOWN_REFERENCE,
    )
