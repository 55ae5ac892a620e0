"""Model signals that move the content version on for writes outside the services.

The services audit every change, and :func:`~offlabel.web.common.services.audit_record` moves
the version on. A save or delete that skips the services (the admin, ``manage.py shell``, a
cascade) still sends Django's model signals; these receivers catch them for every model of the
offlabel apps, so no cached page outlives a change. Models no page shows are left out (their
writes happen on every sign-in or notification and would only empty the caches).
"""

from __future__ import annotations

from typing import Any

from django.db import models

from offlabel.web.common.services import content_changed

#: ``app_label.ModelName`` of models whose writes no cached page shows.
QUIET_MODELS = frozenset(
    {
        "common.AuditEvent",
        "common.ContentVersion",
        "network.Notification",
        "network.NotificationSetting",
        "literature.ImportBatch",
    }
)
#: A save of only these fields changes nothing a page shows (Django's sign-in writes it).
QUIET_FIELDS = frozenset({"last_login"})


def _counts(sender: type[models.Model]) -> bool:
    meta = sender._meta
    if sender.__module__ == "__fake__":  # migrations' historical models
        return False
    if meta.app_config is None or not meta.app_config.name.startswith("offlabel.web."):
        return False
    return f"{meta.app_label}.{meta.object_name}" not in QUIET_MODELS


def on_save(sender: type[models.Model], raw: bool = False, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if raw or not _counts(sender) or (fields and set(fields) <= QUIET_FIELDS):
        return
    content_changed(sender)


def on_delete(sender: type[models.Model], **kwargs: Any) -> None:
    if _counts(sender):
        content_changed(sender)


def on_m2m(sender: type[models.Model], action: str, instance: models.Model, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and _counts(type(instance)):
        content_changed(type(instance))
