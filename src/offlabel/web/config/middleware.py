"""Serving plumbing: the load balancer's health check, the structured request log, and reads
that survive a dropped database connection.

In ``MIDDLEWARE`` order: :class:`HealthCheckMiddleware` first (a probe needs no host name, no
TLS and no log line), :class:`RequestLogMiddleware` next (it sees every other request, redirects
included), :class:`DatabaseRetryMiddleware` last (its ``process_exception`` then sees a view's
database error before any other middleware does).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse

from offlabel.web.common import database
from offlabel.web.common.caching import CACHE_ATTRIBUTE

request_log = logging.getLogger("offlabel.request")
logger = logging.getLogger(__name__)

GetResponse = Callable[[HttpRequest], HttpResponse]
HEALTH_PATHS = ("/healthz", "/healthz/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
#: A request id from the proxy is kept when it looks like one (it goes into every log line).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
#: URL arguments that are secrets (password-reset links): their routes are logged, not paths.
SECRET_ARGUMENTS = frozenset({"token", "uidb64"})


# -- /healthz -------------------------------------------------------------------------------------


def _check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connections["default"].close()
        return "unreachable"
    return "ok"


def _check_cache() -> str:
    token = uuid.uuid4().hex
    try:
        cache.set("healthz", token, 30)
        return "ok" if cache.get("healthz") == token else "not storing"
    except Exception:  # any backend's connection error; the probe names no detail
        return "unreachable"


def _check_queue() -> str:
    from huey.contrib.djhuey import HUEY

    connection = getattr(HUEY.storage, "conn", None)
    if connection is None:
        return "in-process"  # tasks run inside the web process: nothing to reach
    try:
        connection.ping()
    except Exception:  # redis' connection and timeout errors
        return "unreachable"
    return "ok"


def health(request: HttpRequest) -> JsonResponse:
    """Database, cache and task queue reachability, for a load balancer (names no secret)."""
    checks = {"database": _check_database(), "cache": _check_cache(), "queue": _check_queue()}
    healthy = all(state in ("ok", "in-process") for state in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` before host validation and the TLS redirect: probes come by IP."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in HEALTH_PATHS and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)


# -- the request log ------------------------------------------------------------------------------


def _logged_path(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and SECRET_ARGUMENTS & set(match.kwargs):
        return "/" + str(match.route)
    return request.path


class RequestLogMiddleware:
    """One JSON line per request on the ``offlabel.request`` logger (see ``LOGGING``).

    Fields: request id (the proxy's ``X-Request-ID`` when it sends a plausible one, else a new
    one, returned in the response), method, path (the route for links holding a secret),
    view, status, duration in ms, response bytes, whether someone was signed in, and the page
    cache's verdict. No query string, no user id, no address: nothing that names a person.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        if request_log.isEnabledFor(level):
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            fields: dict[str, Any] = {
                "request_id": request_id,
                "method": request.method,
                "path": _logged_path(request),
                "view": match.view_name if match is not None else "",
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 2),
                "bytes": 0 if response.streaming else len(response.content),
                "signed_in": bool(user is not None and user.is_authenticated),
                "cache": getattr(request, CACHE_ATTRIBUTE, ""),
            }
            request_log.log(
                level, "%s %s %s", request.method, fields["path"], status, extra={"http": fields}
            )
        return response


# -- dropped database connections -----------------------------------------------------------------


UNAVAILABLE_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    "<title>Try again · offlabel</title></head><body><main>"
    "<h1>The connection to the database was interrupted</h1>"
    "<p>Your last action may not have been saved. Please check and try it again in a few "
    "seconds.</p></main></body></html>"
)


class DatabaseRetryMiddleware:
    """A read whose database connection drops is run once more on a fresh connection.

    Persistent connections are health-checked when a request first uses them
    (``CONN_HEALTH_CHECKS``), so a connection that died while idle is replaced silently. This
    covers the rest: a connection lost in the middle of a request. A read (GET, HEAD, OPTIONS)
    is safe to repeat, so the view runs again; a write is not repeated (it may have committed
    just before the connection went), the reader gets ``503`` and a page saying to check and
    try again, and the transaction that was cut off has rolled back.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database.connection_lost(exception):
            return None
        database.drop_broken_connections()
        match = getattr(request, "resolver_match", None)
        if request.method in SAFE_METHODS and match is not None:
            logger.warning("database connection lost during %s; retrying once", request.path)
            try:
                response: HttpResponse = match.func(request, *match.args, **match.kwargs)
                render = getattr(response, "render", None)
                return render() if callable(render) else response
            except (OperationalError, InterfaceError) as again:
                if not database.connection_lost(again):
                    raise
                database.drop_broken_connections()
        logger.warning("database connection lost during %s %s", request.method, request.path)
        response = HttpResponse(UNAVAILABLE_PAGE, status=503)
        response["Retry-After"] = "5"
        return response
