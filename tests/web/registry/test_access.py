"""Who sees which record: the access rules as tables over roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from offlabel.web.registry import selectors, services


def _url(subject):
    return reverse("registry:subject", kwargs={"public_id": subject.public_id})


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("owner", 200),
        ("vet", 200),  # invited by the owner (view only)
        ("patient", 404),
        ("clinician", 404),
        ("stranger_vet", 404),
        ("other_owner", 404),
        ("reviewer", 404),
        ("editor", 404),
        ("nobody", 404),
        ("pending_clinician", 404),
    ],
)
def test_only_the_owner_sees_a_dog_record(world, dog, client_for, role, status):
    response = client_for(world.by_name(role)).get(_url(dog))
    assert response.status_code == status
    if status == 200:
        assert "Rex" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("patient", 200),
        ("clinician", 200),  # invited by the patient
        ("owner", 404),
        ("vet", 404),
        ("reviewer", 404),
    ],
)
def test_only_the_patient_sees_their_own_record(world, person, client_for, role, status):
    assert client_for(world.by_name(role)).get(_url(person)).status_code == status


def test_visitor_is_sent_to_sign_in(world, dog, client_for):
    response = client_for(None).get(_url(dog))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_second_owner_gets_404_on_the_first_owners_dog_and_its_pages(dog, second_owner, client_for):
    client = client_for(second_owner)
    pid = dog.public_id
    for name in ("subject", "subject_edit", "course_new", "score_new", "milestone_new"):
        assert client.get(reverse(f"registry:{name}", kwargs={"public_id": pid})).status_code == 404
    assert (
        client.post(reverse("registry:subject_delete", kwargs={"public_id": pid})).status_code
        == 404
    )


def test_vet_sees_the_dog_only_while_consent_is_active(world, dog, client_for):
    client = client_for(world.stranger_vet)
    assert client.get(_url(dog)).status_code == 404
    access = services.access_invite(
        subject=dog, by=world.owner, email=world.stranger_vet.email, scope="view"
    )
    assert client.get(_url(dog)).status_code == 404  # invited, not accepted yet
    services.access_accept(token=access.token, user=world.stranger_vet)
    response = client.get(_url(dog))
    assert response.status_code == 200
    assert "Rex" in response.content.decode()
    # view-only consent: no adding
    assert (
        client.get(reverse("registry:score_new", kwargs={"public_id": dog.public_id})).status_code
        == 404
    )
    services.access_revoke(access=access, by=world.owner)
    assert client.get(_url(dog)).status_code == 404


def test_contribute_scope_lets_the_vet_add_scores(world, dog, client_for):
    access = services.access_invite(
        subject=dog, by=world.owner, email=world.stranger_vet.email, scope="contribute"
    )
    services.access_accept(token=access.token, user=world.stranger_vet)
    url = reverse("registry:score_new", kwargs={"public_id": dog.public_id})
    response = client_for(world.stranger_vet).post(url, {"date": "2024-05-01", "gait": "5"})
    assert response.status_code == 302
    assert dog.scores.get().entered_by == world.stranger_vet
    # but the vet cannot manage sharing
    edit = reverse("registry:subject_edit", kwargs={"public_id": dog.public_id})
    assert client_for(world.stranger_vet).get(edit).status_code == 404


def test_invitation_accepted_through_the_link(
    world, dog, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registry:access_invite", kwargs={"public_id": dog.public_id}),
            {"email": world.stranger_vet.email, "scope": "view"},
        )
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line)
    path = link[link.index("/registry/") :]
    vet = client_for(world.stranger_vet)
    assert "see and accept" in vet.get(reverse("registry:dashboard")).content.decode()
    assert vet.post(path).status_code == 302
    assert vet.get(_url(dog)).status_code == 200


def test_an_invitation_for_someone_else_is_404(world, dog, client_for):
    access = services.access_invite(
        subject=dog, by=world.owner, email="other@example.org", scope="view"
    )
    url = reverse("registry:invitation", kwargs={"token": access.token})
    assert client_for(world.stranger_vet).post(url).status_code == 404
    assert client_for(world.owner).get(url).status_code == 403  # not a clinician at all


def test_selector_is_the_gate(world, dog, person):
    assert list(selectors.subjects_visible_to(world.owner)) == [dog]
    assert list(selectors.subjects_visible_to(world.patient)) == [person]
    assert not selectors.subjects_visible_to(world.reviewer).exists()
    assert not selectors.subjects_visible_to(None).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("reviewer", 200), ("editor", 200), ("owner", 403), ("vet", 403), ("nobody", 403)],
)
def test_deidentified_page_is_for_reviewers(world, dog, person, client_for, role, status):
    response = client_for(world.by_name(role)).get(reverse("registry:deidentified"))
    assert response.status_code == status


def test_reviewer_sees_no_identifiable_detail(world, dog, person, client_for):
    import datetime as dt

    course = services.course_create(
        subject=dog, by=world.owner, therapy_text="LDN", start_date=dt.date(2024, 3, 2)
    )
    services.evaluation_create(
        course=course,
        by=world.owner,
        date=dt.date(2024, 4, 1),
        efficacy="cant_tell",
        side_effects=[("sleepiness", "mild")],
    )
    services.access_invite(
        subject=dog, by=world.owner, email=world.stranger_vet.email, scope="view"
    )
    client = client_for(world.reviewer)
    page = client.get(reverse("registry:deidentified")).content.decode()
    export = client.get(reverse("registry:deidentified_export")).content
    for secret in ("Rex", dog.public_id, person.public_id, world.owner.email, "2024-02-01"):
        assert secret not in page
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(export)) as archive:
        text = "".join(archive.read(n).decode() for n in archive.namelist())
    for secret in ("Rex", dog.public_id, person.public_id, world.owner.email, "2024-02-01"):
        assert secret not in text
    assert "onset_day" in text and "Boxer" in text
    assert "sleepiness:mild" in page and "Can&#x27;t tell" in page  # day 60 after onset
    assert "<td>60</td>" in page


def test_nav_shows_my_records_and_the_deidentified_registry_by_role(world, client_for):
    owner_page = client_for(world.owner).get("/").content.decode()
    assert "My records" in owner_page and "De-identified registry" not in owner_page
    reviewer_page = client_for(world.reviewer).get("/").content.decode()
    assert "De-identified registry" in reviewer_page and "My records" not in reviewer_page


def test_a_vet_whose_role_is_taken_away_loses_access(world, dog, client_for):
    from offlabel.web.accounts.models import RoleGrant

    access = services.access_invite(
        subject=dog, by=world.owner, email=world.stranger_vet.email, scope="view"
    )
    services.access_accept(token=access.token, user=world.stranger_vet)
    assert client_for(world.stranger_vet).get(_url(dog)).status_code == 200
    RoleGrant.objects.filter(user=world.stranger_vet).update(status=RoleGrant.Status.REFUSED)
    world.stranger_vet.__dict__.pop("_granted_roles", None)
    assert client_for(world.stranger_vet).get(_url(dog)).status_code == 404
