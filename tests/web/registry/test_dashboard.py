"""Dashboard, timeline plot, audit trail, own-data export and account deletion."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

from django.urls import reverse

from offlabel.web.accounts.models import User
from offlabel.web.common.models import AuditEvent
from offlabel.web.registry import services
from offlabel.web.registry.models import CareAccess, Subject
from tests.support.accounts import PASSWORD
from tests.web.registry.support import ALL_FOUR

D = dt.date


def _fill(world, person):
    course = services.course_create(
        subject=person,
        by=world.patient,
        therapy_text="LDN",
        start_date=D(2023, 8, 1),
        stop_date=D(2024, 2, 1),
        dose=4.5,
        dose_unit="mg",
    )
    services.evaluation_create(
        course=course,
        by=world.patient,
        date=D(2023, 11, 1),
        efficacy="slight",
        side_effects=[("vivid dreams", "mild")],
    )
    for when, drop in ((D(2023, 7, 1), "8"), (D(2023, 12, 1), "9")):
        items = dict(ALL_FOUR)
        items[drop] = 2
        services.score_create(
            subject=person, by=world.patient, scale="alsfrs_r", date=when, items=items
        )
    services.milestone_create(
        subject=person, by=world.patient, event="non_ambulatory", date=D(2024, 1, 5)
    )
    return course


def test_subject_page_has_an_svg_timeline_with_a_shaded_treatment_period(
    world, person, client_for, django_assert_max_num_queries
):
    _fill(world, person)
    client = client_for(world.patient)
    # session, user, consents, roles, subject, may-add, courses (+evaluations, side effects),
    # scores, milestones, four kinds of deleted entries, reversal, history, access list
    with django_assert_max_num_queries(18):
        page = client.get(person.get_absolute_url()).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None and 'role="img"' in svg.group(0)
    assert 'class="treatment-period"' in svg.group(0)
    assert "<path" in svg.group(0)  # drawn, not an empty box
    assert "<script" not in svg.group(0)
    # the accessible alternative: the same scores as a table, with the treatment they fell in
    assert "<caption>Scores</caption>" in page
    assert re.search(r"2023-12-01</td><td>ALSFRS-R</td><td>46</td>.*?LDN", page, re.S)
    assert "vivid dreams (mild)" in page and "No longer walks unaided" in page


def test_dashboard_lists_own_and_shared_records(world, dog, client_for):
    access = services.access_invite(
        subject=dog, by=world.owner, email=world.stranger_vet.email, scope="view"
    )
    services.access_accept(token=access.token, user=world.stranger_vet)
    assert "Rex" in client_for(world.owner).get(reverse("registry:dashboard")).content.decode()
    vet_page = client_for(world.stranger_vet).get(reverse("registry:dashboard")).content.decode()
    assert "Shared with you" in vet_page and "Rex" in vet_page


def test_every_change_is_audited_and_the_owner_sees_who_changed_it(world, dog, client_for):
    access = services.access_invite(
        subject=dog, by=world.owner, email=world.stranger_vet.email, scope="contribute"
    )
    services.access_accept(token=access.token, user=world.stranger_vet)
    score = services.score_create(
        subject=dog, by=world.stranger_vet, scale="dm_gait", date=D(2024, 4, 1), total=5
    )
    services.entry_delete(entry=score, by=world.stranger_vet, reason="Scored the wrong dog")
    services.subject_update(subject=dog, by=world.owner, breed="Boxer cross")
    events = AuditEvent.objects.filter(owner_key=dog.public_id)
    assert {(e.action, e.actor) for e in events} >= {
        ("create", world.owner),
        ("access", world.owner),
        ("access", world.stranger_vet),
        ("create", world.stranger_vet),
        ("delete", world.stranger_vet),
        ("update", world.owner),
    }
    update = events.get(action="update")
    assert update.before["breed"] == "Boxer" and update.after["breed"] == "Boxer cross"
    page = client_for(world.owner).get(dog.get_absolute_url()).content.decode()
    assert "History of this record" in page and world.stranger_vet.display_name in page
    assert "Scored the wrong dog" in page and "Breed: Boxer → Boxer cross" in page
    # the vet sees the entries' history, but not the sharing list nor who else was invited
    vet_page = client_for(world.stranger_vet).get(dog.get_absolute_url()).content.decode()
    assert "Scored the wrong dog" in vet_page
    assert "Who can see this record" not in vet_page and world.vet.email not in vet_page


def test_own_data_export_csv_and_json(world, person, client_for):
    _fill(world, person)
    client = client_for(world.patient)
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("registry:export_csv")).content))
    assert sorted(archive.namelist()) == [
        "evaluations.csv",
        "events.csv",
        "scores.csv",
        "subjects.csv",
        "treatments.csv",
    ]
    assert person.public_id in archive.read("scores.csv").decode()
    data = json.loads(client.get(reverse("registry:export_json")).content)
    [subject] = data["subjects"]
    assert subject["courses"][0]["evaluations"][0]["side_effects"][0]["name"] == "vivid dreams"
    assert len(subject["scores"]) == 2 and subject["scores"][0]["items"]["1"] == 4


def test_account_deletion_needs_the_password_and_removes_identifiable_data(world, dog, client_for):
    access = services.access_invite(
        subject=dog, by=world.owner, email=world.stranger_vet.email, scope="view"
    )
    services.access_accept(token=access.token, user=world.stranger_vet)
    client = client_for(world.owner)
    url = reverse("registry:account_delete")
    for wrong in ({"email": world.owner.email}, {"password": "not my password"}):
        refused = client.post(url, wrong)
        assert refused.status_code == 200 and "password" in refused.context["form"].errors
    assert Subject.objects.filter(pk=dog.pk).exists()
    owner_pk, public_id = world.owner.pk, dog.public_id
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=owner_pk).exists()
    assert not Subject.objects.filter(public_id=public_id).exists()
    assert not CareAccess.objects.filter(subject__public_id=public_id).exists()
    # audit rows remain but hold nothing identifiable
    for event in AuditEvent.objects.all():
        text = json.dumps([event.before, event.after, event.object_repr, event.note])
        assert "Rex" not in text and world.owner.email not in text
    assert AuditEvent.objects.filter(note__startswith="Account deleted").exists()
    assert client_for(world.stranger_vet).get(f"/registry/s/{public_id}/").status_code == 404


def test_case_history_by_a_vet_records_consent_and_is_clinician_entered(world, client_for):
    client = client_for(world.stranger_vet)
    response = client.post(
        reverse("registry:case_history_new", kwargs={"kind": "dog"}),
        {
            "name": "Patient 17",
            "sex": "female_spayed",
            "sod1": "A/A",
            "onset_date": "2024-01-01",
            "consent_date": "2024-02-01",
            "consent_scope": "Recording this case history",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subject = Subject.objects.get(owner=world.stranger_vet)
    assert subject.clinician_entered
    assert subject.consent_date == D(2024, 2, 1)
    page = client.get(subject.get_absolute_url()).content.decode()
    assert "case history entered by a clinician or vet" in page
    assert (
        client_for(world.owner)
        .get(reverse("registry:case_history_new", kwargs={"kind": "dog"}))
        .status_code
        == 403
    )
    bad = client_for(world.stranger_vet).post(
        reverse("registry:case_history_new", kwargs={"kind": "person"}),
        {"sex": "male", "onset_date": "2024-01-01", "consent_scope": "x"},
    )
    assert bad.status_code == 200 and "consent_date" in bad.context["form"].errors


def test_dog_timeline_plots_gait_and_stage_with_the_course_shaded(world, dog, client_for):
    services.course_create(
        subject=dog,
        by=world.owner,
        therapy_text="LDN",
        start_date=D(2024, 3, 1),
        dose=3,
        dose_unit="mg",
    )
    for when, gait, stage in ((D(2024, 2, 10), 5, 1), (D(2024, 6, 1), 3, 2)):
        services.score_create(subject=dog, by=world.owner, scale="dm_gait", date=when, total=gait)
        services.score_create(subject=dog, by=world.owner, scale="dm_stage", date=when, total=stage)
    page = client_for(world.owner).get(dog.get_absolute_url()).content.decode()
    assert page.count('class="treatment-period"') == 1
    assert "DM gait score" in page and "DM stage" in page


def test_editing_a_confirmed_dose_does_not_ask_again(world, dog, client_for):
    course = services.course_create(
        subject=dog,
        by=world.owner,
        therapy_text="LDN",
        start_date=D(2024, 3, 1),
        dose=50,
        dose_unit="mg",
        dose_confirmed=True,
    )
    url = reverse("registry:course_edit", kwargs={"public_id": dog.public_id, "pk": course.pk})
    client = client_for(world.owner)
    form_page = client.get(url).content.decode()
    assert 'name="confirm_dose" value="True"' in form_page
    response = client.post(
        url,
        {
            "therapy_text": "LDN",
            "start_date": "2024-03-01",
            "dose": "50",
            "dose_unit": "mg",
            "confirm_dose": "True",
            "frequency": "daily",
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.frequency == "daily"


def test_dashboard_query_count_is_bounded(world, dog, client_for, django_assert_max_num_queries):
    for i in range(5):
        services.subject_create(
            by=world.owner, kind="dog", name=f"Dog {i}", sod1="unknown", onset_date=D(2024, 1, 1)
        )
    client = client_for(world.owner)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("registry:dashboard")).content.decode()
    assert "Dog 4" in page and "Rex" in page


def test_timeline_survives_dollar_signs_and_markup_in_therapy_names(world, person, client_for):
    services.course_create(
        subject=person, by=world.patient, therapy_text="$5 pills <b>$x^$", start_date=D(2023, 8, 1)
    )
    page = client_for(world.patient).get(person.get_absolute_url()).content.decode()
    assert 'class="treatment-period"' in page
    assert "<b>" not in page  # escaped in the HTML, drawn as paths in the SVG
