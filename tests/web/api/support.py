"""Helpers of the API tests: tokens for the World's accounts, calls with them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

ALL_SCOPES = ("records:read", "records:write")


def token_for(user: Any, *scopes: str, days: int = 30) -> str:
    from offlabel.web.api.services import scopes_allowed, token_create

    wanted = scopes or tuple(sorted(scopes_allowed(user)))
    _, secret = token_create(user=user, name="test", scopes=wanted, days=days, by=user)
    return secret


def expired_token_for(user: Any, *scopes: str) -> str:
    from offlabel.web.api.models import AccessToken
    from offlabel.web.api.selectors import token_presented

    secret = token_for(user, *scopes)
    row = token_presented(secret)
    assert row is not None
    AccessToken.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    return secret


def revoked_token_for(user: Any, *scopes: str) -> str:
    from offlabel.web.api.selectors import token_presented
    from offlabel.web.api.services import token_revoke

    secret = token_for(user, *scopes)
    row = token_presented(secret)
    assert row is not None
    token_revoke(token=row, by=user)
    return secret


def call(
    client: Any, method: str, path: str, token: str | None = None, body: Any = None, **headers: str
) -> Any:
    extra = dict(headers)
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method.lower())(path, **kwargs, **extra)
