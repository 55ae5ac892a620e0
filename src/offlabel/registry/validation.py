"""The registry's validation rules, as pure functions returning :class:`Problem` lists.

The web forms, the web services and the bulk importer share these rules, so a record that a
form refuses cannot come in through a CSV file, and the other way round. Field names in problems
are the CSV column names (``onset_date``, ``dose``, ``total`` …); ALSFRS-R items are
``item_1`` … ``item_12``, ``item_5a``, ``item_5b``.

The rules
---------
- dates: onset ≤ diagnosis ≤ today; no date in the future; course start ≤ stop;
- nothing (score, evaluation, event, treatment start) dated before the subject's birth year, and
  no score, evaluation or event before onset;
- scales: total within the scale, scale and milestone belong to the subject's species, ALSFRS-R
  items 0–4 or not done/unknown, exactly one of 5a/5b, a total equal to their sum and no total
  when an item is missing;
- doses: ``mg/kg`` only for dogs; a dose outside the plausible range for the species and unit
  (``definitions/dose_ranges.toml``) gives a problem with ``needs_confirmation=True``: the form
  asks the user to confirm instead of rejecting it;
- vocabulary: efficacy, severity, sex (neutered/spayed only for dogs), SOD1 genotype (dogs only);
- free text: within its column's length, no NUL, never an e-mail address;
- across records (:func:`validate_records`): unknown subjects, duplicates, evaluations of a
  course the subject never took, and the checks of :mod:`offlabel.registry.consistency`
  (overlapping courses, entries after death or euthanasia, DM stage against gait, implausible
  ALSFRS-R changes).

The single-value rules live in :mod:`offlabel.registry.fields` and are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.consistency import (
    after_end_problems,
    alsfrs_change_problems,
    course_overlap_problems,
    stage_gait_problems,
)
from offlabel.registry.fields import (
    EARLIEST_BIRTH_YEAR,
    MAX_DOG_AGE_YEARS,
    SUBJECT_ID_PATTERN,
    check_alsfrs_r,
    check_birth_year,
    check_course_dates,
    check_dose,
    check_efficacy,
    check_event,
    check_free_text,
    check_not_after_end,
    check_not_before_birth,
    check_not_before_onset,
    check_not_future,
    check_onset_diagnosis,
    check_score,
    check_severity,
    check_sex,
    check_sod1,
    check_subject_id,
    check_text,
    check_weight,
    parse_choice,
)
from offlabel.registry.problems import Problem, ProblemCode
from offlabel.registry.records import EvaluationRow, EventRow, ScoreRow, SubjectRow, TreatmentRow
from offlabel.registry.scales import ScaleKind, check_total, get_scale

__all__ = [
    "EARLIEST_BIRTH_YEAR",
    "MAX_DOG_AGE_YEARS",
    "SUBJECT_ID_PATTERN",
    "LocatedProblem",
    "check_alsfrs_r",
    "check_birth_year",
    "check_course_dates",
    "check_dose",
    "check_efficacy",
    "check_event",
    "check_free_text",
    "check_not_after_end",
    "check_not_before_birth",
    "check_not_before_onset",
    "check_not_future",
    "check_onset_diagnosis",
    "check_score",
    "check_severity",
    "check_sex",
    "check_sod1",
    "check_subject_id",
    "check_text",
    "check_weight",
    "follow_up_end",
    "follow_up_end_event",
    "parse_choice",
    "validate_evaluation",
    "validate_event",
    "validate_records",
    "validate_score",
    "validate_subject",
    "validate_treatment",
]


# -- whole records ---------------------------------------------------------------------------


def validate_subject(
    subject: SubjectRow, *, today: dt.date, diagnosis_date: dt.date | None = None
) -> list[Problem]:
    """Every rule for one subject (``diagnosis_date`` overrides the row's, for old callers)."""
    species = subject.species
    diagnosis = diagnosis_date if diagnosis_date is not None else subject.diagnosis_date
    problems = check_subject_id(subject.subject_id)
    problems += check_birth_year(subject.birth_year, species, today)
    problems += check_onset_diagnosis(subject.onset_date, diagnosis, today)
    problems += check_not_before_birth("onset_date", subject.onset_date, subject.birth_year)
    problems += check_sex(subject.sex, species)
    problems += check_sod1(subject.sod1, species)
    if species is TargetSpecies.HUMAN and subject.breed:
        problems.append(
            Problem("breed", "breed is recorded for dogs only", ProblemCode.NOT_ALLOWED)
        )
    problems += check_text("breed", subject.breed)
    problems += check_text("diagnosis_confirmed_by", subject.diagnosis_confirmed_by)
    problems += check_weight(subject.weight_kg, species)
    problems += check_not_future("consent_date", subject.consent_date, today)
    problems += check_text("consent_scope", subject.consent_scope)
    return problems


def validate_treatment(
    treatment: TreatmentRow, subject: SubjectRow, *, today: dt.date
) -> list[Problem]:
    """Every rule for one treatment course of ``subject``."""
    problems = []
    if not treatment.therapy:
        problems.append(Problem("therapy", "therapy is required", ProblemCode.REQUIRED))
    problems += check_text("therapy", treatment.therapy)
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
    problems += check_text("frequency", treatment.frequency)
    problems += check_text("reason_stopped", treatment.reason_stopped)
    if treatment.reason_stopped and treatment.stop_date is None:
        problems.append(
            Problem(
                "reason_stopped",
                "a reason_stopped is given but the course has no stop_date (it is still "
                "running): give the stop_date, or leave the reason empty",
                ProblemCode.INCONSISTENT,
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
    of them (the course starting on ``course_start``, when given) and the evaluation must not
    precede its start."""
    problems = check_not_future("date", evaluation.date, today)
    problems += check_not_before_birth("date", evaluation.date, subject.birth_year)
    problems += check_not_before_onset("date", evaluation.date, subject.onset_date)
    problems += check_free_text("therapy", evaluation.therapy)
    problems += check_text("notes", evaluation.notes)
    for effect in evaluation.side_effects:
        problems += check_text("side_effects", effect.name)
        if not effect.name.strip() or set(effect.name) & {";", ":"}:
            problems.append(
                Problem(
                    "side_effects",
                    f"side effect name {effect.name!r} must be non-empty, without ';' or ':'",
                    ProblemCode.BAD_FORMAT,
                )
            )
    if courses is not None:
        problems += _course_of_evaluation(evaluation, subject, courses)
    return problems


def _course_of_evaluation(
    evaluation: EvaluationRow, subject: SubjectRow, courses: Sequence[TreatmentRow]
) -> list[Problem]:
    wanted = evaluation.therapy.casefold()
    starts = [c.start_date for c in courses if c.therapy.casefold() == wanted]
    if not starts:
        return [
            Problem(
                "therapy",
                f"subject {subject.subject_id} has no treatment course of {evaluation.therapy!r}",
                ProblemCode.UNKNOWN_REFERENCE,
            )
        ]
    start = evaluation.course_start
    if start is not None and start not in starts:
        return [
            Problem(
                "course_start",
                f"subject {subject.subject_id} has no course of {evaluation.therapy!r} "
                f"starting {start.isoformat()} (its courses start {_dates(starts)})",
                ProblemCode.UNKNOWN_REFERENCE,
            )
        ]
    first = start if start is not None else min(starts)
    if evaluation.date < first:
        return [
            Problem(
                "date",
                f"evaluation ({evaluation.date.isoformat()}) is before the course started "
                f"({first.isoformat()})",
                ProblemCode.DATE_ORDER,
            )
        ]
    return []


def _dates(dates: Sequence[dt.date]) -> str:
    return ", ".join(sorted(d.isoformat() for d in dates))


def validate_score(score: ScoreRow, subject: SubjectRow, *, today: dt.date) -> list[Problem]:
    """Every rule for one progression score (the end of follow-up is a rule across records)."""
    problems = check_not_future("date", score.date, today)
    problems += check_not_before_birth("date", score.date, subject.birth_year)
    problems += check_not_before_onset("date", score.date, subject.onset_date)
    scale = get_scale(score.scale)
    if not scale.applies_to(subject.species):
        return problems + check_score(score.scale, 0, subject.species)
    if scale.kind is ScaleKind.ITEM_SUM and score.items:
        return problems + check_total(score.item_map, score.total)
    if score.items:
        problems.append(
            Problem("scale", f"{scale.name} has no items to record", ProblemCode.NOT_ALLOWED)
        )
    if score.total is None:
        problems.append(Problem("total", "a total is required", ProblemCode.REQUIRED))
        return problems
    return problems + check_score(score.scale, score.total, subject.species)


def validate_event(event: EventRow, subject: SubjectRow, *, today: dt.date) -> list[Problem]:
    """Every rule for one milestone (the end of follow-up is a rule across records)."""
    problems = check_event(event.event, subject.species)
    problems += check_not_future("date", event.date, today)
    problems += check_not_before_birth("date", event.date, subject.birth_year)
    problems += check_not_before_onset("date", event.date, subject.onset_date)
    return problems


# -- whole tables ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LocatedProblem:
    """A problem with the ``index``-th record of a table (``subjects``, ``treatments`` …)."""

    table: str
    index: int
    problem: Problem


def follow_up_end_event(events: Sequence[EventRow]) -> EventRow | None:
    """The earliest death, euthanasia or last contact among one subject's events."""
    ends = [e for e in events if e.event.ends_follow_up]
    return min(ends, key=lambda e: (e.date, e.event.value)) if ends else None


def follow_up_end(events: Sequence[EventRow]) -> dt.date | None:
    """Earliest date of death, euthanasia or last contact among one subject's events."""
    end = follow_up_end_event(events)
    return None if end is None else end.date


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
    date) or milestone (subject, event); at most one end of follow-up per subject; evaluations
    name a course the subject took and follow its start (skipped when ``check_courses`` is
    false, e.g. because some courses could not be read); and the checks of
    :mod:`offlabel.registry.consistency`.
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

    courses: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(treatments):
        courses[t.subject_id].append(i)
    subject_events: dict[str, list[EventRow]] = defaultdict(list)
    for ev in events:
        subject_events[ev.subject_id].append(ev)
    subject_scores: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(scores):
        subject_scores[s.subject_id].append(i)

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
            end = subject_events.get(t.subject_id, [])
            add("treatments", i, validate_treatment(t, owner, today=today))
            add("treatments", i, after_end_problems("treatments", "start_date", t.start_date, end))
            add("treatments", i, after_end_problems("treatments", "stop_date", t.stop_date, end))
            once(
                "treatments",
                i,
                (t.subject_id, t.therapy.casefold(), t.start_date),
                "start_date",
                f"course of {t.therapy!r} starting {t.start_date.isoformat()}",
            )
    for sid, indices in courses.items():
        if sid in by_id:
            for j, problem in course_overlap_problems([treatments[i] for i in indices]):
                add("treatments", indices[j], [problem])
    for i, e in enumerate(evaluations):
        if (owner := known("evaluations", i, e.subject_id)) is not None:
            own = [treatments[j] for j in courses.get(e.subject_id, [])]
            add(
                "evaluations",
                i,
                validate_evaluation(e, owner, today=today, courses=own if check_courses else None),
            )
            add(
                "evaluations",
                i,
                after_end_problems(
                    "evaluations", "date", e.date, subject_events.get(e.subject_id, [])
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
            add("scores", i, validate_score(s, owner, today=today))
            add(
                "scores",
                i,
                after_end_problems("scores", "date", s.date, subject_events.get(s.subject_id, [])),
            )
            once(
                "scores",
                i,
                (s.subject_id, s.date, s.scale),
                "date",
                f"{s.scale.value} score on {s.date.isoformat()}",
            )
    for sid, indices in subject_scores.items():
        if sid in by_id:
            own_scores = [scores[i] for i in indices]
            for j, problem in stage_gait_problems(own_scores) + alsfrs_change_problems(own_scores):
                add("scores", indices[j], [problem])
    for i, ev in enumerate(events):
        if (owner := known("events", i, ev.subject_id)) is not None:
            add("events", i, validate_event(ev, owner, today=today))
            add(
                "events",
                i,
                after_end_problems(
                    "events", "date", ev.date, subject_events.get(ev.subject_id, [])
                ),
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
