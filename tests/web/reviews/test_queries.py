"""Query counts of the public review pages and exports, on the whole demo (first render, then
cached), and of a review page a signed-in reviewer opens (never cached)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from tests.support.queries import assert_page_queries

pytestmark = pytest.mark.django_db


def test_review_pages_query_counts_are_pinned(
    demo_site: None, client_for: Any, django_assert_num_queries: Any
) -> None:
    from offlabel.web.accounts.models import User

    anonymous = client_for(None)
    # version, reviews with topic, grades, the condition filter's choices
    assert_page_queries(anonymous, django_assert_num_queries, reverse("reviews:index"), 4, 1)
    assert_page_queries(anonymous, django_assert_num_queries, reverse("reviews:rubric"), 0)
    for slug in (LDN_ALS_SLUG, LDN_DM_SLUG):
        # version, review, grades, authors, references, history, the Cases and Risks snapshots,
        # conflict-of-interest statements
        for url in (
            reverse("reviews:latest", args=[slug]),
            reverse("reviews:version", args=[slug, 1]),
        ):
            assert_page_queries(anonymous, django_assert_num_queries, url, 9, 1)
        for fmt in ("md", "json"):
            # version, review, grades, authors, snapshots, conflict statements, evidence items,
            # references (the export carries everything the page shows)
            url = reverse("reviews:export", args=[slug, 1, fmt])
            assert_page_queries(anonymous, django_assert_num_queries, url, 8, 1)
    reviewer = client_for(User.objects.get(email="reviewer@offlabel.demo"))
    # session, user, policy consents, roles and the page's own reads (conflict statements
    # included); no content version (not cached)
    url = reverse("reviews:latest", args=[LDN_ALS_SLUG])
    assert_page_queries(reviewer, django_assert_num_queries, url, 12)
