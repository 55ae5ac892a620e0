"""Reads of the API app: a token by what its holder presents, an account's tokens."""

from __future__ import annotations

import secrets

from django.db.models import QuerySet

from offlabel.web.accounts.models import User
from offlabel.web.api.models import AccessToken
from offlabel.web.api.services import TOKEN_PREFIX, token_digest


def token_presented(presented: str) -> AccessToken | None:
    """The token row a presented token names (any state), or ``None`` when it names none."""
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    row = AccessToken.objects.filter(prefix=parts[1]).select_related("user").first()
    if row is None or not secrets.compare_digest(row.digest, token_digest(presented.strip())):
        return None
    return row


def tokens_of(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user).order_by("-created", "-id")
