"""Load the demo: every app's ``demo_load`` in ``INSTALLED_APPS`` order, once.

Called by ``offlabel demo``. Loading is skipped when the demo is already there, so running the
command twice keeps whatever a person changed in the demo since.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from offlabel.web.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from offlabel.web.accounts.models import User
from offlabel.web.common.extensions import demo_loaders


def demo_is_loaded() -> bool:
    return User.objects.filter(email=DEMO_ACCOUNTS[-1].email).exists()


def load_demo(out: Callable[[str], None] = print) -> bool:
    """Load every app's demo content; returns False when it was already loaded."""
    if demo_is_loaded():
        return False
    for _label, loader in demo_loaders():
        with transaction.atomic():
            loader(out)
    return True


def accounts_table() -> str:
    width = max(len(a.email) for a in DEMO_ACCOUNTS)
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD})"]
    for account in DEMO_ACCOUNTS:
        roles = ", ".join(str(role.label) for role in account.roles)
        lines.append(f"  {account.email:<{width}}  {roles}")
    return "\n".join(lines)
