"""A review version's translations: editors keep them, readers of that language read them.

The service (:func:`review_translation_save`) follows the house shape of ``services.py``; the
reads (:func:`review_translation_for`, :func:`translated_sections`) are what the page, the
exports and the demo use.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User, Viewer, signed_in
from offlabel.web.accounts.roles import Role
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.reviews.models import (
    TRANSLATED_FIELDS,
    TRANSLATION_LANGUAGES,
    Review,
    ReviewTranslation,
)

LANGUAGES = dict(TRANSLATION_LANGUAGES)


def _require_editor(user: Viewer) -> None:
    account = signed_in(user)
    if account is None or not account.has_role(Role.EDITOR):
        raise PermissionDenied(_("Only editors keep the translations of a review."))


@transaction.atomic
def review_translation_save(
    *, review: Review, language: str, by: User, **fields: str
) -> ReviewTranslation:
    """Create or change the ``language`` translation of one version (editors only)."""
    _require_editor(by)
    if language not in LANGUAGES:
        raise ValidationError(
            _("A review can be translated into %(languages)s only, not %(language)r.")
            % {"languages": ", ".join(LANGUAGES), "language": language}
        )
    unknown = sorted(set(fields) - set(TRANSLATED_FIELDS))
    if unknown:
        raise ValidationError(
            _("'%(field)s' is not a translated field of a review.") % {"field": unknown[0]}
        )
    translation, created = ReviewTranslation.objects.select_for_update().get_or_create(
        review=review, language=language
    )
    before = None if created else snapshot(translation)
    for name, value in fields.items():
        setattr(translation, name, value.strip())
    translation.updated_by = by
    translation.full_clean(exclude=["review", "updated_by"])
    translation.save()
    audit_record(
        by=by,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        instance=translation,
        before=before,
        after=snapshot(translation),
        note=f"{language} translation of {review}",
    )
    return translation


def review_translation_for(review: Review, language: str | None) -> ReviewTranslation | None:
    """The version's translation into ``language`` (None for English or when there is none)."""
    if not language or language.split("-")[0] not in LANGUAGES:
        return None
    return ReviewTranslation.objects.filter(review=review, language=language.split("-")[0]).first()


def translated_text(review: Review, translation: ReviewTranslation | None, name: str) -> Any:
    """One field in the reader's language, falling back to the English original."""
    if translation is not None and getattr(translation, name):
        return getattr(translation, name)
    return getattr(review, name)
