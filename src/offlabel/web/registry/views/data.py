"""What the registry gives out and takes in: exports, account deletion, the bulk import, and
the reviewers' de-identified pages (the registry and its possible reversals)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from offlabel.registry.deidentify import DEIDENTIFIED_EPOCH, dated_on_epoch
from offlabel.registry.progress import find_reversal
from offlabel.registry.vocabulary import ReversalStatus
from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.common.uploads import upload_limits
from offlabel.web.registry import export, forms, selectors, services

# -- own data ------------------------------------------------------------------------------------


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    data = export.registry_zip(subjects=selectors.subjects_owned_by(user))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="offlabel-my-records.zip"'
    return response


@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    response = HttpResponse(
        json.dumps(export.own_data_json(user), indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="offlabel-my-records.json"'
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = forms.DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.account_delete(user=user, password=form.cleaned_data["password"])
        except ValidationError as error:  # pragma: no cover - the form checked the password
            form.add_error("password", " ".join(error.messages))
            return render(request, "registry/account_delete.html", {"form": form, "count": 0})
        logout(request)
        messages.success(
            request,
            ngettext(
                "Your account and %(n)s record were deleted. Thank you for taking part.",
                "Your account and %(n)s records were deleted. Thank you for taking part.",
                count,
            )
            % {"n": count},
        )
        return redirect("catalog:home")
    return render(
        request,
        "registry/account_delete.html",
        {"form": form, "count": selectors.subjects_owned_by(user).count()},
    )


# -- editors: bulk import -----------------------------------------------------------------------


def _unpack(upload: Any, directory: Path) -> list[str]:
    """Extract the layout's five files from an uploaded zip, each member streamed inside the
    guard (:func:`offlabel.untrusted.extract_zip_members`: member count, total and per-member
    size, compression ratio, CRC, encryption, method); returns problems in plain words."""
    from offlabel.registry.layout import COLUMNS
    from offlabel.untrusted import InputLimitError, extract_zip_members

    def wanted(member: str) -> str | None:
        name = Path(member).name
        return name if name in COLUMNS else None

    try:
        found = extract_zip_members(
            upload, directory, wanted=wanted, name="the upload", limits=upload_limits()
        )
    except InputLimitError as error:
        return [f"{error}."]
    if "subjects.csv" not in found:
        return ["The .zip holds no subjects.csv."]
    return []


@role_required(Role.EDITOR)
def registry_import_page(request: HttpRequest) -> HttpResponse:
    from offlabel.registry.problems import RegistryImportError

    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory() as tmp:
            problems = _unpack(form.cleaned_data["archive"], Path(tmp))
            if not problems:
                try:
                    summary = services.registry_import(
                        directory=tmp,
                        by=signed_in_user(request),
                        confirm_implausible=form.cleaned_data["confirm_implausible"],
                    )
                except RegistryImportError as error:
                    problems = [str(p) for p in error.problems]
                else:
                    messages.success(
                        request,
                        _(
                            "Imported %(subjects)s subjects, %(treatments)s treatment courses, "
                            "%(evaluations)s evaluations, %(scores)s scores, %(events)s milestones."
                        )
                        % vars(summary),
                    )
                    return redirect("registry:import")
    return render(
        request,
        "registry/import.html",
        {"form": form, "problems": problems[:500], "more": max(0, len(problems) - 500)},
    )


# -- reviewers -------------------------------------------------------------------------------------


@role_required(Role.REVIEWER, Role.EDITOR)
def deidentified(request: HttpRequest) -> HttpResponse:
    species = request.GET.get("species") or None
    if species not in (None, "human", "dog"):
        raise Http404(_("No such species."))
    bundle = selectors.registry_deidentified(species)
    context = {
        "bundle": bundle,
        "species": species,
        "subjects": bundle.subjects[:200],
        "evaluations": bundle.evaluations[:200],
        "treatments": bundle.treatments[:200],
        "counts": {
            "subjects": len(bundle.subjects),
            "treatments": len(bundle.treatments),
            "evaluations": len(bundle.evaluations),
            "scores": len(bundle.scores),
            "events": len(bundle.events),
            "reversals": sum(1 for s in bundle.subjects if s.reversal is not None),
            "verified": sum(1 for s in bundle.subjects if s.reversal == "verified"),
        },
    }
    return render(request, "registry/deidentified.html", context)


@role_required(Role.REVIEWER, Role.EDITOR)
def deidentified_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.registry_zip(deidentified=True), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="offlabel-registry-deidentified.zip"'
    return response


@role_required(Role.REVIEWER, Role.EDITOR)
def reversals(request: HttpRequest) -> HttpResponse:
    """Flagged possible reversals, de-identified like everything reviewers see (through the one
    de-identification function): pseudonyms, days since onset, and whether a clinician or vet
    checked the scores against the clinical records."""
    bundle = selectors.reversals_deidentified()
    dated = dated_on_epoch(bundle)
    rows: list[dict[str, Any]] = []
    for subject in bundle.subjects:
        scores = [s for s in dated.scores if s.subject_id == subject.subject_id]
        finding = find_reversal(scores)
        rows.append(
            {
                "subject": subject,
                "finding": finding,
                "low_day": None
                if finding is None
                else (finding.low_date - DEIDENTIFIED_EPOCH).days,
                "high_day": None
                if finding is None
                else (finding.high_date - DEIDENTIFIED_EPOCH).days,
                "last_day": None
                if finding is None
                else (finding.last_date - DEIDENTIFIED_EPOCH).days,
            }
        )
    counts = {
        "flagged": len(rows),
        "verified": sum(1 for s in bundle.subjects if s.reversal == ReversalStatus.VERIFIED),
    }
    return render(request, "registry/reversals.html", {"rows": rows, "counts": counts})
