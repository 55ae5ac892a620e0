"""A patient's or owner's own trajectory against the de-identified range of similar subjects."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_patient_sees_own_trajectory_against_the_range(
    client_for: Any, world: Any, registry: Any, patient_record: Any
) -> None:
    response = client_for(world.patient).get(f"/analytics/me/{patient_record.public_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="own-trajectory"' in html and 'id="band-0"' in html
    assert 'class="caveats"' in html
    assert "<td>44</td>" in html  # the own scores' table


@pytest.mark.parametrize("role", ["owner", "vet", "stranger_vet", "reviewer", "editor", "nobody"])
def test_anyone_else_gets_not_found(
    client_for: Any, world: Any, patient_record: Any, role: str
) -> None:
    response = client_for(world.by_name(role)).get(f"/analytics/me/{patient_record.public_id}/")
    assert response.status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client: Any, patient_record: Any) -> None:
    response = client.get(f"/analytics/me/{patient_record.public_id}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_record_is_not_found(client_for: Any, world: Any) -> None:
    assert client_for(world.patient).get("/analytics/me/s0000/").status_code == 404


def test_owner_sees_their_dog_against_other_dogs(
    client_for: Any, world: Any, registry: Any
) -> None:
    import datetime as dt

    from offlabel.web.registry import services

    dog = services.subject_create(
        by=world.owner,
        kind="dog",
        name="Rex",
        breed="Boxer",
        sod1="A/A",
        onset_date=dt.date(2024, 2, 1),
    )
    services.score_create(
        subject=dog, by=world.owner, scale="dm_gait", date=dt.date(2024, 5, 1), total=5
    )
    html = client_for(world.owner).get(f"/analytics/me/{dog.public_id}/").content.decode()
    assert 'id="own-trajectory"' in html and "dogs with DM" in html


def test_own_trajectory_without_enough_others_shows_no_band(
    client_for: Any, world: Any, patient_record: Any
) -> None:
    html = client_for(world.patient).get(f"/analytics/me/{patient_record.public_id}/")
    page = html.content.decode()
    assert 'id="own-trajectory"' in page and 'id="band-0"' not in page
