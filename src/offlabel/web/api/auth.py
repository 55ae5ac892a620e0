"""Who calls the API: a personal access token in ``Authorization: Bearer …``, or no one.

A token that is unknown, revoked or expired is refused (401) wherever it is presented, also on
the public endpoints (a script should learn at once that its token no longer works). Each use
counts against the token's rate limit, kept in the cache: :data:`RATE_LIMIT` requests per
:data:`RATE_WINDOW` seconds (fixed windows).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from offlabel.web.accounts.models import User
from offlabel.web.api.models import AccessToken
from offlabel.web.api.problems import ApiProblem
from offlabel.web.api.selectors import token_presented
from offlabel.web.api.services import token_touch

RATE_LIMIT = int(getattr(settings, "OFFLABEL_API_RATE_LIMIT", 120))
RATE_WINDOW = int(getattr(settings, "OFFLABEL_API_RATE_WINDOW", 60))

#: What ``request.auth`` holds for a call without a token.
ANONYMOUS = "anonymous"


def _rate_check(token: AccessToken) -> None:
    window = int(time.time() // RATE_WINDOW)
    key = f"offlabel:api:rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW * 2)
        count = 1
    if count > RATE_LIMIT:
        retry = RATE_WINDOW - int(time.time()) % RATE_WINDOW
        raise ApiProblem(
            429,
            f"This token made more than {RATE_LIMIT} requests in {RATE_WINDOW} seconds; "
            f"wait {retry} seconds and try again.",
            headers={"Retry-After": str(retry)},
        )


def token_from(request: HttpRequest, presented: str) -> AccessToken:
    token = token_presented(presented)
    if token is None:
        raise ApiProblem(401, "This token is not known here.", headers=_challenge("invalid_token"))
    if token.revoked_at is not None:
        raise ApiProblem(401, "This token was revoked.", headers=_challenge("invalid_token"))
    if not token.active:
        raise ApiProblem(401, "This token has expired.", headers=_challenge("invalid_token"))
    if not token.user.is_active:
        raise ApiProblem(
            401, "This token's account is closed.", headers=_challenge("invalid_token")
        )
    _rate_check(token)
    token_touch(token)
    return token


def _challenge(error: str = "") -> dict[str, str]:
    value = 'Bearer realm="offlabel"'
    if error:
        value += f', error="{error}"'
    return {"WWW-Authenticate": value}


class TokenAuth(HttpBearer):
    """A token is required (the private endpoints)."""

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken:
        return token_from(request, token)


class OptionalTokenAuth(TokenAuth):
    """A token is optional (the public endpoints); a bad one is still refused."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get(self.header):
            return ANONYMOUS
        return super().__call__(request)


def caller(request: HttpRequest) -> User | None:
    """The account a request acts for (``None`` without a token)."""
    auth = getattr(request, "auth", None)
    return auth.user if isinstance(auth, AccessToken) else None


def require(request: HttpRequest, scope: str) -> User:
    """The caller's account, when its token has ``scope`` (else 403)."""
    auth = getattr(request, "auth", None)
    if not isinstance(auth, AccessToken):
        raise ApiProblem(401, "This needs a personal access token.", headers=_challenge())
    if not auth.has_scope(scope):
        raise ApiProblem(403, f"This token lacks the scope {scope}.")
    return auth.user
