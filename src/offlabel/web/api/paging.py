"""Page numbers for the API's lists: ``?page=1&per_page=50`` (at most :data:`MAX_PER_PAGE`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from offlabel.web.api.problems import ApiProblem

PER_PAGE = 50
MAX_PER_PAGE = 200


def paged(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    page: int,
    per_page: int,
    item: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``rows`` with its count and the links to its neighbours."""
    if page < 1:
        raise ApiProblem(422, "page starts at 1.", errors={"page": ["Must be at least 1."]})
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiProblem(
            422,
            f"per_page is between 1 and {MAX_PER_PAGE}.",
            errors={"per_page": [f"Must be between 1 and {MAX_PER_PAGE}."]},
        )
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start = (page - 1) * per_page
    chunk = list(rows[start : start + per_page])

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        query["per_page"] = str(per_page)
        return f"{request.path}?{query.urlencode()}"

    return {
        "count": count,
        "page": page,
        "per_page": per_page,
        "next": link(page + 1) if start + per_page < count else None,
        "previous": link(page - 1) if page > 1 and start - per_page < count else None,
        "items": [item(row) for row in chunk],
    }
