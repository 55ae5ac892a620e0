"""Writes of the accounts app.

An account's e-mail address counts only once its holder has opened the link we sent to it
(:func:`email_verify`): until then nothing of their health is stored, no invitation binds to
the address and no professional role is granted. Everyone agrees to the current versions of the
policy documents (:mod:`offlabel.web.accounts.policies`); who agreed to which version is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.language import in_language_of, language_of
from offlabel.web.accounts.models import PolicyConsent, RoleGrant, User
from offlabel.web.accounts.policies import Policy, current_policies
from offlabel.web.accounts.roles import REQUESTABLE_ROLES, SELF_SERVICE_ROLES, Role
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot

#: How long the link of a verification e-mail works.
VERIFY_MAX_AGE = 3 * 24 * 3600
_VERIFY_SALT = "offlabel.accounts.email-verify"


class Unverified(PermissionDenied):
    """The account's e-mail address is not verified yet (the message says what to do)."""

    def __init__(self, what: str = "this") -> None:
        super().__init__(
            f"Confirm your e-mail address first (open the link we sent you) to do {what}."
        )


def require_verified(user: User, what: str = "this") -> None:
    """Raise :class:`Unverified` unless the user's e-mail address is verified."""
    if not user.email_verified:
        raise Unverified(what)


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    password: str,
    display_name: str,
    roles: Iterable[str],
    professional_note: str = "",
    agreed: Iterable[str] = (),
    link_base: str = "",
) -> User:
    """Create an account: patient/owner roles at once, professional roles as requests.

    ``agreed`` names the policy documents (``privacy``, ``terms``) the person agreed to; every
    current one is required. The account's e-mail address is not verified yet: a link is sent
    to it (``link_base`` + token) and nothing else works until it is opened.
    """
    missing = [p.title for p in current_policies() if p.key not in set(agreed)]
    if missing:
        raise ValidationError(
            _("To create an account, agree to: %(documents)s.") % {"documents": "; ".join(missing)}
        )
    roles = set(roles)
    unknown = roles - set(SELF_SERVICE_ROLES) - set(REQUESTABLE_ROLES)
    if unknown:
        raise ValidationError(
            _("These roles cannot be asked for at sign-up: %(roles)s.")
            % {"roles": ", ".join(sorted(unknown))}
        )
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name, language=language_of(None)
    )
    now = timezone.now()
    for role in sorted(roles):
        self_service = role in SELF_SERVICE_ROLES
        RoleGrant.objects.create(
            user=user,
            role=role,
            status=RoleGrant.Status.GRANTED if self_service else RoleGrant.Status.REQUESTED,
            note="" if self_service else professional_note,
            decided_at=now if self_service else None,
        )
    audit_record(
        by=user, action=AuditEvent.Action.CREATE, instance=user, after={"roles": sorted(roles)}
    )
    _consent(user, current_policies())
    email_verification_send(user=user, link_base=link_base)
    return user


def _consent(user: User, policies: Iterable[Policy]) -> None:
    for item in policies:
        PolicyConsent.objects.get_or_create(user=user, document=item.key, version=item.version)


def policies_outstanding(user: User) -> list[Policy]:
    """The current policy versions this user has not agreed to yet."""
    agreed = set(user.policy_consents.values_list("document", "version"))
    return [p for p in current_policies() if (p.key, p.version) not in agreed]


@transaction.atomic
def policy_consent_record(*, user: User, agreed: Iterable[str]) -> list[PolicyConsent]:
    """Record that ``user`` agrees to the current versions of the documents in ``agreed``."""
    wanted = set(agreed)
    outstanding = policies_outstanding(user)
    missing = [p.title for p in outstanding if p.key not in wanted]
    if missing:
        raise ValidationError(
            _("To go on, agree to: %(documents)s.") % {"documents": "; ".join(missing)}
        )
    _consent(user, outstanding)
    audit_record(
        by=user,
        action=AuditEvent.Action.OTHER,
        instance=user,
        after={"agreed": {p.key: p.version for p in outstanding}},
        note="Agreed to the current policy versions.",
    )
    return list(user.policy_consents.all())


# -- the e-mail address ----------------------------------------------------------------------


def _site(path: str) -> str:
    base = str(getattr(settings, "OFFLABEL_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return f"{base}{path}"


def email_verification_token(user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email.lower()}, salt=_VERIFY_SALT)


def email_verification_send(*, user: User, email: str | None = None, link_base: str = "") -> str:
    """E-mail a link that proves the holder reads ``email`` (default: the account's address).

    Returns the token. For a change of address the account keeps its old address until the
    link to the new one is opened.
    """
    from offlabel.web.accounts.tasks import send_email

    address = (email or user.email).strip().lower()
    token = email_verification_token(user, address)
    link = f"{link_base}{token}/" if link_base else _site(reverse("accounts:verify", args=[token]))
    with in_language_of(user):
        body = gettext(
            "Hello %(name)s,\n\n"
            "please confirm that %(address)s is your e-mail address for offlabel by opening this "
            "link within three days:\n\n%(link)s\n\n"
            "If you did not ask for this, ignore this message: nothing changes."
        ) % {"name": user.display_name, "address": address, "link": link}
        subject = gettext("Confirm your e-mail address for offlabel")
    transaction.on_commit(lambda: send_email(subject, body, [address]))
    return token


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Open a verification link: the address it names becomes the account's, verified.

    Raises
    ------
    ValidationError
        The link is malformed, expired, or its address now belongs to another account.
    """
    try:
        data = signing.loads(token, salt=_VERIFY_SALT, max_age=VERIFY_MAX_AGE)
        user = User.objects.select_for_update().get(pk=int(data["u"]))
        email = str(data["e"])
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired: ask for a new one.")) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        raise ValidationError(_("This link is not valid.")) from None
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(_("Another account uses this e-mail address now."))
    before = {"email": user.email, "verified": user.email_verified}
    changed = user.email.lower() != email
    user.email = email
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])
    audit_record(
        by=user,
        action=AuditEvent.Action.UPDATE,
        instance=user,
        before=before,
        after={"email": email, "verified": True},
        note="E-mail address changed and verified." if changed else "E-mail address verified.",
    )
    return user


@transaction.atomic
def user_email_change_request(*, user: User, email: str, password: str, link_base: str = "") -> str:
    """Ask to change the account's address: the password is checked, a link goes to the new
    address, and the change happens only when it is opened (:func:`email_verify`)."""
    if not user.check_password(password):
        raise ValidationError(_("The password is not right."))
    address = email.strip().lower()
    if User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
        raise ValidationError(_("An account with this e-mail address already exists."))
    return email_verification_send(user=user, email=address, link_base=link_base)


@transaction.atomic
def user_profile_update(*, user: User, display_name: str) -> User:
    """Change the name shown to others."""
    name = display_name.strip()
    if not name:
        raise ValidationError(_("A name to show others is required."))
    before = {"display_name": user.display_name}
    user.display_name = name[:80]
    user.save(update_fields=["display_name"])
    audit_record(
        by=user,
        action=AuditEvent.Action.UPDATE,
        instance=user,
        before=before,
        after={"display_name": user.display_name},
    )
    return user


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Remember the language the person chose on the site: what we e-mail them is written in
    it (see :mod:`offlabel.web.accounts.language`)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("No such language."))
    if user.language == language:
        return user
    before = {"language": user.language}
    user.language = language
    user.save(update_fields=["language"])
    audit_record(
        by=user,
        action=AuditEvent.Action.UPDATE,
        instance=user,
        before=before,
        after={"language": language},
    )
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change the password after checking the old one and the password rules."""
    if not user.check_password(old_password):
        raise ValidationError(_("The current password is not right."))
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(by=user, action=AuditEvent.Action.UPDATE, instance=user, note="Password changed.")
    return user


@transaction.atomic
def role_request(*, user: User, role: str, note: str = "") -> RoleGrant:
    """Ask for one more role later on; self-service roles are granted at once."""
    if role not in SELF_SERVICE_ROLES | REQUESTABLE_ROLES:
        raise ValidationError(_("The role %(role)r cannot be asked for.") % {"role": role})
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=role, defaults={"note": note})
    if role in SELF_SERVICE_ROLES and grant.status != RoleGrant.Status.GRANTED:
        grant.status = RoleGrant.Status.GRANTED
        grant.decided_at = timezone.now()
        grant.save()
    user.__dict__.pop("_granted_roles", None)
    if role == Role.EDITOR:
        editor_staff(user)
    return grant


@transaction.atomic
def role_decide(*, grant: RoleGrant, by: User, grant_it: bool) -> RoleGrant:
    """An editor grants or refuses a requested role."""
    if not by.has_role(Role.EDITOR):
        raise PermissionDenied(_("Only editors grant roles."))
    if grant_it and not grant.user.email_verified:
        raise PermissionDenied(
            _(
                "This account's e-mail address is not verified yet: a role is granted only to a "
                "verified address."
            )
        )
    before = snapshot(grant)
    grant.status = RoleGrant.Status.GRANTED if grant_it else RoleGrant.Status.REFUSED
    grant.decided_at = timezone.now()
    grant.decided_by = by
    grant.save()
    if grant_it and grant.role == Role.EDITOR:
        editor_staff(grant.user)
    audit_record(
        by=by,
        action=AuditEvent.Action.ACCESS,
        instance=grant,
        before=before,
        after=snapshot(grant),
    )
    return grant


EDITORS_GROUP = "Editors"


def editor_permissions() -> list[str]:
    """``app_label.codename`` of every admin permission an editor holds (a data file)."""
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parent / "editor_permissions.toml").read_text())
    return [str(name) for name in data["permissions"]]


def editor_staff(user: User) -> None:
    """Make an editor staff in the "Editors" group (explicit permissions), never a superuser."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = Q(pk__in=[])
    for name in editor_permissions():
        app_label, codename = name.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(wanted))
    user.groups.add(group)
    if not user.is_staff or user.is_superuser:
        user.is_staff, user.is_superuser = True, False
        user.save(update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def role_grant(*, user: User, role: str, by: User | None = None) -> RoleGrant:
    """Grant a role directly (editors in the admin, the demo loader, management commands)."""
    grant, _created = RoleGrant.objects.update_or_create(
        user=user,
        role=role,
        defaults={
            "status": RoleGrant.Status.GRANTED,
            "decided_at": timezone.now(),
            "decided_by": by,
        },
    )
    user.__dict__.pop("_granted_roles", None)
    if role == Role.EDITOR:
        editor_staff(user)
    return grant
