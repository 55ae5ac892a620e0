"""A record's history as people read it: who changed what, when, why, before → after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from offlabel.web.common.models import AuditEvent
from offlabel.web.registry.models import CareAccess

_HIDDEN = {"id", "subject", "course", "owner", "public_id", "token", "dose_confirmed", "confirmed"}
_VERBS: dict[str, str] = {
    AuditEvent.Action.CREATE: "added",
    AuditEvent.Action.UPDATE: "changed",
    AuditEvent.Action.DELETE: "deleted",
    AuditEvent.Action.ACCESS: "changed who may see",
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    event: AuditEvent
    verb: str
    changes: list[Change] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return self.event.note


def _shown(value: Any) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value)
    return str(value)


def _label(event: AuditEvent, name: str) -> str:
    model = event.content_type.model_class()
    try:
        found = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        found = None
    return str(getattr(found, "verbose_name", "") or name.replace("_", " "))


def history_rows(events: Iterable[AuditEvent], *, include_access: bool) -> list[HistoryRow]:
    """Rows of a record's history, newest first; access changes (naming other people's
    addresses) only for the owner (``include_access``)."""
    rows = []
    for event in events:
        model = event.content_type.model_class()
        if model is CareAccess and not include_access:
            continue
        row = HistoryRow(event, _VERBS.get(event.action, event.get_action_display().lower()))
        if event.action == AuditEvent.Action.UPDATE and event.before is not None:
            after = event.after or {}
            for name in sorted(set(event.before) | set(after)):
                if name in _HIDDEN or event.before.get(name) == after.get(name):
                    continue
                row.changes.append(
                    Change(
                        _label(event, name), _shown(event.before.get(name)), _shown(after.get(name))
                    )
                )
        if event.action == AuditEvent.Action.UPDATE and event.note == "Restored.":
            row.verb = "restored"
        rows.append(row)
    return rows
