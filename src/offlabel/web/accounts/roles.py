"""The roles a person can hold, and which of them need an editor's approval."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PATIENT = "patient", "Person with ALS"
    OWNER = "owner", "Owner of a dog with DM"
    CLINICIAN = "clinician", "Clinician"
    VETERINARIAN = "veterinarian", "Veterinarian"
    REVIEWER = "reviewer", "Reviewer"
    EDITOR = "editor", "Editor"


# Granted at once when asked for at sign-up: they only give access to one's own records.
SELF_SERVICE_ROLES = frozenset({Role.PATIENT, Role.OWNER})
# Asked for at sign-up and granted by an editor after checking who the person is.
REQUESTABLE_ROLES = frozenset({Role.CLINICIAN, Role.VETERINARIAN, Role.REVIEWER})
# Professionals: they see each other's discussions and the prescriber directory.
PROFESSIONAL_ROLES = frozenset({Role.CLINICIAN, Role.VETERINARIAN, Role.REVIEWER, Role.EDITOR})
