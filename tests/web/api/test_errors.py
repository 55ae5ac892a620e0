"""Everything under /api/ answers errors as RFC 9457 problem details (never an HTML page),
pages lists, and answers conditional GETs."""

from __future__ import annotations

from typing import Any

import pytest

from offlabel.web.catalog.demo import LDN_ALS_SLUG
from tests.web.api.support import call

PROBLEM = "application/problem+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


def test_an_unknown_address_is_a_404_problem(db: Any, client: Any) -> None:
    body = _problem(client.get("/api/v1/no/such/thing"), 404)
    assert body["instance"] == "/api/v1/no/such/thing"
    _problem(client.get("/api/elsewhere"), 404)


def test_a_wrong_method_is_a_405_problem_naming_the_allowed_ones(db: Any, client: Any) -> None:
    response = client.delete("/api/v1/rubric")
    _problem(response, 405)
    assert "GET" in response["Allow"]


def test_a_malformed_query_is_a_422_problem_field_by_field(db: Any, client: Any) -> None:
    body = _problem(client.get("/api/v1/topics?page=first"), 422)
    assert list(body["errors"]) == ["page"]
    body = _problem(client.get("/api/v1/topics?per_page=1000"), 422)
    assert list(body["errors"]) == ["per_page"]


def test_a_malformed_body_is_a_422_problem(world: Any, client: Any) -> None:
    from tests.web.api.support import token_for

    token = token_for(world.owner)
    path = f"/api/v1/subjects/{world.dog.public_id}/milestones"
    response = client.post(
        path,
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (400, 422) and response["Content-Type"] == PROBLEM
    body = _problem(call(client, "POST", path, token, {"when": "2024-01-01"}), 422)
    assert "when" in body["errors"]  # an unknown field is named, not dropped


def test_an_error_in_a_view_is_a_500_problem_not_a_page(
    db: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import offlabel.evidence.rubric

    def broken() -> None:
        raise RuntimeError("the rubric file is gone")

    monkeypatch.setattr(offlabel.evidence.rubric, "default_rubric", broken)
    body = _problem(client.get("/api/v1/rubric"), 500)
    assert "rubric file" not in body["detail"]  # no internals in the answer


def test_a_get_has_an_etag_and_a_conditional_get_answers_304(db: Any, client: Any) -> None:
    first = client.get("/api/v1/rubric")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/api/v1/rubric", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/v1/rubric", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert "Authorization" in first["Vary"]


def test_the_etag_changes_with_the_content(demo_topics: Any, client: Any) -> None:
    from offlabel.web.catalog.models import Topic
    from offlabel.web.common.services import content_changed

    first = client.get(f"/api/v1/topics/{LDN_ALS_SLUG}")
    other = next(s for s in Topic.Status.values if s != first.json()["status"])
    Topic.objects.filter(slug=LDN_ALS_SLUG).update(status=other)
    content_changed(Topic)  # what a write outside the services and the model signals owes
    second = client.get(f"/api/v1/topics/{LDN_ALS_SLUG}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]


def _query(link: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(link).query))


def test_pages_link_their_neighbours(demo_topics: Any, client: Any) -> None:
    first = client.get("/api/v1/topics?per_page=1").json()
    assert first["count"] == len(demo_topics) >= 2
    assert first["previous"] is None and _query(first["next"]) == {"page": "2", "per_page": "1"}
    second = client.get(first["next"]).json()
    assert _query(second["previous"]) == {"page": "1", "per_page": "1"}
    assert second["items"][0]["slug"] != first["items"][0]["slug"]
    last = client.get(f"/api/v1/topics?per_page=1&page={first['count']}").json()
    assert last["next"] is None
    assert client.get("/api/v1/topics?page=99").json()["items"] == []


def test_the_reference_page_is_served_by_the_site(db: Any, client: Any) -> None:
    import re

    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(addresses) == 4 and all(a.startswith("/api/v1/docs/assets/") for a in addresses)
    for address in addresses:
        asset = client.get(address)
        assert asset.status_code == 200 and len(asset.content) > 1000, address
    assert client.get("/api/v1/docs/assets/redoc.standalone.js").status_code == 404
    assert '"validatorUrl": null' in html  # Swagger UI's online validator badge is off
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "offlabel API"


def test_answers_to_a_token_are_private(world: Any, client: Any) -> None:
    from tests.web.api.support import token_for

    mine = call(client, "GET", "/api/v1/subjects", token_for(world.owner))
    assert "private" in mine["Cache-Control"] and mine["ETag"]
    assert "private" not in client.get("/api/v1/rubric").get("Cache-Control", "")


def test_a_review_is_cached_until_the_content_changes(demo_site: None, client: Any) -> None:
    from offlabel.web.common.services import content_changed
    from offlabel.web.reviews.models import Review

    path = f"/api/v1/reviews/{LDN_ALS_SLUG}"
    before = client.get(path).json()["plain_summary"]["text"]
    Review.objects.filter(topic__slug=LDN_ALS_SLUG, status="published").update(
        plain_summary="Words changed outside the services."
    )
    content_changed(Review)  # what the model signals and every audit row do
    after = client.get(path).json()["plain_summary"]["text"]
    assert after == "Words changed outside the services." != before
