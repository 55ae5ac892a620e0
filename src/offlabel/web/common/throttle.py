"""The real client address behind the proxy, and per-address / per-sender limits in the cache.

**Client address.** Behind a reverse proxy every request comes from the proxy's address, so
``REMOTE_ADDR`` alone would make one counter of every client (five wrong passwords from
anyone would lock the account out for everyone). :func:`client_address` reads the header the
operator names in ``OFFLABEL_TRUSTED_PROXY_HEADER`` (e.g. ``X-Forwarded-For``), and from it the
address ``OFFLABEL_TRUSTED_PROXY_COUNT`` hops from the right (the one the outermost trusted
proxy saw; what a client writes further left is ignored). With the setting empty the header is
never read: a client could otherwise claim any address and dodge every limit.

**Limits.** :func:`throttle_hit` counts an action under a key (an address, an account, a
recipient) in fixed windows kept in Django's cache (Redis in production, memory in the demo)
and raises :class:`Throttled` once ``limit`` actions fell in the current window. Login
failures are limited per (account, address) pair by django-axes (with this module's address)
and per address across usernames here (password spraying); a lockout is never per account
alone, so nobody can lock a patient out from addresses of their own.

**Per account, across addresses.** An attacker rotating addresses at one account passes both
of those. Failures at one account from browsers it was never signed in with are counted too
(``OFFLABEL_LOGIN_ACCOUNT_LIMIT`` an hour); past that, such browsers get one attempt at the
account every ``OFFLABEL_LOGIN_ACCOUNT_DELAY`` seconds, whatever their address (a slower
backoff, never a lockout). A browser the account signed in with before carries a signed
*device cookie* (:func:`device_cookie`, OWASP's "device cookies") and is not held back at all,
so the attack cannot keep the account's holder out.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest


class Throttled(ValidationError):
    """Too many actions of one kind from one address or account in a short time."""


def _meta_name(header: str) -> str:
    name = header.strip().upper().replace("-", "_")
    return name if name.startswith("HTTP_") else f"HTTP_{name}"


def client_address(request: HttpRequest) -> str:
    """The address of the client (see the module docstring); ``REMOTE_ADDR`` without a proxy."""
    # no REMOTE_ADDR (a request made in code, not over the network): one shared local bucket
    remote = str(getattr(request, "META", {}).get("REMOTE_ADDR") or "127.0.0.1")
    header = str(getattr(settings, "OFFLABEL_TRUSTED_PROXY_HEADER", "") or "")
    if not header:
        return remote
    hops = max(1, int(getattr(settings, "OFFLABEL_TRUSTED_PROXY_COUNT", 1)))
    value = str(request.META.get(_meta_name(header), "") or "")
    chain = [part.strip() for part in value.split(",") if part.strip()]
    if len(chain) < hops:
        return remote
    candidate = chain[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _now() -> float:
    return time.time()


def _key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.lower().encode("utf-8")).hexdigest()[:32]
    scope = scope.replace(" ", "-")
    return f"offlabel:throttle:{scope}:{digest}:{int(_now()) // window}"


def throttle_count(scope: str, key: str, *, window: int) -> int:
    """How many actions ``scope`` counted under ``key`` in the current window."""
    return int(cache.get(_key(scope, key, window), 0))


def throttle_exceeded(scope: str, key: str, *, limit: int, window: int) -> bool:
    return throttle_count(scope, key, window=window) >= limit


def throttle_record(scope: str, key: str, *, window: int) -> int:
    """Count one action; returns the count in the current window."""
    name = _key(scope, key, window)
    if cache.add(name, 1, timeout=window + 1):
        return 1
    try:
        return int(cache.incr(name))
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 1)
        return 1


def _span(window: int) -> str:
    minutes = window // 60
    if minutes >= 120:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes" if minutes != 1 else "minute"


def throttle_hit(scope: str, keys: dict[str, str], *, limit: int, window: int, what: str) -> None:
    """Refuse (raise :class:`Throttled`) when any of ``keys`` (a name → a key, e.g. "address" →
    "203.0.113.9") used up ``limit`` actions of ``scope`` in the window; otherwise count one
    for each. Nothing is counted when refused."""
    for name, key in keys.items():
        if throttle_exceeded(f"{scope}:{name}", key, limit=limit, window=window):
            raise Throttled(
                f"Too many {what} from this {name} in the last {_span(window)} (at most "
                f"{limit}). Nothing was done; please wait a little and try again.",
                code="throttled",
            )
    for name, key in keys.items():
        throttle_record(f"{scope}:{name}", key, window=window)


def limit_of(setting: str, default: int) -> int:
    return int(getattr(settings, setting, default))


def throttle_slot(scope: str, key: str, *, every: int) -> int:
    """Let one action of ``scope`` under ``key`` through every ``every`` seconds: 0 when this
    one may go (and it is counted), else the seconds until the next may."""
    digest = hashlib.sha256(key.lower().encode("utf-8")).hexdigest()[:32]
    name = f"offlabel:throttle:{scope.replace(' ', '-')}:{digest}:slot"
    now = _now()
    last = cache.get(name)
    if last is not None and now - float(last) < every:
        return max(1, int(every - (now - float(last)) + 0.999))
    cache.set(name, now, timeout=every + 1)
    return 0


# -- device cookies ------------------------------------------------------------------------------

DEVICE_COOKIE = "offlabel_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
_DEVICE_SALT = "offlabel.web.common.throttle.device"
_DEVICE_ACCOUNTS = 5  # accounts one browser remembers


def _account_tag(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:24]


def _device_accounts(request: HttpRequest | None) -> list[str]:
    raw = getattr(request, "COOKIES", {}).get(DEVICE_COOKIE) if request is not None else None
    if not raw:
        return []
    try:
        value = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return []
    return [str(tag) for tag in value] if isinstance(value, list) else []


def known_device(request: HttpRequest | None, email: str) -> bool:
    """Whether this browser signed in to the account ``email`` before (its device cookie)."""
    return bool(email) and _account_tag(email) in _device_accounts(request)


def device_cookie(request: HttpRequest, email: str) -> str:
    """The device cookie's new value after a successful sign-in to ``email`` (signed; the
    accounts this browser signed in to, the newest first, at most a few)."""
    tag = _account_tag(email)
    tags = [tag, *(t for t in _device_accounts(request) if t != tag)][:_DEVICE_ACCOUNTS]
    return signing.dumps(tags, salt=_DEVICE_SALT)
