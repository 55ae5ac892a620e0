"""Query counts of the main registry pages, signed in, on the whole demo.

These pages are personal and never cached: the count is the same on every request, and does
not grow with the records shown.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.support.queries import assert_page_queries

pytestmark = pytest.mark.django_db


def _account(email: str) -> Any:
    from offlabel.web.accounts.models import User

    return User.objects.get(email=email)


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("patient@offlabel.demo", 7),  # session, user, policy consents, roles, own subjects with
        # their latest, unread notifications, reminders due
        ("owner@offlabel.demo", 7),
        ("vet@offlabel.demo", 9),  # … the records shared with them, reversal candidates
        ("clinician@offlabel.demo", 9),
    ],
)
def test_dashboard_query_count_is_pinned(
    demo_site: None, client_for: Any, django_assert_num_queries: Any, email: str, expected: int
) -> None:
    client = client_for(_account(email))
    assert_page_queries(client, django_assert_num_queries, reverse("registry:dashboard"), expected)


def test_subject_page_query_count_is_pinned(
    demo_site: None, client_for: Any, django_assert_num_queries: Any
) -> None:
    from offlabel.web.registry.models import Subject

    for email in ("patient@offlabel.demo", "owner@offlabel.demo"):
        owner = _account(email)
        client = client_for(owner)
        for subject in Subject.objects.filter(owner=owner):
            url = reverse("registry:subject", args=[subject.public_id])
            # session, user, policy consents, roles, subject, whether it is the owner's own,
            # courses, scores, milestones, the deleted courses, scores, milestones and
            # evaluations (the undo list), the reversal candidate, audit trail, access; with a
            # treatment course also its evaluations and their side effects (two queries however
            # many there are)
            expected = 18 if subject.courses.exists() else 16
            assert_page_queries(client, django_assert_num_queries, url, expected)


def test_reviewer_and_editor_registry_pages_query_counts_are_pinned(
    demo_site: None, client_for: Any, django_assert_num_queries: Any
) -> None:
    reviewer = client_for(_account("reviewer@offlabel.demo"))
    assert_page_queries(reviewer, django_assert_num_queries, reverse("registry:deidentified"), 10)
    editor = client_for(_account("editor@offlabel.demo"))
    assert_page_queries(editor, django_assert_num_queries, reverse("registry:import"), 4)
