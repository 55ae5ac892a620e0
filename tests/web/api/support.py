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


class SchemaWalker:
    """Calls the API and checks every answer against ``openapi.json``: the status is one the
    operation documents (or its ``default``), the media type is the documented one, and a JSON
    body validates against the documented JSON Schema. Remembers which operations it saw."""

    def __init__(self, client: Any) -> None:
        import re

        self.client = client
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        self.document = response.json()
        self.operations: dict[tuple[str, str], dict[str, Any]] = {}
        self.patterns: list[tuple[Any, str]] = []
        for template, methods in self.document["paths"].items():
            regex = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            self.patterns.append((regex, template))
            for method, operation in methods.items():
                self.operations[(method.upper(), template)] = operation
        self.seen: set[tuple[str, str]] = set()
        self.statuses: set[tuple[str, str, int]] = set()

    def template_of(self, path: str) -> str:
        found = [t for regex, t in self.patterns if regex.match(path.split("?", 1)[0])]
        assert len(found) == 1, (path, found)
        return found[0]

    def check(self, method: str, path: str, response: Any) -> Any:
        from jsonschema import Draft202012Validator, FormatChecker

        template = self.template_of(path)
        operation = self.operations[(method.upper(), template)]
        responses = operation["responses"]
        status = response.status_code
        declared = responses.get(str(status))
        if declared is None:
            assert status >= 400, f"{method} {path}: {status} is not documented"
            declared = responses["default"]
        [(media, spec)] = declared["content"].items()
        assert response["Content-Type"].split(";")[0] == media, (method, path, status)
        if media.endswith("json"):
            schema = {**spec["schema"], "components": self.document["components"]}
            Draft202012Validator(schema, format_checker=FormatChecker()).validate(response.json())
        self.seen.add((method.upper(), template))
        self.statuses.add((method.upper(), template, status))
        return response

    def __call__(self, method: str, path: str, token: str | None = None, body: Any = None) -> Any:
        return self.check(method, path, call(self.client, method, path, token, body))

    @property
    def unseen(self) -> set[tuple[str, str]]:
        return set(self.operations) - self.seen
