"""A record's CARE case report (through the core's :mod:`offlabel.reports.care`)."""

from __future__ import annotations

from offlabel.reports.care import CareReport, care_report
from offlabel.web.registry.models import Subject
from offlabel.web.registry.selectors import registry_bundle


def subject_care_report(subject: Subject) -> CareReport:
    """The CARE report of one record's case history (pseudonymous: no label, no owner)."""
    return care_report(registry_bundle(Subject.objects.filter(pk=subject.pk)))
