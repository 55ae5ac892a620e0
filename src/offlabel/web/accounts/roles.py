"""The roles a person can hold, and which of them need an editor's approval."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("Person with ALS")
    OWNER = "owner", _("Owner of a dog with DM")
    CLINICIAN = "clinician", _("Clinician")
    VETERINARIAN = "veterinarian", _("Veterinarian")
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Editor")


# Granted at once when asked for at sign-up: they only give access to one's own records.
SELF_SERVICE_ROLES = frozenset({Role.PATIENT, Role.OWNER})
# Asked for at sign-up and granted by an editor after checking who the person is.
REQUESTABLE_ROLES = frozenset({Role.CLINICIAN, Role.VETERINARIAN, Role.REVIEWER})
# Professionals: they see each other's discussions and the prescriber directory.
PROFESSIONAL_ROLES = frozenset({Role.CLINICIAN, Role.VETERINARIAN, Role.REVIEWER, Role.EDITOR})
