"""Pinned query counts: a page's first render (empty cache) and the next one (cached)."""

from __future__ import annotations

from typing import Any


def assert_page_queries(
    client: Any, django_assert_num_queries: Any, url: str, first: int, then: int | None = None
) -> None:
    """GET ``url`` twice: ``first`` queries the first time, ``then`` (default: the same) next."""
    for expected in (first, first if then is None else then):
        with django_assert_num_queries(expected, info=url):
            response = client.get(url)
        assert response.status_code == 200, url
