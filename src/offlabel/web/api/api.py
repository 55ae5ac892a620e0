"""The API's one :class:`~ninja.NinjaAPI`: ``/api/v1/`` with ``openapi.json`` and ``docs``.

The reference page is Swagger UI with its assets served by the site (:mod:`.docs`), the online
validator badge turned off: the page asks nothing of any other host.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from offlabel.web.api.docs import site_swagger
from offlabel.web.api.problems import ApiProblem, problem_response
from offlabel.web.api.routers.public import router as public_router
from offlabel.web.api.routers.records import router as records_router

logger = logging.getLogger(__name__)

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
#: Operations whose success is not JSON: their media type and schema in the document.
MEDIA = {
    "subject_fhir": ("application/fhir+json", {"type": "object"}),
    "questionnaire": ("application/fhir+json", {"type": "object"}),
    "deidentified": ("application/zip", {"type": "string", "format": "binary"}),
}


class OfflabelAPI(NinjaAPI):
    """NinjaAPI whose document names the media types the API really answers with: errors as
    ``application/problem+json`` (also the ``default`` response of every operation: a 405 or a
    500 is one too), FHIR as ``application/fhir+json``, the de-identified data as a .zip."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation["responses"]
                for status, response in responses.items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {
                            "application/problem+json": content["application/json"]
                        }
                for op_name, (media, media_schema) in MEDIA.items():
                    if operation["operationId"].endswith(f"_{op_name}"):
                        responses[200]["content"] = {media: {"schema": media_schema}}
                responses["default"] = {
                    "description": "Any other error, as RFC 9457 problem details.",
                    "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                }
        return schema


api = OfflabelAPI(
    title="offlabel API",
    version="1",
    description=(
        "Graded reviews of off-label treatments for ALS and canine degenerative myelopathy, "
        "registry aggregates, the literature index, and — with a personal access token — "
        "one's own registry records (also as FHIR R4). Errors are RFC 9457 problem details. "
        "offlabel never recommends a treatment."
    ),
    urls_namespace="api-v1",
    docs=site_swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", public_router)
api.add_router("/", records_router)


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return problem_response(request, 422, "The request is not valid.", errors=errors)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        401,
        "This needs a personal access token (Authorization: Bearer …).",
        headers={"WWW-Authenticate": 'Bearer realm="offlabel"'},
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, 404, str(exc) or "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def _no_object(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, 404, "Not found.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, exc.status_code, str(exc))


@api.exception_handler(Exception)
def _error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem_response(
        request, 500, "Something went wrong on our side; nothing was saved. Please try again later."
    )
