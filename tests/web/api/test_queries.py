"""Query counts of the API's endpoints on the whole demo (pinned: a count that grows with the
data, or an N+1, fails here). Public endpoints are counted anonymous; record endpoints with a
token (its lookup and the last-used stamp are two of the queries)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from tests.web.api.support import call, token_for

PUBLIC = {
    "/api/v1/topics": 3,
    f"/api/v1/topics/{LDN_ALS_SLUG}": 1,
    f"/api/v1/topics/{LDN_DM_SLUG}/registry": 0,
    "/api/v1/reviews": 3,
    f"/api/v1/reviews/{LDN_ALS_SLUG}": 0,
    f"/api/v1/reviews/{LDN_ALS_SLUG}/versions": 1,
    f"/api/v1/reviews/{LDN_ALS_SLUG}/versions/1": 0,
    "/api/v1/rubric": 0,
    "/api/v1/literature?therapy=LDN&condition=ALS": 0,
    "/api/v1/fhir/Questionnaire/alsfrs-r": 0,
}
PRIVATE = {
    "/api/v1/me": 0,
    "/api/v1/subjects": 0,
    "/api/v1/subjects/{pid}": 0,
    "/api/v1/subjects/{pid}/fhir": 0,
}


def _count(client: Any, path: str, token: str | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call(client, "GET", path, token)
    assert response.status_code == 200, (path, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("path", list(PUBLIC))
def test_public_endpoint_query_counts_are_pinned(demo_site: None, client: Any, path: str) -> None:
    _count(client, path)  # the first call fills the caches (panels, content version)
    assert _count(client, path) == PUBLIC[path]


def test_record_endpoint_query_counts_are_pinned(demo_site: None, client: Any) -> None:
    from offlabel.web.accounts.models import User
    from offlabel.web.registry.models import Subject

    owner = User.objects.get(email="owner@offlabel.demo")
    token = token_for(owner)
    pid = Subject.objects.filter(owner=owner, courses__isnull=False).first().public_id
    counts = {}
    for template in PRIVATE:
        path = template.format(pid=pid)
        _count(client, path, token)
        counts[template] = _count(client, path, token)
    assert counts == PRIVATE
