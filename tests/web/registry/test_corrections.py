"""Correction with provenance: every entry can be corrected (with a reason when late or not
one's own), deleted with a reason and restored for 30 days; the history shows before → after,
who, when and why; the owner hears of every change someone else makes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from offlabel.web.common.models import AuditEvent
from offlabel.web.network.models import Notification
from offlabel.web.registry import services
from offlabel.web.registry.models import Evaluation, ScoreRecord, TreatmentCourse
from tests.support.accounts import ROLES
from tests.web.registry.support import ALL_FOUR

D = dt.date


MAY_1 = D(2023, 5, 1)


def _score(world, by, when=MAY_1, **items):
    return services.score_create(
        subject=world.person, by=by, scale="alsfrs_r", date=when, items={**ALL_FOUR, **items}
    )


def _yesterday(entry):
    type(entry).all_objects.filter(pk=entry.pk).update(
        created=timezone.now() - dt.timedelta(days=1)
    )
    entry.refresh_from_db()
    return entry


def url(name, subject, **kwargs):
    return reverse(f"registry:{name}", kwargs={"public_id": subject.public_id, **kwargs})


# -- who may change what: tables over every role -----------------------------------------------

# The patient's own score on their record (shared with the clinician, who may add).
PATIENTS_ENTRY = {"patient": 200, "clinician": 403, "anonymous": 302}
# A score the clinician entered on the patient's record.
CLINICIANS_ENTRY = {"patient": 200, "clinician": 200, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["score_edit", "score_delete"])
def test_only_the_owner_corrects_or_deletes_the_owners_entry(world, client_for, role, page):
    score = _score(world, world.patient)
    response = client_for(world.by_name(role)).get(url(page, world.person, pk=score.pk))
    assert response.status_code == PATIENTS_ENTRY.get(role, 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["score_edit", "score_delete"])
def test_a_contributor_corrects_and_deletes_their_own_entries(world, client_for, role, page):
    score = _score(world, world.clinician)
    response = client_for(world.by_name(role)).get(url(page, world.person, pk=score.pk))
    assert response.status_code == CLINICIANS_ENTRY.get(role, 404)


DOG_OWNERS_ENTRY = {"owner": 200, "vet": 403, "care_vet": 403, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["course_edit", "course_delete"])
def test_vets_with_any_access_cannot_touch_the_owners_course(world, client_for, role, page):
    course = services.course_create(
        subject=world.dog, by=world.owner, therapy_text="LDN", start_date=D(2024, 3, 1)
    )
    response = client_for(world.by_name(role)).get(url(page, world.dog, pk=course.pk))
    assert response.status_code == DOG_OWNERS_ENTRY.get(role, 404)


def test_the_services_refuse_what_the_pages_do_not_offer(world):
    score = _score(world, world.patient)
    with pytest.raises(PermissionDenied):
        services.entry_delete(entry=score, by=world.clinician, reason="mine now")
    with pytest.raises(PermissionDenied):
        services.score_update(score=score, by=world.clinician, reason="x", total=40)
    with pytest.raises(PermissionDenied):
        services.course_create(
            subject=world.dog, by=world.vet, therapy_text="LDN", start_date=D(2024, 3, 1)
        )
    assert ScoreRecord.objects.get(pk=score.pk).total == 48


def test_the_record_page_offers_correct_and_delete_only_where_allowed(world, client_for):
    own = _score(world, world.clinician, D(2023, 6, 1))
    patients = _score(world, world.patient, D(2023, 3, 1))
    page = client_for(world.clinician).get(world.person.get_absolute_url()).content.decode()
    assert url("score_edit", world.person, pk=own.pk) in page
    assert url("score_delete", world.person, pk=own.pk) in page
    assert url("score_edit", world.person, pk=patients.pk) not in page
    assert url("score_delete", world.person, pk=patients.pk) not in page


# -- reasons -------------------------------------------------------------------------------------


def test_an_own_entry_is_corrected_the_same_day_without_a_reason(world):
    score = _score(world, world.patient)
    services.score_update(score=score, by=world.patient, items={**ALL_FOUR, "8": 2})
    assert ScoreRecord.objects.get(pk=score.pk).total == 46


def test_after_the_day_of_entry_a_correction_needs_a_reason(world, client_for):
    score = _yesterday(_score(world, world.patient))
    with pytest.raises(services.RecordProblems) as caught:
        services.score_update(score=score, by=world.patient, items={**ALL_FOUR, "8": 2})
    assert caught.value.problems[0].field == "reason"
    client = client_for(world.patient)
    data = {"date": "2023-05-01", **{f"item_{k}": v for k, v in ALL_FOUR.items()}, "item_8": "2"}
    response = client.post(url("score_edit", world.person, pk=score.pk), data)
    assert "kept in the record's history" in " ".join(response.context["form"].errors["reason"])
    response = client.post(
        url("score_edit", world.person, pk=score.pk), {**data, "reason": "Misread item 8"}
    )
    assert response.status_code == 302
    assert ScoreRecord.objects.get(pk=score.pk).total == 46


def test_the_owner_correcting_someone_elses_entry_gives_a_reason(world):
    score = _score(world, world.clinician)
    assert services.reason_needed(score, world.patient)
    assert not services.reason_needed(score, world.clinician)


def test_a_reason_longer_than_the_history_keeps_is_refused(world):
    score = _score(world, world.patient)
    with pytest.raises(services.RecordProblems, match="300 characters"):
        services.entry_delete(entry=score, by=world.patient, reason="x" * 301)


# -- the history ---------------------------------------------------------------------------------


def test_the_history_shows_before_after_who_when_and_why(world, client_for):
    score = _yesterday(_score(world, world.clinician))
    services.score_update(
        score=score, by=world.clinician, reason="Wrong visit", items={**ALL_FOUR, "8": 2}
    )
    event = AuditEvent.objects.get(object_id=str(score.pk), action="update")
    assert (event.actor, event.note) == (world.clinician, "Wrong visit")
    assert event.before["total"] == 48 and event.after["total"] == 46
    page = client_for(world.patient).get(world.person.get_absolute_url()).content.decode()
    assert "Total: 48 → 46" in page and "Wrong visit" in page and "clinician" in page


def test_every_kind_of_entry_can_be_corrected_through_its_page(world, client_for):
    client = client_for(world.owner)
    dog = world.dog
    course = services.course_create(
        subject=dog, by=world.owner, therapy_text="LDN", start_date=D(2024, 3, 1)
    )
    evaluation = services.evaluation_create(
        course=course, by=world.owner, date=D(2024, 4, 1), efficacy="none"
    )
    milestone = services.milestone_create(
        subject=dog, by=world.owner, event="non_ambulatory", date=D(2024, 9, 1)
    )
    gait = services.score_create(
        subject=dog, by=world.owner, scale="dm_gait", date=D(2024, 5, 1), total=5
    )
    posts = [
        (
            url("course_edit", dog, pk=course.pk),
            {"therapy_text": "LDN", "start_date": "2024-03-02"},
        ),
        (
            url("evaluation_edit", dog, pk=evaluation.pk),
            {"date": "2024-04-02", "efficacy": "slight", "side_effect_1": "sleepy"},
        ),
        (
            url("milestone_edit", dog, pk=milestone.pk),
            {"event": "non_ambulatory", "date": "2024-09-03"},
        ),
        (url("score_edit", dog, pk=gait.pk), {"date": "2024-05-01", "gait": "4"}),
        (
            url("subject_edit", dog),
            {"name": "Rex", "breed": "Boxer", "sex": "male_neutered", "sod1": "A/A",
             "onset_date": "2024-02-01", "birth_year": "2016", "weight_kg": "31"},
        ),
    ]  # fmt: skip
    for target, data in posts:
        assert client.get(target).status_code == 200
        response = client.post(target, data)
        assert response.status_code == 302, (target, response.context["form"].errors)
    assert TreatmentCourse.objects.get(pk=course.pk).start_date == D(2024, 3, 2)
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.efficacy == "slight" and evaluation.side_effects.get().name == "sleepy"
    assert ScoreRecord.objects.get(pk=gait.pk).total == 4
    dog.refresh_from_db()
    assert dog.weight_kg == 31
    assert AuditEvent.objects.filter(owner_key=dog.public_id, action="update").count() == 5


def test_moving_a_course_start_after_its_evaluations_is_refused_naming_the_evaluation(world):
    course = services.course_create(
        subject=world.dog, by=world.owner, therapy_text="LDN", start_date=D(2024, 3, 1)
    )
    services.evaluation_create(course=course, by=world.owner, date=D(2024, 4, 1), efficacy="none")
    with pytest.raises(services.RecordProblems) as caught:
        services.course_update(course=course, by=world.owner, start_date=D(2024, 5, 1))
    [problem] = caught.value.problems
    assert not problem.on_entry and problem.about.startswith("The evaluation of LDN on 2024-04-01")
    assert "before the course started (2024-05-01)" in problem.message


# -- owners are told -----------------------------------------------------------------------------


def test_the_owner_is_notified_of_every_change_someone_else_makes(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        score = _score(world, world.clinician)
        services.score_update(score=score, by=world.clinician, items={**ALL_FOUR, "1": 3})
        services.entry_delete(entry=score, by=world.clinician, reason="Duplicate of the clinic's")
        _score(world, world.patient, D(2023, 7, 1))  # the owner's own: no notification
    notes = Notification.objects.filter(recipient=world.patient, kind="record_changed")
    assert notes.count() == 3
    assert "Duplicate of the clinic's" in notes.order_by("-id").first().body
    assert all("clinician" in n.title and "Pat" in n.title for n in notes)
    assert len(mailoutbox) == 3 and all(m.to == [world.patient.email] for m in mailoutbox)


def test_an_owner_who_chose_no_email_sees_it_on_the_notifications_page_only(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from offlabel.web.network.services import notification_setting_update

    notification_setting_update(user=world.patient, email_frequency="off")
    with django_capture_on_commit_callbacks(execute=True):
        _score(world, world.clinician)
    assert mailoutbox == []
    page = client_for(world.patient).get(reverse("network:notifications")).content.decode()
    assert "clinician added the score ALSFRS-R 48 on 2023-05-01" in page


# -- deleting and restoring ---------------------------------------------------------------------


def test_delete_asks_why_then_keeps_the_entry_restorable(world, client_for):
    score = _score(world, world.patient)
    client = client_for(world.patient)
    target = url("score_delete", world.person, pk=score.pk)
    assert "Why delete it?" in client.get(target).content.decode()
    assert client.post(target, {}).status_code == 200  # no reason: asked again
    assert ScoreRecord.objects.filter(pk=score.pk).exists()
    assert client.post(target, {"reason": "Entered twice"}).status_code == 302
    assert not ScoreRecord.objects.filter(pk=score.pk).exists()
    page = client.get(world.person.get_absolute_url()).content.decode()
    assert "Recently deleted" in page and "Entered twice" in page
    client.post(url("score_restore", world.person, pk=score.pk))
    assert ScoreRecord.objects.filter(pk=score.pk).exists()
    assert AuditEvent.objects.filter(object_id=str(score.pk), note="Restored.").exists()


def test_a_course_takes_its_evaluations_with_it_and_brings_them_back(world):
    course = services.course_create(
        subject=world.dog, by=world.owner, therapy_text="LDN", start_date=D(2024, 3, 1)
    )
    evaluation = services.evaluation_create(
        course=course, by=world.owner, date=D(2024, 4, 1), efficacy="none"
    )
    services.entry_delete(entry=course, by=world.owner, reason="Wrong dog")
    assert not Evaluation.objects.filter(pk=evaluation.pk).exists()
    services.entry_restore(entry=TreatmentCourse.all_objects.get(pk=course.pk), by=world.owner)
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


def test_a_restore_that_would_break_a_rule_is_refused(world):
    score = _score(world, world.patient)
    services.entry_delete(entry=score, by=world.patient, reason="typo")
    _score(world, world.patient)  # entered again, the same day
    with pytest.raises(services.RecordProblems, match="more than once"):
        services.entry_restore(entry=ScoreRecord.all_objects.get(pk=score.pk), by=world.patient)


def test_after_30_days_a_deletion_is_purged_with_its_values(world):
    score = _score(world, world.patient)
    services.entry_delete(entry=score, by=world.patient, reason="typo")
    old = timezone.now() - dt.timedelta(days=31)
    ScoreRecord.all_objects.filter(pk=score.pk).update(deleted_at=old)
    with pytest.raises(PermissionDenied, match="30 days"):
        services.entry_restore(entry=ScoreRecord.all_objects.get(pk=score.pk), by=world.patient)
    assert services.registry_purge() == 1
    assert not ScoreRecord.all_objects.filter(pk=score.pk).exists()
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(ScoreRecord)
    for event in AuditEvent.objects.filter(content_type=kind, object_id=str(score.pk)):
        assert (
            event.before is None and event.after is None and event.object_repr == "(purged entry)"
        )


def test_the_purge_runs_through_the_task_queue(world):
    from offlabel.web.registry.tasks import purge_deleted

    score = _score(world, world.patient)
    services.entry_delete(entry=score, by=world.patient, reason="typo")
    ScoreRecord.all_objects.filter(pk=score.pk).update(
        deleted_at=timezone.now() - dt.timedelta(days=40)
    )
    assert purge_deleted.call_local() == 1


def test_a_dog_record_is_deleted_with_a_reason_and_restored_from_the_dashboard(world, client_for):
    client = client_for(world.owner)
    assert (
        client.post(url("subject_delete", world.dog), {"reason": "Entered twice"}).status_code
        == 302
    )
    assert client.get(world.dog.get_absolute_url()).status_code == 404
    assert client_for(world.vet).get(world.dog.get_absolute_url()).status_code == 404
    client = client_for(world.owner)
    assert "Recently deleted records" in client.get("/registry/").content.decode()
    client.post(url("subject_restore", world.dog))
    assert client.get(world.dog.get_absolute_url()).status_code == 200


def test_account_deletion_purges_deleted_records_at_once(world):
    services.subject_delete(subject=world.dog, by=world.owner, reason="test")
    from offlabel.web.registry.models import Subject

    assert (
        services.account_delete(user=world.owner, password="correct horse battery staple 42") == 0
    )
    assert not Subject.all_objects.filter(pk=world.dog.pk).exists()
