"""Stored analyses: reviewers' runs (reproducible, linkable) and snapshots frozen into reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offlabel.outcomes.runner import LABELS, Analysis

#: The analyses reviewers run from the analysis page (the others appear on topic pages).
REVIEWER_ANALYSES = (Analysis.MATCHED, Analysis.SURVIVAL, Analysis.SLOPE_CHANGE, Analysis.POWER)


class AnalysisRun(models.Model):
    """One run of one analysis on one topic with its parameters and result.

    The registry fingerprint at run time is kept, so a run can be told apart from a later one on
    changed data; the same parameters on the same registry give the same result (seeded).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to run")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not run")

    topic = models.ForeignKey("catalog.Topic", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        max_length=20, choices=[(k.value, _(LABELS[k])) for k in REVIEWER_ANALYSES]
    )
    params = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    registry_version = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["topic", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} on {self.topic.slug}"

    def get_absolute_url(self) -> str:
        return reverse("analytics:run", kwargs={"topic_slug": self.topic.slug, "pk": self.pk})


class RegistrySnapshot(models.Model):
    """Registry figures frozen into one section (Cases or Risks) of one review version.

    ``figures`` holds the numbers as they were (evaluation summary, side effects, survival),
    so later registry changes never alter what the review shows.
    """

    class Section(models.TextChoices):
        CASES = "cases", _("Cases")
        RISKS = "risks", _("Risks")

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="registry_snapshots"
    )
    section = models.CharField(max_length=8, choices=Section.choices)
    n = models.PositiveIntegerField(help_text=_("Subjects reporting the therapy at the time."))
    figures = models.JSONField(default=dict)
    data_date = models.DateField(help_text=_("The day the registry data were read."))
    registry_version = models.CharField(max_length=64, blank=True)
    # The figures drawn once, when the snapshot is frozen ({name: Svg fields}): a frozen
    # snapshot never changes, so its page never redraws them.
    rendered = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A new review version starts with a copy of each snapshot of the version it updates; an
    # editor keeps, refreshes or drops each copy before the new version can be published.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    kept_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Registry snapshot #{self.pk} in {self.section} of review {self.review_id}"

    @property
    def awaits_decision(self) -> bool:
        """Carried over from an earlier version and not yet kept (nor refreshed or dropped)."""
        return self.carried_from_id is not None and self.kept_at is None
