"""Consent to share a record with a clinician or vet, the record's label, and reminders.

An invitation is bound only through its token (the link e-mailed to the address the owner
gave), and only to an account whose verified e-mail address is that address: signing up with
someone's address gives nothing until the address is proven.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.language import in_language_for_address
from offlabel.web.accounts.models import User
from offlabel.web.accounts.roles import Role
from offlabel.web.accounts.services import require_verified
from offlabel.web.common.throttle import limit_of, throttle_hit
from offlabel.web.registry.models import CareAccess, Subject
from offlabel.web.registry.services.checks import may_own
from offlabel.web.registry.services.common import Action, audit, entry_snapshot

CLINICAL_ROLES = (Role.CLINICIAN, Role.VETERINARIAN)
#: Months a re-score reminder may be set to (0 = none).
REMINDER_CHOICES = (0, 1, 2, 3, 6, 12)


def _access_snapshot(access: CareAccess) -> dict[str, object]:
    return entry_snapshot(access)


@transaction.atomic
def access_invite(
    *,
    subject: Subject,
    by: User,
    email: str,
    scope: str,
    label: str | None = None,
    link_base: str = "",
    notify: bool = True,
    address: str = "",
) -> CareAccess:
    """Invite a clinician or vet by e-mail; the link in the e-mail (or their registry page,
    once their address is verified) lets them accept. Nothing is visible to them before.

    ``label`` (e.g. "Pat", "Bella") is what the record is called for them, and for the owner.
    At most ``OFFLABEL_RECORD_INVITATION_LIMIT`` invitations a day per sender, per client
    ``address`` (the request's, when there is one) and per invited e-mail address
    (:class:`~offlabel.web.common.throttle.Throttled` otherwise, nothing saved).
    """
    may_own(subject, by)
    keys = {"account": str(by.pk), "invited address": email.strip().lower()}
    if address:
        keys["address"] = address
    throttle_hit(
        "record-invitation",
        keys,
        limit=limit_of("OFFLABEL_RECORD_INVITATION_LIMIT", 10),
        window=24 * 60 * 60,
        what="record invitations",
    )
    if label is not None and label.strip() and label.strip() != subject.name:
        before = entry_snapshot(subject)
        subject.name = label.strip()[:80]
        subject.save(update_fields=["name", "updated"])
        audit(by, Action.UPDATE, subject, subject, before, entry_snapshot(subject), "Label set.")
    access = CareAccess.objects.create(
        subject=subject, email=email.strip().lower(), scope=scope, invited_by=by
    )
    audit(by, Action.ACCESS, access, subject, None, _access_snapshot(access))
    with in_language_for_address(access.email):
        subject_line, body = _access_email(by, subject, f"{link_base}{access.token}/")
    from offlabel.web.accounts.tasks import send_email

    if notify:
        transaction.on_commit(lambda: send_email(subject_line, body, [access.email]))
    return access


def _access_email(by: User, subject: Subject, link: str) -> tuple[str, str]:
    """The invitation to see a record: its subject line and text (in the active language)."""
    body = gettext(
        "%(who)s invites you to see a record in the offlabel outcomes registry "
        "(%(kind)s with %(condition)s).\n\n"
        "Sign in with this e-mail address as a clinician or veterinarian (it must be "
        "confirmed) and accept here:\n%(link)s\n\n"
        "You will see the record only while the consent lasts; it can be withdrawn at any time."
    ) % {
        "who": by.display_name,
        "kind": str(subject.get_kind_display()).lower(),
        "condition": gettext("degenerative myelopathy") if subject.is_dog else gettext("ALS"),
        "link": link,
    }
    return gettext("A record is shared with you on offlabel"), body


@transaction.atomic
def access_accept(*, token: str, user: User) -> CareAccess:
    """The invited clinician or vet accepts through the invitation's token: from now on the
    record is visible to them. Their account's address must be the invited one, verified."""
    if not user.has_any_role(*CLINICAL_ROLES):
        raise PermissionDenied(_("Only clinicians and veterinarians accept invitations."))
    require_verified(user, "accept an invitation")
    access = (
        CareAccess.objects.select_for_update()
        .select_related("subject")
        .filter(token=token, status=CareAccess.Status.INVITED, subject__deleted_at__isnull=True)
        .first()
    )
    if access is None or access.email.lower() != user.email.lower():
        raise PermissionDenied(_("This invitation is not open for your account."))
    before = _access_snapshot(access)
    access.status = CareAccess.Status.ACTIVE
    access.clinician = user
    access.granted_at = timezone.now()
    access.save()
    audit(user, Action.ACCESS, access, access.subject, before, _access_snapshot(access))
    return access


@transaction.atomic
def access_revoke(*, access: CareAccess, by: User) -> CareAccess:
    """Withdraw consent; the clinician loses access with their next request."""
    may_own(access.subject, by)
    before = _access_snapshot(access)
    access.status = CareAccess.Status.REVOKED
    access.revoked_at = timezone.now()
    access.save()
    audit(by, Action.ACCESS, access, access.subject, before, _access_snapshot(access))
    return access


@transaction.atomic
def reminder_set(*, subject: Subject, by: User, months: int) -> Subject:
    """Opt in to (or out of) a reminder to re-score every ``months`` months (0 = none)."""
    may_own(subject, by)
    if months not in REMINDER_CHOICES:
        raise ValueError(f"A reminder is every {', '.join(map(str, REMINDER_CHOICES[1:]))} months.")
    before = entry_snapshot(subject)
    subject.reminder_months = months
    subject.save(update_fields=["reminder_months", "updated"])
    audit(by, Action.UPDATE, subject, subject, before, entry_snapshot(subject), "Reminder set.")
    return subject
