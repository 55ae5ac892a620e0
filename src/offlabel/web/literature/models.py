from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import Design, Species
from offlabel.web.common.vocabulary import choices


class Reference(models.Model):
    """One published source: an article, a trial registration, a label, a web page.

    References are shared across topics (a study can matter to ALS and to DM); each topic keeps
    its own library of them through :class:`LibraryEntry`.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Journal article")
        TRIAL = "trial", _("Trial registration")
        BOOK = "book", _("Book or chapter")
        DOCUMENT = "document", _("Label or official document")
        WEBPAGE = "webpage", _("Web page or forum")

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ARTICLE)
    authors = models.JSONField(
        default=list, blank=True, help_text=_('List of "Lastname Initials".')
    )
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
        max_length=20, blank=True, help_text=_("manual, pubmed, ris, bibtex, ctgov, crossref")
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


def _batch_expiry() -> Any:
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(hours=ImportBatch.LIFETIME_HOURS)


class ImportBatch(models.Model):
    """An import waiting for its reviewer's decision: the parsed records and their problems.

    Kept server-side (not in the session cookie) between the upload and the commit; the
    ``token`` in the preview's URL is unguessable and the batch is only shown to its owner.
    Committed or expired batches are deleted.
    """

    LIFETIME_HOURS = 24

    token = models.UUIDField(unique=True, editable=False)
    topic = models.ForeignKey("catalog.Topic", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=300, help_text=_("File name, or “pasted identifiers”."))
    source_format = models.CharField(max_length=20, blank=True)
    records = models.JSONField(
        default=list, help_text=_("One item per parsed record: fields, classification, problems.")
    )
    problems = models.JSONField(
        default=list,
        help_text=_("Problems not tied to one kept record (bad records, failed look-ups)."),
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_batch_expiry)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.source} → {self.topic.slug} ({len(self.records)} record(s))"


class SavedSearch(models.Model):
    """A search a topic's reviewers keep running to notice new studies (a living review)."""

    topic = models.ForeignKey(
        "catalog.Topic", on_delete=models.CASCADE, related_name="saved_searches"
    )
    therapy_terms = models.TextField(
        help_text=_("One term per line (e.g. low-dose naltrexone, LDN); any of them matches.")
    )
    condition_terms = models.TextField(
        help_text=_("One term per line (e.g. amyotrophic lateral sclerosis); any of them matches.")
    )
    species = models.CharField(
        max_length=16,
        choices=choices(Species),
        blank=True,
        help_text=_("Keep only records classified with this species (blank: any species)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["topic", "created"]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return f"{self.topic.slug}: {' | '.join(self.therapy_term_list)} × " + " | ".join(
            self.condition_term_list
        )

    @property
    def therapy_term_list(self) -> list[str]:
        return _lines(self.therapy_terms)

    @property
    def condition_term_list(self) -> list[str]:
        return _lines(self.condition_terms)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class WatchFlag(models.Model):
    """A record a saved search found that is newer than the topic's last published review and
    not yet in its library. Reviewers import it (through the import preview) or dismiss it."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        DISMISSED = "dismissed", _("Dismissed")
        IMPORTED = "imported", _("Imported")

    topic = models.ForeignKey("catalog.Topic", on_delete=models.CASCADE, related_name="watch_flags")
    saved_search = models.ForeignKey(
        SavedSearch, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    pmid = models.CharField("PMID", max_length=20, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    title = models.TextField()
    year = models.PositiveIntegerField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "pmid"], condition=~Q(pmid=""), name="one_flag_per_topic_pmid"
            ),
            models.UniqueConstraint(
                fields=["topic", "doi"], condition=~Q(doi=""), name="one_flag_per_topic_doi"
            ),
        ]

    def __str__(self) -> str:
        ident = f"PMID {self.pmid}" if self.pmid else f"DOI {self.doi}"
        return f"{ident} for {self.topic.slug} ({self.get_status_display()})"
