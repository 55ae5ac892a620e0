"""The prescriber directory, consult requests with their private messages, and invitations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.language import in_language_for_address
from offlabel.web.accounts.models import RoleGrant, User, Viewer, signed_in
from offlabel.web.accounts.roles import Role
from offlabel.web.accounts.tasks import send_email
from offlabel.web.catalog.models import Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot
from offlabel.web.network.models import (
    ConsultMessage,
    ConsultRequest,
    Invitation,
    Notification,
    PrescriberListing,
)
from offlabel.web.network.permissions import INVITER_ROLES, can_prescribe, is_editor
from offlabel.web.network.ratelimit import (
    INVITATION_LIMIT,
    INVITATION_WINDOW,
    POST_LIMIT,
    POST_WINDOW,
    rate_limit_check,
    rate_limit_record,
)
from offlabel.web.network.services.notifications import SUBJECT_PREFIX, notify

MAX_MESSAGE = 10_000


def _require_prescriber(user: Viewer) -> None:
    if not can_prescribe(user):
        raise PermissionDenied(_("Only clinicians and veterinarians can do this."))


# --- directory ---------------------------------------------------------------------------------


@transaction.atomic
def listing_save(
    *, prescriber: Any, topic: Topic, years_experience: int, cases: int, note: str = ""
) -> PrescriberListing:
    """Opt in (or update one's entry) as an experienced prescriber for a topic."""
    _require_prescriber(prescriber)
    if years_experience < 0 or cases < 0:
        raise ValidationError(_("Years of experience and number of cases cannot be negative."))
    listing, created = PrescriberListing.objects.update_or_create(
        prescriber=prescriber,
        topic=topic,
        defaults={"years_experience": years_experience, "cases": cases, "note": note.strip()},
    )
    audit_record(
        by=prescriber,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        instance=listing,
        after=snapshot(listing),
    )
    return listing


@transaction.atomic
def listing_delete(*, listing: PrescriberListing, by: User) -> None:
    if by.pk != listing.prescriber_id and not is_editor(by):
        raise PermissionDenied(_("Only the listed prescriber or an editor can remove this entry."))
    audit_record(by=by, action=AuditEvent.Action.DELETE, instance=listing, before=snapshot(listing))
    listing.delete()


def _require_listed(prescriber: Any, topic: Topic, requester: Any) -> None:
    if prescriber.pk == requester.pk:
        raise ValidationError(_("You cannot ask yourself for a consult."))
    if not PrescriberListing.objects.filter(prescriber=prescriber, topic=topic).exists():
        raise ValidationError(
            _("%(prescriber)s is not listed as a prescriber for %(topic)s.")
            % {"prescriber": prescriber, "topic": topic}
        )


# --- consults ----------------------------------------------------------------------------------


def _editors() -> Any:
    return User.objects.filter(
        is_active=True, role_grants__role=Role.EDITOR, role_grants__status=RoleGrant.Status.GRANTED
    ).distinct()


@transaction.atomic
def consult_request_create(
    *, requester: Any, topic: Topic, question: str, prescriber: Any = None
) -> ConsultRequest:
    """Ask to be put in touch about a topic, with a named prescriber or through the editors."""
    _require_prescriber(requester)
    question = (question or "").strip()
    if not question:
        raise ValidationError(_("Write your question for the colleague."))
    if prescriber is not None:
        _require_listed(prescriber, topic, requester)
    consult = ConsultRequest.objects.create(
        requester=requester, topic=topic, prescriber=prescriber, question=question[:MAX_MESSAGE]
    )
    audit_record(
        by=requester, action=AuditEvent.Action.CREATE, instance=consult, after=snapshot(consult)
    )
    recipients = [prescriber] if prescriber is not None else list(_editors())
    for person in recipients:
        notify(
            recipient=person,
            kind=Notification.Kind.CONSULT_REQUEST,
            title=format_lazy(
                _("{requester} asks for a consult on {topic}"), requester=requester, topic=topic
            ),
            url=consult.get_absolute_url() if prescriber else "/community/consults/",
        )
    return consult


def can_decide(user: Viewer, consult: ConsultRequest) -> bool:
    """The named prescriber decides; requests naming nobody go to the editors."""
    if consult.status != ConsultRequest.Status.PENDING:
        return False
    if consult.prescriber_id is not None:
        account = signed_in(user)
        return account is not None and account.pk == consult.prescriber_id
    return is_editor(user)


@transaction.atomic
def consult_decide(
    *,
    consult: ConsultRequest,
    by: User,
    accept: bool,
    prescriber: Any = None,
    note: str = "",
) -> ConsultRequest:
    """Accept (opening the private thread) or decline a consult request.

    An editor accepting a request that named nobody chooses the listed prescriber the requester
    is put in touch with.
    """
    list(ConsultRequest.objects.select_for_update().filter(pk=consult.pk))  # lock the row
    consult.refresh_from_db()
    if not can_decide(by, consult):
        raise PermissionDenied(_("You cannot answer this consult request."))
    before = snapshot(consult)
    if accept and consult.prescriber_id is None:
        if prescriber is None:
            raise ValidationError(
                _("Choose the listed prescriber to put the requester in touch with.")
            )
        _require_listed(prescriber, consult.topic, consult.requester)
        consult.prescriber = prescriber
    consult.status = ConsultRequest.Status.ACCEPTED if accept else ConsultRequest.Status.DECLINED
    consult.decided_by, consult.decided_at = by, timezone.now()
    consult.decline_note = "" if accept else note.strip()[:300]
    consult.save()
    audit_record(
        by=by,
        action=AuditEvent.Action.UPDATE,
        instance=consult,
        before=before,
        after=snapshot(consult),
    )
    decided = (
        _("Your consult request on {topic} was accepted")
        if accept
        else _("Your consult request on {topic} was declined")
    )
    notify(
        recipient=consult.requester,
        kind=Notification.Kind.CONSULT_DECISION,
        title=format_lazy(decided, topic=consult.topic),
        body=consult.decline_note,
        url=consult.get_absolute_url(),
    )
    if accept and consult.prescriber_id != by.pk:
        notify(
            recipient=consult.prescriber,
            kind=Notification.Kind.CONSULT_DECISION,
            title=format_lazy(
                _("An editor put {requester} in touch with you about {topic}"),
                requester=consult.requester,
                topic=consult.topic,
            ),
            url=consult.get_absolute_url(),
        )
    return consult


def _require_open_thread(consult: ConsultRequest, user: Viewer) -> None:
    if not consult.is_party(user):
        raise PermissionDenied(_("Only the two colleagues of a consult take part in it."))
    if consult.status != ConsultRequest.Status.ACCEPTED:
        raise ValidationError(_("Messages open once the consult request is accepted."))


@transaction.atomic
def consult_message_send(*, consult: ConsultRequest, author: Any, body: str) -> ConsultMessage:
    _require_open_thread(consult, author)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something first: the message is empty."))
    if len(body) > MAX_MESSAGE:
        raise ValidationError(_("Keep a message under %(n)s characters.") % {"n": MAX_MESSAGE})
    rate_limit_check(
        action="post", user_pk=author.pk, limit=POST_LIMIT, window=POST_WINDOW, what="messages"
    )
    message = ConsultMessage.objects.create(consult=consult, author=author, body=body)
    rate_limit_record(action="post", user_pk=author.pk, window=POST_WINDOW)
    other = consult.prescriber if author.pk == consult.requester_id else consult.requester
    notify(
        recipient=other,
        kind=Notification.Kind.CONSULT_MESSAGE,
        title=format_lazy(
            _("{author} wrote to you about {topic}"), author=author, topic=consult.topic
        ),
        url=f"{consult.get_absolute_url()}#message-{message.pk}",
    )
    return message


@transaction.atomic
def consult_share_contact(*, consult: ConsultRequest, user: User, share: bool) -> ConsultRequest:
    """Tick or untick "share my contact details"; e-mails show only when both ticked."""
    _require_open_thread(consult, user)
    field = (
        "requester_shares_contact"
        if user.pk == consult.requester_id
        else "prescriber_shares_contact"
    )
    before = snapshot(consult)
    setattr(consult, field, share)
    consult.save(update_fields=[field])
    audit_record(
        by=user,
        action=AuditEvent.Action.ACCESS,
        instance=consult,
        before=before,
        after=snapshot(consult),
        note="contact details shared" if share else "contact details withdrawn",
    )
    return consult


# --- invitations -------------------------------------------------------------------------------


def _invitation_text(invitation: Invitation, sign_up_url: str) -> str:
    greeting = (
        gettext("Dear %(name)s,") % {"name": invitation.recipient_name}
        if invitation.recipient_name
        else gettext("Hello,")
    )
    lines = [
        greeting,
        "",
        gettext(
            "%(sender)s invites you to offlabel, an open platform that gathers what is "
            "known about off-label and alternative treatments for ALS in people and degenerative "
            "myelopathy in dogs: graded reviews, case registries, and a place where clinicians "
            "and vets compare notes and can ask an experienced colleague."
        )
        % {"sender": invitation.sender},
        "",
    ]
    if invitation.message:
        lines += [gettext("Their note: %(note)s") % {"note": invitation.message}, ""]
    lines += [
        gettext("Create an account here: %(url)s") % {"url": sign_up_url},
        "",
        gettext(
            "You received this e-mail once because they typed your address; we keep no list and "
            "will not write again."
        ),
    ]
    return "\n".join(lines)


@transaction.atomic
def invitation_send(
    *, sender: Any, email: str, sign_up_url: str, recipient_name: str = "", message: str = ""
) -> Invitation:
    """An owner or patient invites their own vet or clinician by e-mail (rate limited)."""
    if not getattr(sender, "is_authenticated", False) or not sender.has_any_role(*INVITER_ROLES):
        raise PermissionDenied(_("Invitations are sent by patients and owners."))
    rate_limit_check(
        action="invite",
        user_pk=sender.pk,
        limit=INVITATION_LIMIT,
        window=INVITATION_WINDOW,
        what="invitations",
    )
    invitation = Invitation.objects.create(
        sender=sender,
        email=email.strip().lower(),
        recipient_name=recipient_name.strip()[:120],
        message=message.strip()[:500],
    )
    audit_record(
        by=sender,
        action=AuditEvent.Action.CREATE,
        instance=invitation,
        after=snapshot(invitation),
    )
    rate_limit_record(action="invite", user_pk=sender.pk, window=INVITATION_WINDOW)
    with in_language_for_address(invitation.email):  # an account's language, else the sender's
        subject = SUBJECT_PREFIX + gettext("%(sender)s invites you to join offlabel") % {
            "sender": sender
        }
        text, address = _invitation_text(invitation, sign_up_url), [invitation.email]
    transaction.on_commit(lambda: send_email(subject, text, address))
    return invitation
