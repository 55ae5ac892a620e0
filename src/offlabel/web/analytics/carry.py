"""Snapshots across review versions: carried forward into a new version, then kept, refreshed or
dropped by an editor before that version is published.

The reviews app announces a new version (``review_version_started``) and asks before publishing
(``review_publishing``); the receivers here answer, so the reviews app never imports this one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User
from offlabel.web.analytics.models import RegistrySnapshot
from offlabel.web.analytics.services import snapshot_freeze
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record


class Decision(StrEnum):
    KEEP = "keep"
    REFRESH = "refresh"
    DROP = "drop"


def _describe(frozen: RegistrySnapshot) -> str:
    return f"{frozen.get_section_display()} snapshot of {frozen.data_date:%d %B %Y}"


@transaction.atomic
def snapshots_carry_forward(*, previous: Any, review: Any, by: User | None) -> int:
    """Copy every snapshot of ``previous`` into the new version ``review``; returns how many."""
    copies = [
        RegistrySnapshot(
            review=review,
            section=old.section,
            n=old.n,
            figures=old.figures,
            data_date=old.data_date,
            registry_version=old.registry_version,
            created_by=old.created_by,
            carried_from=old.carried_from or old,
        )
        for old in RegistrySnapshot.objects.filter(review=previous).order_by("created_at", "id")
    ]
    RegistrySnapshot.objects.bulk_create(copies)
    for copy in copies:
        audit_record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=copy,
            after={"review": review.pk, "section": copy.section, "n": copy.n},
            note=f"carried over from version {previous.version}; keep, refresh or drop it",
        )
    return len(copies)


def publish_blockers(review: Any) -> list[str]:
    """Why ``review`` cannot be published yet as far as its snapshots go (empty: it can)."""
    waiting = RegistrySnapshot.objects.filter(
        review=review, carried_from__isnull=False, kept_at__isnull=True
    ).order_by("section", "id")
    return [
        f"The {_describe(frozen)} was carried over from the previous version: an editor keeps, "
        "refreshes or drops it before publishing."
        for frozen in waiting
    ]


@transaction.atomic
def snapshot_decide(
    *, snapshot: RegistrySnapshot, decision: str, by: User
) -> RegistrySnapshot | None:
    """An editor's choice for a carried-over snapshot of an unpublished version.

    ``keep`` shows the same figures in the new version, ``refresh`` replaces them with the
    registry's figures of today, ``drop`` removes them from the new version. Returns the
    snapshot the version now shows (``None`` when dropped).
    """
    if not (by.is_authenticated and by.is_editor):
        raise PermissionDenied(_("Only editors keep, refresh or drop a carried-over snapshot."))
    try:
        chosen = Decision(decision)
    except ValueError:
        raise ValidationError(
            _("Choose keep, refresh or drop, not %(decision)r.") % {"decision": decision}
        ) from None
    frozen = (
        RegistrySnapshot.objects.select_for_update().select_related("review").get(pk=snapshot.pk)
    )
    if not frozen.review.is_open:
        raise ValidationError(_("A published version's snapshots never change."))
    note = f"{_describe(frozen)} in version {frozen.review.version}: {chosen.value}"
    audit_record(
        by=by,
        action=AuditEvent.Action.DELETE
        if chosen is not Decision.KEEP
        else AuditEvent.Action.UPDATE,
        instance=frozen,
        before={"kept_at": None, "n": frozen.n},
        note=note,
    )
    if chosen is Decision.KEEP:
        frozen.kept_at = timezone.now()
        frozen.save(update_fields=["kept_at"])
        return frozen
    review, section = frozen.review, frozen.section
    frozen.delete()
    if chosen is Decision.REFRESH:
        try:
            return snapshot_freeze(review=review, section=section, by=by)
        except ValueError as error:
            raise ValidationError(
                _("Could not refresh the snapshot: %(error)s.") % {"error": error}
            ) from None
    return None


def snapshot_rows(review: Any) -> list[RegistrySnapshot]:
    """The version's snapshots for its workspace, carried-over ones first."""
    return list(
        RegistrySnapshot.objects.filter(review=review)
        .select_related("carried_from__review")
        .order_by("kept_at", "section", "id")
    )


# -- receivers (connected in AnalyticsConfig.ready) ---------------------------------------------


def on_review_version_started(
    sender: Any, review: Any = None, previous: Any = None, by: Any = None, **kwargs: Any
) -> None:
    if review is not None and previous is not None:
        snapshots_carry_forward(previous=previous, review=review, by=by)


def on_review_publishing(sender: Any, review: Any = None, **kwargs: Any) -> list[str]:
    return publish_blockers(review) if review is not None else []
