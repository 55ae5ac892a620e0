"""Query counts of the community's public pages, on the whole demo (first render, then cached)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.support.queries import assert_page_queries

pytestmark = pytest.mark.django_db


def test_community_pages_query_counts_are_pinned(
    demo_site: None, client_for: Any, django_assert_num_queries: Any
) -> None:
    from offlabel.web.network.models import ReviewRequest

    anonymous = client_for(None)
    # version + the requests with their vote counts
    assert_page_queries(anonymous, django_assert_num_queries, reverse("network:future"), 2, 1)
    # version only: the signs are a data file
    assert_page_queries(anonymous, django_assert_num_queries, reverse("network:red_flags"), 1, 1)
    for request in ReviewRequest.objects.all():
        url = reverse("network:request", args=[request.pk])
        # version, the request, its duplicates; a linked one (published, or merged into one
        # that was) also reads its topic's therapy and condition
        linked = request.status != ReviewRequest.Status.OPEN
        assert_page_queries(anonymous, django_assert_num_queries, url, 5 if linked else 3, 1)
