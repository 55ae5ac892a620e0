"""Writes of the common app: the audit trail every other service records into, and the content
version every change moves on (:func:`content_changed`), which the caches hold in their keys."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from offlabel.web.common.models import AuditEvent, ContentVersion
from offlabel.web.common.version_file import version_file

if TYPE_CHECKING:
    from offlabel.web.accounts.models import User


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # files
        return getattr(value, "name", None)
    return value


def snapshot(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A JSON-safe copy of a model's field values, for the before/after of an audit event."""
    data = model_to_dict(instance, exclude=list(exclude))
    data["id"] = instance.pk
    return {key: _json_safe(value) for key, value in data.items()}


def audit_record(
    *,
    by: User | None,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    owner_key: str = "",
    note: str = "",
) -> AuditEvent:
    """Record one change. Call it inside the same transaction as the change itself.

    Every audited change also moves the content version on (:func:`content_changed`), so the
    cached pages and panels that show it are recomputed on the next request.
    """
    content_changed(instance._meta.model)  # not type(): a request.user is a lazy proxy
    return AuditEvent.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        owner_key=owner_key,
        before=before,
        after=after,
        note=note[:300],
    )


#: The app whose changes also move the registry's own counter.
REGISTRY_APP = "registry"


def content_changed(model: type[models.Model] | None = None) -> None:
    """Move the content version on: what readers see has changed (or is about to).

    The one function every cache invalidation hangs on. It is called for you by
    :func:`audit_record` (every service's audit row) and, for any save or delete of an offlabel
    model outside the services (the admin, a shell), by the model signals connected in
    :mod:`offlabel.web.common.receivers`. Call it yourself only after a write that neither
    audits nor sends model signals (``QuerySet.update``, ``bulk_create``). ``model`` says what
    changed: a model of the registry app moves the registry counter as well, so the registry
    panels recompute; anything else moves only the site counter.

    Call it inside the writer's transaction: the counter then becomes visible together with the
    change, never before it (a page cached in between would be stale). Once the transaction has
    committed, the host's version file is raised too (see
    :mod:`offlabel.web.common.version_file`), so the next request in any process sees it.
    """
    registry = 1 if model is not None and model._meta.app_label == REGISTRY_APP else 0
    now = timezone.now()
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET site = site + 1, registry = registry + %s, changed_at = %s "  # noqa: S608 - the table name is from model meta
            "WHERE id = 1 RETURNING site, registry",
            [registry, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    if row is None:
        # The row is made by a migration; only a flushed database (tests) lacks it.
        ContentVersion.objects.get_or_create(
            pk=1, defaults={"site": 1, "registry": 1, "changed_at": now}
        )
        row = (1, 1)
    local = version_file(settings.OFFLABEL_CONTENT_VERSION_FILE)
    if local is not None:
        site, registry_version = int(row[0]), int(row[1])
        transaction.on_commit(lambda: local.raise_to(site, registry_version, now))
