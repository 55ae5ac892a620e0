"""Possible reversals (flagged, told, checked, counted) and opt-in re-score reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from offlabel.registry.vocabulary import ReversalStatus
from offlabel.web.network.models import Notification
from offlabel.web.registry import services
from offlabel.web.registry.models import ReversalFlag, ScoreRecord, Subject
from tests.support.accounts import ROLES

D = dt.date


def _rising(world):
    scores = []
    for when, total in (
        (D(2023, 3, 1), 30),
        (D(2023, 7, 1), 35),
        (D(2024, 1, 5), 36),
        (D(2024, 8, 1), 35),
    ):
        scores.append(
            services.score_create(
                subject=world.person, by=world.patient, scale="alsfrs_r", date=when, total=total
            )
        )
    return scores


def test_a_lasting_rise_is_flagged_and_the_clinician_and_reviewers_are_told(world):
    _rising(world)
    flag = ReversalFlag.objects.get(subject=world.person)
    assert flag.status == ReversalStatus.CANDIDATE and flag.evidence["low"] == 30
    told = set(
        Notification.objects.filter(kind="reversal").values_list("recipient__email", flat=True)
    )
    assert told == {world.clinician.email, world.reviewer.email, world.editor.email}
    reviewer_note = Notification.objects.get(kind="reversal", recipient=world.reviewer)
    assert (
        world.person.public_id not in reviewer_note.title + reviewer_note.body + reviewer_note.url
    )


def test_no_flag_for_a_rise_that_does_not_last(world):
    for when, total in ((D(2023, 3, 1), 30), (D(2023, 7, 1), 35), (D(2023, 9, 1), 31)):
        services.score_create(
            subject=world.person, by=world.patient, scale="alsfrs_r", date=when, total=total
        )
    assert not ReversalFlag.objects.exists()


def test_an_unchecked_flag_goes_when_the_scores_no_longer_meet_it(world):
    scores = _rising(world)
    services.entry_delete(entry=scores[-1], by=world.patient, reason="wrong date")
    services.entry_delete(entry=scores[-2], by=world.patient, reason="wrong date")
    assert not ReversalFlag.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_records_clinician_or_an_editor_checks_it(world, client_for, role):
    _rising(world)
    target = reverse("registry:reversal_check", kwargs={"public_id": world.person.public_id})
    client_for(world.by_name(role)).post(
        target, {"verdict": "verified", "note": "Clinic notes agree"}
    )
    flag = ReversalFlag.objects.get()
    # only the clinician with access can reach the record; an editor checks through the service
    expected = ReversalStatus.VERIFIED if role == "clinician" else ReversalStatus.CANDIDATE
    assert flag.status == expected


def test_the_patient_cannot_verify_their_own_reversal_but_an_editor_can(world):
    _rising(world)
    flag = ReversalFlag.objects.get()
    with pytest.raises(PermissionDenied):
        services.reversal_check(flag=flag, by=world.patient, verified=True)
    services.reversal_check(flag=flag, by=world.editor, verified=False, note="No records")
    assert ReversalFlag.objects.get().status == ReversalStatus.NOT_CONFIRMED


def test_verified_cases_are_marked_in_the_counts_and_files_reviewers_see(world, client_for):
    _rising(world)
    services.reversal_check(flag=ReversalFlag.objects.get(), by=world.clinician, verified=True)
    client = client_for(world.reviewer)
    page = client.get(reverse("registry:deidentified")).content.decode()
    assert "1 possible reversal</a>, 1 verified against the clinical records" in page
    listing = client.get(reverse("registry:reversals")).content.decode()
    assert "1 flagged, 1 verified" in listing and "30 on day" in listing
    assert world.person.public_id not in listing and "Pat" not in listing
    import io
    import zipfile

    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("registry:deidentified_export")).content)
    )
    assert ",verified" in archive.read("subjects.csv").decode()


def test_the_owner_sees_the_flag_and_who_checked_it(world, client_for):
    _rising(world)
    services.reversal_check(
        flag=ReversalFlag.objects.get(), by=world.clinician, verified=True, note="Seen"
    )
    page = client_for(world.patient).get(world.person.get_absolute_url()).content.decode()
    assert "A possible reversal" in page and "checked by clinician" in page
    assert "Record what the records show" not in page


def test_a_dog_walking_again_is_flagged(world):
    for when, gait in ((D(2024, 3, 1), 3), (D(2024, 6, 1), 5)):
        services.score_create(
            subject=world.dog, by=world.owner, scale="dm_gait", date=when, total=gait
        )
    assert ReversalFlag.objects.get(subject=world.dog).evidence["scale"] == "dm_gait"


# -- reminders -----------------------------------------------------------------------------------


def test_a_reminder_is_opt_in_and_sent_when_due_through_the_task_queue(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from offlabel.web.registry.tasks import score_reminders

    services.score_create(
        subject=world.person, by=world.patient, scale="alsfrs_r", date=D(2024, 1, 1), total=40
    )
    assert services.reminders_send(today=D(2024, 6, 1)) == 0  # nobody asked
    client_for(world.patient).post(
        reverse("registry:reminder_set", kwargs={"public_id": world.person.public_id}),
        {"months": "3"},
    )
    assert Subject.objects.get(pk=world.person.pk).reminder_months == 3
    assert services.reminders_send(today=D(2024, 3, 15)) == 0  # not yet 3 months
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=D(2024, 4, 5)) == 1
    note = Notification.objects.get(kind="score_reminder")
    assert note.recipient == world.patient and "Pat" in note.title
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.patient.email]
    assert services.reminders_send(today=D(2024, 4, 6)) == 0  # not twice
    assert isinstance(score_reminders.call_local(), int)


def test_a_new_score_resets_the_reminder_clock(world):
    services.reminder_set(subject=world.person, by=world.patient, months=1)
    services.score_create(
        subject=world.person, by=world.patient, scale="alsfrs_r", date=D(2024, 5, 20), total=40
    )
    assert services.reminders_send(today=D(2024, 6, 5)) == 0
    assert services.reminders_send(today=D(2024, 6, 25)) == 1


def test_only_the_owner_sets_reminders(world):
    with pytest.raises(PermissionDenied):
        services.reminder_set(subject=world.person, by=world.clinician, months=3)
    with pytest.raises(ValueError, match="months"):
        services.reminder_set(subject=world.person, by=world.patient, months=5)
    assert ScoreRecord.objects.count() == 0
