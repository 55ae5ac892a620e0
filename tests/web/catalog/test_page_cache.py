"""Topic pages are cached per content version and fresh after every registry write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _dogs_rate_ldn(world: Any, n: int, side_effect: str) -> None:
    """``n`` dogs on LDN entered by the world's vet through the registry's services."""
    from offlabel.web.catalog.models import Therapy
    from offlabel.web.registry import services

    ldn = Therapy.objects.get(name="Low-dose naltrexone")
    for _ in range(n):
        dog = services.subject_create(
            by=world.vet,
            kind="dog",
            origin="case_history",
            onset_date=dt.date(2024, 1, 1),
            birth_year=2015,
            sod1="A/A",
        )
        course = services.course_create(
            subject=dog,
            by=world.vet,
            therapy=ldn,
            dose=1.0,
            dose_unit="mg",
            start_date=dt.date(2024, 3, 1),
        )
        services.evaluation_create(
            course=course,
            by=world.vet,
            side_effects=[(side_effect, "mild")],
            date=dt.date(2024, 6, 1),
            efficacy="slight",
        )


def test_a_registry_write_shows_on_the_topic_page_at_the_next_request(
    client: Any, world: Any, demo_topics: list[Any]
) -> None:
    topic = demo_topics[1]  # the DM topic: dogs
    first = client.get(topic.get_absolute_url())
    assert first.status_code == 200
    assert "tingling paws" not in first.content.decode()
    again = client.get(topic.get_absolute_url())
    assert again["ETag"] == first["ETag"]  # served from the cache
    _dogs_rate_ldn(world, 6, "tingling paws")  # through the registry's services
    after = client.get(topic.get_absolute_url())
    assert after["ETag"] != first["ETag"]
    assert "tingling paws" in after.content.decode()


def test_a_topic_page_with_no_registry_reports_is_cached_too(
    client: Any, demo_topics: list[Any], django_assert_num_queries: Any
) -> None:
    url = demo_topics[0].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
