"""Typed readers for settings taken from the environment.

Each helper fails loudly with ``ImproperlyConfigured`` naming the variable and the bad value,
so a typo in a deployment stops the process at start instead of running half-configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    """The variable as text; without a default, a missing variable is an error."""
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); anything else is an error."""
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={environ[name]!r} is not a boolean (use true or false).")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """A whole number, optionally at least ``minimum``."""
    environ = os.environ if environ is None else environ
    if name not in environ:
        return default
    raw = environ[name].strip()
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """A comma-separated list; empty items are an error (usually a stray comma)."""
    environ = os.environ if environ is None else environ
    if name not in environ:
        return list(default)
    items = [item.strip() for item in environ[name].split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={environ[name]!r} has an empty item.")
    return items


def env_database(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A database URL (``postgresql://…`` or ``sqlite:///…``) as a Django DATABASES entry.

    Connections persist across requests (``DATABASE_CONN_MAX_AGE`` seconds, default 60) and
    are health-checked before a request reuses one, so one that the server dropped while idle
    is replaced instead of failing the request. PostgreSQL sessions are named
    ``DATABASE_APPLICATION_NAME`` (default ``offlabel``) in ``pg_stat_activity``.
    """
    url = env_str(name, default, environ=environ)
    max_age = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0, environ=environ)
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"{name}={url!r} is not supported: use postgresql://… or sqlite:///path."
        )
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=max_age > 0)
        )
    except ValueError as error:  # the library says what is wrong with the URL
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if str(config["ENGINE"]).endswith("postgresql") and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={url!r} names no database.")
    if str(config["ENGINE"]).endswith("postgresql"):
        options = dict(config.get("OPTIONS") or {})
        options.setdefault(
            "application_name", env_str("DATABASE_APPLICATION_NAME", "offlabel", environ=environ)
        )
        config["OPTIONS"] = options
    return config
