"""A record in standard formats: FHIR R4 (its owner and those it is shared with) and a CARE
case report (clinicians and vets, and editors)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from offlabel.web.accounts.permissions import signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.registry import selectors
from offlabel.web.registry.case_report import subject_care_report
from offlabel.web.registry.fhir import FHIR_JSON, subject_bundle_json

CARE_FORMATS = {"md": "text/markdown; charset=utf-8", "pdf": "application/pdf"}


@login_required
def subject_fhir(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = selectors.subject_for(signed_in_user(request), public_id)
    response = HttpResponse(subject_bundle_json(subject), content_type=FHIR_JSON)
    response["Content-Disposition"] = f'attachment; filename="{subject.public_id}-fhir.json"'
    return response


@login_required
def subject_care(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    from offlabel.reports.care import care_markdown, care_pdf

    if fmt not in CARE_FORMATS:
        raise Http404("No such format.")
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    if not user.has_any_role(Role.CLINICIAN, Role.VETERINARIAN, Role.EDITOR):
        raise PermissionDenied(_("Case reports are written by clinicians and vets."))
    report = subject_care_report(subject)
    body = care_markdown(report).encode() if fmt == "md" else care_pdf(report)
    response = HttpResponse(body, content_type=CARE_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report.filename(fmt)}"'
    return response
