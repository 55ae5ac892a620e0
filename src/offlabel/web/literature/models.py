from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from offlabel.evidence.vocabulary import Design, Species, choices


class Reference(models.Model):
    """One published source: an article, a trial registration, a label, a web page.

    References are shared across topics (a study can matter to ALS and to DM); each topic keeps
    its own library of them through :class:`LibraryEntry`.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Journal article"
        TRIAL = "trial", "Trial registration"
        BOOK = "book", "Book or chapter"
        DOCUMENT = "document", "Label or official document"
        WEBPAGE = "webpage", "Web page or forum"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ARTICLE)
    authors = models.JSONField(default=list, blank=True, help_text='List of "Lastname Initials".')
    title = models.TextField()
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=40, blank=True)
    issue = models.CharField(max_length=40, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    pmid = models.CharField("PMID", max_length=20, blank=True)
    nct = models.CharField("NCT number", max_length=20, blank=True)
    url = models.URLField(max_length=500, blank=True)
    abstract = models.TextField(blank=True)
    mesh = models.JSONField(default=list, blank=True)
    publication_types = models.JSONField(default=list, blank=True)
    species = models.CharField(max_length=16, choices=choices(Species), blank=True)
    design = models.CharField(max_length=24, choices=choices(Design), blank=True)
    source = models.CharField(
        max_length=20, blank=True, help_text="manual, pubmed, ris, bibtex, ctgov, crossref"
    )
    created = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "catalog.Topic", through="LibraryEntry", related_name="references"
    )

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["pmid"], condition=~Q(pmid=""), name="unique_pmid"),
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="unique_doi"),
            models.UniqueConstraint(fields=["nct"], condition=~Q(nct=""), name="unique_nct"),
        ]

    def __str__(self) -> str:
        first = self.authors[0] if self.authors else ""
        return f"{first} {self.year or ''} {self.title[:80]}".strip()


class LibraryEntry(models.Model):
    """A reference kept in one topic's library."""

    topic = models.ForeignKey(
        "catalog.Topic", on_delete=models.CASCADE, related_name="library_entries"
    )
    reference = models.ForeignKey(
        Reference, on_delete=models.CASCADE, related_name="library_entries"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-added_at"]
        verbose_name_plural = "library entries"
        constraints = [
            models.UniqueConstraint(fields=["topic", "reference"], name="one_entry_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.reference} in {self.topic}"
