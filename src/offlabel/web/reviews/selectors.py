"""Reads of the reviews app.

Visibility: published and superseded versions are public (every version keeps its permalink);
drafts and circulating versions are seen only by reviewers and editors. Everyone else gets
``Review.DoesNotExist`` for them, which views turn into 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from offlabel.evidence.grading import Suggestion, suggest_grades
from offlabel.evidence.rubric import Rubric, default_rubric
from offlabel.evidence.vocabulary import Category, Grade
from offlabel.literature.links import IdentifierLink, identifier_links
from offlabel.reports.readability import reading_level
from offlabel.reports.review_document import (
    ConflictEntry,
    GradeEntry,
    ReferenceEntry,
    ReviewDocument,
    SectionText,
)
from offlabel.reports.snapshot import SnapshotEntry, snapshot_entry
from offlabel.web.accounts.models import Viewer, signed_in
from offlabel.web.accounts.roles import Role
from offlabel.web.common.selectors import min_cell
from offlabel.web.reviews.citations import format_references
from offlabel.web.reviews.models import (
    SECTIONS,
    ConflictStatement,
    EvidenceItem,
    GradeVote,
    PublishedGrade,
    Review,
    ReviewReference,
)

PUBLIC_STATUSES = (Review.Status.PUBLISHED, Review.Status.SUPERSEDED)
OPEN_STATUSES = (Review.Status.DRAFT, Review.Status.CIRCULATING)


def user_sees_unpublished(user: Viewer) -> bool:
    """Reviewers and editors see drafts and circulating versions."""
    account = signed_in(user)
    return account is not None and account.has_any_role(Role.REVIEWER, Role.EDITOR)


def _base() -> QuerySet[Review]:
    return Review.objects.select_related("topic__therapy", "topic__condition")


def reviews_visible_to(user: Viewer) -> QuerySet[Review]:
    """Every version this user may open."""
    reviews = _base()
    if user_sees_unpublished(user):
        return reviews
    return reviews.filter(status__in=PUBLIC_STATUSES)


def review_latest_published(topic_slug: str) -> Review:
    """The published version of a topic's review (``Review.DoesNotExist`` when none)."""
    return _base().get(topic__slug=topic_slug, status=Review.Status.PUBLISHED)


def review_version(topic_slug: str, version: int, user: Viewer) -> Review:
    """One version by its permalink, if this user may see it."""
    return reviews_visible_to(user).get(topic__slug=topic_slug, version=version)


def review_history(review: Review, user: Viewer) -> list[Review]:
    """The versions of the same topic this user may see, newest first."""
    return list(
        reviews_visible_to(user)
        .filter(topic_id=review.topic_id)
        .only("id", "version", "status", "published_at", "change_summary", "topic_id")
        .order_by("-version")
    )


@dataclass
class GradeRow:
    """One row of the Table of Evidence as shown to readers."""

    category: Category
    published: PublishedGrade | None

    @property
    def label(self) -> str:
        return gettext(self.category.label)

    @property
    def anchor(self) -> str:
        grade = self.published.grade if self.published else Grade.U.value
        return f"{self.category.value}-{grade}"

    @property
    def distribution(self) -> list[tuple[str, int]]:
        if self.published is None:
            return []
        return [(g.value, int(self.published.distribution.get(g.value, 0))) for g in Grade]


def review_grade_rows(review: Review) -> list[GradeRow]:
    """The five categories in order, with the published consensus when there is one.

    Uses ``review.published_grades`` (prefetch it to keep this free of queries).
    """
    by_category = {g.category: g for g in review.published_grades.all()}
    return [GradeRow(category, by_category.get(category.value)) for category in Category]


@dataclass
class Section:
    name: str
    heading: str
    category: str
    text: str
    extras: list[Any] = field(default_factory=list)


def review_sections(review: Review, translation: Any = None) -> list[Section]:
    """The sections in reading order; with a translation, its texts where it has them."""
    source = {name: getattr(review, name) or "" for name, _h, _c in SECTIONS}
    if translation is not None:
        source.update({n: t for n in source if (t := getattr(translation, n))})
    return [
        Section(name, str(heading), category, source[name]) for name, heading, category in SECTIONS
    ]


@dataclass(frozen=True)
class Citation:
    number: int
    text: str
    reference: Any

    @property
    def links(self) -> list[IdentifierLink]:
        """PubMed, DOI and ClinicalTrials.gov links from the reference's identifiers."""
        ref = self.reference
        return identifier_links(pmid=ref.pmid or "", doi=ref.doi or "", nct=ref.nct or "")


def review_citations(review: Review) -> list[Citation]:
    """The numbered reference list, in Vancouver style."""
    rows = list(ReviewReference.objects.filter(review=review).select_related("reference"))
    texts = format_references([row.reference for row in rows])
    return [
        Citation(row.position, text, row.reference) for row, text in zip(rows, texts, strict=True)
    ]


def review_for_page(topic_slug: str, version: int | None, user: Viewer) -> Review:
    """A version with everything its page shows prefetched (``DoesNotExist`` if not visible)."""
    reviews = reviews_visible_to(user).prefetch_related("published_grades", "authors")
    if version is None:
        return reviews.get(topic__slug=topic_slug, status=Review.Status.PUBLISHED)
    return reviews.get(topic__slug=topic_slug, version=version)


def reviews_published(
    *,
    condition: Any = None,
    species: str = "",
    grade: str = "",
    category: str = "",
) -> QuerySet[Review]:
    """Published versions (one per topic), filtered by condition, target species and grade.

    ``grade`` alone matches a review with that grade in any category; with ``category`` it
    matches that category only.
    """
    reviews = (
        _base()
        .filter(status=Review.Status.PUBLISHED)
        .prefetch_related(
            Prefetch("published_grades", queryset=PublishedGrade.objects.order_by("id"))
        )
        .order_by("topic__therapy__name", "topic__condition__name")
    )
    if condition is not None:
        reviews = reviews.filter(topic__condition=condition)
    if species:
        reviews = reviews.filter(topic__condition__species=species)
    if grade:
        where = Q(published_grades__grade=grade)
        if category:
            where &= Q(published_grades__category=category)
        reviews = reviews.filter(where).distinct()
    return reviews


def reviews_in_workspace() -> QuerySet[Review]:
    """Versions being written or voted on, for the reviewer workspace."""
    return _base().filter(status__in=OPEN_STATUSES).order_by("-updated")


def review_evidence(review: Review) -> list[EvidenceItem]:
    return list(review.evidence_items.select_related("reference").order_by("id"))


@dataclass
class SuggestionRow:
    """The engine's suggestion for one category, with the evidence items it counted."""

    category: Category
    suggestion: Suggestion
    counted: list[EvidenceItem]
    considered: int

    @property
    def label(self) -> str:
        return gettext(self.category.label)


def review_suggestions(
    review: Review, items: list[EvidenceItem] | None = None, rubric: Rubric | None = None
) -> list[SuggestionRow]:
    """Suggested grade per category from the version's evidence, in category order."""
    from offlabel.web.reviews.services import core_items

    items = review_evidence(review) if items is None else items
    items = [item for item in items if item.counts]
    suggestions = suggest_grades(core_items(review, items), rubric)
    return [
        SuggestionRow(
            category,
            suggestion,
            [items[i] for i in suggestion.items],
            len(suggestion.considered),
        )
        for category, suggestion in suggestions.items()
    ]


def review_votes(review: Review) -> list[GradeVote]:
    return list(review.votes.select_related("reviewer").order_by("category", "reviewer__email"))


@dataclass
class VoteTally:
    """One category's votes as one viewer may see them (blinded grading)."""

    category: Category
    visible: list[GradeVote]
    hidden: int

    @property
    def label(self) -> str:
        return gettext(self.category.label)


def review_vote_tally(review: Review, user: Viewer, votes: list[GradeVote]) -> list[VoteTally]:
    """Each category's votes, blinded: a reviewer sees the others' votes and rationales for a
    category only once they have cast their own; editors see every vote. Before that the
    reviewer sees only how many others have voted."""
    account = signed_in(user)
    editor = account is not None and account.has_role(Role.EDITOR)
    mine = {v.category for v in votes if account is not None and v.reviewer_id == account.pk}
    tally = []
    for category in Category:
        cast = [v for v in votes if v.category == category.value]
        if editor or category.value in mine:
            tally.append(VoteTally(category, cast, 0))
        else:
            own = [v for v in cast if account is not None and v.reviewer_id == account.pk]
            tally.append(VoteTally(category, own, len(cast) - len(own)))
    return tally


def review_conflicts(review: Review) -> list[ConflictStatement]:
    """The reviewers' conflict-of-interest statements for this version."""
    return list(ConflictStatement.objects.filter(review=review).select_related("reviewer"))


def review_snapshots(review: Review) -> list[SnapshotEntry]:
    """The registry snapshots frozen into this version, from their stored figures (plain JSON)."""
    # The analytics app's RegistrySnapshot, read through its relation to the review (reviews
    # sits below analytics and never imports it); newest first, as the page shows them.
    snapshots: Any = review.registry_snapshots  # type: ignore[attr-defined]
    frozen = snapshots.select_related("carried_from__review").order_by(
        "section", "-created_at", "-id"
    )
    threshold = min_cell()
    return [
        snapshot_entry(
            section=row.section,
            data_date=row.data_date,
            n=row.n,
            figures=row.figures,
            min_cell=threshold,
            carried_from_version=row.carried_from.review.version if row.carried_from else None,
            key=f"{review.topic.slug}-v{review.version}-{row.pk}",
        )
        for row in frozen
    ]


def topic_library_references(review: Review) -> QuerySet[Any]:
    """References offered for attaching: the topic's library and those the review cites."""
    from offlabel.web.literature.models import Reference

    return Reference.objects.filter(
        Q(library_entries__topic_id=review.topic_id) | Q(review_citations__review=review)
    ).distinct()


# -- pre-filling an evidence item from a library reference -------------------------------------


def evidence_prefill(review: Review, reference: Any) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Initial form values for attaching ``reference`` as evidence, and the reasons for them.

    Species and design come from the reference as stored, or from the literature classifier;
    the category follows from the design and whether the species is the review's target species
    (another species is model evidence, filed as pre-clinical).
    """
    from offlabel.web.literature.selectors import reference_classification

    found = reference_classification(reference, review.target_species)
    initial: dict[str, Any] = {"reference": reference.pk}
    for name in ("species", "design", "category"):
        value = getattr(found, name)
        if value:
            initial[name] = value
    return initial, tuple(found.reasons)


def rubric_table(rubric: Rubric | None = None) -> list[tuple[Category, list[Any]]]:
    """Every category with its levels (A..F, U), for the rubric page."""
    rubric = rubric or default_rubric()
    return [(category, list(rubric.ladder(category))) for category in Category]


# -- the document the exports render ------------------------------------------------------------


def _authors(review: Review) -> str:
    if review.author_names:
        return review.author_names
    return ", ".join(str(user) for user in review.authors.all())


def review_document(review: Review, translation: Any = None) -> ReviewDocument:
    """Everything a reader of this version sees, as plain data for :mod:`offlabel.reports`.

    With a :class:`~offlabel.web.reviews.models.ReviewTranslation`, the title, summary and
    sections are the translation's where it has them (the grades and references stay).
    """
    published = review.published_at
    plain = (translation.plain_summary if translation is not None else "") or review.plain_summary
    return ReviewDocument(
        topic=review.topic.slug,
        title=(translation.title if translation is not None else "") or review.display_title,
        therapy=review.topic.therapy.name,
        condition=review.topic.condition.name,
        condition_species=review.topic.condition.get_species_display(),
        target_species=review.target_species,
        version=review.version,
        status=review.status,
        status_label=review.get_status_display(),
        published=timezone.localtime(published).date() if published else None,
        authors=_authors(review),
        rubric_version=review.rubric_version,
        change_summary=review.change_summary,
        based_on_version=review.based_on.version if review.based_on is not None else None,
        grades=[
            GradeEntry(row.category)
            if row.published is None
            else GradeEntry(
                row.category,
                grade=row.published.grade,
                suggested_grade=row.published.suggested_grade,
                rule=row.published.rule,
                basis=row.published.basis,
                distribution=dict(row.published.distribution),
                n_votes=row.published.n_votes,
            )
            for row in review_grade_rows(review)
        ],
        agreement_alpha=review.agreement_alpha,
        agreement_note=review.agreement_note,
        sections=[
            SectionText(s.name, s.heading, s.text) for s in review_sections(review, translation)
        ],
        plain_summary=plain,
        reading_level=level.grade if (level := reading_level(review.plain_summary)) else None,
        language=translation.language if translation is not None else "en",
        snapshots=review_snapshots(review),
        conflicts=[ConflictEntry(str(c.reviewer), c.statement) for c in review_conflicts(review)],
        evidence=[
            {
                "reference": item.reference_id,
                "category": item.category,
                "species": item.species,
                "design": item.design,
                "quality": item.quality,
                "direction": item.direction,
                "verified": item.verified,
                "n": item.n,
                "note": item.note,
            }
            for item in review_evidence(review)
        ],
        references=[
            ReferenceEntry(
                c.number,
                c.text,
                doi=c.reference.doi,
                pmid=c.reference.pmid,
                nct=c.reference.nct,
                url=c.reference.url,
            )
            for c in review_citations(review)
        ],
    )


# -- what changed in a published version (for feeds and notifications) -------------------------


@dataclass(frozen=True)
class GradeChange:
    category: Category
    old: str
    new: str

    @property
    def text(self) -> str:
        return f"{gettext(self.category.label)} {self.old} → {self.new}"


def review_previous_public(review: Review) -> Review | None:
    """The public version this one follows (``None`` for the first)."""
    return (
        Review.objects.filter(
            topic_id=review.topic_id, status__in=PUBLIC_STATUSES, version__lt=review.version
        )
        .prefetch_related("published_grades")
        .order_by("-version")
        .first()
    )


def review_grade_changes(review: Review, previous: Review | None = None) -> list[GradeChange]:
    """The categories whose published grade differs from the previous public version's."""
    previous = previous if previous is not None else review_previous_public(review)
    if previous is None:
        return []
    before = {g.category: g.grade for g in previous.published_grades.all()}
    return [
        GradeChange(Category(g.category), before.get(g.category, "–"), g.grade)
        for g in sorted(review.published_grades.all(), key=lambda g: g.order)
        if before.get(g.category) != g.grade
    ]


def review_change_sentence(review: Review, previous: Review | None = None) -> str:
    """One sentence on the grades of a published version, for feeds and notifications."""
    grades = ", ".join(
        f"{g.category_label} {g.grade}"
        for g in sorted(review.published_grades.all(), key=lambda g: g.order)
    )
    previous = previous if previous is not None else review_previous_public(review)
    if previous is None:
        return f"First published version. Grades: {grades}."
    changes = review_grade_changes(review, previous)
    if not changes:
        return f"No grade changed since version {previous.version}. Grades: {grades}."
    changed = "; ".join(c.text for c in changes)
    return f"Grades changed since version {previous.version}: {changed}. Grades now: {grades}."


def reviews_for_feed(topic_slug: str | None = None, limit: int = 50) -> list[Review]:
    """Public versions, newest publication first, for the Atom feeds."""
    reviews = (
        _base()
        .filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)
        .prefetch_related("published_grades")
        .order_by("-published_at", "-version")
    )
    if topic_slug is not None:
        reviews = reviews.filter(topic__slug=topic_slug)
    return list(reviews[:limit])
