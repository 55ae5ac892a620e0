"""The outcomes registry: people and dogs, their treatments, evaluations, scores and milestones.

Vocabularies come from the core (:mod:`offlabel.registry.vocabulary`, :mod:`offlabel.evidence.
vocabulary`) so that the database, the forms and the bulk CSV layout name values the same way.
Identifiable details (a dog's name, who owns a subject, e-mail addresses of invited clinicians)
live only here; every export and every reviewer-facing page goes through the de-identifying
selectors.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies, choices
from offlabel.registry.scales import get_scale, load_milestones
from offlabel.registry.vocabulary import DoseUnit, EventKind, ScaleKey, Sex, Sod1Genotype


def new_public_id() -> str:
    """A random, stable, non-guessable subject id (also the subject id of the CSV layout)."""
    return f"s{secrets.token_hex(8)}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subject(models.Model):
    """A person with ALS or a dog with degenerative myelopathy."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        DOG = "dog", "Dog"

    class Origin(models.TextChoices):
        SELF = "self", "Entered by the patient or owner"
        CASE_HISTORY = "case_history", "Case history entered by a clinician or vet"
        IMPORTED = "imported", "Imported from a registry file"

    class OnsetRegion(models.TextChoices):
        BULBAR = "bulbar", "Bulbar (speech, swallowing)"
        LIMB = "limb", "Limb (arms or legs)"
        RESPIRATORY = "respiratory", "Respiratory (breathing)"
        GENERALISED = "generalised", "Generalised"

    class DiagnosisMethod(models.TextChoices):
        PRESUMPTIVE = "presumptive", "Presumptive (signs, other causes ruled out clinically)"
        GENOTYPE_EXCLUSION = "genotype_exclusion", "SOD1 genotype and exclusion of other causes"
        HISTOPATHOLOGY = "histopathology", "Histopathology (confirmed after death)"

    public_id = models.CharField(max_length=64, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registry_subjects"
    )
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SELF)
    name = models.CharField(
        "name",
        max_length=80,
        blank=True,
        help_text="Private: only you and those you invite see it.",
    )
    sex = models.CharField(max_length=16, choices=choices(Sex), default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    onset_date = models.DateField("date of first signs")
    onset_region = models.CharField(
        "where it started", max_length=16, choices=OnsetRegion.choices, blank=True
    )
    diagnosis_date = models.DateField(null=True, blank=True)
    diagnosis_confirmed_by = models.CharField(
        max_length=120, blank=True, help_text="e.g. a neurologist at an ALS clinic"
    )
    breed = models.CharField(max_length=80, blank=True)
    weight_kg = models.FloatField("weight (kg)", null=True, blank=True)
    sod1 = models.CharField(
        "SOD1 genotype", max_length=8, choices=choices(Sod1Genotype), blank=True
    )
    diagnosis_method = models.CharField(max_length=20, choices=DiagnosisMethod.choices, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clinician_entered = models.BooleanField(default=False)
    consent_date = models.DateField(null=True, blank=True)
    consent_scope = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(kind="person", origin="self"),
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
        """What the owner and invited clinicians see as the record's title."""
        if self.is_dog:
            return self.name or f"Dog ({self.breed or 'breed not given'})"
        if self.origin == self.Origin.CASE_HISTORY:
            return self.name or f"Case history {self.public_id}"
        return "My record" if self.origin == self.Origin.SELF else f"Person {self.public_id}"


class TreatmentCourse(models.Model):
    """One course of one therapy: dose, schedule, dates, source and cost."""

    class Source(models.TextChoices):
        PRESCRIBED = "prescribed", "Prescribed (pharmacy)"
        COMPOUNDED = "compounded", "Compounded"
        OTC = "otc", "Over the counter"

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", "Morning"
        EVENING = "evening", "Evening"
        BEDTIME = "bedtime", "At night / bedtime"
        SPLIT = "split", "Split through the day"

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
        max_length=120,
        blank=True,
        help_text="Free text, kept as written until an editor links it to the catalogue.",
    )
    dose = models.FloatField("dose per day", null=True, blank=True)
    dose_unit = models.CharField(max_length=8, choices=choices(DoseUnit), blank=True)
    dose_confirmed = models.BooleanField(default=False)
    frequency = models.CharField(max_length=60, blank=True, help_text="e.g. once a day")
    time_of_day = models.CharField(max_length=10, choices=TimeOfDay.choices, blank=True)
    start_date = models.DateField()
    stop_date = models.DateField(null=True, blank=True)
    reason_stopped = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, blank=True)
    cost_per_month = models.FloatField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
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


class Evaluation(models.Model):
    """How a course worked, as judged at one date."""

    class Adherence(models.TextChoices):
        ALWAYS = "always", "Every dose"
        MOSTLY = "mostly", "Most doses"
        SOMETIMES = "sometimes", "Some doses"
        RARELY = "rarely", "Few doses"

    class Burden(models.TextChoices):
        NONE = "none", "No trouble"
        LOW = "low", "A little trouble"
        MODERATE = "moderate", "Some trouble"
        HIGH = "high", "A lot of trouble"

    course = models.ForeignKey(
        TreatmentCourse, on_delete=models.CASCADE, related_name="evaluations"
    )
    date = models.DateField()
    efficacy = models.CharField(max_length=12, choices=choices(Efficacy))
    adherence = models.CharField(max_length=12, choices=Adherence.choices, blank=True)
    burden = models.CharField(max_length=12, choices=Burden.choices, blank=True)
    notes = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"Evaluation of {self.course.therapy_name} on {self.date}"


class SideEffect(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="side_effects"
    )
    name = models.CharField(max_length=80)
    severity = models.CharField(max_length=10, choices=choices(Severity), blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.severity})" if self.severity else self.name


SCALE_CHOICES = [(key.value, get_scale(key).name) for key in ScaleKey]
EVENT_CHOICES = [(key.value, m.title) for key, m in load_milestones().items()]


class ScoreRecord(models.Model):
    """A progression score at a date: ALSFRS-R (with items), DM stage or DM gait score."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="scores")
    date = models.DateField()
    scale = models.CharField(max_length=10, choices=SCALE_CHOICES)
    total = models.SmallIntegerField()
    items = models.JSONField(null=True, blank=True, help_text="ALSFRS-R item key → score 0–4")
    subscores = models.JSONField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "scale", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "date", "scale"], name="one_score_per_scale_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} {self.total} on {self.date}"


class Milestone(models.Model):
    """A dated event: off its feet, front legs involved, euthanasia, death, lost to follow-up."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="milestones")
    event = models.CharField(max_length=16, choices=EVENT_CHOICES)
    date = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "event"], name="one_milestone_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} on {self.date}"

    @property
    def ends_follow_up(self) -> bool:
        return EventKind(self.event).ends_follow_up


class CareAccess(models.Model):
    """A patient's or owner's consent for one clinician or vet to see (and add to) a record."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"

    class Scope(models.TextChoices):
        VIEW = "view", "See the record"
        CONTRIBUTE = "contribute", "See the record and add scores, treatments and evaluations"

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
