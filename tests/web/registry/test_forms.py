"""Every validation rule surfaces on the form field it concerns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offlabel.web.registry import services
from offlabel.web.registry.forms import (
    AlsfrsForm,
    CourseForm,
    DmScoreForm,
    DogSubjectForm,
    EvaluationForm,
    MilestoneForm,
    PersonSubjectForm,
)
from tests.support.accounts import make_user
from tests.web.registry.support import ALL_FOUR

TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def _items(**overrides):
    data = {f"item_{k}": str(v) for k, v in ALL_FOUR.items()}
    data.update({f"item_{k}": str(v) for k, v in overrides.items()})
    return {k: v for k, v in data.items() if v != "None"}


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (
            {"onset_date": "2023-05-01", "diagnosis_date": "2023-01-01"},
            "diagnosis_date",
            "before onset",
        ),
        ({"onset_date": TOMORROW}, "onset_date", "in the future"),
        (
            {"onset_date": "2023-05-01", "diagnosis_date": TOMORROW},
            "diagnosis_date",
            "in the future",
        ),
        ({"onset_date": "2023-05-01", "birth_year": "1850"}, "birth_year", "too early"),
        (
            {"onset_date": "1990-05-01", "birth_year": "1995"},
            "onset_date",
            "before the year of birth",
        ),
    ],
)
def test_person_rules_surface_on_their_field(db, data, field, words):
    form = PersonSubjectForm({"sex": "female", **data})
    assert not form.is_valid()
    assert words in " ".join(form.errors[field])


def test_dog_needs_a_sod1_genotype_and_a_sane_weight(db):
    form = DogSubjectForm({"sex": "female_spayed", "onset_date": "2024-01-01", "weight_kg": "300"})
    assert not form.is_valid()
    assert "SOD1" in " ".join(form.errors["sod1"])
    assert "weight" in " ".join(form.errors["weight_kg"])


def test_breed_with_an_email_address_is_refused(db):
    form = DogSubjectForm(
        {"sex": "male", "onset_date": "2024-01-01", "sod1": "A/A", "breed": "ask me@x.org"}
    )
    assert not form.is_valid()
    assert "e-mail" in " ".join(form.errors["breed"])


def _course(subject, **data):
    base = {"therapy_text": "Low-dose naltrexone", "start_date": "2024-01-01"}
    return CourseForm({**base, **data}, subject=subject)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"stop_date": "2023-12-01"}, "stop_date", "before start"),
        ({"start_date": TOMORROW}, "start_date", "in the future"),
        ({"dose": "0.1", "dose_unit": "mg/kg"}, "dose_unit", "dogs only"),
        ({"dose": "4.5"}, "dose_unit", "unit"),
        ({"cost_per_month": "-3"}, "cost_per_month", "0 or more"),
        ({"therapy_text": "mail me at a@b.org"}, "therapy_text", "e-mail"),
        ({"therapy_text": ""}, "therapy", "required"),
    ],
)
def test_course_rules_surface_on_their_field(person, data, field, words):
    form = _course(person, **data)
    assert not form.is_valid()
    assert words in " ".join(form.errors[field]), form.errors


def test_implausible_dose_asks_for_confirmation_then_saves(world, person, client_for):
    client = client_for(world.patient)
    url = reverse("registry:course_new", kwargs={"public_id": person.public_id})
    data = {"therapy_text": "LDN", "start_date": "2024-01-01", "dose": "45", "dose_unit": "mg"}
    page = client.post(url, data).content.decode()
    assert "I confirm this dose" in page and 'type="checkbox"' in page
    assert "outside the usual range" in page
    assert not person.courses.exists()
    response = client.post(url, {**data, "confirm_dose": "on"})
    assert response.status_code == 302
    course = person.courses.get()
    assert course.dose == 45 and course.dose_confirmed


def test_plausible_dose_needs_no_confirmation(person):
    form = _course(person, dose="4.5", dose_unit="mg")
    assert form.is_valid(), form.errors
    assert not form.needs_confirmation


def test_evaluation_before_the_course_started_is_refused(world, person):
    course = services.course_create(
        subject=person, by=world.patient, therapy_text="LDN", start_date=dt.date(2024, 1, 1)
    )
    form = EvaluationForm({"date": "2023-12-01", "efficacy": "slight"}, course=course)
    assert not form.is_valid()
    assert "before the course started" in " ".join(form.errors["date"])
    form = EvaluationForm(
        {"date": "2024-03-01", "efficacy": "slight", "side_effect_1": "x@y.org"}, course=course
    )
    assert not form.is_valid()
    assert "side_effect_1" in form.errors
    form = EvaluationForm(
        {"date": "2024-03-01", "efficacy": "none", "side_effect_2": "rash; itch"}, course=course
    )
    assert not form.is_valid() and "side_effect_2" in form.errors
    form = EvaluationForm({"date": "2024-03-01", "efficacy": "bogus"}, course=course)
    assert not form.is_valid() and "efficacy" in form.errors


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"5a": None}, "item_5a", "missing"),
        ({"5b": 3}, "item_5b", "not both"),
        ({"7": None}, "item_7", "missing"),
    ],
)
def test_alsfrs_item_rules_surface_on_the_item(person, overrides, field, words):
    form = AlsfrsForm({"date": "2024-01-01", **_items(**overrides)}, subject=person)
    assert not form.is_valid()
    assert words in " ".join(form.errors[field])


def test_alsfrs_item_out_of_range_is_refused(person):
    form = AlsfrsForm({"date": "2024-01-01", **_items(**{"3": 7})}, subject=person)
    assert not form.is_valid() and "item_3" in form.errors


def test_alsfrs_total_must_match_its_items(person):
    form = AlsfrsForm({"date": "2024-01-01", "total": "40", **_items()}, subject=person)
    assert not form.is_valid()
    assert "does not match" in " ".join(form.errors["total"])


@pytest.mark.parametrize(
    ("date", "words"),
    [("2022-12-01", "before onset"), (TOMORROW, "in the future")],
)
def test_alsfrs_date_rules(person, date, words):
    form = AlsfrsForm({"date": date, **_items()}, subject=person)
    assert not form.is_valid()
    assert words in " ".join(form.errors["date"])


def test_score_before_birth_is_refused(world):
    patient = make_user("young@example.org", "patient")
    subject = services.subject_create(
        by=patient, kind="person", birth_year=2000, onset_date=dt.date(2001, 1, 1)
    )
    form = AlsfrsForm({"date": "1999-06-01", **_items()}, subject=subject)
    assert not form.is_valid()
    assert "year of birth" in " ".join(form.errors["date"])


def test_no_score_after_death_or_twice_a_day(world, person):
    services.milestone_create(
        subject=person, by=world.patient, event="death", date=dt.date(2024, 1, 1)
    )
    form = AlsfrsForm({"date": "2024-02-01", **_items()}, subject=person)
    assert not form.is_valid()
    assert "end of follow-up" in " ".join(form.errors["date"])
    services.score_create(
        subject=person, by=world.patient, scale="alsfrs_r", date=dt.date(2023, 5, 1), items=ALL_FOUR
    )
    form = AlsfrsForm({"date": "2023-05-01", **_items()}, subject=person)
    assert not form.is_valid() and "already recorded" in " ".join(form.errors["date"])


def test_alsfrs_form_shows_items_wording_and_saves_total_and_subscores(world, person, client_for):
    client = client_for(world.patient)
    url = reverse("registry:score_new", kwargs={"public_id": person.public_id})
    page = client.get(url).content.decode()
    assert "Speech" in page and "5a" in page and "5b" in page and "Speaks as before" in page
    response = client.post(url, {"date": "2024-01-01", **_items(**{"1": 2, "8": 3})})
    assert response.status_code == 302
    score = person.scores.get()
    assert score.total == 45
    assert score.subscores == {"bulbar": 10, "limb": 23, "respiratory": 12}
    assert score.items["1"] == 2


def test_dog_score_form_has_stage_and_gait_wording_and_rules(world, dog, client_for):
    page = (
        client_for(world.owner)
        .get(reverse("registry:score_new", kwargs={"public_id": dog.public_id}))
        .content.decode()
    )
    assert "Normal hind-leg gait" in page and "Tetraplegia" in page
    assert not DmScoreForm({"date": "2024-05-01"}, subject=dog).is_valid()
    form = DmScoreForm({"date": "2023-05-01", "gait": "4"}, subject=dog)
    assert not form.is_valid() and "before onset" in " ".join(form.errors["date"])
    form = DmScoreForm({"date": "2024-05-01", "gait": "9"}, subject=dog)
    assert not form.is_valid() and "gait" in form.errors


def test_milestone_rules(world, person, dog):
    form = MilestoneForm({"event": "thoracic_limbs", "date": "2024-01-01"}, subject=person)
    assert not form.is_valid() and "event" in form.errors  # dogs only
    form = MilestoneForm({"event": "non_ambulatory", "date": "2024-01-01"}, subject=dog)
    assert not form.is_valid() and "before onset" in " ".join(form.errors["date"])
    services.milestone_create(
        subject=dog, by=world.owner, event="euthanasia", date=dt.date(2024, 9, 1)
    )
    form = MilestoneForm({"event": "non_ambulatory", "date": "2024-10-01"}, subject=dog)
    assert not form.is_valid() and "end of follow-up" in " ".join(form.errors["date"])
    form = MilestoneForm({"event": "death", "date": "2024-09-02"}, subject=dog)
    assert not form.is_valid() and "end of follow-up" in " ".join(form.errors["event"])


def test_bad_form_input_re_renders_with_the_message_and_saves_nothing(world, client_for):
    patient = make_user("new-patient@example.org", "patient")  # no record of their own yet
    client = client_for(patient)
    url = reverse("registry:subject_new", kwargs={"kind": "person"})
    response = client.post(
        url, {"sex": "female", "onset_date": "2024-05-01", "diagnosis_date": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "before onset" in response.content.decode()
    assert not patient.registry_subjects.exists()


def test_a_patient_has_exactly_one_own_record(world, person, client_for):
    url = reverse("registry:subject_new", kwargs={"kind": "person"})
    response = client_for(world.patient).get(url)
    assert response.status_code == 302 and person.public_id in response["Location"]
    # an owner cannot make a person record of their own
    assert (
        client_for(world.owner).post(url, {"sex": "male", "onset_date": "2024-01-01"}).status_code
        == 403
    )
