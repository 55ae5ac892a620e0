from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded change: who did what to which record, with the values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        PUBLISH = "publish", _("Published")
        ACCESS = "access", _("Access changed")
        OTHER = "other", _("Other")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=200)
    # The record this change belongs to for its owner's "who changed my data" view
    # (for example the subject a score belongs to); empty when the change has no owner.
    owner_key = models.CharField(max_length=64, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} at {self.at:%Y-%m-%d %H:%M}"


class ContentVersion(models.Model):
    """Counters that move on whenever what readers see changes (one row, ``pk=1``).

    Cached pages and panels hold the counter in their keys, so a change makes them unreachable
    at once, in every process, without clearing anything. ``site`` moves on with every change
    a page may show, ``registry`` with every change to the registry's data (the registry panels
    recompute only then). :func:`offlabel.web.common.services.content_changed` moves them, in
    the writer's transaction: a reader sees the new counter exactly when it sees the new data.
    """

    site = models.BigIntegerField(default=0)
    registry = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return f"site {self.site}, registry {self.registry}"
