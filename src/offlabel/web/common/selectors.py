"""Reads of the common app."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from offlabel.web.common.models import AuditEvent


def audit_for_object(instance: models.Model) -> QuerySet[AuditEvent]:
    """Every recorded change to one record, newest first, with who made it."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("actor")


def audit_for_owner(owner_key: str) -> QuerySet[AuditEvent]:
    """Every recorded change filed under one owner key (e.g. a subject), newest first."""
    return AuditEvent.objects.filter(owner_key=owner_key).select_related("actor", "content_type")
