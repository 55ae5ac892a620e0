"""Writes of the common app: the audit trail every other service records into."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms.models import model_to_dict

from offlabel.web.common.models import AuditEvent

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
    """Record one change. Call it inside the same transaction as the change itself."""
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
