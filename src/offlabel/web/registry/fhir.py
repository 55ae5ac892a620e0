"""A record as FHIR R4 (through the core's :mod:`offlabel.registry.fhir`): the download on the
record page and the API's ``/subjects/{id}/fhir`` give the same Bundle."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from offlabel.registry.fhir import bundle_of_records
from offlabel.web.registry.models import Subject
from offlabel.web.registry.selectors import registry_bundle

FHIR_JSON = "application/fhir+json"


def fhir_base() -> str:
    """Where the site's FHIR resources (the scales' Questionnaires) are named."""
    return f"{str(settings.OFFLABEL_SITE_URL).rstrip('/')}/api/v1/fhir"


def subject_bundle(subject: Subject) -> dict[str, Any]:
    """One record's Patient, MedicationStatements and QuestionnaireResponses in a Bundle."""
    records = registry_bundle(Subject.objects.filter(pk=subject.pk))
    return bundle_of_records(records, fhir_base())


def subject_bundle_json(subject: Subject) -> str:
    return json.dumps(subject_bundle(subject), indent=2, ensure_ascii=False) + "\n"
