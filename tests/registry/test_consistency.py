"""Cross-field checks a clinician would make, defined as data (definitions/consistency.toml)."""

import dataclasses
import datetime as dt

import pytest

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.consistency import load_consistency, parse_consistency
from offlabel.registry.problems import ProblemCode, ScaleDefinitionError
from offlabel.registry.records import EventRow, ScoreRow, SubjectRow, TreatmentRow
from offlabel.registry.validation import validate_records
from offlabel.registry.vocabulary import EventKind, ScaleKey, Sex, Sod1Genotype

TODAY = dt.date(2025, 6, 1)
D = dt.date
PERSON = SubjectRow("H1", TargetSpecies.HUMAN, D(2022, 3, 1), 1960, Sex.FEMALE)
DOG = SubjectRow("D1", TargetSpecies.DOG, D(2023, 1, 10), 2014, Sex.MALE, "", Sod1Genotype.AA)


def found(**tables):
    subjects = tables.pop("subjects", [PERSON, DOG])
    return [
        (p.table, p.index, p.problem.field, p.problem.code, p.problem.needs_confirmation)
        for p in validate_records(subjects=subjects, today=TODAY, **tables)
    ], [p.problem.message for p in validate_records(subjects=subjects, today=TODAY, **tables)]


def course(start, stop=None, therapy="LDN", sid="H1"):
    return TreatmentRow(sid, therapy, start, stop)


def test_overlapping_courses_of_one_therapy_are_refused_on_the_later_one():
    where, [message] = found(treatments=[course(D(2023, 1, 1)), course(D(2023, 3, 1))])
    assert where == [("treatments", 1, "start_date", ProblemCode.OVERLAP, False)]
    assert "start_date 2023-03-01" in message and "stop_date: none, still running" in message


def test_a_course_stopped_before_the_next_starts_is_fine_even_on_the_same_day():
    courses = [
        course(D(2023, 1, 1), D(2023, 3, 1)),
        course(D(2023, 3, 1)),
        course(D(2023, 2, 1), therapy="riluzole"),
    ]
    assert found(treatments=courses) == ([], [])


def test_overlap_is_case_insensitive_and_names_both_courses():
    courses = [course(D(2023, 1, 1), D(2023, 6, 1)), course(D(2023, 5, 1), therapy="ldn")]
    _, [message] = found(treatments=courses)
    assert "from 2023-01-01" in message and "its stop_date: 2023-06-01" in message


def test_a_course_starting_after_euthanasia_is_refused_naming_the_event():
    end = EventRow("D1", EventKind.EUTHANASIA, D(2024, 1, 1))
    where, [message] = found(treatments=[course(D(2024, 2, 1), sid="D1")], events=[end])
    assert where == [("treatments", 0, "start_date", ProblemCode.AFTER_END, False)]
    assert message == (
        "start_date 2024-02-01 is after the end of follow-up: euthanasia on 2024-01-01 "
        "(events.csv date)"
    )


def test_a_course_stopping_after_death_is_refused_but_not_one_heard_of_after_last_contact():
    death = EventRow("H1", EventKind.DEATH, D(2024, 1, 1))
    where, _ = found(treatments=[course(D(2023, 1, 1), D(2024, 2, 1))], events=[death])
    assert where == [("treatments", 0, "stop_date", ProblemCode.AFTER_END, False)]
    lost = EventRow("H1", EventKind.CENSORED, D(2024, 1, 1))
    assert found(treatments=[course(D(2024, 2, 1))], events=[lost]) == ([], [])


@pytest.mark.parametrize(
    ("stage", "gait", "fits"),
    [(1, 6, True), (1, 4, True), (1, 3, False), (1, 0, False), (2, 3, True), (2, 4, False),
     (4, 0, True), (3, 5, False)],
)  # fmt: skip
def test_dm_stage_and_gait_of_one_day_must_describe_the_same_dog(stage, gait, fits):
    day = D(2023, 6, 1)
    scores = [
        ScoreRow("D1", day, ScaleKey.DM_STAGE, stage),
        ScoreRow("D1", day, ScaleKey.DM_GAIT, gait),
    ]
    where, messages = found(scores=scores)
    if fits:
        assert where == []
    else:
        assert where == [("scores", 1, "total", ProblemCode.INCONSISTENT, False)]
        assert f"gait score {gait}" in messages[0] and f"DM stage {stage}" in messages[0]


def test_stage_1_with_gait_0_names_walking_and_paralysis():
    day = D(2023, 6, 1)
    scores = [ScoreRow("D1", day, ScaleKey.DM_GAIT, 0), ScoreRow("D1", day, ScaleKey.DM_STAGE, 1)]
    _, [message] = found(scores=scores)
    assert message.startswith("gait score 0 (hind legs paralysed) does not fit DM stage 1")
    assert "at stage 1 the gait score is 4–6" in message


def test_stage_and_gait_on_different_days_are_not_compared():
    scores = [
        ScoreRow("D1", D(2023, 6, 1), ScaleKey.DM_STAGE, 1),
        ScoreRow("D1", D(2023, 9, 1), ScaleKey.DM_GAIT, 0),
    ]
    assert found(scores=scores) == ([], [])


@pytest.mark.parametrize(
    ("first", "second", "days", "asks"),
    [(36, 44, 20, True), (36, 41, 20, False), (36, 44, 60, False), (44, 30, 25, True),
     (44, 33, 25, False)],
)  # fmt: skip
def test_a_large_alsfrs_r_change_within_a_month_asks_for_confirmation(first, second, days, asks):
    day = D(2023, 1, 3)
    scores = [
        ScoreRow("H1", day, ScaleKey.ALSFRS_R, first),
        ScoreRow("H1", day + dt.timedelta(days=days), ScaleKey.ALSFRS_R, second),
    ]
    where, messages = found(scores=scores)
    if asks:
        assert where == [("scores", 1, "total", ProblemCode.IMPLAUSIBLE_CHANGE, True)]
        assert f"of {first} on 2023-01-03 ({days} days earlier)" in messages[0]
    else:
        assert where == []


def test_a_malformed_definition_fails_loudly():
    text = (
        'course_overlap = {message = "{nonsense}", confirm = false}\n'
        'after_end = {message = "x", confirm = false}\n'
        'dm_stage_gait = {message = "x", confirm = false}\n'
        'alsfrs_r_change = {message = "x", confirm = true}\n'
    )
    with pytest.raises(ScaleDefinitionError, match="unknown placeholder"):
        parse_consistency(text)


def test_the_shipped_definition_covers_every_stage():
    rules = load_consistency()
    assert set(rules.gait_of_stage) == {1, 2, 3, 4}
    assert rules.alsfrs_change.confirm and not dataclasses.asdict(rules.course_overlap)["confirm"]
