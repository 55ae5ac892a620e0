"""Hypothesis strategies for registry records that pass every rule of the registry core.

:func:`registry_bundles` draws whole :class:`~offlabel.registry.records.RegistryBundle` s with
every field the layout carries (items with missing values, free text with quotes and line
breaks, sequential courses of one therapy, a DM stage and gait that fit, milestones before the
end of follow-up), so round-trip tests cover everything a person can enter. Values that only
need confirmation (an unusual dose, a large ALSFRS-R change) may appear: read them back with
``confirm_implausible=True``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    RegistryBundle,
    ScoreRow,
    SideEffect,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.scales import alsfrs_r_items, score_alsfrs_r
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

__all__ = ["TODAY", "free_text", "registry_bundles"]

#: The "today" the drawn records are valid on (every date lies before it).
TODAY = dt.date(2025, 6, 1)
FIRST_ONSET = dt.date(2018, 1, 1)
#: Every entry lies within this many days of onset; the end of follow-up comes later.
SPAN = 900
THERAPIES = ("low-dose naltrexone", "Riluzole", "curcumin")
ALSFRS_KEYS = ("1", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12")

_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "Zs", "Po", "Pd", "Ps", "Pe"),
    exclude_characters="@;:\x00",
)


def free_text(max_size: int, *, lines: bool = False) -> st.SearchStrategy[str]:
    """Text a person might type: letters, digits, punctuation, quotes (line breaks with
    ``lines``), stripped as the reader strips cells, never an e-mail address."""
    alphabet = st.one_of(_ALPHABET, st.sampled_from("\"',\n" if lines else "\"',"))
    return st.text(alphabet, max_size=max_size).map(str.strip)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _day(onset: dt.date, days: int) -> dt.date:
    return onset + dt.timedelta(days=days)


@st.composite
def _subject(draw: st.DrawFn, sid: str) -> SubjectRow:
    species = draw(st.sampled_from(TargetSpecies))
    dog = species is TargetSpecies.DOG
    onset = _day(FIRST_ONSET, draw(st.integers(0, 500)))
    sexes = list(Sex) if dog else [s for s in Sex if s.applies_to(TargetSpecies.HUMAN)]
    weights = st.floats(0.5, 120.0) if dog else st.floats(20.0, 300.0)
    return SubjectRow(
        sid,
        species,
        onset,
        draw(_maybe(st.integers(onset.year - (15 if dog else 80), onset.year))),
        draw(st.sampled_from(sexes)),
        draw(free_text(80)) if dog else "",
        draw(st.sampled_from(Sod1Genotype)) if dog else None,
        diagnosis_date=draw(_maybe(st.integers(0, 300).map(lambda d: _day(onset, d)))),
        onset_region=draw(_maybe(st.sampled_from(OnsetRegion))),
        diagnosis_method=draw(_maybe(st.sampled_from(DiagnosisMethod))),
        diagnosis_confirmed_by=draw(free_text(120)),
        weight_kg=draw(_maybe(weights)),
        consent_date=draw(_maybe(st.integers(0, SPAN).map(lambda d: _day(onset, d)))),
        consent_scope=draw(free_text(200)),
        reversal=draw(_maybe(st.sampled_from(ReversalStatus))),
    )


@st.composite
def _courses(draw: st.DrawFn, subject: SubjectRow) -> list[TreatmentRow]:
    """Up to two courses per therapy, one after the other (never overlapping)."""
    dog = subject.species is TargetSpecies.DOG
    out = []
    for therapy in draw(st.lists(st.sampled_from(THERAPIES), unique=True, max_size=2)):
        start = draw(st.integers(0, SPAN // 2))
        for _ in range(draw(st.integers(1, 2))):
            stop = draw(_maybe(st.integers(start, SPAN)))
            unit = draw(st.sampled_from(list(DoseUnit) if dog else [DoseUnit.MG]))
            dose = draw(_maybe(st.floats(0.01, 30.0)))
            out.append(
                TreatmentRow(
                    subject.subject_id,
                    therapy,
                    _day(subject.onset_date, start),
                    None if stop is None else _day(subject.onset_date, stop),
                    dose,
                    unit if dose is not None else None,
                    draw(_maybe(st.floats(0, 500, allow_subnormal=False))),
                    draw(free_text(60)),
                    draw(_maybe(st.sampled_from(TimeOfDay))),
                    draw(_maybe(st.sampled_from(CourseSource))),
                    draw(free_text(200)) if stop is not None else "",
                )
            )
            if stop is None or max(stop, start + 1) > SPAN:
                break
            start = draw(st.integers(max(stop, start + 1), SPAN))
    return out


@st.composite
def _evaluations(
    draw: st.DrawFn, subject: SubjectRow, courses: list[TreatmentRow]
) -> list[EvaluationRow]:
    out = []
    used: set[tuple[str, dt.date]] = set()
    for course in courses:
        for offset in draw(st.sets(st.integers(0, 200), max_size=2)):
            when = course.start_date + dt.timedelta(days=offset)
            if (course.therapy, when) in used:
                continue
            used.add((course.therapy, when))
            effects = draw(
                st.lists(
                    st.builds(
                        SideEffect,
                        free_text(80).filter(bool),
                        _maybe(st.sampled_from(Severity)),
                    ),
                    max_size=2,
                )
            )
            out.append(
                EvaluationRow(
                    subject.subject_id,
                    course.therapy,
                    when,
                    draw(st.sampled_from(Efficacy)),
                    tuple(effects),
                    course.start_date,
                    draw(_maybe(st.sampled_from(Adherence))),
                    draw(_maybe(st.sampled_from(Burden))),
                    draw(free_text(400, lines=True)),
                )
            )
    return out


@st.composite
def _alsfrs_items(draw: st.DrawFn) -> tuple[tuple[str, ItemValue], ...]:
    value = st.integers(0, 4) | st.sampled_from(ItemMissing)
    items: dict[str, ItemValue] = {key: draw(value) for key in ALSFRS_KEYS}
    items["5b" if draw(st.booleans()) else "5a"] = draw(value)
    return alsfrs_r_items(items)


@st.composite
def _scores(draw: st.DrawFn, subject: SubjectRow) -> list[ScoreRow]:
    out = []
    sid, onset = subject.subject_id, subject.onset_date
    for days in sorted(draw(st.sets(st.integers(0, SPAN), max_size=4))):
        when = _day(onset, days)
        if subject.species is TargetSpecies.HUMAN:
            if draw(st.booleans()):
                items = draw(_alsfrs_items())
                total = score_alsfrs_r(dict(items)).total
                out.append(ScoreRow(sid, when, ScaleKey.ALSFRS_R, total, items))
            else:
                out.append(ScoreRow(sid, when, ScaleKey.ALSFRS_R, draw(st.integers(0, 48))))
            continue
        walking = draw(st.booleans())
        stage = 1 if walking else draw(st.integers(2, 4))
        gait = draw(st.integers(4, 6) if walking else st.integers(0, 3))
        which = draw(st.sampled_from(("stage", "gait", "both")))
        if which != "gait":
            out.append(ScoreRow(sid, when, ScaleKey.DM_STAGE, stage))
        if which != "stage":
            out.append(ScoreRow(sid, when, ScaleKey.DM_GAIT, gait))
    return out


@st.composite
def _events(draw: st.DrawFn, subject: SubjectRow) -> list[EventRow]:
    dog = subject.species is TargetSpecies.DOG
    kinds = (
        [EventKind.NON_AMBULATORY, EventKind.THORACIC_LIMBS]
        if dog
        else [
            EventKind.NON_AMBULATORY,
            EventKind.GASTROSTOMY,
            EventKind.NIV,
            EventKind.TRACHEOSTOMY,
        ]
    )
    out = [
        EventRow(subject.subject_id, kind, _day(subject.onset_date, draw(st.integers(0, SPAN))))
        for kind in draw(st.lists(st.sampled_from(kinds), unique=True, max_size=3))
    ]
    if draw(st.booleans()):
        end = draw(
            st.sampled_from(
                [EventKind.EUTHANASIA, EventKind.DEATH, EventKind.CENSORED]
                if dog
                else [EventKind.DEATH, EventKind.CENSORED]
            )
        )
        when = _day(subject.onset_date, draw(st.integers(SPAN + 1, SPAN + 100)))
        out.append(EventRow(subject.subject_id, end, when))
    return out


@st.composite
def registry_bundles(draw: st.DrawFn, max_subjects: int = 4) -> RegistryBundle:
    """A bundle of 1 to ``max_subjects`` subjects that breaks no rule (valid on :data:`TODAY`)."""
    subjects: list[SubjectRow] = []
    treatments: list[TreatmentRow] = []
    evaluations: list[EvaluationRow] = []
    scores: list[ScoreRow] = []
    events: list[EventRow] = []
    for n in range(draw(st.integers(1, max_subjects))):
        subject = draw(_subject(f"S{n}"))
        courses = draw(_courses(subject))
        subjects.append(subject)
        treatments += courses
        evaluations += draw(_evaluations(subject, courses))
        scores += draw(_scores(subject))
        events += draw(_events(subject))
    return RegistryBundle(
        tuple(subjects), tuple(treatments), tuple(evaluations), tuple(scores), tuple(events)
    )
