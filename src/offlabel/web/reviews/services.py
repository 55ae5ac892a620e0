"""Writes of the reviews app. Each is atomic and leaves an audit row (who, when, what).

Who may do what
---------------
* reviewers start drafts and new versions, edit sections, attach and edit evidence, circulate,
  and vote;
* editors publish (an editor who also holds the reviewer role may do the rest as well);
* published and superseded versions never change.

Refusals raise ``PermissionDenied`` (wrong role) or ``ValidationError`` (wrong state or bad
value, with a message naming the problem); nothing is half-saved.

New versions and "no grade change"
----------------------------------
:func:`review_new_version` copies the published version's sections, citations and evidence into
a new draft. When ``carry_votes=True`` it also copies the published version's votes, marked
``carried_over``: an update whose change summary says "no new information warranted a grade
change" can then be circulated and published without every reviewer voting again, while any
reviewer may still re-cast a carried-over vote. Without it, the new version is voted from
scratch.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.consensus import agreement, consensus_table, needs_rationale, publish_check
from offlabel.evidence.grading import suggest_grades
from offlabel.evidence.rubric import default_rubric
from offlabel.evidence.vocabulary import (
    Category,
    Design,
    Direction,
    Grade,
    Quality,
    Species,
    TargetSpecies,
)
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
    PublishedGrade,
    Review,
    ReviewReference,
)
from offlabel.web.reviews.relevance import check_item_relevance as _check_relevance
from offlabel.web.reviews.signals import (
    review_published,
    review_publishing,
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


# -- conflicts of interest, votes and publication -----------------------------------------------


@transaction.atomic
def conflict_statement_save(*, review: Review, by: User, statement: str) -> ConflictStatement:
    """A reviewer states (or restates) their conflicts of interest for one open version.

    Every reviewer does this before casting a vote; the statements are shown with the review.
    """
    _require_reviewer(by)
    _require_open(review)
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError(
            {"statement": _("State your conflicts of interest, or write “None” if you have none.")}
        )
    if len(statement) > 2000:
        raise ValidationError({"statement": _("Keep the statement under 2,000 characters.")})
    found = ConflictStatement.objects.filter(review=review, reviewer=by).first()
    before = snapshot(found) if found else None
    if found is None:
        found = ConflictStatement(review=review, reviewer=by)
    found.statement = statement
    found.save()
    _audit(
        by,
        AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        found,
        before,
        snapshot(found),
    )
    return found


def core_items(review: Review, items: Any = None) -> list[Any]:
    """The version's evidence items that count, as the grading engine's items (in list order).

    Items with an unconfirmed relevance warning are left out: pass ``items`` already filtered
    (``[i for i in items if i.counts]``) when the engine's item numbers must map back.
    """
    from offlabel.evidence.grading import EvidenceItem as CoreItem

    rows = list(items if items is not None else review.evidence_items.select_related("reference"))
    rows = [row for row in rows if row.counts]
    return [
        CoreItem(
            category=Category(row.category),
            species=Species(row.species),
            target_species=TargetSpecies(review.target_species),
            design=Design(row.design),
            quality=Quality(row.quality),
            direction=Direction(row.direction),
            verified=row.verified,
            n=row.n,
            ref=str(row.reference_id),
        )
        for row in rows
    ]


@transaction.atomic
def grade_vote_cast(
    *, review: Review, by: User, category: str, grade: str, rationale: str = ""
) -> GradeVote:
    """Cast (or re-cast) one reviewer's grade for one category of a circulating version.

    A vote two or more levels from the engine's suggestion (or U against a letter) needs a
    rationale.
    """
    _require_reviewer(by)
    review = Review.objects.select_related("topic__condition").get(pk=review.pk)
    if review.status != Review.Status.CIRCULATING:
        raise ValidationError(
            _("Votes are cast while a version circulates; version %(version)s is %(status)s.")
            % {"version": review.version, "status": review.get_status_display().lower()}
        )
    if not ConflictStatement.objects.filter(review=review, reviewer=by).exists():
        raise ValidationError(
            _(
                "State your conflicts of interest for this review before you vote (write “None” if "
                "you have none)."
            )
        )
    try:
        category_value, grade_value = Category(category), Grade(grade)
    except ValueError as exc:
        raise ValidationError(_("Not a category or grade: %(error)s") % {"error": exc}) from None
    suggestion = suggest_grades(core_items(review))[category_value]
    rationale = rationale.strip()
    if needs_rationale(grade_value, suggestion) and not rationale:
        raise ValidationError(
            {
                "rationale": _(
                    "%(category)s: your grade %(grade)s is far from the suggested "
                    "%(suggested)s; say why in the rationale."
                )
                % {
                    "category": category_value.label,
                    "grade": grade_value.value,
                    "suggested": suggestion.grade.value,
                }
            }
        )
    vote = GradeVote.objects.filter(review=review, reviewer=by, category=category_value).first()
    before = snapshot(vote) if vote else None
    if vote is None:
        vote = GradeVote(review=review, reviewer=by, category=category_value)
    vote.grade = grade_value
    vote.rationale = rationale
    vote.suggested_grade = suggestion.grade
    vote.carried_over = False
    vote.save()
    _audit(
        by,
        AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        vote,
        before,
        snapshot(vote),
    )
    return vote


@transaction.atomic
def review_publish(*, review: Review, by: User) -> Review:
    """Publish a circulating version: freeze the consensus grades and supersede the old version.

    Refused (``ValidationError`` naming each short category) while any category has fewer votes
    than :func:`min_votes`. Sends :data:`~offlabel.web.reviews.signals.review_published` at the
    end, inside the same transaction (receivers that do slow work should queue it).
    """
    _require_editor(by)
    review = Review.objects.select_for_update().select_related("topic__condition").get(pk=review.pk)
    if review.status != Review.Status.CIRCULATING:
        raise ValidationError(
            _("Only a circulating version can be published; version %(version)s is %(status)s.")
            % {"version": review.version, "status": review.get_status_display().lower()}
        )
    blockers = [
        reason
        for _receiver, reasons in review_publishing.send(sender=Review, review=review)
        for reason in (reasons or [])
    ]
    if blockers:
        raise ValidationError(blockers)
    votes = list(review.votes.all())
    by_category: dict[str, list[str]] = {c.value: [] for c in Category}
    by_reviewer: dict[str, dict[str, str]] = {}
    for vote in votes:
        by_category[vote.category].append(vote.grade)
        by_reviewer.setdefault(str(vote.reviewer_id), {})[vote.category] = vote.grade
    check = publish_check(by_category, min_votes())
    if not check.ok:
        raise ValidationError(check.message[0].upper() + check.message[1:] + ".")
    table = consensus_table(by_category)
    suggestions = suggest_grades(core_items(review))
    alpha = agreement(by_reviewer)
    PublishedGrade.objects.bulk_create(
        PublishedGrade(
            review=review,
            category=category,
            grade=result.grade,
            suggested_grade=suggestions[category].grade,
            rule=suggestions[category].rule,
            basis=result.basis[:200],
            distribution={g.value: n for g, n in result.distribution.items()},
            n_votes=result.n_votes,
        )
        for category, result in table.items()
    )
    previous = list(
        Review.objects.select_for_update().filter(
            topic=review.topic, status=Review.Status.PUBLISHED
        )
    )
    for old in previous:
        before = _review_snapshot(old)
        old.status = Review.Status.SUPERSEDED
        old.save(update_fields=["status", "updated"])
        _audit(
            by,
            AuditEvent.Action.UPDATE,
            old,
            before,
            _review_snapshot(old),
            f"superseded by version {review.version}",
        )
    before = _review_snapshot(review)
    review.status = Review.Status.PUBLISHED
    review.published_at = timezone.now()
    review.published_by = by
    review.agreement_alpha = alpha.alpha
    review.agreement_note = alpha.note[:200]
    review.save(
        update_fields=[
            "status",
            "published_at",
            "published_by",
            "agreement_alpha",
            "agreement_note",
            "updated",
        ]
    )
    grades = ", ".join(f"{c.value} {r.grade.value}" for c, r in table.items())
    _audit(by, AuditEvent.Action.PUBLISH, review, before, _review_snapshot(review), grades)
    topic = review.topic
    topic_before = snapshot(topic)
    topic.review_published_at = review.published_at
    fields = ["review_published_at", "updated"]
    if topic.status != Topic.Status.PUBLISHED:
        topic.status = Topic.Status.PUBLISHED
        fields.append("status")
    topic.save(update_fields=fields)
    _audit(by, AuditEvent.Action.UPDATE, topic, topic_before, snapshot(topic), "published")
    review_published.send(sender=Review, review=review, topic=topic)
    return review
