"""The account gate's reads run before any view: a connection lost there is retried there."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_once(monkeypatch: Any) -> list[str]:
    from offlabel.web.accounts import services
    from offlabel.web.common import database

    calls: list[str] = []
    real = services.policies_outstanding

    def flaky(user: Any) -> Any:
        calls.append("read")
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real(user)

    monkeypatch.setattr(services, "policies_outstanding", flaky)
    monkeypatch.setattr(database, "connection_lost", lambda error: True)
    return calls


def test_a_lost_connection_in_the_gate_is_read_again(
    world: Any, client_for: Any, lost_once: list[str]
) -> None:
    response = client_for(world.patient).get(reverse("registry:dashboard"))
    assert response.status_code == 200
    assert lost_once == ["read", "read"]


def test_an_error_that_is_not_a_lost_connection_is_not_retried(
    world: Any, client_for: Any, lost_once: list[str], monkeypatch: Any
) -> None:
    from offlabel.web.common import database

    monkeypatch.setattr(database, "connection_lost", lambda error: False)
    client = client_for(world.patient)
    client.raise_request_exception = False
    assert client.get(reverse("registry:dashboard")).status_code == 500
    assert lost_once == ["read"]
