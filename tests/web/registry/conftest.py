"""Registry fixtures: a person record for the world's patient, a dog for its owner."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

D = dt.date
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def person(world: Any) -> Any:
    from offlabel.web.registry import services

    return services.subject_create(
        by=world.patient,
        kind="person",
        sex="female",
        birth_year=1960,
        onset_date=D(2023, 1, 10),
        diagnosis_date=D(2023, 6, 1),
    )


@pytest.fixture
def dog(world: Any) -> Any:
    from offlabel.web.registry import services

    return services.subject_create(
        by=world.owner,
        kind="dog",
        name="Rex",
        breed="Boxer",
        sex="male_neutered",
        birth_year=2016,
        weight_kg=30.0,
        sod1="A/A",
        onset_date=D(2024, 2, 1),
    )


@pytest.fixture
def second_owner(db: Any) -> Any:
    from offlabel.web.accounts.models import User
    from offlabel.web.accounts.services import role_grant

    user = User.objects.create_user(
        email="owner2@example.org", password=PASSWORD, display_name="owner2"
    )
    role_grant(user=user, role="owner")
    return user
