"""Query counts of the catalog's public pages, on the whole demo (first render, then cached).

A cached page costs one query: the content version. A first render adds the page's own reads.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from tests.support.queries import assert_page_queries

pytestmark = pytest.mark.django_db


def test_catalog_pages_query_counts_are_pinned(
    demo_site: None, client_for: Any, django_assert_num_queries: Any
) -> None:
    from offlabel.web.accounts.models import User

    anonymous = client_for(None)
    # version + topics
    assert_page_queries(anonymous, django_assert_num_queries, reverse("catalog:home"), 2, 1)
    assert_page_queries(anonymous, django_assert_num_queries, reverse("catalog:about"), 1, 1)
    for slug in (LDN_ALS_SLUG, LDN_DM_SLUG):
        # version, topic, reviews with grades (2), community requests, public threads, registry
        # version (the panel's own key), whether the other species has a topic (side by side)
        url = reverse("catalog:topic", args=[slug])
        assert_page_queries(anonymous, django_assert_num_queries, url, 8, 1)
    reviewer = client_for(User.objects.get(email="reviewer@offlabel.demo"))
    # not cached for a signed-in reviewer: session, user, policy consents, roles, the reviewers'
    # panels and the side-by-side check
    url = reverse("catalog:topic", args=[LDN_ALS_SLUG])
    assert_page_queries(reviewer, django_assert_num_queries, url, 13)
