"""The outcomes registry: people and dogs, their treatments, evaluations, scores and milestones.

Vocabularies and text lengths come from the core (:mod:`offlabel.registry.vocabulary`,
:data:`offlabel.registry.layout.TEXT_LIMITS`) so that the database, the forms and the bulk CSV
layout name values the same way and a value a file may hold always fits. Identifiable details
(a record's label, who owns a subject, e-mail addresses of invited clinicians) live only here;
every export and every reviewer-facing page goes through the de-identifying selectors.

Entries are never deleted at once: a deletion is kept, restorable, for
:data:`RESTORE_DAYS` days (``deleted_at``), then purged by a daily task. ``objects`` shows the
live rows only (so every related manager does too); ``all_objects`` shows every row.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.layout import TEXT_LIMITS
from offlabel.registry.scales import get_scale, load_milestones
from offlabel.registry.vocabulary import (
    Adherence,
    Burden,
    CourseSource,
    DiagnosisMethod,
    DoseUnit,
    EventKind,
    OnsetRegion,
    ReversalStatus,
    ScaleKey,
    Sex,
    Sod1Genotype,
    TimeOfDay,
)
from offlabel.web.common.vocabulary import choices

#: How long a deleted entry (or record) can be restored before the daily purge removes it.
RESTORE_DAYS = 30
LIVE = Q(deleted_at__isnull=True)


class LiveManager(models.Manager[Any]):
    """Rows that are not deleted (the default manager, so related managers filter too)."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Deletable(models.Model):
    """A row deleted with a reason, kept restorable for :data:`RESTORE_DAYS` days."""

    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delete_reason = models.CharField(max_length=300, blank=True)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 - a second manager, not a field

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def restorable_until(self) -> dt.datetime | None:
        if self.deleted_at is None:
            return None
        return self.deleted_at + dt.timedelta(days=RESTORE_DAYS)


def new_public_id() -> str:
    """A random, stable, non-guessable subject id (also the subject id of the CSV layout)."""
    return f"s{secrets.token_hex(8)}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subject(Deletable):
    """A person with ALS or a dog with degenerative myelopathy."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        DOG = "dog", _("Dog")

    class Origin(models.TextChoices):
        SELF = "self", _("Entered by the patient or owner")
        CASE_HISTORY = "case_history", _("Case history entered by a clinician or vet")
        IMPORTED = "imported", _("Imported from a registry file")
        SYNTHETIC = "synthetic", _("Synthetic (simulated demo data)")

    OnsetRegion = OnsetRegion
    DiagnosisMethod = DiagnosisMethod

    public_id = models.CharField(max_length=64, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_subjects"
    )
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SELF)
    name = models.CharField(
        "label",
        max_length=80,
        blank=True,
        help_text=(
            _(
                "What this record is called (a first name, a dog's name): only you and the "
                "clinicians or vets you invite see it."
            )
        ),
    )
    sex = models.CharField(max_length=16, choices=choices(Sex), default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    onset_date = models.DateField("date of first signs")
    onset_region = models.CharField(
        "where it started", max_length=16, choices=choices(OnsetRegion), blank=True
    )
    diagnosis_date = models.DateField(null=True, blank=True)
    diagnosis_confirmed_by = models.CharField(
        max_length=TEXT_LIMITS["diagnosis_confirmed_by"],
        blank=True,
        help_text=_("e.g. a neurologist at an ALS clinic"),
    )
    breed = models.CharField(max_length=TEXT_LIMITS["breed"], blank=True)
    weight_kg = models.FloatField("weight (kg)", null=True, blank=True)
    sod1 = models.CharField(
        "SOD1 genotype", max_length=8, choices=choices(Sod1Genotype), blank=True
    )
    diagnosis_method = models.CharField(max_length=20, choices=choices(DiagnosisMethod), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clinician_entered = models.BooleanField(default=False)
    consent_date = models.DateField(null=True, blank=True)
    consent_scope = models.CharField(max_length=TEXT_LIMITS["consent_scope"], blank=True)
    reminder_months = models.PositiveSmallIntegerField(
        "remind me to re-score every",
        default=0,
        help_text=_("Months between reminders; 0 = no reminders."),
    )
    reminder_sent_on = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "created", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(kind="person", origin="self", deleted_at__isnull=True),
                name="one_own_person_record_per_account",
            )
        ]

    def __str__(self) -> str:
        # Never a name: this string goes into the audit trail.
        return f"{self.get_kind_display()} {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("registry:subject", kwargs={"public_id": self.public_id})

    @property
    def species(self) -> TargetSpecies:
        return TargetSpecies.DOG if self.kind == self.Kind.DOG else TargetSpecies.HUMAN

    @property
    def is_dog(self) -> bool:
        return self.kind == self.Kind.DOG

    @property
    def label(self) -> str:
        """The record's title for its owner ("My record" for a patient's own, unlabelled)."""
        if self.name:
            return self.name
        if self.is_dog:
            return f"Dog ({self.breed or 'breed not given'})"
        if self.origin == self.Origin.CASE_HISTORY:
            return f"Case history {self.public_id}"
        return "My record" if self.origin == self.Origin.SELF else f"Person {self.public_id}"

    @property
    def label_for_others(self) -> str:
        """The title the clinicians and vets it is shared with see."""
        return self.label_for(None)

    def label_for(self, viewer: Any) -> str:
        """The title ``viewer`` sees: the owner's label, and for anyone else whose record it is.

        A clinician never sees "My record": an unlabelled record is named after its owner.
        """
        if viewer is not None and getattr(viewer, "pk", None) == self.owner_id:
            return self.label
        owner = self.owner.display_name or "its owner"
        if self.name:
            return f"{self.name} ({owner})"
        if self.is_dog:
            return f"{owner}'s dog ({self.breed or 'breed not given'})"
        return f"{owner}'s record"


class TreatmentCourse(Deletable):
    """One course of one therapy: dose, schedule, dates, source and cost."""

    Source = CourseSource
    TimeOfDay = TimeOfDay

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="courses")
    therapy = models.ForeignKey(
        "catalog.Therapy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registry_courses",
    )
    therapy_text = models.CharField(
        "therapy (if not in the list)",
        max_length=TEXT_LIMITS["therapy"],
        blank=True,
        help_text=_("Free text, kept as written until an editor links it to the catalogue."),
    )
    dose = models.FloatField("dose per day", null=True, blank=True)
    dose_unit = models.CharField(max_length=8, choices=choices(DoseUnit), blank=True)
    dose_confirmed = models.BooleanField(default=False)
    frequency = models.CharField(
        max_length=TEXT_LIMITS["frequency"], blank=True, help_text=_("e.g. once a day")
    )
    time_of_day = models.CharField(max_length=10, choices=choices(TimeOfDay), blank=True)
    start_date = models.DateField()
    stop_date = models.DateField(null=True, blank=True)
    reason_stopped = models.CharField(max_length=TEXT_LIMITS["reason_stopped"], blank=True)
    source = models.CharField(max_length=12, choices=choices(CourseSource), blank=True)
    cost_per_month = models.FloatField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        base_manager_name = "all_objects"
        constraints = [
            # A course names its therapy: from the catalogue, or as free text awaiting curation.
            models.CheckConstraint(
                condition=models.Q(therapy__isnull=False) | ~models.Q(therapy_text=""),
                name="course_names_a_therapy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.therapy_name} from {self.start_date}"

    @property
    def therapy_name(self) -> str:
        """The name as entered (free text wins, so imports round-trip as written)."""
        return self.therapy_text or (self.therapy.name if self.therapy is not None else "")


class Evaluation(Deletable):
    """How a course worked, as judged at one date."""

    Adherence = Adherence
    Burden = Burden

    course = models.ForeignKey(
        TreatmentCourse, on_delete=models.CASCADE, related_name="evaluations"
    )
    date = models.DateField()
    efficacy = models.CharField(max_length=12, choices=choices(Efficacy))
    adherence = models.CharField(max_length=12, choices=choices(Adherence), blank=True)
    burden = models.CharField(max_length=12, choices=choices(Burden), blank=True)
    notes = models.TextField(blank=True, max_length=TEXT_LIMITS["notes"])
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return f"Evaluation of {self.course.therapy_name} on {self.date}"


class SideEffect(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="side_effects"
    )
    name = models.CharField(max_length=TEXT_LIMITS["side_effects"])
    severity = models.CharField(max_length=10, choices=choices(Severity), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.severity})" if self.severity else self.name


SCALE_CHOICES = [(key.value, _(get_scale(key).name)) for key in ScaleKey]
EVENT_CHOICES = [(key.value, _(m.title)) for key, m in load_milestones().items()]


class ScoreRecord(Deletable):
    """A progression score at a date: ALSFRS-R (with items), DM stage or DM gait score.

    ``items`` maps an ALSFRS-R item key to its score 0–4 or to ``"not_done"``/``"unknown"``;
    ``total`` is empty when an item is missing, a subscore when one of its items is.
    ``confirmed`` records that an implausible change was checked and confirmed.
    """

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="scores")
    date = models.DateField()
    scale = models.CharField(max_length=10, choices=SCALE_CHOICES)
    total = models.SmallIntegerField(null=True, blank=True)
    items = models.JSONField(
        null=True, blank=True, help_text=_("ALSFRS-R item key → score 0–4, not_done or unknown")
    )
    subscores = models.JSONField(null=True, blank=True)
    confirmed = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "scale", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "date", "scale"],
                condition=Q(deleted_at__isnull=True),
                name="one_score_per_scale_and_day",
            )
        ]

    def __str__(self) -> str:
        total = "incomplete" if self.total is None else self.total
        return f"{self.get_scale_display()} {total} on {self.date}"


class Milestone(Deletable):
    """A dated event: off its feet, front legs, a feeding tube, ventilation, death, last contact."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="milestones")
    event = models.CharField(max_length=16, choices=EVENT_CHOICES)
    date = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "event"],
                condition=Q(deleted_at__isnull=True),
                name="one_milestone_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} on {self.date}"

    @property
    def ends_follow_up(self) -> bool:
        return EventKind(self.event).ends_follow_up


class CareAccess(models.Model):
    """A patient's or owner's consent for one clinician or vet to see (and add to) a record."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")

    class Scope(models.TextChoices):
        VIEW = "view", _("See the record")
        CONTRIBUTE = "contribute", _("See the record and add scores, treatments and evaluations")

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="access")
    email = models.EmailField("clinician's or vet's e-mail address")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registry_access",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.VIEW)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name_plural = "care access"

    def __str__(self) -> str:
        # No e-mail address here: this string goes into the audit trail.
        return f"Access #{self.pk} to {self.subject.public_id} ({self.status})"


class ReversalFlag(models.Model):
    """A possible reversal found in a subject's scores, and who checked it against the records.

    Found automatically (``offlabel.registry.progress.find_reversal``) when scores change; the
    subject's clinicians and vets and the reviewers are told. A clinician or vet with access
    (or an editor holding the records) marks it verified or not confirmed.
    """

    subject = models.OneToOneField(Subject, on_delete=models.CASCADE, related_name="reversal")
    status = models.CharField(
        max_length=16, choices=choices(ReversalStatus), default=ReversalStatus.CANDIDATE.value
    )
    evidence = models.JSONField(help_text=_("The scores that meet the definition."))
    found_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-found_at", "-id"]

    def __str__(self) -> str:
        return f"Possible reversal in {self.subject.public_id} ({self.status})"
