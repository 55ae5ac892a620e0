"""Personal access tokens: made on the account page and shown once, kept only as a hash,
scoped, expiring, revocable, rate limited per token."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.urls import reverse

from offlabel.web.api.models import AccessToken
from offlabel.web.common.models import AuditEvent
from tests.web.api.support import call, token_for

TOKEN = re.compile(r"olt_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}")


def test_a_token_is_created_on_the_account_page_and_shown_once(world: Any, client_for: Any) -> None:
    client = client_for(world.owner)
    settings_page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("api:tokens") in settings_page
    page = client.post(
        reverse("api:tokens"), {"name": "my sync", "scopes": ["records:read"], "days": "30"}
    ).content.decode()
    [secret] = TOKEN.findall(page)
    row = AccessToken.objects.get(user=world.owner)
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(AccessToken.objects.values()))  # only the hash is kept
    assert AuditEvent.objects.filter(object_repr=str(row), action="create").exists()
    again = client.get(reverse("api:tokens")).content.decode()
    assert not TOKEN.findall(again)  # never shown again
    assert call(client_for(None), "GET", "/api/v1/me", secret).json()["scopes"] == ["records:read"]


def test_the_page_offers_the_deidentified_scope_to_reviewers_only(
    world: Any, client_for: Any
) -> None:
    assert (
        "deidentified:read"
        not in client_for(world.owner).get(reverse("api:tokens")).content.decode()
    )
    assert (
        "deidentified:read"
        in client_for(world.reviewer).get(reverse("api:tokens")).content.decode()
    )
    refused = client_for(world.owner).post(
        reverse("api:tokens"), {"name": "x", "scopes": ["deidentified:read"], "days": "30"}
    )
    assert refused.status_code == 400 and not AccessToken.objects.exists()


def test_a_service_refuses_what_the_account_cannot_give(world: Any) -> None:
    from django.core.exceptions import ValidationError

    from offlabel.web.api.services import token_create

    with pytest.raises(ValidationError, match="cannot give"):
        token_create(
            user=world.owner, name="x", scopes=["deidentified:read"], days=30, by=world.owner
        )
    with pytest.raises(ValidationError, match="days"):
        token_create(user=world.owner, name="x", scopes=["records:read"], days=3650, by=world.owner)


def test_revoking_on_the_page_closes_the_api_at_once(world: Any, client_for: Any) -> None:
    secret = token_for(world.owner)
    anonymous = client_for(None)
    assert call(anonymous, "GET", "/api/v1/me", secret).status_code == 200
    row = AccessToken.objects.get(user=world.owner)
    assert (
        client_for(world.other_owner).post(reverse("api:token_revoke", args=[row.pk])).status_code
        == 404
    )
    client_for(world.owner).post(reverse("api:token_revoke", args=[row.pk]))
    answer = call(client_for(None), "GET", "/api/v1/me", secret)
    assert answer.status_code == 401 and answer.json()["detail"] == "This token was revoked."
    assert AuditEvent.objects.filter(object_repr=str(row), action="access").count() == 1


def test_an_unknown_token_is_refused_even_on_public_endpoints(db: Any, client: Any) -> None:
    answer = call(client, "GET", "/api/v1/rubric", "olt_000000000000_nothing-like-it")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_token_is_rate_limited_on_its_own(world: Any, client: Any, settings: Any) -> None:
    from offlabel.web.api import auth

    first, second = token_for(world.owner), token_for(world.other_owner)
    for _ in range(auth.RATE_LIMIT):
        assert call(client, "GET", "/api/v1/me", first).status_code == 200
    limited = call(client, "GET", "/api/v1/me", first)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    assert call(client, "GET", "/api/v1/me", second).status_code == 200
