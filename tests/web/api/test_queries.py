"""Query counts of the API's endpoints on the whole demo (pinned: a count that grows with the
data, or an N+1, fails here). Public endpoints are counted anonymous; record endpoints with a
token (its lookup and the last-used stamp are two of the queries)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from tests.web.api.support import call, token_for

#: Anonymous reads of content are answered from the cache after the first (the content version
#: is their one query); the literature index and the scales are not in the database at all.
PUBLIC = {
    "/api/v1/topics": 1,
    f"/api/v1/topics/{LDN_ALS_SLUG}": 1,
    f"/api/v1/topics/{LDN_DM_SLUG}/registry": 1,
    "/api/v1/reviews": 1,
    f"/api/v1/reviews/{LDN_ALS_SLUG}": 1,
    f"/api/v1/reviews/{LDN_ALS_SLUG}/versions": 1,
    f"/api/v1/reviews/{LDN_ALS_SLUG}/versions/1": 1,
    "/api/v1/rubric": 1,
    "/api/v1/literature?therapy=LDN&condition=ALS": 0,
    "/api/v1/fhir/Questionnaire/alsfrs-r": 0,
}
#: The same reads with a token: never from the cache, so rendered every time (what a cache miss
#: costs). The token's lookup is one of the queries; the reviews also ask the account's roles
#: (reviewers see drafts). ``/reviews/…`` builds its document once per content version (7
#: queries then) and reads it from the cache after.
RENDERED = {
    "/api/v1/topics": 3,  # the token, the page and its count
    f"/api/v1/topics/{LDN_ALS_SLUG}": 2,
    f"/api/v1/topics/{LDN_DM_SLUG}/registry": 3,  # the token, the topic, the registry's version
    "/api/v1/reviews": 4,  # the token, the page (with its grades) and its count
    # the token, its roles, the version with its grades and authors, the content version
    f"/api/v1/reviews/{LDN_ALS_SLUG}": 6,
    f"/api/v1/reviews/{LDN_ALS_SLUG}/versions": 3,
    f"/api/v1/reviews/{LDN_ALS_SLUG}/versions/1": 6,
    "/api/v1/rubric": 1,
}
PRIVATE = {
    "/api/v1/me": 2,  # the token with its account, the account's roles
    "/api/v1/subjects": 4,  # … the consents shared with it, the page, its count
    "/api/v1/subjects/{pid}": 8,  # … the record, its courses, evaluations, side effects,
    # scores, milestones
    "/api/v1/subjects/{pid}/fhir": 9,  # … one query per table of the bulk layout
}


def _count(client: Any, path: str, token: str | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call(client, "GET", path, token)
    assert response.status_code == 200, (path, response.content[:300])
    return len(queries)


def test_public_endpoint_query_counts_are_pinned(demo_site: None, client: Any) -> None:
    counts = {}
    for path in PUBLIC:
        _count(client, path)  # the first call fills the caches (answers, panels, documents)
        counts[path] = _count(client, path)
    assert counts == PUBLIC


def test_public_endpoints_rendered_for_a_token_are_pinned(demo_site: None, client: Any) -> None:
    from offlabel.web.accounts.models import User

    token = token_for(User.objects.get(email="patient@offlabel.demo"))
    counts = {}
    for path in RENDERED:
        _count(client, path, token)  # the first call fills the documents and panels
        counts[path] = _count(client, path, token)
    assert counts == RENDERED


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
