"""One test per registry validation rule (pure functions returning Problem lists)."""

import datetime as dt

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.registry.problems import ProblemCode
from offlabel.registry.records import (
    EvaluationRow,
    EventRow,
    ScoreRow,
    SideEffect,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.validation import (
    check_alsfrs_r,
    check_dose,
    check_efficacy,
    check_severity,
    validate_evaluation,
    validate_event,
    validate_records,
    validate_score,
    validate_subject,
    validate_treatment,
)
from offlabel.registry.vocabulary import DoseUnit, EventKind, ScaleKey, Sex, Sod1Genotype

TODAY = dt.date(2025, 6, 1)
PERSON = SubjectRow("H1", TargetSpecies.HUMAN, dt.date(2022, 3, 1), 1960, Sex.FEMALE)
DOG = SubjectRow(
    "D1", TargetSpecies.DOG, dt.date(2023, 1, 10), 2014, Sex.MALE_NEUTERED, "Boxer",
    Sod1Genotype.AA,
)  # fmt: skip
LDN = "low-dose naltrexone"


def codes(problems):
    return [(p.field, p.code) for p in problems]


def course(subject=PERSON, **changes):
    fields = {"start_date": dt.date(2022, 6, 1), "dose": 4.5, "dose_unit": DoseUnit.MG}
    return TreatmentRow(subject.subject_id, LDN, **(fields | changes))


# -- subjects --------------------------------------------------------------------------------


def test_valid_person_and_dog_have_no_problems():
    assert validate_subject(PERSON, today=TODAY, diagnosis_date=dt.date(2022, 9, 1)) == []
    assert validate_subject(DOG, today=TODAY) == []


def test_diagnosis_before_onset_is_a_date_order_problem():
    problems = validate_subject(PERSON, today=TODAY, diagnosis_date=dt.date(2022, 1, 1))
    assert codes(problems) == [("diagnosis_date", ProblemCode.DATE_ORDER)]


def test_diagnosis_after_today_is_a_future_date():
    problems = validate_subject(PERSON, today=TODAY, diagnosis_date=dt.date(2025, 6, 2))
    assert codes(problems) == [("diagnosis_date", ProblemCode.FUTURE_DATE)]


def test_onset_in_the_future_is_refused():
    subject = SubjectRow("H2", TargetSpecies.HUMAN, dt.date(2026, 1, 1))
    assert codes(validate_subject(subject, today=TODAY)) == [
        ("onset_date", ProblemCode.FUTURE_DATE)
    ]


def test_onset_before_birth_year_is_refused():
    subject = SubjectRow("H2", TargetSpecies.HUMAN, dt.date(1959, 5, 1), birth_year=1960)
    assert codes(validate_subject(subject, today=TODAY)) == [
        ("onset_date", ProblemCode.BEFORE_BIRTH)
    ]


def test_birth_year_in_the_future_is_refused():
    subject = SubjectRow("H2", TargetSpecies.HUMAN, dt.date(2024, 5, 1), birth_year=2026)
    assert ("birth_year", ProblemCode.FUTURE_DATE) in codes(validate_subject(subject, today=TODAY))


def test_dog_born_more_than_30_years_ago_is_out_of_range():
    dog = SubjectRow("D2", TargetSpecies.DOG, dt.date(2024, 1, 1), 1990, sod1=Sod1Genotype.UNKNOWN)
    assert codes(validate_subject(dog, today=TODAY)) == [("birth_year", ProblemCode.OUT_OF_RANGE)]


def test_neutered_and_spayed_apply_to_dogs_only():
    person = SubjectRow("H2", TargetSpecies.HUMAN, dt.date(2024, 1, 1), sex=Sex.FEMALE_SPAYED)
    assert codes(validate_subject(person, today=TODAY)) == [("sex", ProblemCode.WRONG_SPECIES)]


def test_dog_needs_a_sod1_genotype_even_if_unknown():
    dog = SubjectRow("D2", TargetSpecies.DOG, dt.date(2024, 1, 1))
    assert codes(validate_subject(dog, today=TODAY)) == [("sod1", ProblemCode.REQUIRED)]


def test_person_has_no_sod1_genotype_or_breed():
    person = SubjectRow(
        "H2", TargetSpecies.HUMAN, dt.date(2024, 1, 1), breed="Boxer", sod1=Sod1Genotype.NN
    )
    assert set(codes(validate_subject(person, today=TODAY))) == {
        ("breed", ProblemCode.NOT_ALLOWED),
        ("sod1", ProblemCode.NOT_ALLOWED),
    }


def test_malformed_subject_id_is_refused():
    subject = SubjectRow("H 1/x", TargetSpecies.HUMAN, dt.date(2024, 1, 1))
    assert codes(validate_subject(subject, today=TODAY)) == [("subject_id", ProblemCode.BAD_FORMAT)]


def test_email_address_in_free_text_is_refused():
    dog = SubjectRow(
        "D2", TargetSpecies.DOG, dt.date(2024, 1, 1), breed="ask jo@example.org",
        sod1=Sod1Genotype.UNKNOWN,
    )  # fmt: skip
    assert codes(validate_subject(dog, today=TODAY)) == [("breed", ProblemCode.PERSONAL_DATA)]


# -- treatments ------------------------------------------------------------------------------


def test_course_stopping_before_it_starts_is_refused():
    problems = validate_treatment(course(stop_date=dt.date(2022, 5, 1)), PERSON, today=TODAY)
    assert codes(problems) == [("stop_date", ProblemCode.DATE_ORDER)]


def test_course_starting_in_the_future_is_refused():
    problems = validate_treatment(course(start_date=dt.date(2025, 7, 1)), PERSON, today=TODAY)
    assert codes(problems) == [("start_date", ProblemCode.FUTURE_DATE)]


def test_course_starting_before_birth_year_is_refused():
    problems = validate_treatment(course(start_date=dt.date(1959, 1, 1)), PERSON, today=TODAY)
    assert codes(problems) == [("start_date", ProblemCode.BEFORE_BIRTH)]


def test_course_may_start_before_onset():
    assert validate_treatment(course(start_date=dt.date(2021, 1, 1)), PERSON, today=TODAY) == []


def test_mg_per_kg_is_for_dogs_only():
    problems = validate_treatment(
        course(dose=0.1, dose_unit=DoseUnit.MG_PER_KG), PERSON, today=TODAY
    )
    assert codes(problems) == [("dose_unit", ProblemCode.WRONG_SPECIES)]
    dog_course = course(DOG, start_date=dt.date(2023, 2, 1), dose=0.1, dose_unit=DoseUnit.MG_PER_KG)
    assert validate_treatment(dog_course, DOG, today=TODAY) == []


def test_implausible_human_dose_asks_for_confirmation():
    [problem] = validate_treatment(course(dose=45.0), PERSON, today=TODAY)
    assert problem.code is ProblemCode.IMPLAUSIBLE_DOSE
    assert problem.needs_confirmation is True
    assert "0.5–10 mg" in problem.message


def test_implausible_dog_dose_per_kg_asks_for_confirmation():
    [problem] = check_dose(TargetSpecies.DOG, 2.0, DoseUnit.MG_PER_KG, LDN)
    assert (problem.field, problem.needs_confirmation) == ("dose", True)


def test_plausible_dog_doses_in_mg_and_mg_per_kg_pass():
    assert check_dose(TargetSpecies.DOG, 3.0, DoseUnit.MG) == []
    assert check_dose(TargetSpecies.DOG, 0.05, DoseUnit.MG_PER_KG) == []


def test_implausible_dog_dose_in_mg_asks_for_confirmation():
    [problem] = check_dose(TargetSpecies.DOG, 50.0, DoseUnit.MG)
    assert problem.needs_confirmation


def test_dose_without_unit_and_unit_without_dose_are_incomplete():
    assert codes(check_dose(TargetSpecies.HUMAN, 4.5, None)) == [
        ("dose_unit", ProblemCode.REQUIRED)
    ]
    assert codes(check_dose(TargetSpecies.HUMAN, None, DoseUnit.MG)) == [
        ("dose", ProblemCode.REQUIRED)
    ]


def test_zero_dose_is_out_of_range_not_a_confirmation():
    [problem] = check_dose(TargetSpecies.HUMAN, 0.0, DoseUnit.MG)
    assert (problem.code, problem.needs_confirmation) == (ProblemCode.OUT_OF_RANGE, False)


def test_negative_cost_is_refused():
    problems = validate_treatment(course(cost_per_month=-3.0), PERSON, today=TODAY)
    assert codes(problems) == [("cost_per_month", ProblemCode.OUT_OF_RANGE)]


# -- evaluations -----------------------------------------------------------------------------


def evaluation(date=dt.date(2022, 9, 1), **changes):
    fields = {"efficacy": Efficacy.SLIGHT, "side_effects": (SideEffect("vivid dreams"),)}
    return EvaluationRow("H1", LDN, date, **(fields | changes))


def test_evaluation_before_onset_is_refused():
    problems = validate_evaluation(evaluation(dt.date(2022, 2, 1)), PERSON, today=TODAY)
    assert codes(problems) == [("date", ProblemCode.BEFORE_ONSET)]


def test_evaluation_in_the_future_is_refused():
    problems = validate_evaluation(evaluation(dt.date(2025, 6, 2)), PERSON, today=TODAY)
    assert codes(problems) == [("date", ProblemCode.FUTURE_DATE)]


def test_evaluation_of_a_therapy_the_subject_never_took_is_an_unknown_reference():
    other = TreatmentRow("H1", "riluzole", dt.date(2022, 4, 1))
    problems = validate_evaluation(evaluation(), PERSON, today=TODAY, courses=[other])
    assert codes(problems) == [("therapy", ProblemCode.UNKNOWN_REFERENCE)]


def test_evaluation_before_the_course_started_is_refused():
    problems = validate_evaluation(
        evaluation(dt.date(2022, 5, 1)), PERSON, today=TODAY, courses=[course()]
    )
    assert codes(problems) == [("date", ProblemCode.DATE_ORDER)]


def test_evaluation_matches_its_course_case_insensitively():
    upper = TreatmentRow("H1", LDN.upper(), dt.date(2022, 6, 1))
    assert validate_evaluation(evaluation(), PERSON, today=TODAY, courses=[upper]) == []


def test_side_effect_name_with_a_separator_is_refused():
    bad = evaluation(side_effects=(SideEffect("nausea;rash"),))
    problems = validate_evaluation(bad, PERSON, today=TODAY)
    assert codes(problems) == [("side_effects", ProblemCode.BAD_FORMAT)]


def test_efficacy_and_severity_must_be_in_the_vocabulary():
    assert check_efficacy("cant_tell") == []
    assert codes(check_efficacy("great")) == [("efficacy", ProblemCode.BAD_CHOICE)]
    assert check_severity("mild") == []
    [problem] = check_severity("awful")
    assert problem.code is ProblemCode.BAD_CHOICE
    assert "none, mild, moderate, severe" in problem.message


# -- scores and events -----------------------------------------------------------------------


def test_score_before_onset_is_refused():
    score = ScoreRow("H1", dt.date(2022, 2, 28), ScaleKey.ALSFRS_R, 40)
    assert codes(validate_score(score, PERSON, today=TODAY)) == [("date", ProblemCode.BEFORE_ONSET)]


def test_score_before_birth_year_is_refused():
    subject = SubjectRow("H3", TargetSpecies.HUMAN, dt.date(1958, 1, 1), birth_year=1960)
    score = ScoreRow("H3", dt.date(1959, 1, 1), ScaleKey.ALSFRS_R, 40)
    assert ("date", ProblemCode.BEFORE_BIRTH) in codes(validate_score(score, subject, today=TODAY))


def test_score_in_the_future_is_refused():
    score = ScoreRow("H1", dt.date(2025, 6, 2), ScaleKey.ALSFRS_R, 40)
    assert codes(validate_score(score, PERSON, today=TODAY)) == [("date", ProblemCode.FUTURE_DATE)]


def test_score_after_death_is_refused():
    score = ScoreRow("H1", dt.date(2024, 6, 2), ScaleKey.ALSFRS_R, 10)
    death = EventRow("H1", EventKind.DEATH, dt.date(2024, 6, 1))
    problems = validate_records(subjects=[PERSON], scores=[score], events=[death], today=TODAY)
    assert [(p.table, p.problem.field, p.problem.code) for p in problems] == [
        ("scores", "date", ProblemCode.AFTER_END)
    ]
    assert "after the end of follow-up: death on 2024-06-01" in problems[0].problem.message


def test_alsfrs_r_total_above_48_is_out_of_range():
    score = ScoreRow("H1", dt.date(2023, 1, 1), ScaleKey.ALSFRS_R, 49)
    assert codes(validate_score(score, PERSON, today=TODAY)) == [
        ("total", ProblemCode.OUT_OF_RANGE)
    ]


def test_dm_gait_score_above_6_is_out_of_range():
    score = ScoreRow("D1", dt.date(2023, 3, 1), ScaleKey.DM_GAIT, 7)
    assert codes(validate_score(score, DOG, today=TODAY)) == [("total", ProblemCode.OUT_OF_RANGE)]


def test_dm_stage_is_not_recorded_for_a_person():
    score = ScoreRow("H1", dt.date(2023, 1, 1), ScaleKey.DM_STAGE, 2)
    assert codes(validate_score(score, PERSON, today=TODAY)) == [
        ("scale", ProblemCode.WRONG_SPECIES)
    ]


def test_alsfrs_r_is_not_recorded_for_a_dog():
    score = ScoreRow("D1", dt.date(2023, 3, 1), ScaleKey.ALSFRS_R, 30)
    assert codes(validate_score(score, DOG, today=TODAY)) == [("scale", ProblemCode.WRONG_SPECIES)]


def test_alsfrs_r_items_out_of_range_and_inconsistent_total_are_reported():
    items = {str(n): 4 for n in range(1, 13) if n != 5} | {"5a": 4}
    assert check_alsfrs_r(items, 48) == []
    assert codes(check_alsfrs_r(items, 47)) == [("total", ProblemCode.TOTAL_MISMATCH)]
    assert codes(check_alsfrs_r(items | {"9": 6})) == [("item_9", ProblemCode.OUT_OF_RANGE)]


def test_euthanasia_milestone_is_for_dogs_only():
    event = EventRow("H1", EventKind.EUTHANASIA, dt.date(2024, 1, 1))
    assert codes(validate_event(event, PERSON, today=TODAY)) == [
        ("event", ProblemCode.WRONG_SPECIES)
    ]


def test_milestone_before_onset_is_refused():
    event = EventRow("D1", EventKind.NON_AMBULATORY, dt.date(2022, 12, 1))
    assert codes(validate_event(event, DOG, today=TODAY)) == [("date", ProblemCode.BEFORE_ONSET)]


def test_milestone_after_last_contact_is_refused():
    event = EventRow("D1", EventKind.THORACIC_LIMBS, dt.date(2024, 3, 1))
    lost = EventRow("D1", EventKind.CENSORED, dt.date(2024, 2, 1))
    problems = validate_records(subjects=[DOG], events=[event, lost], today=TODAY)
    assert [(p.index, p.problem.field, p.problem.code) for p in problems] == [
        (0, "date", ProblemCode.AFTER_END)
    ]


# -- whole tables ----------------------------------------------------------------------------


def located(results):
    return [(r.table, r.index, r.problem.field, r.problem.code) for r in results]


def test_duplicate_subject_id_is_reported_on_the_second_row():
    results = validate_records(subjects=[PERSON, PERSON], today=TODAY)
    assert located(results) == [("subjects", 1, "subject_id", ProblemCode.DUPLICATE)]


def test_row_naming_an_unknown_subject_is_reported():
    results = validate_records(
        subjects=[PERSON], scores=[ScoreRow("H9", dt.date(2023, 1, 1), ScaleKey.ALSFRS_R, 40)],
        today=TODAY,
    )  # fmt: skip
    assert located(results) == [("scores", 0, "subject_id", ProblemCode.UNKNOWN_REFERENCE)]


def test_two_scores_on_one_scale_and_date_are_duplicates():
    score = ScoreRow("H1", dt.date(2023, 1, 1), ScaleKey.ALSFRS_R, 40)
    results = validate_records(subjects=[PERSON], scores=[score, score], today=TODAY)
    assert located(results) == [("scores", 1, "date", ProblemCode.DUPLICATE)]


def test_a_subject_has_at_most_one_end_of_follow_up():
    events = [
        EventRow("D1", EventKind.DEATH, dt.date(2024, 2, 1)),
        EventRow("D1", EventKind.EUTHANASIA, dt.date(2024, 2, 1)),
    ]
    results = validate_records(subjects=[DOG], events=events, today=TODAY)
    assert located(results) == [("events", 1, "event", ProblemCode.DUPLICATE)]


def test_score_after_a_recorded_death_is_found_across_tables():
    results = validate_records(
        subjects=[PERSON],
        scores=[ScoreRow("H1", dt.date(2024, 3, 1), ScaleKey.ALSFRS_R, 12)],
        events=[EventRow("H1", EventKind.DEATH, dt.date(2024, 1, 1))],
        today=TODAY,
    )
    assert located(results) == [("scores", 0, "date", ProblemCode.AFTER_END)]


def test_evaluation_is_checked_against_the_subjects_courses_across_tables():
    results = validate_records(
        subjects=[PERSON], treatments=[course()], evaluations=[evaluation(dt.date(2022, 5, 1))],
        today=TODAY,
    )  # fmt: skip
    assert located(results) == [("evaluations", 0, "date", ProblemCode.DATE_ORDER)]
