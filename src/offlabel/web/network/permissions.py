"""Who may do what in the community app."""

from __future__ import annotations

from typing import Any

from offlabel.web.accounts.models import Viewer
from offlabel.web.accounts.roles import Role

# Read and write discussions (editors also moderate them).
DISCUSSION_ROLES: tuple[str, ...] = (Role.CLINICIAN, Role.VETERINARIAN, Role.REVIEWER, Role.EDITOR)
# See the experienced-prescriber directory.
DIRECTORY_ROLES: tuple[str, ...] = (Role.CLINICIAN, Role.VETERINARIAN, Role.EDITOR)
# List themselves as prescribers, ask for and answer consults.
PRESCRIBER_ROLES: tuple[str, ...] = (Role.CLINICIAN, Role.VETERINARIAN)
# Invite their own vet or clinician.
INVITER_ROLES: tuple[str, ...] = (Role.PATIENT, Role.OWNER)


def _has(user: Viewer, roles: tuple[str, ...]) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_any_role(*roles))


def can_discuss(user: Viewer) -> bool:
    return _has(user, DISCUSSION_ROLES)


def can_see_directory(user: Viewer) -> bool:
    return _has(user, DIRECTORY_ROLES)


def can_prescribe(user: Viewer) -> bool:
    return _has(user, PRESCRIBER_ROLES)


def is_editor(user: Viewer) -> bool:
    return _has(user, (Role.EDITOR,))


def can_read_thread(user: Viewer, thread: Any) -> bool:
    return bool(thread.is_public) or can_discuss(user)
