"""Review requests: ask, vote, and (editors) weigh, merge and link them to catalog topics."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.terms import fold
from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.web.accounts.models import User, Viewer
from offlabel.web.catalog.models import Condition, Therapy, Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.network.models import Availability, Notification, RequestVote, ReviewRequest
from offlabel.web.network.permissions import is_editor
from offlabel.web.network.services.notifications import notify

MAX_LINKS = 10


class DuplicateRequest(ValidationError):
    """A request for the same therapy and condition is already open: vote for it instead."""

    def __init__(self, duplicates: list[ReviewRequest]) -> None:
        self.duplicates = duplicates
        names = "; ".join(f"“{d}”" for d in duplicates)
        super().__init__(
            f"This therapy and condition were already asked for ({names}): vote for that "
            "request instead, so the votes are not split."
        )


def _catalog_therapy(name: str) -> Therapy | None:
    """The catalogue therapy a typed name means (its name or a synonym; case, accents, hyphens
    and spacing ignored)."""
    wanted = fold(name)
    for therapy in Therapy.objects.all():
        if wanted in {fold(n) for n in (therapy.name, *therapy.synonym_list)}:
            return therapy
    return None


def _catalog_condition(name: str, species: str) -> Condition | None:
    wanted = fold(name)
    for condition in Condition.objects.filter(species=species):
        if wanted in {fold(n) for n in (condition.name, *condition.synonym_list)}:
            return condition
    return None


def _keys(request: ReviewRequest) -> tuple[str, str]:
    therapy = request.therapy or _catalog_therapy(request.therapy_name)
    condition = request.condition or _catalog_condition(
        request.condition_name, request.condition_species
    )
    return (
        f"therapy:{therapy.pk}" if therapy else f"name:{fold(request.therapy_name)}",
        f"condition:{condition.pk}"
        if condition
        else f"name:{fold(request.condition_name)}:{request.condition_species}",
    )


def request_duplicates(candidate: ReviewRequest) -> list[ReviewRequest]:
    """Open requests for the same therapy and condition as ``candidate`` (unsaved), matched
    through the catalogue's names and synonyms, case- and accent-insensitively."""
    wanted = _keys(candidate)
    return [
        r
        for r in ReviewRequest.objects.filter(status=ReviewRequest.Status.OPEN)
        .exclude(pk=candidate.pk)
        .select_related("therapy", "condition")
        .order_by("created", "pk")
        if _keys(r) == wanted
    ]


def clean_links(text: str) -> str:
    """One http(s) address per line; raises ValidationError naming the first bad line."""
    validate = URLValidator(schemes=["http", "https"])
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise ValidationError(
            _("At most %(n)s links, one per line (you gave %(gave)s).")
            % {"n": MAX_LINKS, "gave": len(links)}
        )
    for number, link in enumerate(links, start=1):
        try:
            validate(link)
        except ValidationError:
            raise ValidationError(
                _("Line %(line)s is not a web address starting with http:// or https://: %(link)s")
                % {"line": number, "link": link[:80]}
            ) from None
    return "\n".join(links)


def _require_editor(user: Viewer) -> None:
    if not is_editor(user):
        raise PermissionDenied(_("Only editors can do this."))


def _require_open(request: ReviewRequest) -> None:
    if request.status != ReviewRequest.Status.OPEN:
        raise ValidationError(
            _("This request is no longer open (%(status)s).")
            % {"status": request.get_status_display().lower()}
        )


@transaction.atomic
def request_create(
    *,
    requester: Any,
    claims: str,
    therapy: Therapy | None = None,
    therapy_name: str = "",
    condition: Condition | None = None,
    condition_name: str = "",
    condition_species: str = TargetSpecies.HUMAN,
    links: str = "",
    allow_duplicate: bool = False,
) -> ReviewRequest:
    """Ask for a review; the request counts as the requester's own vote.

    A typed name that the catalogue knows (by name or synonym) is stored as that catalogue
    entry. Refused with :class:`DuplicateRequest` when an open request already asks for the
    same therapy and condition (see :func:`request_duplicates`), unless ``allow_duplicate``
    (never from the web form; editors merge such requests).
    """
    if not getattr(requester, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to ask for a review."))
    therapy_name, condition_name = therapy_name.strip(), condition_name.strip()
    if therapy is None and not therapy_name:
        raise ValidationError(_("Name the therapy: pick one from the list or type its name."))
    if condition is None and not condition_name:
        raise ValidationError(_("Name the condition: pick one from the list or type its name."))
    if not claims.strip():
        raise ValidationError(_("Say what you have heard or read about it."))
    therapy = therapy or _catalog_therapy(therapy_name)
    condition = condition or _catalog_condition(condition_name, condition_species)
    request = ReviewRequest(
        requester=requester,
        therapy=therapy,
        therapy_name="" if therapy else therapy_name,
        condition=condition,
        condition_name="" if condition else condition_name,
        condition_species=condition.species if condition else condition_species,
        claims=claims.strip(),
        links=clean_links(links),
    )
    duplicates = [] if allow_duplicate else request_duplicates(request)
    if duplicates:
        raise DuplicateRequest(duplicates)
    request.save()
    RequestVote.objects.create(request=request, voter=requester)
    audit_record(
        by=requester, action=AuditEvent.Action.CREATE, instance=request, after=snapshot(request)
    )
    return request


def request_vote(*, request: ReviewRequest, voter: Any) -> RequestVote:
    """One vote per account per request (a database constraint backs the check)."""
    if not getattr(voter, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to vote."))
    _require_open(request)
    try:
        with transaction.atomic():
            return RequestVote.objects.create(request=request, voter=voter)
    except IntegrityError:
        raise ValidationError(_("You have already voted for this request.")) from None


@transaction.atomic
def request_set_availability(*, request: ReviewRequest, availability: str, by: User) -> None:
    _require_editor(by)
    if availability not in Availability.values:
        raise ValidationError(_("Unknown availability %(value)r.") % {"value": availability})
    before = snapshot(request)
    request.availability = availability
    request.save(update_fields=["availability"])
    audit_record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=request,
        before=before,
        after=snapshot(request),
    )


@transaction.atomic
def request_merge(*, duplicate: ReviewRequest, into: ReviewRequest, by: User) -> ReviewRequest:
    """Fold a duplicate into another request; its votes move over, one per voter."""
    _require_editor(by)
    if duplicate.pk == into.pk:
        raise ValidationError(_("A request cannot be merged into itself."))
    _require_open(duplicate)
    _require_open(into)
    before = snapshot(duplicate)
    # A voter who voted for both keeps a single vote, on the surviving request.
    duplicate.votes.filter(voter__in=into.votes.values("voter")).delete()
    moved = duplicate.votes.update(request=into)
    ReviewRequest.objects.filter(merged_into=duplicate).update(merged_into=into)
    if into.topic_id is None and duplicate.topic_id is not None:
        into.topic_id = duplicate.topic_id
        into.save(update_fields=["topic"])
    duplicate.status = ReviewRequest.Status.MERGED
    duplicate.merged_into = into
    duplicate.save(update_fields=["status", "merged_into"])
    audit_record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=duplicate,
        before=before,
        after=snapshot(duplicate),
        note=f"merged into request {into.pk}; {moved} vote(s) moved",
    )
    return into


def _unique_slug(model: Any, base: str) -> str:
    base = (slugify(base) or "item")[:150]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _therapy_for(request: ReviewRequest, by: User) -> Therapy:
    if request.therapy is not None:
        return request.therapy
    therapy = Therapy.objects.filter(name__iexact=request.therapy_name).first()
    if therapy is None:
        therapy = Therapy.objects.create(
            name=request.therapy_name, slug=_unique_slug(Therapy, request.therapy_name)
        )
        audit_record(
            by=by, action=AuditEvent.Action.CREATE, instance=therapy, after=snapshot(therapy)
        )
    return therapy


def _condition_for(request: ReviewRequest, by: User) -> Condition:
    if request.condition is not None:
        return request.condition
    condition = Condition.objects.filter(
        name__iexact=request.condition_name, species=request.condition_species
    ).first()
    if condition is None:
        condition = Condition.objects.create(
            name=request.condition_name,
            species=request.condition_species,
            slug=_unique_slug(Condition, f"{request.condition_name}-{request.condition_species}"),
        )
        audit_record(
            by=by,
            action=AuditEvent.Action.CREATE,
            instance=condition,
            after=snapshot(condition),
        )
    return condition


@transaction.atomic
def request_link_topic(*, request: ReviewRequest, by: User, topic: Topic | None = None) -> Topic:
    """Tie a request to a catalog topic, creating therapy, condition and topic when needed.

    A topic created here has the status "requested" until reviewers take it up.
    """
    _require_editor(by)
    _require_open(request)
    before = snapshot(request)
    if topic is None:
        therapy = _therapy_for(request, by)
        condition = _condition_for(request, by)
        topic = Topic.objects.filter(therapy=therapy, condition=condition).first()
        if topic is None:
            topic = Topic.objects.create(
                therapy=therapy,
                condition=condition,
                slug=_unique_slug(Topic, f"{therapy.slug}-{condition.slug}"),
                status=Topic.Status.REQUESTED,
            )
            audit_record(
                by=by, action=AuditEvent.Action.CREATE, instance=topic, after=snapshot(topic)
            )
    request.topic = topic
    request.therapy, request.therapy_name = topic.therapy, ""
    request.condition, request.condition_name = topic.condition, ""
    request.condition_species = topic.condition.species
    request.save()
    audit_record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=request,
        before=before,
        after=snapshot(request),
        note=f"linked to topic {topic.slug}",
    )
    if topic.status == Topic.Status.PUBLISHED:
        # The review already exists: the people who asked hear of it now, not never.
        requests_notify_published(topic=topic)
    return topic


def _review_url(review: Any, topic: Topic) -> str:
    try:
        return str(review.get_absolute_url())
    except (AttributeError, NoReverseMatch):
        # A review without its own page (yet): the topic page shows the published review.
        return topic.get_absolute_url()


@transaction.atomic
def requests_notify_published(
    *, topic: Topic, review: Any = None, notified: set[int] | None = None
) -> int:
    """Tell everyone who asked or voted for a topic that its review is out; returns how many.

    Each person hears once, however many requests and votes they had; the requests are then
    closed, so a later version of the review does not notify them again. The people told are
    added to ``notified`` when given (so followers of the review are not told twice).
    """
    requests = list(
        ReviewRequest.objects.select_for_update().filter(
            topic=topic, status=ReviewRequest.Status.OPEN
        )
    )
    if not requests:
        return 0
    from offlabel.web.accounts.models import User

    people = User.objects.filter(
        is_active=True,
        pk__in=[r.requester_id for r in requests]
        + list(RequestVote.objects.filter(request__in=requests).values_list("voter", flat=True))
        + list(
            ReviewRequest.objects.filter(merged_into__in=requests).values_list(
                "requester", flat=True
            )
        ),
    ).order_by("pk")
    url = _review_url(review, topic)
    count = 0
    for person in people:
        notify(
            recipient=person,
            kind=Notification.Kind.REVIEW_PUBLISHED,
            title=format_lazy(
                _("The review you asked for is published: {therapy} for {condition}"),
                therapy=topic.therapy.name,
                condition=topic.condition.name,
            ),
            body=_("You asked for, or voted for, a review of this topic. It is now published."),
            url=url,
        )
        count += 1
        if notified is not None:
            notified.add(person.pk)
    ReviewRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        status=ReviewRequest.Status.PUBLISHED, notified_at=timezone.now()
    )
    return count
