"""Finding 10: a signed-in session idle for longer than the setting is signed out."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from offlabel.web.accounts.middleware import LAST_SEEN

pytestmark = pytest.mark.django_db


def _age(client: Any, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_is_signed_out(client: Any, world: Any, settings: Any) -> None:
    settings.OFFLABEL_SESSION_IDLE_SECONDS = 600
    client.force_login(world.patient)
    assert client.get(reverse("accounts:account")).status_code == 200
    _age(client, 601)
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session(client: Any, world: Any, settings: Any) -> None:
    settings.OFFLABEL_SESSION_IDLE_SECONDS = 600
    client.force_login(world.patient)
    client.get(reverse("accounts:account"))
    _age(client, 500)
    assert client.get(reverse("accounts:account")).status_code == 200  # and refreshes the time
    assert int(time.time()) - client.session[LAST_SEEN] < 60
    assert client.get(reverse("accounts:account")).status_code == 200


def test_the_absolute_lifetime_and_cookie_flags(settings: Any) -> None:
    assert settings.OFFLABEL_SESSION_IDLE_SECONDS <= 3600
    assert settings.SESSION_COOKIE_HTTPONLY
