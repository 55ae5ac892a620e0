"""Writes of the reviews app: conflict-of-interest statements, grade votes and publication.

The rules in :mod:`offlabel.web.reviews.services` hold here too (see its docstring).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.consensus import agreement, consensus_table, needs_rationale, publish_check
from offlabel.evidence.grading import suggest_grades
from offlabel.evidence.vocabulary import (
    Category,
    Design,
    Direction,
    Grade,
    Quality,
    Species,
    TargetSpecies,
)
from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import snapshot
from offlabel.web.reviews.models import (
    ConflictStatement,
    GradeVote,
    PublishedGrade,
    Review,
)
from offlabel.web.reviews.services.drafting import (
    _audit,
    _require_editor,
    _require_open,
    _require_reviewer,
    _review_snapshot,
    min_votes,
)
from offlabel.web.reviews.signals import (
    review_published,
    review_publishing,
)

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
