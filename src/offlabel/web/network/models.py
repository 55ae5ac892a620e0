"""The community: review requests and votes, discussions, the prescriber directory, consults,
invitations and notifications.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.web.common.vocabulary import choices


class Availability(models.TextChoices):
    """How much usable information an editor expects a review of the request to find."""

    NONE = "none", _("Little or none")
    SOME = "some", _("Some")
    PLENTY = "plenty", _("Plenty")


# priority = votes × multiplier: a request with plenty to review counts four times one with
# almost nothing, so a short queue of reviewers spends its time where a review can say something.
AVAILABILITY_MULTIPLIER: dict[str, Decimal] = {
    Availability.NONE: Decimal("0.5"),
    Availability.SOME: Decimal("1"),
    Availability.PLENTY: Decimal("2"),
}


class ReviewRequest(models.Model):
    """A therapy × condition someone asks the reviewers to look at."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a review")
        MERGED = "merged", _("Merged into another request")
        PUBLISHED = "published", _("Review published")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_requests"
    )
    therapy = models.ForeignKey(
        "catalog.Therapy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    therapy_name = models.CharField(
        max_length=120, blank=True, help_text=_("A therapy not in the catalog yet, as typed.")
    )
    condition = models.ForeignKey(
        "catalog.Condition", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    condition_name = models.CharField(max_length=120, blank=True)
    condition_species = models.CharField(
        max_length=10, choices=choices(TargetSpecies), default=TargetSpecies.HUMAN
    )
    claims = models.TextField(help_text=_("What you have heard or read it does."))
    links = models.TextField(blank=True, help_text=_("Web addresses, one per line."))
    availability = models.CharField(
        max_length=8, choices=Availability.choices, default=Availability.SOME
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    topic = models.ForeignKey(
        "catalog.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_requests",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_requests"
    )
    created = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.therapy_label} × {self.condition_label}"

    def get_absolute_url(self) -> str:
        return reverse("network:request", kwargs={"pk": self.pk})

    @property
    def therapy_label(self) -> str:
        return self.therapy.name if self.therapy_id else self.therapy_name  # type: ignore[union-attr]

    @property
    def condition_label(self) -> str:
        if self.condition_id:
            return str(self.condition)
        return f"{self.condition_name} ({TargetSpecies(self.condition_species).label.lower()})"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    @property
    def multiplier(self) -> Decimal:
        return AVAILABILITY_MULTIPLIER[self.availability]


class RequestVote(models.Model):
    """One account's vote for one request."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="request_votes"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "voter"], name="one_vote_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.voter} → {self.request}"


class Thread(models.Model):
    """A discussion about one topic among clinicians, vets and reviewers."""

    topic = models.ForeignKey("catalog.Topic", on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=160)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads"
    )
    is_public = models.BooleanField(
        default=False, help_text=_("Readable by everyone, signed in or not (editors decide).")
    )
    is_locked = models.BooleanField(default=False, help_text=_("No new replies."))
    created = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:thread", kwargs={"pk": self.pk})


class Post(models.Model):
    """One message in a thread (Markdown)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.author} in {self.thread}"


class PrescriberListing(models.Model):
    """A clinician or vet who offers their experience of one topic to colleagues."""

    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prescriber_listings"
    )
    topic = models.ForeignKey(
        "catalog.Topic", on_delete=models.CASCADE, related_name="prescriber_listings"
    )
    years_experience = models.PositiveSmallIntegerField("years of experience")
    cases = models.PositiveIntegerField("number of cases")
    note = models.CharField(max_length=300, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-years_experience", "-cases"]
        constraints = [
            models.UniqueConstraint(fields=["prescriber", "topic"], name="one_listing_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.prescriber} — {self.topic}"


class ConsultRequest(models.Model):
    """A clinician or vet asking to be put in touch with an experienced colleague."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consults_asked"
    )
    topic = models.ForeignKey("catalog.Topic", on_delete=models.CASCADE, related_name="consults")
    # The colleague asked for by name, or the one an editor put the requester in touch with.
    prescriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consults_received",
    )
    question = models.TextField(help_text=_("What you would like to ask, without patient names."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_note = models.CharField(max_length=300, blank=True)
    requester_shares_contact = models.BooleanField(default=False)
    prescriber_shares_contact = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Consult on {self.topic} from {self.requester}"

    def get_absolute_url(self) -> str:
        return reverse("network:consult", kwargs={"pk": self.pk})

    @property
    def contacts_shared(self) -> bool:
        return self.requester_shares_contact and self.prescriber_shares_contact

    def is_party(self, user: object) -> bool:
        pk = getattr(user, "pk", None)
        return pk is not None and pk in {self.requester_id, self.prescriber_id}


class ConsultMessage(models.Model):
    """One private message between the two parties of an accepted consult."""

    consult = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.author} on consult {self.consult_id}"


class Invitation(models.Model):
    """An owner or patient inviting their own vet or clinician to the platform."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent"
    )
    email = models.EmailField("their e-mail address")
    recipient_name = models.CharField("their name", max_length=120, blank=True)
    message = models.CharField("a short note from you", max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Invitation from {self.sender} to {self.email}"


class NotificationSetting(models.Model):
    """How one person wants to hear about what happens."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("An e-mail for each notification")
        DAILY = "daily", _("One daily digest e-mail")
        OFF = "off", _("No e-mail (the notifications page only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting"
    )
    email_frequency = models.CharField(
        "e-mail", max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_frequency_display()}"


class Notification(models.Model):
    """Something one person should know about."""

    class Kind(models.TextChoices):
        REVIEW_PUBLISHED = "review_published", _("A review you asked for was published")
        MENTION = "mention", _("Mentioned in a discussion")
        REPLY = "reply", _("New reply in a discussion")
        CONSULT_REQUEST = "consult_request", _("Consult request")
        CONSULT_DECISION = "consult_decision", _("Consult answered")
        CONSULT_MESSAGE = "consult_message", _("Consult message")
        RECORD_CHANGED = "record_changed", _("Someone else changed your registry record")
        SCORE_REMINDER = "score_reminder", _("Time to re-score")
        REVERSAL = "reversal", _("A possible reversal to check")
        FOLLOWED = "followed", _("News of a review or topic you follow")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when an e-mail (immediate or digest) carried it, or when e-mail is off.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """One person following a topic or its review (notified in-app and by e-mail, as their
    notification setting says)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("The review: each published version and its grade changes")
        TOPIC = "topic", _("The topic: new review versions and discussions made public")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    topic = models.ForeignKey(
        "catalog.Topic", on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REVIEW)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["topic__therapy__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "topic", "kind"], name="follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.get_kind_display().split(':')[0].lower()} {self.topic}"


class MemberHandle(models.Model):
    """The @handle a discussion member is mentioned by (``@dr-price``), unique and stable.

    Made from the display name the first time it is needed ("Dr Price (vet, …)" → ``dr-price``);
    mentions complete to it and link to the member's page.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_handle"
    )
    handle = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["handle"]

    def __str__(self) -> str:
        return f"@{self.handle}"

    def get_absolute_url(self) -> str:
        return reverse("network:member", kwargs={"handle": self.handle})
