"""Topic pages are cached per content version and fresh after every registry write."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.registry_records import add_ldn_evaluations

pytestmark = pytest.mark.django_db


def test_a_registry_write_shows_on_the_topic_page_at_the_next_request(
    client: Any, world: Any, demo_topics: list[Any]
) -> None:
    topic = demo_topics[1]  # the DM topic: dogs
    first = client.get(topic.get_absolute_url())
    assert first.status_code == 200
    assert "tingling paws" not in first.content.decode()
    again = client.get(topic.get_absolute_url())
    assert again["ETag"] == first["ETag"]  # served from the cache
    add_ldn_evaluations(world, 6, "tingling paws", kind="dog")  # through the services
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
