"""Demo accounts: one per role, all with the same password (printed by ``offlabel demo``)."""

from __future__ import annotations

from dataclasses import dataclass

from offlabel.web.accounts.models import User
from offlabel.web.accounts.roles import Role
from offlabel.web.accounts.services import role_grant

DEMO_PASSWORD = "ldn-demo-2026"  # noqa: S105 - printed on purpose; the demo is local only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    roles: tuple[Role, ...]


DEMO_ACCOUNTS = (
    DemoAccount("patient@offlabel.demo", "Pat (person with ALS)", (Role.PATIENT,)),
    DemoAccount("owner@offlabel.demo", "Olive (owner of a dog with DM)", (Role.OWNER,)),
    DemoAccount("clinician@offlabel.demo", "Dr Chen (neurologist)", (Role.CLINICIAN,)),
    DemoAccount("vet@offlabel.demo", "Dr Vega (veterinarian)", (Role.VETERINARIAN,)),
    DemoAccount(
        "prescriber@offlabel.demo", "Dr Price (vet, long LDN experience)", (Role.VETERINARIAN,)
    ),
    DemoAccount("reviewer@offlabel.demo", "Dr Reyes (reviewer)", (Role.REVIEWER,)),
    DemoAccount("reviewer2@offlabel.demo", "Dr Rao (reviewer)", (Role.REVIEWER,)),
    DemoAccount("reviewer3@offlabel.demo", "Dr Ross (reviewer)", (Role.REVIEWER,)),
    DemoAccount("editor@offlabel.demo", "Eda (editor)", (Role.EDITOR, Role.REVIEWER)),
)


def account_ready(user: User) -> None:
    """A demo (or test) account as if its holder had signed up: address verified, current
    policies agreed to."""
    from django.utils import timezone

    from offlabel.web.accounts.models import PolicyConsent
    from offlabel.web.accounts.policies import current_policies

    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    for item in current_policies():
        PolicyConsent.objects.get_or_create(user=user, document=item.key, version=item.version)


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def load() -> list[User]:
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email, password=DEMO_PASSWORD, display_name=account.display_name
            )
        account_ready(user)
        # an editor becomes staff with the editors' permissions (role_grant), never a superuser
        for role in account.roles:
            role_grant(user=user, role=role)
        users.append(user)
    return users
