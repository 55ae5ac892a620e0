"""Errors of the API as RFC 9457 problem details (``application/problem+json``).

Every error answered under ``/api/`` is one: the API's own (:class:`ApiProblem`), invalid input
(422, field by field, with the forms' messages), and — through :class:`ApiProblemMiddleware` —
whatever Django or the framework would otherwise answer as a page (an unknown URL, a method not
allowed, an error in a view): never an HTML 500. The same middleware gives every successful
``GET`` an ETag and answers ``If-None-Match`` with 304.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/"
#: ``type`` of every problem: a page of the API reference naming the kind.
TYPE_BASE = "/api/v1/docs#problem-"


class ApiProblem(Exception):
    """An error the API answers with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})


def problem_body(
    status: int, detail: str, instance: str = "", errors: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": TYPE_BASE + phrase.lower().replace(" ", "-"),
        "title": phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = {field: list(messages) for field, messages in errors.items()}
    return body


def problem_response(
    request: HttpRequest | None,
    status: int,
    detail: str,
    *,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    instance = request.get_full_path() if request is not None else ""
    response = HttpResponse(
        json.dumps(problem_body(status, detail, instance, errors), ensure_ascii=False),
        status=status,
        content_type=PROBLEM_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


_DEFAULT_DETAILS = {
    400: "The request is not one this address understands.",
    403: "You may not do this.",
    404: "There is nothing at this address.",
    405: "This address does not take this method.",
    500: "Something went wrong on our side; nothing was saved. Please try again later.",
}


_DJANGO_ANSWERS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


class ApiProblemMiddleware:
    """Under ``/api/``: problem documents for every error, ETags and 304 for ``GET``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self.get_response(request)
        return self._finish(request, response)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX) or isinstance(exception, _DJANGO_ANSWERS):
            return None  # Django answers these (404, 403, 400); __call__ makes them problems
        logger.exception("API error on %s", request.path, exc_info=exception)
        return problem_response(request, 500, _DEFAULT_DETAILS[500])

    def _finish(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith(PROBLEM_TYPE):
            status = response.status_code
            detail = _DEFAULT_DETAILS.get(status, HTTPStatus(status).phrase + ".")
            replaced = problem_response(request, status, detail)
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            response = replaced
        patch_vary_headers(response, ("Authorization",))
        if request.headers.get("Authorization"):
            patch_cache_control(response, private=True)  # a token's answers are its own
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
        ):
            if not response.has_header("ETag"):
                set_response_etag(response)
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if conditional is not None:
                return conditional
        return response
