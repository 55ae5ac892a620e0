"""Analytics fixtures: a small simulated registry imported through the registry's own path, a
published review of the ALS topic, and a person record for the world's patient."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

import pytest

LDN = "Low-dose naltrexone"


@pytest.fixture
def registry(demo_topics: list[Any]) -> Any:
    """About 120 people and 120 dogs, some on LDN (the demo's simulation, smaller)."""
    from offlabel.outcomes.simulate import simulate_registry
    from offlabel.registry.csv_write import write_registry_dir
    from offlabel.web.registry.services import registry_import

    frames = simulate_registry(n_people=160, n_dogs=120, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        write_registry_dir(frames.bundle, tmp)
        return registry_import(directory=tmp, by=None, confirm_implausible=True)


@pytest.fixture
def als_topic(demo_topics: list[Any]) -> Any:
    return demo_topics[0]


@pytest.fixture
def dm_topic(demo_topics: list[Any]) -> Any:
    return demo_topics[1]


@pytest.fixture
def published_review(als_topic: Any, world: Any) -> Any:
    from offlabel.web.reviews.models import Review

    return Review.objects.create(
        topic=als_topic,
        version=1,
        status=Review.Status.PUBLISHED,
        title="Low-dose naltrexone for ALS",
        cases="Fifteen people rated it.",
        risks="Vivid dreams were reported.",
        rubric_version="test",
        created_by=world.reviewer,
    )


@pytest.fixture
def patient_record(world: Any, demo_topics: list[Any]) -> Any:
    from offlabel.web.registry import services

    person = world.person
    for when, total in (
        (dt.date(2023, 6, 1), 44),
        (dt.date(2023, 10, 1), 41),
        (dt.date(2024, 2, 1), 39),
    ):
        services.score_create(
            subject=person, by=world.patient, scale="alsfrs_r", date=when, total=total
        )
    return person
