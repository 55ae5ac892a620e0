"""Reads of the common app."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError, connection, models
from django.db.models import QuerySet
from django.utils import timezone

from offlabel.web.common.models import AuditEvent, ContentVersion
from offlabel.web.common.version_file import version_file


def min_cell() -> int:
    """The small-cell threshold of every public count and curve (``settings.OFFLABEL_MIN_CELL``,
    5 by default): the one place it is read (see ``offlabel.registry.disclosure``)."""
    return int(getattr(settings, "OFFLABEL_MIN_CELL", 5))


def audit_for_object(instance: models.Model) -> QuerySet[AuditEvent]:
    """Every recorded change to one record, newest first, with who made it."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("actor")


def audit_for_owner(owner_key: str) -> QuerySet[AuditEvent]:
    """Every recorded change filed under one owner key (e.g. a subject), newest first."""
    return AuditEvent.objects.filter(owner_key=owner_key).select_related("actor", "content_type")


@dataclass(frozen=True)
class Versions:
    """The content counters at one moment (see ``common.models.ContentVersion``)."""

    site: int
    registry: int
    changed_at: dt.datetime


_NEVER_CHANGED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _version_sql() -> str:
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    return f"SELECT site, registry, changed_at FROM {table} WHERE id = 1"  # noqa: S608


def _version_row() -> Any:
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return cursor.fetchone()


def _database_version() -> Versions:
    """The counters as the database has them (one round trip, health check included).

    The statement is written once, not built by the ORM each time (that took twice as long as
    the round trip itself), and it doubles as the persistent connection's health check
    (``CONN_HEALTH_CHECKS`` would send a ``SELECT 1`` first): a connection that died while idle
    fails this read, which is then run again on a new connection.
    """
    reused = connection.connection is not None and not connection.in_atomic_block
    if reused:
        # Django's own flag for "checked in this request" (BaseDatabaseWrapper, not in the stubs)
        connection.health_check_done = True  # type: ignore[attr-defined]
    try:
        row = _version_row()
    except (OperationalError, InterfaceError):
        if not reused:
            raise
        connection.close()
        row = _version_row()
    if row is None:  # a flushed database (tests); the first change makes the row
        return Versions(0, 0, _NEVER_CHANGED)
    site, registry, changed_at = row
    if isinstance(changed_at, str):  # SQLite returns the text it stored
        changed_at = dt.datetime.fromisoformat(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, dt.UTC)
    return Versions(int(site), int(registry), changed_at)


#: When this process last asked the database (``time.monotonic()``).
_last_database_check = [float("-inf")]


def content_version() -> Versions:
    """The current content counters: from the host's version file, else the database.

    The file (``OFFLABEL_CONTENT_VERSION_FILE``, see :mod:`offlabel.web.common.version_file`)
    answers without a round trip; the database is asked when there is no file or no valid
    record, inside a transaction (which may hold its own uncommitted change), and at least every
    ``OFFLABEL_CONTENT_RECHECK_MS`` per process, for changes made by processes that do not share
    the file.
    """
    local = version_file(getattr(settings, "OFFLABEL_CONTENT_VERSION_FILE", ""))
    if local is None or connection.in_atomic_block:
        return _database_version()
    stored = local.read()
    recheck = int(getattr(settings, "OFFLABEL_CONTENT_RECHECK_MS", 1000)) / 1000
    if stored is not None and time.monotonic() - _last_database_check[0] < recheck:
        return Versions(*stored)
    versions = _database_version()
    _last_database_check[0] = time.monotonic()
    if stored is not None and stored[0] > versions.site:
        local.reset()  # the database went back (a restore): it is the truth
    local.raise_to(versions.site, versions.registry, versions.changed_at)
    return versions
