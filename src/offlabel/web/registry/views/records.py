"""The dashboard, a record's page, and creating, editing, deleting and restoring a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.stability import stabilisation_sentence
from offlabel.registry.progress import alsfrs_progress
from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.common.selectors import audit_for_owner
from offlabel.web.registry import forms, rows, selectors, services
from offlabel.web.registry.history import history_rows
from offlabel.web.registry.models import (
    Evaluation,
    Milestone,
    ScoreRecord,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.timeline import subject_timeline

CLINICAL = (Role.CLINICIAN, Role.VETERINARIAN)
T = TypeVar("T")
_SINGULAR: dict[type, str] = {
    TreatmentCourse: "course",
    Evaluation: "evaluation",
    ScoreRecord: "score",
    Milestone: "milestone",
}


def model_fields(form: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.cleaned_data and name not in exclude
    }


def saved(form: Any, call: Callable[[], T]) -> T | None:
    """Run a service; its problems go onto the form (``None`` then: nothing was saved)."""
    try:
        return call()
    except services.RecordProblems as error:
        form.add_problems(error.problems)
        return None


def reason_of(form: Any) -> str:
    return str(form.cleaned_data.get("reason", "") or "")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    subjects = selectors.subjects_visible_to(user).select_related("owner")
    own = [s for s in subjects if s.owner_id == user.pk]
    shared = [s for s in subjects if s.owner_id != user.pk]
    for subject in shared:
        subject.title = subject.label_for(user)  # type: ignore[attr-defined]
    has_person = any(s.kind == Subject.Kind.PERSON and s.origin == Subject.Origin.SELF for s in own)
    from offlabel.web.network.selectors import notifications_unread_count

    context = {
        "own": own,
        "shared": shared,
        "deleted": selectors.subjects_deleted_by_owner(user),
        "invitations": selectors.invitations_for(user) if user.has_any_role(*CLINICAL) else [],
        "reversals": selectors.reversals_for_clinician(user)
        if user.has_any_role(*CLINICAL)
        else [],
        "unread": notifications_unread_count(user),
        "can_add_person": user.has_role(Role.PATIENT) and not has_person,
        "can_add_dog": user.has_role(Role.OWNER),
        "can_add_case": user.has_any_role(*CLINICAL),
    }
    return render(request, "registry/dashboard.html", context)


def _subject_form_class(kind: str, case_history: bool) -> type[forms._SubjectForm]:
    if kind == Subject.Kind.PERSON:
        return forms.PersonCaseHistoryForm if case_history else forms.PersonSubjectForm
    if kind == Subject.Kind.DOG:
        return forms.DogCaseHistoryForm if case_history else forms.DogSubjectForm
    raise Http404(_("No such kind of record."))


@login_required
def subject_new(request: HttpRequest, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    form_class = _subject_form_class(kind, case_history=False)
    own_person = selectors.subject_own_person(user) if kind == Subject.Kind.PERSON else None
    if own_person is not None:
        messages.info(request, _("You already have your record."))
        return redirect(own_person)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = saved(
            form, lambda: services.subject_create(by=user, kind=kind, **model_fields(form))
        )
        if subject is not None:
            messages.success(request, _("Record created."))
            return redirect(subject)
    title = _("Your record") if kind == Subject.Kind.PERSON else _("Add a dog")
    return render(request, "registry/form.html", {"form": form, "title": title})


@role_required(*CLINICAL)
def case_history_new(request: HttpRequest, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    form = _subject_form_class(kind, case_history=True)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = saved(
            form,
            lambda: services.subject_create(
                by=user, kind=kind, origin=Subject.Origin.CASE_HISTORY, **model_fields(form)
            ),
        )
        if subject is not None:
            messages.success(request, _("Case history created."))
            return redirect(subject)
    title = (
        _("New case history: a dog")
        if kind == Subject.Kind.DOG
        else _("New case history: a person")
    )
    return render(request, "registry/form.html", {"form": form, "title": title})


def _progress(subject: Subject, scores: list[ScoreRecord]) -> dict[str, Any] | None:
    """ALSFRS-R slope and ΔFS in plain words, with the natural history to read them against."""
    if subject.species is not TargetSpecies.HUMAN:
        return None
    summary = alsfrs_progress(
        [rows.score_row(rows.values_of(s, rows.SCORE_VALUES)) for s in scores], subject.onset_date
    )
    if summary.n_scores == 0:
        return None
    return {"summary": summary, "natural_history": stabilisation_sentence(6)}


@login_required
def subject_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    permissions = services.permissions_for(subject, user)
    title = subject.label_for(user)
    timeline = subject_timeline(subject, title)
    for entry in [
        *timeline["courses"],
        *timeline["scores"],
        *timeline["milestones"],
        *(e for c in timeline["courses"] for e in c.evaluations.all()),
    ]:
        entry.can_change = permissions.can_change(entry)
    deleted = selectors.entries_deleted_of(subject) if permissions.can_add else []
    for entry in deleted:
        entry.can_change = permissions.can_change(entry)
        entry.restore_url = reverse(
            f"registry:{_SINGULAR[type(entry)]}_restore",
            kwargs={"public_id": subject.public_id, "pk": entry.pk},
        )
    context: dict[str, Any] = {
        "subject": subject,
        "title": title,
        "is_owner": permissions.is_owner,
        "can_contribute": permissions.can_add,
        "progress": _progress(subject, timeline["scores"]),
        "reversal": selectors.reversal_of(subject),
        "is_clinician": user.has_any_role(*CLINICAL) or user.has_role(Role.EDITOR),
        "history": history_rows(
            audit_for_owner(subject.public_id)[:60], include_access=permissions.is_owner
        ),
        "deleted": deleted,
        **timeline,
    }
    if permissions.is_owner:
        context["access"] = selectors.access_of(subject)
        context["invite_form"] = forms.InviteForm(
            initial={"label": subject.name or (user.display_name if not subject.is_dog else "")}
        )
        context["reminder_form"] = forms.ReminderForm(initial={"months": subject.reminder_months})
    context["reversal_form"] = forms.ReversalCheckForm()
    return render(request, "registry/subject.html", context)


def _fresh(subject: Subject) -> Subject:
    """A copy for a form to write into, so the service still sees the saved values."""
    return Subject.objects.select_related("owner").get(pk=subject.pk)


@login_required
def subject_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    form_class = _subject_form_class(
        subject.kind, case_history=subject.origin == Subject.Origin.CASE_HISTORY
    )
    form = form_class(
        request.POST or None,
        instance=_fresh(subject),
        reason_required=services.reason_needed(subject, user),
    )
    if request.method == "POST" and form.is_valid():
        done = saved(
            form,
            lambda: services.subject_update(
                subject=subject, by=user, reason=reason_of(form), **model_fields(form)
            ),
        )
        if done is not None:
            messages.success(request, _("Record updated."))
            return redirect(subject)
    return render(
        request, "registry/form.html", {"form": form, "title": _("Edit record"), "subject": subject}
    )


@login_required
def subject_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ask for a reason, then delete the record (restorable for 30 days)."""
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    if subject.kind == Subject.Kind.PERSON and subject.origin == Subject.Origin.SELF:
        messages.error(request, _("Your own record goes with your account: delete the account."))
        return redirect(subject)
    form = forms.DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subject_delete(subject=subject, by=user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Record deleted. You can restore it from your records page for 30 days.")
        )
        return redirect("registry:dashboard")
    return render(
        request,
        "registry/confirm_delete.html",
        {"form": form, "subject": subject, "what": f"the record “{subject.label}”"},
    )


@require_POST
@login_required
def subject_restore(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = get_object_or_404(Subject.all_objects, public_id=public_id, owner=user)
    try:
        services.subject_restore(subject=subject, by=user)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("registry:dashboard")
    messages.success(request, _("Record restored."))
    return redirect(subject)
