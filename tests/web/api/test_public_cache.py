"""The public API's answers cached per content version, as the pages are: a tokenless read is
rendered once per version (then no query but the version, no validation, no serialisation) and
rendered afresh after any change ``content_changed`` records; a token's answers never go
through the cache."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from offlabel.web.common.caching import CACHE_ATTRIBUTE
from tests.web.api.support import call, token_for

REVIEW = f"/api/v1/reviews/{LDN_ALS_SLUG}"


def _get(client: Any, path: str, token: str | None = None) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = call(client, "GET", path, token)
    assert response.status_code == 200, response.content[:300]
    return response, len(queries)


def test_a_tokenless_review_is_rendered_once_per_content_version(
    demo_site: None, client: Any
) -> None:
    first, built = _get(client, REVIEW)
    again, queries = _get(client, REVIEW)
    assert getattr(first.wsgi_request, CACHE_ATTRIBUTE) == "miss"
    assert getattr(again.wsgi_request, CACHE_ATTRIBUTE) == "hit"
    assert queries == 1 < built  # the content version only: no review, no grades, no votes
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
    assert again["ETag"] == first["ETag"] and "Authorization" in again["Vary"]


def test_content_changed_makes_the_next_review_answer_fresh(demo_site: None, client: Any) -> None:
    from offlabel.web.common.services import content_changed
    from offlabel.web.reviews.models import Review

    first, _ = _get(client, REVIEW)
    Review.objects.filter(topic__slug=LDN_ALS_SLUG, status="published").update(
        plain_summary="Words changed outside the services."
    )
    cached, _ = _get(client, REVIEW)  # nothing recorded the change: the version still holds
    assert cached.content == first.content
    content_changed(Review)  # what the model signals and every service's audit row do
    fresh, _ = _get(client, REVIEW, None)
    assert getattr(fresh.wsgi_request, CACHE_ATTRIBUTE) == "miss"
    assert fresh.json()["plain_summary"]["text"] == "Words changed outside the services."
    assert fresh["ETag"] != first["ETag"]


def test_a_registry_write_shows_on_the_registry_endpoint_at_the_next_request(
    world: Any, demo_topics: Any, client: Any
) -> None:
    from tests.support.registry_records import add_ldn_evaluations

    path = f"/api/v1/topics/{LDN_DM_SLUG}/registry"
    before, _ = _get(client, path)
    _, queries = _get(client, path)
    assert queries == 1  # served from the cache
    add_ldn_evaluations(world, 6, "tingling paws", kind="dog")  # through the registry's services
    after, _ = _get(client, path)
    assert getattr(after.wsgi_request, CACHE_ATTRIBUTE) == "miss"
    assert "tingling paws" not in before.content.decode()
    assert "tingling paws" in after.content.decode()


def test_a_token_is_never_served_from_the_cache_nor_fills_it(world: Any, client: Any) -> None:
    path = "/api/v1/rubric"
    token = token_for(world.reviewer)
    mine, _ = _get(client, path, token)
    assert getattr(mine.wsgi_request, CACHE_ATTRIBUTE) == "bypass"
    first, _ = _get(client, path)
    assert getattr(first.wsgi_request, CACHE_ATTRIBUTE) == "miss"  # the token's left nothing
    assert getattr(_get(client, path)[0].wsgi_request, CACHE_ATTRIBUTE) == "hit"
    again, _ = _get(client, path, token)
    assert getattr(again.wsgi_request, CACHE_ATTRIBUTE) == "bypass"
    assert "private" in again["Cache-Control"]


def test_an_error_is_never_cached(db: Any, client: Any) -> None:
    path = "/api/v1/reviews/no-such-topic"
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 404
        assert getattr(response.wsgi_request, CACHE_ATTRIBUTE) == "miss"
