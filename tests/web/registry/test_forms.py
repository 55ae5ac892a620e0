"""Every validation rule surfaces on the form field it concerns, through the view and its service
(the same service, and so the same messages, as a CSV import and an API call)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from offlabel.web.registry import services
from tests.support.accounts import make_user
from tests.web.registry.support import ALL_FOUR

TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def _items(**overrides):
    data = {f"item_{k}": str(v) for k, v in ALL_FOUR.items()}
    data.update({f"item_{k}": str(v) for k, v in overrides.items()})
    return {k: v for k, v in data.items() if v != "None"}


def errors(response, field):
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


def url(name, subject, **kwargs):
    return reverse(f"registry:{name}", kwargs={"public_id": subject.public_id, **kwargs})


@pytest.fixture
def newcomer(db):
    """A patient without a record of their own yet."""
    return make_user("new-patient@example.org", "patient")


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
def test_person_rules_surface_on_their_field(newcomer, client_for, data, field, words):
    response = client_for(newcomer).post(
        reverse("registry:subject_new", kwargs={"kind": "person"}), {"sex": "female", **data}
    )
    assert words in errors(response, field)
    assert not newcomer.registry_subjects.exists()


def test_dog_needs_a_sod1_genotype_and_a_sane_weight(world, client_for):
    response = client_for(world.owner).post(
        reverse("registry:subject_new", kwargs={"kind": "dog"}),
        {"sex": "female_spayed", "onset_date": "2024-01-01", "weight_kg": "300"},
    )
    assert "SOD1" in errors(response, "sod1")
    assert "weight" in errors(response, "weight_kg")


def test_breed_with_an_email_address_is_refused(world, client_for):
    response = client_for(world.owner).post(
        reverse("registry:subject_new", kwargs={"kind": "dog"}),
        {"sex": "male", "onset_date": "2024-01-01", "sod1": "A/A", "breed": "ask me@x.org"},
    )
    assert "e-mail" in errors(response, "breed")


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
        ({"reason_stopped": "nausea"}, "reason_stopped", "no stop_date"),
    ],
)
def test_course_rules_surface_on_their_field(world, person, client_for, data, field, words):
    base = {"therapy_text": "Low-dose naltrexone", "start_date": "2024-01-01"}
    response = client_for(world.patient).post(url("course_new", person), {**base, **data})
    assert words in errors(response, field)
    assert not person.courses.exists()


def test_implausible_dose_asks_for_confirmation_then_saves(world, person, client_for):
    client = client_for(world.patient)
    data = {"therapy_text": "LDN", "start_date": "2024-01-01", "dose": "45", "dose_unit": "mg"}
    page = client.post(url("course_new", person), data).content.decode()
    assert "I confirm this dose" in page and 'type="checkbox"' in page
    assert "outside the usual range" in page
    assert not person.courses.exists()
    response = client.post(url("course_new", person), {**data, "confirm_dose": "on"})
    assert response.status_code == 302
    course = person.courses.get()
    assert course.dose == 45 and course.dose_confirmed


def test_plausible_dose_needs_no_confirmation(world, person, client_for):
    data = {"therapy_text": "LDN", "start_date": "2024-01-01", "dose": "4.5", "dose_unit": "mg"}
    assert client_for(world.patient).post(url("course_new", person), data).status_code == 302
    assert not person.courses.get().dose_confirmed


def test_evaluation_rules(world, person, client_for):
    course = services.course_create(
        subject=person, by=world.patient, therapy_text="LDN", start_date=dt.date(2024, 1, 1)
    )
    client = client_for(world.patient)
    target = url("evaluation_new", person, pk=course.pk)
    response = client.post(target, {"date": "2023-12-01", "efficacy": "slight"})
    assert "before the course started" in errors(response, "date")
    response = client.post(
        target, {"date": "2024-03-01", "efficacy": "slight", "side_effect_1": "x@y.org"}
    )
    assert errors(response, "side_effect_1")
    response = client.post(
        target, {"date": "2024-03-01", "efficacy": "none", "side_effect_2": "rash; itch"}
    )
    assert errors(response, "side_effect_2")
    response = client.post(target, {"date": "2024-03-01", "efficacy": "bogus"})
    assert errors(response, "efficacy")
    response = client.post(target, {"date": "2024-03-01", "efficacy": "none", "notes": "a@b.org"})
    assert "e-mail" in errors(response, "notes")
    assert not course.evaluations.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"5a": None}, "item_5a", "missing"),
        ({"5b": 3}, "item_5b", "not both"),
        ({"7": None}, "item_7", "missing"),
    ],
)
def test_alsfrs_item_rules_surface_on_the_item(world, person, client_for, overrides, field, words):
    data = {"date": "2024-01-01", **_items(**overrides)}
    response = client_for(world.patient).post(url("score_new", person), data)
    assert words in errors(response, field)


def test_alsfrs_item_out_of_range_is_refused(world, person, client_for):
    data = {"date": "2024-01-01", **_items(**{"3": 7})}
    response = client_for(world.patient).post(url("score_new", person), data)
    assert errors(response, "item_3")


def test_alsfrs_total_must_match_its_items(world, person, client_for):
    data = {"date": "2024-01-01", "total": "40", **_items()}
    response = client_for(world.patient).post(url("score_new", person), data)
    assert "does not match" in errors(response, "total")


@pytest.mark.parametrize(
    ("date", "words"), [("2022-12-01", "before onset"), (TOMORROW, "in the future")]
)
def test_alsfrs_date_rules(world, person, client_for, date, words):
    response = client_for(world.patient).post(url("score_new", person), {"date": date, **_items()})
    assert words in errors(response, "date")


def test_score_before_birth_is_refused(world, client_for):
    patient = make_user("young@example.org", "patient")
    subject = services.subject_create(
        by=patient, kind="person", birth_year=2000, onset_date=dt.date(2001, 1, 1)
    )
    response = client_for(patient).post(
        url("score_new", subject), {"date": "1999-06-01", **_items()}
    )
    assert "year of birth" in errors(response, "date")


def test_no_score_after_death_or_twice_a_day(world, person, client_for):
    services.milestone_create(
        subject=person, by=world.patient, event="death", date=dt.date(2024, 1, 1)
    )
    client = client_for(world.patient)
    response = client.post(url("score_new", person), {"date": "2024-02-01", **_items()})
    assert "end of follow-up: death on 2024-01-01" in errors(response, "date")
    services.score_create(
        subject=person, by=world.patient, scale="alsfrs_r", date=dt.date(2023, 5, 1), items=ALL_FOUR
    )
    response = client.post(url("score_new", person), {"date": "2023-05-01", **_items()})
    assert "more than once" in errors(response, "date")


def test_alsfrs_form_shows_items_wording_and_saves_total_and_subscores(world, person, client_for):
    client = client_for(world.patient)
    page = client.get(url("score_new", person)).content.decode()
    assert "Speech" in page and "5a" in page and "5b" in page and "Speaks as before" in page
    assert "Not done" in page and "Unknown" in page
    response = client.post(
        url("score_new", person), {"date": "2024-01-01", **_items(**{"1": 2, "8": 3})}
    )
    assert response.status_code == 302
    score = person.scores.get()
    assert score.total == 45
    assert score.subscores == {"bulbar": 10, "limb": 23, "respiratory": 12}
    assert score.items["1"] == 2


def test_dog_score_form_has_stage_and_gait_wording_and_rules(world, dog, client_for):
    client = client_for(world.owner)
    page = client.get(url("score_new", dog)).content.decode()
    assert "Normal hind-leg gait" in page and "Tetraplegia" in page
    response = client.post(url("score_new", dog), {"date": "2024-05-01"})
    assert "Choose a stage, a gait score, or both" in str(
        response.context["form"].non_field_errors()
    )
    assert "before onset" in errors(
        client.post(url("score_new", dog), {"date": "2023-05-01", "gait": "4"}), "date"
    )
    assert errors(client.post(url("score_new", dog), {"date": "2024-05-01", "gait": "9"}), "gait")


def test_milestone_rules(world, person, dog, client_for):
    patient, owner = client_for(world.patient), None
    response = patient.post(
        url("milestone_new", person), {"event": "thoracic_limbs", "date": "2024-01-01"}
    )
    assert errors(response, "event")  # dogs only: not even offered
    owner = client_for(world.owner)
    response = owner.post(
        url("milestone_new", dog), {"event": "non_ambulatory", "date": "2024-01-01"}
    )
    assert "before onset" in errors(response, "date")
    services.milestone_create(
        subject=dog, by=world.owner, event="euthanasia", date=dt.date(2024, 9, 1)
    )
    response = owner.post(
        url("milestone_new", dog), {"event": "non_ambulatory", "date": "2024-10-01"}
    )
    assert "end of follow-up" in errors(response, "date")
    response = owner.post(url("milestone_new", dog), {"event": "death", "date": "2024-09-02"})
    assert "end of follow-up" in errors(response, "event").lower()


def test_bad_form_input_re_renders_with_the_message_and_saves_nothing(newcomer, client_for):
    client = client_for(newcomer)
    response = client.post(
        reverse("registry:subject_new", kwargs={"kind": "person"}),
        {"sex": "female", "onset_date": "2024-05-01", "diagnosis_date": "2024-01-01"},
    )
    assert response.status_code == 200
    assert "before onset" in response.content.decode()
    assert not newcomer.registry_subjects.exists()


def test_a_patient_has_exactly_one_own_record(world, person, client_for):
    target = reverse("registry:subject_new", kwargs={"kind": "person"})
    response = client_for(world.patient).get(target)
    assert response.status_code == 302 and person.public_id in response["Location"]
    # an owner cannot make a person record of their own
    assert (
        client_for(world.owner)
        .post(target, {"sex": "male", "onset_date": "2024-01-01"})
        .status_code
        == 403
    )
