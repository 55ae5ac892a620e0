"""Serving plumbing: /healthz, the JSON request log, and reads retried on a lost connection."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path, reverse

pytestmark = pytest.mark.django_db

calls: list[str] = []


def flaky(request: Any) -> HttpResponse:
    """Loses its database connection the first time it runs."""
    calls.append(request.method)
    if len(calls) == 1:
        raise OperationalError("server closed the connection unexpectedly")
    return HttpResponse("fine")


def always_broken(request: Any) -> HttpResponse:
    raise OperationalError("terminating connection due to administrator command")


urlpatterns = [path("flaky/", flaky), path("broken/", always_broken)]


@pytest.fixture
def lost_connections(settings: Any, monkeypatch: Any) -> list[str]:
    from offlabel.web.common import database

    settings.ROOT_URLCONF = __name__
    monkeypatch.setattr(database, "connection_lost", lambda error: True)
    calls.clear()
    return calls


def test_healthz_reports_database_cache_and_queue(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "in-process"},
    }
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_any_host_name_and_plain_http(client: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # a load balancer probes by IP
    assert response.status_code == 200


def test_healthz_says_503_and_names_the_failing_part_without_details(
    client: Any, monkeypatch: Any
) -> None:
    from django.core.cache import cache

    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("redis://:s3cret@cache.internal:6379 refused")

    monkeypatch.setattr(cache, "set", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unreachable"
    assert "s3cret" not in response.content.decode()


def test_every_request_writes_one_json_line(
    client: Any, caplog: Any, demo_topics: list[Any]
) -> None:
    topic = demo_topics[0]
    caplog.set_level(logging.INFO, logger="offlabel.request")
    response = client.get(topic.get_absolute_url(), HTTP_X_REQUEST_ID="proxy-id-12345")
    (record,) = [r for r in caplog.records if r.name == "offlabel.request"]
    from offlabel.web.config.logs import JsonFormatter

    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "proxy-id-12345" == response["X-Request-ID"]
    assert line["path"] == topic.get_absolute_url()
    assert line["view"] == "catalog:topic"
    assert line["status"] == 200
    assert line["cache"] == "miss"
    assert line["signed_in"] is False
    assert line["bytes"] == len(response.content)
    assert line["ms"] > 0


def test_the_request_log_never_holds_a_password_reset_token(client: Any, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="offlabel.request")
    url = reverse("accounts:password_reset_confirm", args=["MQ", "abc123-secrettoken"])
    client.get(url)
    logged = " ".join(str(getattr(r, "http", "")) for r in caplog.records)
    assert "secrettoken" not in logged
    assert "<token>" in logged


def test_a_made_up_request_id_is_replaced(client: Any) -> None:
    response = client.get("/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


def test_a_read_that_loses_its_connection_is_run_again(client: Any, lost_connections: Any) -> None:
    response = client.get("/flaky/")
    assert response.status_code == 200
    assert response.content == b"fine"
    assert lost_connections == ["GET", "GET"]


def test_a_write_that_loses_its_connection_is_not_repeated(
    client: Any, lost_connections: Any
) -> None:
    response = client.post("/flaky/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "may not have been saved" in response.content.decode()
    assert lost_connections == ["POST"]


def test_a_read_that_fails_twice_gets_503_not_500(client: Any, lost_connections: Any) -> None:
    assert client.get("/broken/").status_code == 503


def test_other_database_errors_are_not_hidden(client: Any, settings: Any, db: None) -> None:
    from django.db import connection

    settings.ROOT_URLCONF = __name__
    connection.ensure_connection()  # open and working, whatever ran before on this worker
    client.raise_request_exception = True
    with pytest.raises(OperationalError):
        client.get("/broken/")  # the connection still works: a real error, a real 500


@pytest.mark.parametrize(
    ("cause", "lost"),
    [
        ("AdminShutdown", True),  # pg_terminate_backend
        ("CrashShutdown", True),
        ("ConnectionFailure", True),
        ("QueryCanceled", False),  # a statement timeout: the connection still works
        ("DeadlockDetected", False),
        ("LockNotAvailable", False),
    ],
)
def test_a_lost_connection_is_told_by_postgresqls_error_code(cause: str, lost: bool) -> None:
    import psycopg.errors

    from offlabel.web.common.database import connection_lost

    error = OperationalError("from the server")
    error.__cause__ = getattr(psycopg.errors, cause)()
    assert connection_lost(error) is lost


def test_a_connection_the_client_lost_has_no_error_code_and_counts_as_lost() -> None:
    import psycopg

    from offlabel.web.common.database import connection_lost

    error = OperationalError("consuming input failed: server closed the connection unexpectedly")
    error.__cause__ = psycopg.OperationalError("server closed the connection unexpectedly")
    assert connection_lost(error)
