"""Writes of the reviews app: drafts, new versions, sections, citations and evidence items.

Who may do what, and how a new version carries votes: see :mod:`offlabel.web.reviews.services`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.rubric import default_rubric
from offlabel.web.accounts.models import User, Viewer, signed_in
from offlabel.web.accounts.roles import Role
from offlabel.web.catalog.models import Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.reviews.models import (
    SECTION_FIELDS,
    ConflictStatement,
    EvidenceItem,
    GradeVote,
    Review,
    ReviewReference,
)
from offlabel.web.reviews.relevance import check_item_relevance as _check_relevance
from offlabel.web.reviews.signals import (
    review_version_started,
)

DEFAULT_MIN_VOTES = 3
EDITABLE_FIELDS = ("title", "author_names", "plain_summary", "change_summary", *SECTION_FIELDS)
EVIDENCE_FIELDS = (
    "reference",
    "category",
    "species",
    "design",
    "quality",
    "direction",
    "verified",
    "n",
    "note",
)
# Copied with an item into a new version (the confirmation stays with the item).
RELEVANCE_FIELDS = ("relevance_warning", "relevance_confirmed_by", "relevance_confirmed_at")


def min_votes() -> int:
    """Votes every category needs before publication (setting ``REVIEW_MIN_VOTES``, default 3)."""
    value = getattr(settings, "REVIEW_MIN_VOTES", DEFAULT_MIN_VOTES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(f"REVIEW_MIN_VOTES must be a whole number >= 1, got {value!r}")
    return value


# -- checks ------------------------------------------------------------------------------------


def _require_reviewer(user: Viewer) -> None:
    account = signed_in(user)
    if account is None or not account.has_role(Role.REVIEWER):
        raise PermissionDenied(_("Only reviewers may do this."))


def _require_editor(user: Viewer) -> None:
    account = signed_in(user)
    if account is None or not account.has_role(Role.EDITOR):
        raise PermissionDenied(_("Only editors may publish a review."))


def _require_open(review: Review) -> None:
    if not review.is_open:
        raise ValidationError(
            _(
                "Version %(version)s is %(status)s: a published version never changes. "
                "Start a new version instead."
            )
            % {"version": review.version, "status": review.get_status_display().lower()}
        )


def _require_no_open_version(topic: Topic) -> None:
    open_version = topic.reviews.filter(
        status__in=[Review.Status.DRAFT, Review.Status.CIRCULATING]
    ).first()
    if open_version is not None:
        raise ValidationError(
            _(
                "Version %(version)s of this review is still %(status)s; finish it before "
                "starting another."
            )
            % {
                "version": open_version.version,
                "status": open_version.get_status_display().lower(),
            }
        )


def _next_version(topic: Topic) -> int:
    # Lock the topic row so two reviewers cannot take the same number at once (PostgreSQL
    # refuses FOR UPDATE with an aggregate, so the lock is on the topic, not the reviews).
    Topic.objects.select_for_update().filter(pk=topic.pk).first()
    top = Review.objects.filter(topic=topic).aggregate(Max("version"))
    return int(top["version__max"] or 0) + 1


def _audit(by: User, action: str, instance: Any, before: Any, after: Any, note: str = "") -> None:
    audit_record(by=by, action=action, instance=instance, before=before, after=after, note=note)


def _review_snapshot(review: Review) -> dict[str, Any]:
    return snapshot(review, exclude=("authors",))


# -- reviews -----------------------------------------------------------------------------------


@transaction.atomic
def review_create_draft(*, topic: Topic, by: User, title: str = "") -> Review:
    """Start version 1 (or the next number) of a topic's review as an empty draft.

    A topic whose review was already published gets new versions from
    :func:`review_new_version`, which starts from the published text.
    """
    _require_reviewer(by)
    _require_no_open_version(topic)
    if topic.reviews.filter(status=Review.Status.PUBLISHED).exists():
        raise ValidationError(
            _("This topic already has a published review: start a new version from it.")
        )
    review = Review.objects.create(
        topic=topic,
        version=_next_version(topic),
        title=title.strip(),
        rubric_version=default_rubric().version,
        created_by=by,
    )
    review.authors.add(by)
    _audit(by, AuditEvent.Action.CREATE, review, None, _review_snapshot(review))
    if topic.status == Topic.Status.REQUESTED:
        before = snapshot(topic)
        topic.status = Topic.Status.IN_REVIEW
        topic.save(update_fields=["status", "updated"])
        _audit(by, AuditEvent.Action.UPDATE, topic, before, snapshot(topic), "review started")
    return review


@transaction.atomic
def review_update(*, review: Review, by: User, **fields: Any) -> Review:
    """Change a draft's or circulating version's title, by-line, change summary or sections."""
    _require_reviewer(by)
    review = Review.objects.select_for_update().get(pk=review.pk)
    _require_open(review)
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            _("'%(field)s' is not an editable field of a review.") % {"field": unknown[0]}
        )
    before = _review_snapshot(review)
    changed = [name for name, value in fields.items() if getattr(review, name) != value]
    for name in changed:
        setattr(review, name, fields[name])
    if changed:
        review.full_clean(exclude=["topic", "authors", "based_on", "created_by", "published_by"])
        review.save(update_fields=[*changed, "updated"])
        _audit(
            by,
            AuditEvent.Action.UPDATE,
            review,
            {k: before[k] for k in changed},
            {k: _review_snapshot(review)[k] for k in changed},
        )
    review.authors.add(by)
    return review


@transaction.atomic
def review_circulate(*, review: Review, by: User) -> Review:
    """Send a draft round the reviewers for votes."""
    _require_reviewer(by)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != Review.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be circulated; version %(version)s is %(status)s.")
            % {"version": review.version, "status": review.get_status_display().lower()}
        )
    before = _review_snapshot(review)
    review.status = Review.Status.CIRCULATING
    review.circulated_at = timezone.now()
    review.save(update_fields=["status", "circulated_at", "updated"])
    _audit(by, AuditEvent.Action.UPDATE, review, before, _review_snapshot(review), "circulated")
    return review


@transaction.atomic
def review_new_version(
    *, review: Review, by: User, change_summary: str = "", carry_votes: bool = False
) -> Review:
    """A new draft starting from the published version ``review`` (see the module docstring)."""
    _require_reviewer(by)
    if review.status != Review.Status.PUBLISHED:
        raise ValidationError(_("A new version starts from the published version of a review."))
    _require_no_open_version(review.topic)
    new = Review.objects.create(
        topic=review.topic,
        version=_next_version(review.topic),
        title=review.title,
        author_names=review.author_names,
        plain_summary=review.plain_summary,
        change_summary=change_summary.strip(),
        rubric_version=default_rubric().version,
        based_on=review,
        created_by=by,
        **{name: getattr(review, name) for name in SECTION_FIELDS},
    )
    new.authors.set([*review.authors.all(), by])
    ReviewReference.objects.bulk_create(
        ReviewReference(review=new, reference_id=c.reference_id, position=c.position)
        for c in review.citations.all()
    )
    EvidenceItem.objects.bulk_create(
        EvidenceItem(
            review=new, **{f: getattr(item, f) for f in (*EVIDENCE_FIELDS, *RELEVANCE_FIELDS)}
        )
        for item in review.evidence_items.all()
    )
    if carry_votes:
        # A carried-over vote comes with the statement its reviewer made when casting it.
        ConflictStatement.objects.bulk_create(
            ConflictStatement(review=new, reviewer_id=c.reviewer_id, statement=c.statement)
            for c in review.conflicts.all()
        )
        GradeVote.objects.bulk_create(
            GradeVote(
                review=new,
                reviewer_id=vote.reviewer_id,
                category=vote.category,
                grade=vote.grade,
                rationale=vote.rationale,
                suggested_grade=vote.suggested_grade,
                carried_over=True,
            )
            for vote in review.votes.all()
        )
    _audit(
        by,
        AuditEvent.Action.CREATE,
        new,
        None,
        _review_snapshot(new),
        f"new version from version {review.version}"
        + (" with the published votes carried over" if carry_votes else ""),
    )
    review_version_started.send(sender=Review, review=new, previous=review, by=by)
    return new


# -- citations and evidence --------------------------------------------------------------------


def _cite(review: Review, reference: Any) -> ReviewReference:
    found = review.citations.filter(reference=reference).first()
    if found is not None:
        return found
    top = review.citations.aggregate(Max("position"))["position__max"] or 0
    return ReviewReference.objects.create(review=review, reference=reference, position=top + 1)


@transaction.atomic
def review_reference_cite(*, review: Review, reference: Any, by: User) -> ReviewReference:
    """Add a reference to a version's numbered reference list (once; returns its entry)."""
    _require_reviewer(by)
    _require_open(review)
    citation = _cite(review, reference)
    _audit(by, AuditEvent.Action.UPDATE, review, None, {"cited": reference.pk}, "reference cited")
    return citation


def _clean_item(item: EvidenceItem) -> None:
    item.full_clean(exclude=["review"])


@transaction.atomic
def evidence_item_add(
    *, review: Review, by: User, confirm_relevance: bool = False, **values: Any
) -> EvidenceItem:
    """Attach one reference to one category as an evidence item (and cite the reference).

    The relevance check runs here: an item whose record does not name the topic's therapy (or,
    as Cases or Trials evidence, its condition) keeps the warning and counts towards the
    suggested grade only once confirmed (``confirm_relevance=True`` here, or
    :func:`evidence_item_confirm_relevance` later).
    """
    _require_reviewer(by)
    review = Review.objects.select_for_update().select_related("topic__therapy").get(pk=review.pk)
    _require_open(review)
    unknown = sorted(set(values) - set(EVIDENCE_FIELDS))
    if unknown:
        raise ValidationError(
            _("'%(field)s' is not a field of an evidence item.") % {"field": unknown[0]}
        )
    item = EvidenceItem(review=review, **values)
    _clean_item(item)
    _check_relevance(item, by, confirm_relevance)
    item.save()
    _cite(review, item.reference)
    _audit(by, AuditEvent.Action.CREATE, item, None, snapshot(item))
    return item


@transaction.atomic
def evidence_item_update(
    *, item: EvidenceItem, by: User, confirm_relevance: bool = False, **values: Any
) -> EvidenceItem:
    """Change an evidence item of an open version (the relevance check runs again)."""
    _require_reviewer(by)
    item = (
        EvidenceItem.objects.select_related("review__topic__therapy", "review__topic__condition")
        .select_for_update(of=("self",))
        .get(pk=item.pk)
    )
    _require_open(item.review)
    unknown = sorted(set(values) - set(EVIDENCE_FIELDS))
    if unknown:
        raise ValidationError(
            _("'%(field)s' is not a field of an evidence item.") % {"field": unknown[0]}
        )
    before = snapshot(item)
    for name, value in values.items():
        setattr(item, name, value)
    _clean_item(item)
    _check_relevance(item, by, confirm_relevance)
    item.save()
    _cite(item.review, item.reference)
    _audit(by, AuditEvent.Action.UPDATE, item, before, snapshot(item))
    return item


@transaction.atomic
def evidence_item_confirm_relevance(*, item: EvidenceItem, by: User) -> EvidenceItem:
    """A reviewer confirms that a flagged record is relevant, so the item counts."""
    _require_reviewer(by)
    item = (
        EvidenceItem.objects.select_related("review")
        .select_for_update(of=("self",))
        .get(pk=item.pk)
    )
    _require_open(item.review)
    if not item.relevance_warning:
        raise ValidationError(_("This evidence item has no relevance warning to confirm."))
    before = snapshot(item)
    item.relevance_confirmed_by, item.relevance_confirmed_at = by, timezone.now()
    item.save(update_fields=["relevance_confirmed_by", "relevance_confirmed_at"])
    _audit(by, AuditEvent.Action.UPDATE, item, before, snapshot(item), "relevance confirmed")
    return item


@transaction.atomic
def evidence_item_delete(*, item: EvidenceItem, by: User) -> None:
    """Remove an evidence item from an open version (its reference stays cited)."""
    _require_reviewer(by)
    item = EvidenceItem.objects.select_related("review").select_for_update().get(pk=item.pk)
    _require_open(item.review)
    before = snapshot(item)
    _audit(by, AuditEvent.Action.DELETE, item, before, None)
    item.delete()
