"""The checks a clinician would make, missing values, labels and the progression panel, through
the services and the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from offlabel.web.registry import services
from offlabel.web.registry.models import ScoreRecord
from tests.web.registry.support import ALL_FOUR

D = dt.date


def url(name, subject, **kwargs):
    return reverse(f"registry:{name}", kwargs={"public_id": subject.public_id, **kwargs})


def test_overlapping_courses_of_one_therapy_are_refused_naming_both_dates(world, client_for):
    services.course_create(
        subject=world.dog, by=world.owner, therapy_text="LDN", start_date=D(2024, 3, 1)
    )
    response = client_for(world.owner).post(
        url("course_new", world.dog), {"therapy_text": "ldn", "start_date": "2024-05-01"}
    )
    [message] = response.context["form"].errors["start_date"]
    assert "start_date 2024-05-01" in message and "from 2024-03-01 is still running" in message


def test_a_course_after_euthanasia_is_refused(world, client_for):
    services.milestone_create(
        subject=world.dog, by=world.owner, event="euthanasia", date=D(2024, 9, 1)
    )
    response = client_for(world.owner).post(
        url("course_new", world.dog), {"therapy_text": "LDN", "start_date": "2024-10-01"}
    )
    assert "after the end of follow-up: euthanasia on 2024-09-01" in " ".join(
        response.context["form"].errors["start_date"]
    )


def test_dm_stage_1_with_gait_0_is_refused_on_the_gait_field(world, client_for):
    response = client_for(world.owner).post(
        url("score_new", world.dog), {"date": "2024-05-01", "stage": "1", "gait": "0"}
    )
    [message] = response.context["form"].errors["gait"]
    assert "Gait score 0 (hind legs paralysed) does not fit DM stage 1" in message
    assert not world.dog.scores.exists()  # neither of the two was saved


def test_a_stage_entered_later_is_checked_against_the_days_gait(world):
    services.score_create(
        subject=world.dog, by=world.owner, scale="dm_gait", date=D(2024, 5, 1), total=5
    )
    with pytest.raises(services.RecordProblems) as caught:
        services.score_create(
            subject=world.dog, by=world.owner, scale="dm_stage", date=D(2024, 5, 1), total=3
        )
    [problem] = caught.value.problems
    assert not problem.on_entry and "DM gait score of 2024-05-01" in problem.about


def test_an_implausible_alsfrs_r_rise_asks_for_confirmation_then_saves(world, client_for):
    low = {**ALL_FOUR, "8": 0, "9": 0}  # 40
    services.score_create(
        subject=world.person, by=world.patient, scale="alsfrs_r", date=D(2024, 1, 3), items=low
    )
    client = client_for(world.patient)
    data = {"date": "2024-01-20", **{f"item_{k}": v for k, v in ALL_FOUR.items()}}
    page = client.post(url("score_new", world.person), data).content.decode()
    assert "8 points above the total of 40 on 2024-01-03 (17 days earlier)" in page
    assert "I have checked these scores and confirm them" in page
    assert (
        client.post(url("score_new", world.person), {**data, "confirm_change": "on"}).status_code
        == 302
    )
    assert ScoreRecord.objects.get(date=D(2024, 1, 20)).confirmed


def test_not_done_is_not_zero_and_an_incomplete_assessment_has_no_total(world, client_for):
    client = client_for(world.patient)
    data = {"date": "2024-01-20", **{f"item_{k}": v for k, v in ALL_FOUR.items()}}
    data["item_10"] = "not_done"
    assert client.post(url("score_new", world.person), data).status_code == 302
    score = ScoreRecord.objects.get()
    assert score.total is None and score.items["10"] == "not_done"
    assert score.subscores == {"bulbar": 12, "limb": 24, "respiratory": None}
    page = client.get(world.person.get_absolute_url()).content.decode()
    assert "— (incomplete)" in page and "respiratory —" in page
    zero = {**data, "date": "2024-02-20", "item_10": "0"}
    assert client.post(url("score_new", world.person), zero).status_code == 302
    assert ScoreRecord.objects.get(date=D(2024, 2, 20)).total == 44


def test_an_unanswered_item_is_still_required(world, client_for):
    data = {"date": "2024-01-20", **{f"item_{k}": v for k, v in ALL_FOUR.items()}}
    del data["item_10"]
    response = client_for(world.patient).post(url("score_new", world.person), data)
    assert "missing" in " ".join(response.context["form"].errors["item_10"])


def test_the_own_export_carries_items_subscores_dosing_adherence_notes_and_diagnosis(
    world, client_for
):
    import io
    import zipfile

    course = services.course_create(
        subject=world.person,
        by=world.patient,
        therapy_text="LDN",
        start_date=D(2023, 8, 1),
        dose=4.5,
        dose_unit="mg",
        frequency="once a day",
        time_of_day="bedtime",
    )
    services.evaluation_create(
        course=course, by=world.patient, date=D(2023, 9, 1), efficacy="slight",
        adherence="mostly", notes='Slept badly, "vivid" dreams',
    )  # fmt: skip
    services.score_create(
        subject=world.person, by=world.patient, scale="alsfrs_r", date=D(2023, 9, 1),
        items={**ALL_FOUR, "3": "unknown"},
    )  # fmt: skip
    archive = zipfile.ZipFile(
        io.BytesIO(client_for(world.patient).get("/registry/export/csv/").content)
    )
    text = {name: archive.read(name).decode() for name in archive.namelist()}
    assert "2023-06-01" in text["subjects.csv"]  # the diagnosis date
    assert "once a day,bedtime" in text["treatments.csv"]
    assert 'mostly,,"Slept badly, ""vivid"" dreams"' in text["evaluations.csv"]
    assert ",unknown," in text["scores.csv"] and text["scores.csv"].rstrip().endswith(",,24,12")


def test_clinicians_see_the_label_and_the_owners_name_never_my_record(world, client_for):
    page = client_for(world.clinician).get("/registry/").content.decode()
    assert "Pat (patient)" in page and "shared by patient" in page
    assert re.search(r"My record(?!s)", page) is None
    record = client_for(world.clinician).get(world.person.get_absolute_url()).content.decode()
    assert "<h1>Pat (patient)</h1>" in record
    own = client_for(world.patient).get(world.person.get_absolute_url()).content.decode()
    assert "<h1>Pat</h1>" in own


def test_an_unlabelled_record_is_named_after_its_owner_for_others(world, client_for):
    services.subject_update(subject=world.person, by=world.patient, name="")
    page = client_for(world.clinician).get("/registry/").content.decode()
    assert "patient&#x27;s record" in page
    assert (
        "My record<"
        in client_for(world.patient).get(world.person.get_absolute_url()).content.decode()
    )


def test_the_owner_chooses_the_label_when_sharing(world, client_for):
    client_for(world.owner).post(
        url("access_invite", world.dog),
        {"email": world.stranger_vet.email, "scope": "view", "label": "Rexy"},
    )
    world.dog.refresh_from_db()
    assert world.dog.name == "Rexy"


def test_the_record_shows_slope_and_delta_fs_with_the_natural_history(world, client_for):
    for when, loss in ((D(2023, 7, 10), 4), (D(2023, 10, 10), 6), (D(2024, 1, 10), 9)):
        items = dict(ALL_FOUR)
        for key in list(items)[:loss]:
            items[key] = 3
        services.score_create(
            subject=world.person, by=world.patient, scale="alsfrs_r", date=when, items=items
        )
    page = client_for(world.patient).get(world.person.get_absolute_url()).content.decode()
    assert "ALSFRS-R slope" in page and "points per month" in page
    assert "ΔFS" in page and "(48 − 44) ÷ 5.9 = 0.67" in page
    assert "PRO-ACT" in page and "25%" in page
