"""Writes of the API app: personal access tokens created and revoked (each with an audit row)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User
from offlabel.web.accounts.roles import Role
from offlabel.web.accounts.services import require_verified
from offlabel.web.api.models import AccessToken, Scope
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.services import audit_record

TOKEN_PREFIX = "olt"  # noqa: S105 - the visible start of every token, not a secret
#: The lifetimes a token can be given, in days.
LIFETIMES = (7, 30, 90, 365)
#: Tokens one account may hold at once (active or not yet purged).
MAX_TOKENS = 20


def token_digest(token: str) -> str:
    """The SHA-256 the site keeps of a token (hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def scopes_allowed(user: User) -> set[str]:
    """The scopes this account may give a token (the de-identified data needs a reviewer)."""
    allowed = {Scope.RECORDS_READ.value, Scope.RECORDS_WRITE.value}
    if user.has_any_role(Role.REVIEWER, Role.EDITOR):
        allowed.add(Scope.DEIDENTIFIED_READ.value)
    return allowed


@transaction.atomic
def token_create(
    *, user: User, name: str, scopes: Iterable[str], days: int, by: User
) -> tuple[AccessToken, str]:
    """A new token for ``user``; returns the row and the token itself (shown once, never kept)."""
    if by.pk != user.pk:
        raise PermissionDenied(_("Tokens are created by the account they act for."))
    require_verified(user, "create an API token")
    wanted = sorted(set(scopes))
    if not wanted:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    refused = [s for s in wanted if s not in scopes_allowed(user)]
    if refused:
        raise ValidationError(
            {
                "scopes": _("This account cannot give a token %(scopes)s.")
                % {"scopes": ", ".join(refused)}
            }
        )
    if days not in LIFETIMES:
        raise ValidationError(
            {"days": _("A token lasts %(days)s days.") % {"days": ", ".join(map(str, LIFETIMES))}}
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name (what it is for).")})
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_TOKENS:  # type: ignore[attr-defined]
        raise ValidationError(
            _("An account holds at most %(n)s tokens; revoke one first.") % {"n": MAX_TOKENS}
        )
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    row = AccessToken.objects.create(
        user=user,
        name=name[:80],
        prefix=prefix,
        digest=token_digest(token),
        scopes=wanted,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        by=by,
        action=AuditEvent.Action.CREATE,
        instance=row,
        after={"name": row.name, "scopes": wanted, "expires_at": row.expires_at.isoformat()},
    )
    return row, token


@transaction.atomic
def token_revoke(*, token: AccessToken, by: User) -> AccessToken:
    """Revoke a token at once (its owner only); revoking twice changes nothing."""
    if token.user_id != by.pk:
        raise PermissionDenied(_("Only the token's owner revokes it."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            by=by,
            action=AuditEvent.Action.ACCESS,
            instance=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at.isoformat()},
        )
    return token


def token_touch(token: AccessToken) -> None:
    """Note when a token was last used (at most once a minute, no audit row: not a change)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
