"""Accounts for tests: the shared password, a user with roles, and the table of roles.

The :class:`~tests.conftest.World` fixture is built from these; tests that need one more account
call :func:`make_user` too.
"""

from __future__ import annotations

from typing import Any

PASSWORD = "correct horse battery staple 42"

#: Every account of the :class:`World` by name, "anonymous" for a visitor signed out: the rows
#: of every permission table. "editor" is a staff editor (the editor role's grant makes it
#: staff in the "Editors" group, never a superuser); "superuser" is an operator's account made
#: by ``manage.py createsuperuser``, which the site's own pages treat like any account without
#: a role (only the admin knows superusers).
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
    "superuser",
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


def make_superuser(email: str) -> Any:
    """An operator's superuser made by ``manage.py createsuperuser`` itself (non-interactive,
    the shared password), then signed up like anyone (address verified, policies agreed)."""
    import os

    from django.core.management import call_command

    from offlabel.web.accounts.demo import account_ready
    from offlabel.web.accounts.models import User

    before = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
    os.environ["DJANGO_SUPERUSER_PASSWORD"] = PASSWORD
    try:
        call_command(
            "createsuperuser",
            interactive=False,
            email=email,
            display_name=email.split("@")[0],
            verbosity=0,
        )
    finally:
        if before is None:
            os.environ.pop("DJANGO_SUPERUSER_PASSWORD", None)
        else:
            os.environ["DJANGO_SUPERUSER_PASSWORD"] = before
    user = User.objects.get(email=email)
    account_ready(user)
    return user
