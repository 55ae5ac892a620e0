from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The only change an audit row may undergo: erasing the values, label, note and actor it
#: holds when the records it describes are deleted for good (the who-when-what-kind stays).
ERASABLE = frozenset({"before", "after", "object_repr", "note", "actor", "actor_id"})


class AuditTrailError(Exception):
    """An audit row was to be changed or deleted: the trail is append-only."""


def _erasure(values: dict[str, Any]) -> bool:
    """Whether ``values`` (field → new value) only erase: values and actor emptied, the label
    replaced by a parenthesised placeholder such as ``(deleted record)``, the note emptied."""
    for name, value in values.items():
        if name not in ERASABLE:
            return False
        if name == "object_repr":
            if not (isinstance(value, str) and value.startswith("(") and value.endswith(")")):
                return False
        elif name == "note":
            if value != "":
                return False
        elif value is not None:
            return False
    return True


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailError("Audit rows are never deleted.")

    def update(self, **kwargs: Any) -> int:
        if not _erasure(kwargs):
            raise AuditTrailError(
                "Audit rows are never changed; they may only be erased (values, label, note "
                "and actor emptied) when the records they describe are deleted."
            )
        return super().update(**kwargs)


class AuditEvent(models.Model):
    """One recorded change: who did what to which record, with the values before and after.

    Append-only: :meth:`save` refuses to change a stored row, :meth:`delete` and the queryset's
    ``delete`` refuse, ``update`` only erases (see :data:`ERASABLE`); on PostgreSQL a trigger
    (migration ``0003_audit_rows_append_only``) refuses the same in the database itself.
    """

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

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailError("An audit row, once written, is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditTrailError("Audit rows are never deleted.")


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
