"""Accounts for tests: the shared password, a user with roles, and the table of roles.

The :class:`~tests.conftest.World` fixture is built from these; tests that need one more account
call :func:`make_user` too.
"""

from __future__ import annotations

from typing import Any

PASSWORD = "correct horse battery staple 42"

#: Every account of the :class:`World` by name, "anonymous" for a visitor signed out: the rows
#: of every permission table.
ROLES = (
    "anonymous",
    "patient",
    "owner",
    "other_owner",
    "clinician",
    "vet",
    "care_vet",
    "stranger_vet",
    "reviewer",
    "editor",
    "pending_clinician",
    "nobody",
)


def make_user(
    email: str, *roles: str, requested: tuple[str, ...] = (), verified: bool = True
) -> Any:
    """An account with ``roles`` granted (and ``requested`` ones waiting), by default as if
    signed up: e-mail address verified, the current policy versions agreed to."""
    from offlabel.web.accounts.demo import account_ready
    from offlabel.web.accounts.models import RoleGrant, User
    from offlabel.web.accounts.services import role_grant

    user = User.objects.create_user(
        email=email, password=PASSWORD, display_name=email.split("@")[0]
    )
    if verified:
        account_ready(user)
    for role in roles:
        role_grant(user=user, role=role)
    for role in requested:
        RoleGrant.objects.create(user=user, role=role, status=RoleGrant.Status.REQUESTED)
    return user
