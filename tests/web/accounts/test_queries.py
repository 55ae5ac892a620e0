"""Query counts of the public account pages: the forms need no query at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.support.queries import assert_page_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["accounts:login", "accounts:sign_up", "accounts:password_reset"])
def test_account_forms_need_no_query(
    client: Any, django_assert_num_queries: Any, name: str
) -> None:
    assert_page_queries(client, django_assert_num_queries, reverse(name), 0)
