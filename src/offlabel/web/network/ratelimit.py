"""Per-account rate limits kept in Django's cache (Redis in production, memory in the demo).

A sliding window: the cache holds the times of the account's recent actions; an action is
refused when ``limit`` of them fall inside the last ``window`` seconds. Hand-written because
the few lines below need no extra dependency, and the limit must be checked inside our own
service functions (before anything is saved), not in middleware.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

# Discussion posts and consult messages: at most this many per account in ten minutes.
POST_LIMIT = int(getattr(settings, "OFFLABEL_POST_LIMIT", 5))
POST_WINDOW = 10 * 60
# Invitations e-mailed to one's vet or clinician: at most this many per account a day.
INVITATION_LIMIT = int(getattr(settings, "OFFLABEL_INVITATION_LIMIT", 3))
INVITATION_WINDOW = 24 * 60 * 60


class RateLimited(ValidationError):
    """Too many actions of one kind in a short time; nothing was saved."""


def _key(action: str, user_pk: int) -> str:
    return f"offlabel:network:rate:{action}:{user_pk}"


def _recent(action: str, user_pk: int, window: int) -> list[float]:
    now = time.time()
    stamps: list[float] = cache.get(_key(action, user_pk), [])
    return [t for t in stamps if t > now - window]


def rate_limit_check(*, action: str, user_pk: int, limit: int, window: int, what: str) -> None:
    """Raise :class:`RateLimited` when the account used up its allowance for ``action``."""
    if len(_recent(action, user_pk, window)) >= limit:
        minutes = window // 60
        span = f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"
        raise RateLimited(
            f"You have sent {limit} {what} in the last {span}, the most we allow. "
            "Nothing was saved; please wait a little and try again."
        )


def rate_limit_record(*, action: str, user_pk: int, window: int) -> None:
    stamps = _recent(action, user_pk, window)
    stamps.append(time.time())
    cache.set(_key(action, user_pk), stamps, timeout=window)
