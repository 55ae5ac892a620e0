"""Evidence reviews: versions, their Table-of-Evidence items, reviewers' votes and the
published consensus.

A :class:`Review` is one version of the review of one topic. Versions move
draft → circulating → published → superseded; a published or superseded version never changes
again, so its permalink (``/reviews/<topic>/v<N>/``) always shows what was published.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import (
    Category,
    Design,
    Direction,
    Grade,
    Quality,
    Species,
)
from offlabel.web.common.vocabulary import choices

# (model field, heading shown to readers, the vocabulary category the section grades or "")
SECTIONS: tuple[tuple[str, Any, str], ...] = (
    ("overview", _("Overview and claims"), ""),
    ("mechanism", _("Mechanism"), Category.MECHANISM.value),
    ("preclinical", _("Pre-clinical"), Category.PRECLINICAL.value),
    ("cases", _("Cases"), Category.CASES.value),
    ("trials", _("Trials"), Category.TRIALS.value),
    ("risks", _("Risks"), Category.RISKS.value),
    ("cost", _("Cost"), ""),
    ("conclusion", _("Conclusion"), ""),
)
SECTION_FIELDS: tuple[str, ...] = tuple(name for name, _heading, _category in SECTIONS)


def _section(label: Any) -> models.TextField[Any, Any]:
    return models.TextField(label, blank=True, help_text=_("Markdown."))


class ReviewSections(models.Model):
    """The text sections of :data:`SECTIONS`, declared once for a version and its translations."""

    overview = _section(_("Overview and claims"))
    mechanism = _section(_("Mechanism"))
    preclinical = _section(_("Pre-clinical"))
    cases = _section(_("Cases"))
    trials = _section(_("Trials"))
    risks = _section(_("Risks"))
    cost = _section(_("Cost"))
    conclusion = _section(_("Conclusion"))

    class Meta:
        abstract = True


class Review(ReviewSections):
    """One version of the review of one topic."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATING = "circulating", _("Circulating for votes")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded by a newer version")

    topic = models.ForeignKey("catalog.Topic", on_delete=models.PROTECT, related_name="reviews")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200, blank=True)

    plain_summary = models.TextField(
        "what this means for you",
        blank=True,
        help_text=_(
            "A plain-language summary for patients and owners (aim for a reading level of "
            "grade 8 or below; the workspace shows it). Markdown."
        ),
    )
    change_summary = models.TextField(
        blank=True,
        help_text=_(
            'What changed since the previous version ("No new information warranted a '
            'grade change" is a valid summary).'
        ),
    )

    authors: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="authored_reviews"
    )
    author_names = models.CharField(
        max_length=500, blank=True, help_text=_("As printed in the by-line, e.g. a group's name.")
    )
    rubric_version = models.CharField(max_length=60)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Krippendorff's ordinal alpha across categories, frozen at publication.
    agreement_alpha = models.FloatField(null=True, blank=True)
    agreement_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["topic", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "version"], name="one_review_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse(
            "reviews:version", kwargs={"topic_slug": self.topic.slug, "version": self.version}
        )

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return f"{self.topic.therapy.name} for {self.topic.condition.name}"

    @property
    def target_species(self) -> str:
        return self.topic.condition.species

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.SUPERSEDED)

    @property
    def is_open(self) -> bool:
        """Still being written or voted on (draft or circulating)."""
        return self.status in (self.Status.DRAFT, self.Status.CIRCULATING)

    def get_workspace_url(self) -> str:
        return reverse("reviews:workspace_review", kwargs={"pk": self.pk})


class ReviewReference(models.Model):
    """A reference cited by one review version, in the order of its numbered reference list."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="citations")
    reference = models.ForeignKey(
        "literature.Reference", on_delete=models.PROTECT, related_name="review_citations"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reference"], name="cite_once_per_review"),
        ]

    def __str__(self) -> str:
        return f"[{self.position}] {self.reference}"


class EvidenceItem(models.Model):
    """One reference's contribution to one category of one review version."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence_items")
    reference = models.ForeignKey(
        "literature.Reference", on_delete=models.PROTECT, related_name="evidence_items"
    )
    category = models.CharField(max_length=12, choices=choices(Category))
    species = models.CharField(max_length=16, choices=choices(Species))
    design = models.CharField(max_length=24, choices=choices(Design))
    quality = models.CharField(max_length=16, choices=choices(Quality))
    direction = models.CharField(max_length=12, choices=choices(Direction))
    verified = models.BooleanField(
        default=False,
        help_text=_(
            "Diagnosis verified and outcome objective (in Risks: harm objectively confirmed)."
        ),
    )
    n = models.PositiveIntegerField(null=True, blank=True, help_text=_("Number of subjects."))
    note = models.TextField(blank=True)
    # The relevance check at attachment: why the record may not be about the topic (empty when
    # it names the topic's therapy and condition). A flagged item counts towards the suggested
    # grade only once a reviewer confirms it is relevant.
    relevance_warning = models.TextField(blank=True)
    relevance_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    relevance_confirmed_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.reference}"

    @property
    def counts(self) -> bool:
        """Whether the grading engine counts it: no relevance warning, or a confirmed one."""
        return not self.relevance_warning or self.relevance_confirmed_at is not None


class GradeVote(models.Model):
    """One reviewer's grade for one category of one review version."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grade_votes"
    )
    category = models.CharField(max_length=12, choices=choices(Category))
    grade = models.CharField(max_length=1, choices=choices(Grade))
    rationale = models.TextField(blank=True)
    # The engine's suggestion when the vote was cast, kept so a later change of evidence does
    # not silently change what the reviewer saw.
    suggested_grade = models.CharField(max_length=1, choices=choices(Grade), blank=True)
    # Copied from the previous version by a "no grade change" update; re-casting clears it.
    carried_over = models.BooleanField(default=False)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "category", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reviewer", "category"], name="one_vote_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.category} {self.grade}"


class ConflictStatement(models.Model):
    """One reviewer's conflicts of interest for one review version, stated before voting."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflict_statements"
    )
    statement = models.TextField(
        help_text=_(
            "Financial or personal interests in this therapy (payments, shares, "
            "prescribing it, a relative taking it), or “None”."
        )
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "reviewer__display_name", "reviewer__email"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reviewer"], name="one_statement_per_review"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.review}"


class PublishedGrade(models.Model):
    """The consensus grade of one category, frozen when the review version was published."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="published_grades")
    category = models.CharField(max_length=12, choices=choices(Category))
    grade = models.CharField(max_length=1, choices=choices(Grade))
    suggested_grade = models.CharField(max_length=1, choices=choices(Grade))
    rule = models.CharField(
        max_length=40, help_text=_("The rubric level that fired, e.g. trials.D.")
    )
    basis = models.CharField(max_length=200, help_text=_("How the consensus was reached."))
    distribution = models.JSONField(default=dict, help_text=_("Votes per grade, A to U."))
    n_votes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "category"], name="one_grade_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.review}: {self.category} {self.grade}"

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def order(self) -> int:
        return list(Category).index(Category(self.category))


#: Languages a review version can be translated into (English is the original).
TRANSLATION_LANGUAGES = (("es", "Español"),)
#: What a translation carries: the title, the plain-language summary and every section.
TRANSLATED_FIELDS: tuple[str, ...] = ("title", "plain_summary", *SECTION_FIELDS)


class ReviewTranslation(ReviewSections):
    """One version of a review in another language, kept by editors.

    Readers who chose that language see these texts in place of the English ones (a field left
    empty falls back to the English text); grades, votes and references are the version's own.
    Unlike the version, a translation may be corrected after publication: it renders the
    published text, it does not change it.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, choices=TRANSLATION_LANGUAGES)
    title = models.CharField(max_length=200, blank=True)
    plain_summary = models.TextField(_("what this means for you"), blank=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "language"], name="one_translation_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} [{self.language}]"
