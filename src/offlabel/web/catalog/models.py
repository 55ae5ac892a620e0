from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.web.common.vocabulary import choices


def _split_synonyms(text: str) -> list[str]:
    return [s.strip() for s in text.replace("\n", ",").split(",") if s.strip()]


class Therapy(models.Model):
    """A treatment people or owners ask about, e.g. low-dose naltrexone."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    synonyms = models.TextField(
        blank=True,
        help_text=_("Other names, one per line or comma-separated (LDN, naltrexone HCl…)."),
    )
    therapy_class = models.CharField(
        "class", max_length=120, blank=True, help_text=_("e.g. opioid receptor antagonist")
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "therapies"

    def __str__(self) -> str:
        return self.name

    @property
    def synonym_list(self) -> list[str]:
        return _split_synonyms(self.synonyms)


class Condition(models.Model):
    """A disease in one species: ALS in people, degenerative myelopathy in dogs."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    species = models.CharField(max_length=10, choices=choices(TargetSpecies))
    synonyms = models.TextField(
        blank=True, help_text=_("Other names, one per line or comma-separated.")
    )

    class Meta:
        ordering = ["species", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "species"], name="one_condition_per_species")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({TargetSpecies(self.species).label.lower()})"

    @property
    def synonym_list(self) -> list[str]:
        return _split_synonyms(self.synonyms)


class Topic(models.Model):
    """One therapy for one condition: what is requested, reviewed and reported on."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")

    therapy = models.ForeignKey(Therapy, on_delete=models.PROTECT, related_name="topics")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(max_length=160, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    overview = models.TextField(
        blank=True, help_text=_("Markdown: what is claimed and what is known, in brief.")
    )
    review_published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the newest published review version of this topic went out."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["therapy__name", "condition__species"]
        constraints = [
            models.UniqueConstraint(fields=["therapy", "condition"], name="one_topic_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.therapy.name} × {self.condition}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:topic", kwargs={"slug": self.slug})

    @property
    def species(self) -> str:
        return self.condition.species
