"""Adding, correcting, deleting and restoring the entries of a record.

Whoever may add to a record adds entries; the owner corrects and deletes any entry, a clinician
or vet with "see and add" access only their own (the services decide; the page offers only
what they allow). A correction after the day of entry, or of someone else's entry, asks for a
reason; a deletion always does, and is restorable for 30 days.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.registry.vocabulary import ScaleKey
from offlabel.web.accounts.models import User
from offlabel.web.accounts.permissions import signed_in_user
from offlabel.web.registry import forms, selectors, services
from offlabel.web.registry.models import (
    Evaluation,
    Milestone,
    ScoreRecord,
    Subject,
    TreatmentCourse,
)
from offlabel.web.registry.views.records import model_fields, reason_of, saved

#: URL kind → the model of its entries and the path from an entry to its subject.
KINDS: dict[str, tuple[type[Model], str]] = {
    "treatments": (TreatmentCourse, "subject"),
    "evaluations": (Evaluation, "course__subject"),
    "scores": (ScoreRecord, "subject"),
    "milestones": (Milestone, "subject"),
}


def _render(
    request: HttpRequest,
    form: Any,
    title: str | Promise,
    subject: Subject,
    template: str = "registry/form.html",
) -> HttpResponse:
    return render(request, template, {"form": form, "title": title, "subject": subject})


def _editable(user: User, subject: Subject, entry: Any) -> None:
    if not services.can_change(subject, entry, user):
        raise PermissionDenied(
            _("Only the record's owner changes entries someone else made; you may change yours.")
        )


# -- courses ------------------------------------------------------------------------------------


@login_required
def course_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    form = forms.CourseForm(request.POST or None, subject=subject)
    if request.method == "POST" and form.is_valid():
        fields = model_fields(form)
        if saved(
            form,
            lambda: services.course_create(
                subject=subject, by=user, confirm=form.confirmed, **fields
            ),
        ):
            messages.success(request, _("Treatment saved."))
            return redirect(subject)
    return _render(request, form, _("Add a treatment"), subject)


@login_required
def course_edit(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    course = get_object_or_404(subject.courses.select_related("therapy"), pk=pk)
    _editable(user, subject, course)
    form = forms.CourseForm(
        request.POST or None,
        subject=subject,
        instance=TreatmentCourse.objects.get(pk=course.pk),
        reason_required=services.reason_needed(course, user),
        initial={"confirm_dose": course.dose_confirmed},
    )
    if request.method == "POST" and form.is_valid():
        fields = model_fields(form)
        call = partial(
            services.course_update,
            course=course,
            by=user,
            reason=reason_of(form),
            confirm=form.confirmed,
            **fields,
        )
        if saved(form, call):
            messages.success(request, _("Treatment corrected."))
            return redirect(subject)
    return _render(
        request, form, _("Correct %(therapy)s") % {"therapy": course.therapy_name}, subject
    )


# -- evaluations -------------------------------------------------------------------------------


@login_required
def evaluation_new(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    course = get_object_or_404(subject.courses.select_related("therapy"), pk=pk)
    form = forms.EvaluationForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        call = partial(
            services.evaluation_create,
            course=course,
            by=user,
            side_effects=form.side_effects(),
            **form.fields_for_service(),
        )
        if saved(form, call):
            messages.success(request, _("Evaluation saved."))
            return redirect(subject)
    return _render(
        request, form, _("Evaluate %(therapy)s") % {"therapy": course.therapy_name}, subject
    )


@login_required
def evaluation_edit(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("course"),
        pk=pk,
        course__subject=subject,
        course__deleted_at__isnull=True,
    )
    _editable(user, subject, evaluation)
    form = forms.EvaluationForm(
        request.POST or None,
        course=evaluation.course,
        initial=forms.EvaluationForm.initial_of(evaluation),
        reason_required=services.reason_needed(evaluation, user),
    )
    if request.method == "POST" and form.is_valid():
        call = partial(
            services.evaluation_update,
            evaluation=evaluation,
            by=user,
            reason=reason_of(form),
            side_effects=form.side_effects(),
            **form.fields_for_service(),
        )
        if saved(form, call):
            messages.success(request, _("Evaluation corrected."))
            return redirect(subject)
    title = _("Correct the evaluation of %(therapy)s on %(date)s") % {
        "therapy": evaluation.course.therapy_name,
        "date": date_format(evaluation.date),
    }
    return _render(request, form, title, subject)


# -- scores ------------------------------------------------------------------------------------


@login_required
def score_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    if subject.is_dog:
        dm = forms.DmScoreForm(request.POST or None, subject=subject)
        if request.method == "POST" and dm.is_valid():
            entries = [(scale, total, None) for scale, total in dm.totals().items()]
            call = partial(
                services.scores_record,
                subject=subject,
                by=user,
                date=dm.cleaned_data["date"],
                entries=entries,
            )
            if saved(dm, call):
                messages.success(request, _("Score saved."))
                return redirect(subject)
        return _render(request, dm, _("Record stage and gait"), subject, "registry/score_dm.html")
    form = forms.AlsfrsForm(request.POST or None, subject=subject)
    if request.method == "POST" and form.is_valid():
        record = partial(
            services.score_create,
            subject=subject,
            by=user,
            scale=ScaleKey.ALSFRS_R,
            date=form.cleaned_data["date"],
            total=form.cleaned_data.get("total"),
            items=form.items,
            confirm=form.confirmed,
        )
        score = saved(form, record)
        if score is not None:
            messages.success(
                request,
                _("ALSFRS-R saved (incomplete: no total).")
                if score.total is None
                else _("ALSFRS-R saved (total %(total)s).") % {"total": score.total},
            )
            return redirect(subject)
    return _render(
        request, form, _("Record an ALSFRS-R score"), subject, "registry/score_alsfrs.html"
    )


@login_required
def score_edit(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    score = get_object_or_404(subject.scores, pk=pk)
    _editable(user, subject, score)
    needed = services.reason_needed(score, user)
    scale = ScaleKey(score.scale)
    if scale is ScaleKey.ALSFRS_R:
        form: Any = forms.AlsfrsForm(
            request.POST or None,
            subject=subject,
            initial=forms.AlsfrsForm.initial_of(score),
            reason_required=needed,
        )
        template = "registry/score_alsfrs.html"
    else:
        field = forms.DmScoreForm.FIELDS[scale]
        form = forms.DmScoreForm(
            request.POST or None,
            subject=subject,
            scales=(scale,),
            initial={"date": score.date, field: score.total},
            reason_required=needed,
        )
        template = "registry/score_dm.html"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if scale is ScaleKey.ALSFRS_R:
            changes = {"items": form.items, "total": data.get("total")}
        else:
            changes = {"total": form.totals()[scale]}
        call = partial(
            services.score_update,
            score=score,
            by=user,
            reason=reason_of(form),
            confirm=form.confirmed,
            date=data["date"],
            **changes,
        )
        if saved(form, call):
            messages.success(request, _("Score corrected."))
            return redirect(subject)
    title = _("Correct the score of %(date)s") % {"date": date_format(score.date)}
    return _render(request, form, title, subject, template)


# -- milestones -------------------------------------------------------------------------------


@login_required
def milestone_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id, contribute=True)
    form = forms.MilestoneForm(request.POST or None, subject=subject)
    if request.method == "POST" and form.is_valid():
        call = partial(
            services.milestone_create,
            subject=subject,
            by=user,
            event=form.cleaned_data["event"],
            date=form.cleaned_data["date"],
        )
        if saved(form, call):
            messages.success(request, _("Milestone saved."))
            return redirect(subject)
    return _render(request, form, _("Record a milestone"), subject)


@login_required
def milestone_edit(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    milestone = get_object_or_404(subject.milestones, pk=pk)
    _editable(user, subject, milestone)
    form = forms.MilestoneForm(
        request.POST or None,
        subject=subject,
        initial={"event": milestone.event, "date": milestone.date},
        reason_required=services.reason_needed(milestone, user),
    )
    if request.method == "POST" and form.is_valid():
        call = partial(
            services.milestone_update,
            milestone=milestone,
            by=user,
            reason=reason_of(form),
            event=form.cleaned_data["event"],
            date=form.cleaned_data["date"],
        )
        if saved(form, call):
            messages.success(request, _("Milestone corrected."))
            return redirect(subject)
    title = _("Correct the milestone %(milestone)s on %(date)s") % {
        "milestone": milestone.get_event_display(),
        "date": date_format(milestone.date),
    }
    return _render(request, form, title, subject)


# -- deleting and restoring any entry ----------------------------------------------------------


def _entry(subject: Subject, kind: str, pk: int, *, deleted: bool) -> Any:
    if kind not in KINDS:
        raise Http404(_("No such kind of entry."))
    model, path = KINDS[kind]
    manager = model.all_objects if deleted else model.objects  # type: ignore[attr-defined]
    return get_object_or_404(manager, pk=pk, **{path: subject})


@login_required
def entry_delete(request: HttpRequest, public_id: str, pk: int, kind: str) -> HttpResponse:
    """Show the entry and ask why; deleting keeps it restorable for 30 days."""
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    entry = _entry(subject, kind, pk, deleted=False)
    _editable(user, subject, entry)
    form = forms.DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = saved(
            form,
            lambda: services.entry_delete(entry=entry, by=user, reason=form.cleaned_data["reason"]),
        )
        if done is not None:
            messages.success(
                request,
                _("Deleted %(entry)s. You can restore it for 30 days.") % {"entry": entry},
            )
            return redirect(subject)
    context = {"form": form, "subject": subject, "what": str(entry), "entry": entry}
    return render(request, "registry/confirm_delete.html", context)


@require_POST
@login_required
def entry_restore(request: HttpRequest, public_id: str, pk: int, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    entry = _entry(subject, kind, pk, deleted=True)
    try:
        services.entry_restore(entry=entry, by=user)
    except services.RecordProblems as error:
        messages.error(
            request, _("%(entry)s cannot come back: %(error)s") % {"entry": entry, "error": error}
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Restored %(entry)s.") % {"entry": entry})
    return redirect(subject)
