"""Invitations and access, re-score reminders, and checking a possible reversal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.common.throttle import Throttled, client_address
from offlabel.web.registry import forms, selectors, services
from offlabel.web.registry.models import CareAccess, ReversalFlag

CLINICAL = (Role.CLINICIAN, Role.VETERINARIAN)


@require_POST
@login_required
def access_invite(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    form = forms.InviteForm(request.POST)
    if form.is_valid():
        try:
            services.access_invite(
                subject=subject,
                by=user,
                email=form.cleaned_data["email"],
                scope=form.cleaned_data["scope"],
                label=form.cleaned_data["label"],
                link_base=request.build_absolute_uri(reverse("registry:invitations")),
                address=client_address(request),
            )
        except Throttled as error:
            messages.error(request, " ".join(error.messages))
            return redirect(subject)
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
    else:
        messages.error(
            request,
            _("Give a valid e-mail address, what they may do, and how they see the record."),
        )
    return redirect(subject)


@require_POST
@login_required
def access_revoke(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    access = get_object_or_404(subject.access, pk=pk)
    services.access_revoke(access=access, by=user)
    messages.success(request, _("Access withdrawn."))
    return redirect(subject)


@role_required(*CLINICAL)
def invitations(request: HttpRequest) -> HttpResponse:
    return redirect("registry:dashboard")


@role_required(*CLINICAL)
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation e-mail: accept it (bound through this token only, to an
    account whose verified address is the invited one)."""
    user = signed_in_user(request)
    access = get_object_or_404(
        CareAccess.objects.select_related("subject", "invited_by"),
        token=token,
        status=CareAccess.Status.INVITED,
        email__iexact=user.email,
        subject__deleted_at__isnull=True,
    )
    if request.method == "POST":
        services.access_accept(token=token, user=user)
        messages.success(
            request, _("Invitation accepted: the record is now on your registry page.")
        )
        return redirect(access.subject)
    return render(request, "registry/invitation.html", {"access": access})


@require_POST
@login_required
def reminder_set(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_owned(user, public_id)
    form = forms.ReminderForm(request.POST)
    if form.is_valid():
        months = form.cleaned_data["months"]
        services.reminder_set(subject=subject, by=user, months=months)
        messages.success(
            request,
            _("No more reminders.")
            if months == 0
            else ngettext(
                "We will remind you every month.",
                "We will remind you every %(n)s months.",
                months,
            )
            % {"n": months},
        )
    return redirect(subject)


@require_POST
@login_required
def reversal_check(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subject = selectors.subject_for(user, public_id)
    flag = get_object_or_404(ReversalFlag, subject=subject)
    form = forms.ReversalCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the clinical records show."))
        return redirect(subject)
    try:
        services.reversal_check(
            flag=flag,
            by=user,
            verified=form.cleaned_data["verdict"] == "verified",
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Recorded: %(status)s.") % {"status": flag.get_status_display().lower()}
        )
    return redirect(subject)
