"""Writes of the accounts app."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from offlabel.web.accounts.models import RoleGrant, User
from offlabel.web.accounts.roles import REQUESTABLE_ROLES, SELF_SERVICE_ROLES, Role
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record, snapshot


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    password: str,
    display_name: str,
    roles: Iterable[str],
    professional_note: str = "",
) -> User:
    """Create an account: patient/owner roles at once, professional roles as requests."""
    roles = set(roles)
    unknown = roles - set(SELF_SERVICE_ROLES) - set(REQUESTABLE_ROLES)
    if unknown:
        raise ValidationError(
            f"These roles cannot be asked for at sign-up: {', '.join(sorted(unknown))}."
        )
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
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
    return user


@transaction.atomic
def role_request(*, user: User, role: str, note: str = "") -> RoleGrant:
    """Ask for one more role later on; self-service roles are granted at once."""
    if role not in SELF_SERVICE_ROLES | REQUESTABLE_ROLES:
        raise ValidationError(f"The role {role!r} cannot be asked for.")
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=role, defaults={"note": note})
    if role in SELF_SERVICE_ROLES and grant.status != RoleGrant.Status.GRANTED:
        grant.status = RoleGrant.Status.GRANTED
        grant.decided_at = timezone.now()
        grant.save()
    user.__dict__.pop("_granted_roles", None)
    return grant


@transaction.atomic
def role_decide(*, grant: RoleGrant, by: User, grant_it: bool) -> RoleGrant:
    """An editor grants or refuses a requested role."""
    if not by.has_role(Role.EDITOR):
        raise PermissionDenied("Only editors grant roles.")
    before = snapshot(grant)
    grant.status = RoleGrant.Status.GRANTED if grant_it else RoleGrant.Status.REFUSED
    grant.decided_at = timezone.now()
    grant.decided_by = by
    grant.save()
    audit_record(
        by=by,
        action=AuditEvent.Action.ACCESS,
        instance=grant,
        before=before,
        after=snapshot(grant),
    )
    return grant


@transaction.atomic
def role_grant(*, user: User, role: str, by: User | None = None) -> RoleGrant:
    """Grant a role directly (editors in the admin, the demo loader, management commands)."""
    grant, _ = RoleGrant.objects.update_or_create(
        user=user,
        role=role,
        defaults={
            "status": RoleGrant.Status.GRANTED,
            "decided_at": timezone.now(),
            "decided_by": by,
        },
    )
    user.__dict__.pop("_granted_roles", None)
    return grant
