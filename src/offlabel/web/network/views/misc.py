"""The red-flags self-check, invitations, and the notifications pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.common.caching import public_page
from offlabel.web.network import redflags, selectors, services
from offlabel.web.network.forms import InvitationForm, NotificationSettingForm
from offlabel.web.network.permissions import INVITER_ROLES
from offlabel.web.network.ratelimit import RateLimited
from offlabel.web.network.views._helpers import error_text


@public_page
def red_flags(request: HttpRequest) -> HttpResponse:
    signs = redflags.signs()
    therapy = request.GET.get("therapy", "").strip()[:120]
    ticked = set(request.GET.getlist("sign"))
    result = redflags.assess(ticked) if "checked" in request.GET else None
    request_url = None
    if result is not None:
        noticed = [s.question for s in signs if s.key in ticked]
        claims = (
            "Warning signs I noticed:\n" + "\n".join(f"- {q}" for q in noticed) if noticed else ""
        )
        query = {"therapy_name": therapy} if therapy else {}
        if claims:
            query["claims"] = claims
        request_url = reverse("network:request_new") + ("?" + urlencode(query) if query else "")
    return render(
        request,
        "network/red_flags.html",
        {
            "signs": signs,
            "ticked": ticked,
            "therapy": therapy,
            "result": result,
            "request_url": request_url,
        },
    )


@role_required(*INVITER_ROLES)
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(
                sender=signed_in_user(request),
                sign_up_url=request.build_absolute_uri(reverse("accounts:sign_up")),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("network:invite")
    return render(request, "network/invite.html", {"form": form}, status=status)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        services.notifications_mark_read(user=user)
        messages.success(request, _("All notifications marked as read."))
        return redirect("network:notifications")
    return render(
        request,
        "network/notifications.html",
        {
            "notifications": selectors.notifications_for(user),
            "unread": selectors.notifications_unread_count(user),
        },
    )


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    setting = services.notification_setting_get(user=user)
    form = NotificationSettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        services.notification_setting_update(
            user=user, email_frequency=form.cleaned_data["email_frequency"]
        )
        messages.success(request, _("Your e-mail setting is saved."))
        return redirect("network:notifications")
    return render(request, "network/notification_settings.html", {"form": form})
