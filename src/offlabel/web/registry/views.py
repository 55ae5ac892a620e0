"""Registry pages. Every subject is fetched through ``selectors.subjects_visible_to`` (via
``subject_for``/``subject_owned``), so a record that is not yours, or no longer shared with you,
answers 404."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from offlabel.registry.vocabulary import ScaleKey
from offlabel.web.accounts.models import Viewer
from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.common.selectors import audit_for_owner
from offlabel.web.registry import export, forms, selectors, services
from offlabel.web.registry.models import CareAccess, Subject
from offlabel.web.registry.timeline import subject_timeline

CLINICAL = (Role.CLINICIAN, Role.VETERINARIAN)


def _model_fields(form: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.cleaned_data and name not in exclude
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    subjects = selectors.subjects_visible_to(user).select_related("owner")
    own = [s for s in subjects if s.owner_id == user.pk]
    shared = [s for s in subjects if s.owner_id != user.pk]
    has_person = any(s.kind == Subject.Kind.PERSON and s.origin == Subject.Origin.SELF for s in own)
    context = {
        "own": own,
        "shared": shared,
        "invitations": selectors.invitations_for(user) if user.has_any_role(*CLINICAL) else [],
        "can_add_person": user.has_role(Role.PATIENT) and not has_person,
        "can_add_dog": user.has_role(Role.OWNER),
        "can_add_case": user.has_any_role(*CLINICAL),
    }
    return render(request, "registry/dashboard.html", context)


def _subject_form_class(user: Viewer, kind: str, case_history: bool) -> type[forms._SubjectForm]:
    if kind == Subject.Kind.PERSON:
        return forms.PersonCaseHistoryForm if case_history else forms.PersonSubjectForm
    if kind == Subject.Kind.DOG:
        return forms.DogCaseHistoryForm if case_history else forms.DogSubjectForm
    raise Http404("No such kind of record.")


@login_required
def subject_new(request: HttpRequest, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    form_class = _subject_form_class(user, kind, case_history=False)
    own_person = selectors.subject_own_person(user) if kind == Subject.Kind.PERSON else None
    if own_person is not None:
        messages.info(request, "You already have your record.")
        return redirect(own_person)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = services.subject_create(by=user, kind=kind, **_model_fields(form))
        messages.success(request, "Record created.")
        return redirect(subject)
    title = "Your record" if kind == Subject.Kind.PERSON else "Add a dog"
    return render(request, "registry/form.html", {"form": form, "title": title})


@role_required(*CLINICAL)
def case_history_new(request: HttpRequest, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    form = _subject_form_class(user, kind, case_history=True)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = services.subject_create(
            by=user, kind=kind, origin=Subject.Origin.CASE_HISTORY, **_model_fields(form)
        )
        messages.success(request, "Case history created.")
        return redirect(subject)
    title = "New case history: " + ("a dog" if kind == Subject.Kind.DOG else "a person")
    return render(request, "registry/form.html", {"form": form, "title": title})


@login_required
def subject_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    is_owner = subject.owner_id == user.pk
    context: dict[str, Any] = {
        "subject": subject,
        "is_owner": is_owner,
        "can_contribute": selectors.subjects_contributable_by(user).filter(pk=subject.pk).exists(),
        **subject_timeline(subject),
    }
    if is_owner:
        context["access"] = selectors.access_of(subject)
        context["invite_form"] = forms.InviteForm()
        context["changes"] = audit_for_owner(subject.public_id)[:50]
    return render(request, "registry/subject.html", context)


@login_required
def subject_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    form_class = _subject_form_class(
        user, subject.kind, case_history=subject.origin == Subject.Origin.CASE_HISTORY
    )
    form = form_class(request.POST or None, instance=subject)
    if request.method == "POST" and form.is_valid():
        services.subject_update(subject=subject, by=user, **_model_fields(form))
        messages.success(request, "Record updated.")
        return redirect(subject)
    return render(
        request, "registry/form.html", {"form": form, "title": "Edit record", "subject": subject}
    )


@require_POST
@login_required
def subject_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    if subject.kind == Subject.Kind.PERSON and subject.origin == Subject.Origin.SELF:
        messages.error(request, "Your own record goes with your account: delete the account.")
        return redirect(subject)
    services.subject_delete(subject=subject, by=user)
    messages.success(request, "Record deleted.")
    return redirect("registry:dashboard")


# -- entries -------------------------------------------------------------------------------------


@login_required
def course_new(request: HttpRequest, public_id: str, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    course = get_object_or_404(subject.courses, pk=pk) if pk is not None else None
    form = forms.CourseForm(request.POST or None, subject=subject, instance=course)
    if request.method == "POST" and form.is_valid():
        fields = _model_fields(form)
        fields["dose_confirmed"] = bool(form.cleaned_data.get("confirm_dose"))
        if course is None:
            services.course_create(subject=subject, by=user, **fields)
        else:
            services.course_update(course=course, by=user, **fields)
        messages.success(request, "Treatment saved.")
        return redirect(subject)
    title = "Edit treatment" if course else "Add a treatment"
    return render(request, "registry/form.html", {"form": form, "title": title, "subject": subject})


@require_POST
@login_required
def course_delete(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    services.course_delete(course=get_object_or_404(subject.courses, pk=pk), by=user)
    messages.success(request, "Treatment deleted, with its evaluations.")
    return redirect(subject)


@login_required
def evaluation_new(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    course = get_object_or_404(subject.courses.select_related("therapy"), pk=pk)
    form = forms.EvaluationForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.evaluation_create(
            course=course,
            by=user,
            side_effects=form.side_effects(),
            date=data["date"],
            efficacy=data["efficacy"],
            adherence=data["adherence"],
            burden=data["burden"],
            notes=data["notes"],
        )
        messages.success(request, "Evaluation saved.")
        return redirect(subject)
    title = f"Evaluate {course.therapy_name}"
    return render(request, "registry/form.html", {"form": form, "title": title, "subject": subject})


@require_POST
@login_required
def evaluation_delete(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    from offlabel.web.registry.models import Evaluation

    evaluation = get_object_or_404(Evaluation, pk=pk, course__subject=subject)
    services.evaluation_delete(evaluation=evaluation, by=user)
    messages.success(request, "Evaluation deleted.")
    return redirect(subject)


@login_required
def score_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    if subject.is_dog:
        form: Any = forms.DmScoreForm(request.POST or None, subject=subject)
        template, title = "registry/score_dm.html", "Record stage and gait"
    else:
        form = forms.AlsfrsForm(request.POST or None, subject=subject)
        template, title = "registry/score_alsfrs.html", "Record an ALSFRS-R score"
    if request.method == "POST" and form.is_valid():
        date = form.cleaned_data["date"]
        if subject.is_dog:
            for scale, total in form.totals().items():
                services.score_create(subject=subject, by=user, scale=scale, date=date, total=total)
        else:
            score = services.score_create(
                subject=subject, by=user, scale=ScaleKey.ALSFRS_R, date=date, items=form.items
            )
            messages.success(request, f"ALSFRS-R total {score.total} saved.")
            return redirect(subject)
        messages.success(request, "Score saved.")
        return redirect(subject)
    return render(request, template, {"form": form, "title": title, "subject": subject})


@require_POST
@login_required
def score_delete(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    services.score_delete(score=get_object_or_404(subject.scores, pk=pk), by=user)
    messages.success(request, "Score deleted.")
    return redirect(subject)


@login_required
def milestone_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    form = forms.MilestoneForm(request.POST or None, subject=subject)
    if request.method == "POST" and form.is_valid():
        services.milestone_create(
            subject=subject,
            by=user,
            event=form.cleaned_data["event"],
            date=form.cleaned_data["date"],
        )
        messages.success(request, "Milestone saved.")
        return redirect(subject)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": "Record a milestone", "subject": subject},
    )


@require_POST
@login_required
def milestone_delete(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    services.milestone_delete(milestone=get_object_or_404(subject.milestones, pk=pk), by=user)
    messages.success(request, "Milestone deleted.")
    return redirect(subject)


# -- consent ---------------------------------------------------------------------------------------


@require_POST
@login_required
def access_invite(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    form = forms.InviteForm(request.POST)
    if form.is_valid():
        services.access_invite(
            subject=subject,
            by=user,
            email=form.cleaned_data["email"],
            scope=form.cleaned_data["scope"],
            link_base=request.build_absolute_uri(reverse("registry:invitations")),
        )
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Give a valid e-mail address and what they may do.")
    return redirect(subject)


@require_POST
@login_required
def access_revoke(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    access = get_object_or_404(subject.access, pk=pk)
    services.access_revoke(access=access, by=user)
    messages.success(request, "Access withdrawn.")
    return redirect(subject)


@role_required(*CLINICAL)
def invitations(request: HttpRequest) -> HttpResponse:
    return redirect("registry:dashboard")


@role_required(*CLINICAL)
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    user = signed_in_user(request)
    access = get_object_or_404(
        CareAccess.objects.select_related("subject", "invited_by"),
        token=token,
        status=CareAccess.Status.INVITED,
        email__iexact=user.email,
    )
    if request.method == "POST":
        services.access_accept(access=access, user=user)
        messages.success(request, "Invitation accepted: the record is now on your registry page.")
        return redirect(access.subject)
    return render(request, "registry/invitation.html", {"access": access})


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
        logout(request)
        count = services.account_delete(user=user)
        messages.success(
            request, f"Your account and {count} record(s) were deleted. Thank you for taking part."
        )
        return redirect("catalog:home")
    return render(
        request,
        "registry/account_delete.html",
        {"form": form, "count": selectors.subjects_owned_by(user).count()},
    )


# -- editors: bulk import -----------------------------------------------------------------------

MAX_IMPORT_FILE_BYTES = 50 * 1024 * 1024


def _unpack(upload: Any, directory: Path) -> list[str]:
    """Extract the layout's five files from an uploaded zip; returns problems in plain words."""
    from offlabel.registry.layout import COLUMNS

    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        return ["The upload is not a .zip file."]
    found = []
    with archive:
        for info in archive.infolist():
            name = Path(info.filename).name
            if info.is_dir() or name not in COLUMNS:
                continue
            if info.file_size > MAX_IMPORT_FILE_BYTES:
                return [f"{name} is larger than {MAX_IMPORT_FILE_BYTES // 2**20} MB."]
            (directory / name).write_bytes(archive.read(info))
            found.append(name)
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
                    messages.success(request, f"Imported {summary}.")
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
        raise Http404("No such species.")
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
        },
    }
    return render(request, "registry/deidentified.html", context)


@role_required(Role.REVIEWER, Role.EDITOR)
def deidentified_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.registry_zip(deidentified=True), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="offlabel-registry-deidentified.zip"'
    return response
