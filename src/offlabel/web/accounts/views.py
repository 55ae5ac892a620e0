from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.web.accounts import services
from offlabel.web.accounts.forms import (
    ConsentForm,
    EmailAuthenticationForm,
    EmailChangeForm,
    PasswordChangeForm,
    ProfileForm,
    RoleRequestForm,
    SignUpForm,
    agreed,
)
from offlabel.web.accounts.models import RoleGrant
from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.policies import current_policies, policy
from offlabel.web.accounts.roles import Role
from offlabel.web.accounts.selectors import role_requests_pending
from offlabel.web.accounts.services import role_decide, role_request
from offlabel.web.common.throttle import Throttled, client_address, limit_of, throttle_hit


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _verify_base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:verify", args=["x"]))[:-2]


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            throttle_hit(
                "sign-up",
                {"address": client_address(request)},
                limit=limit_of("OFFLABEL_SIGN_UP_LIMIT", 10),
                window=60 * 60,
                what="sign-ups",
            )
            user = services.user_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                roles=form.cleaned_data["roles"],
                professional_note=form.cleaned_data["professional_note"],
                agreed=agreed(form),
                link_base=_verify_base(request),
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
            if isinstance(error, Throttled):
                return render(request, "accounts/sign_up.html", {"form": form}, status=429)
        else:
            return render(request, "accounts/check_email.html", {"email": user.email})
    return render(request, "accounts/sign_up.html", {"form": form})


class ThrottledPasswordResetView(PasswordResetView):
    """Password-reset e-mails: at most ``OFFLABEL_PASSWORD_RESET_LIMIT`` an hour from one client
    address and to one e-mail address (nobody floods an inbox or probes addresses in bulk)."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        try:
            throttle_hit(
                "password-reset",
                {
                    "address": client_address(self.request),
                    "e-mail address": form.cleaned_data["email"].strip().lower(),
                },
                limit=limit_of("OFFLABEL_PASSWORD_RESET_LIMIT", 5),
                window=60 * 60,
                what="password resets",
            )
        except Throttled as error:
            form.add_error(None, _errors(error))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Open the link of a verification e-mail: the address is confirmed and the holder signed in."""
    try:
        user = services.email_verify(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_failed.html", {"error": _errors(error)}, status=400)
    if not request.user.is_authenticated or request.user.pk == user.pk:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Thank you: %(email)s is confirmed.") % {"email": user.email})
    keeps_records = user.has_any_role(Role.PATIENT, Role.OWNER, Role.CLINICIAN, Role.VETERINARIAN)
    return redirect("registry:dashboard" if keeps_records else "accounts:account")


@login_required
def verify_needed(request: HttpRequest) -> HttpResponse:
    """Where an unverified account lands: what to do, and a button to send the link again."""
    user = signed_in_user(request)
    if user.email_verified:
        return redirect("accounts:account")
    if request.method == "POST":
        services.email_verification_send(user=user, link_base=_verify_base(request))
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": user.email})
        return redirect("accounts:verify_needed")
    return render(request, "accounts/verify_needed.html", {"email": user.email})


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    """Agree to the current version of every policy document (asked again when one changes)."""
    user = signed_in_user(request)
    outstanding = services.policies_outstanding(user)
    target = _next(request, reverse("accounts:account"))
    if not outstanding:
        return redirect(target)
    form = ConsentForm(request.POST or None, policies=outstanding)
    if request.method == "POST" and form.is_valid():
        services.policy_consent_record(user=user, agreed=agreed(form))
        messages.success(request, _("Thank you: your agreement is recorded."))
        return redirect(target)
    return render(
        request,
        "accounts/consent.html",
        {"form": form, "outstanding": outstanding, "next": target},
    )


def policy_page(request: HttpRequest, key: str) -> HttpResponse:
    try:
        document = policy(key)
    except KeyError:
        raise Http404(_("No such document.")) from None
    return render(
        request,
        "accounts/policy.html",
        {"policy": document, "others": [p for p in current_policies() if p.key != key]},
    )


class EmailLoginView(LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Signed in: this browser's device cookie now names the account, so attacks on it
        from elsewhere never hold this browser back (``common.throttle``)."""
        from django.conf import settings

        from offlabel.web.common.throttle import DEVICE_COOKIE, DEVICE_COOKIE_AGE, device_cookie

        response = super().form_valid(form)
        response.set_cookie(
            DEVICE_COOKIE,
            device_cookie(self.request, form.get_user().email),
            max_age=DEVICE_COOKIE_AGE,
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            httponly=True,
            samesite="Lax",
        )
        return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = RoleRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant = role_request(
            user=signed_in_user(request),
            role=form.cleaned_data["role"],
            note=form.cleaned_data["note"],
        )
        if grant.status == RoleGrant.Status.GRANTED:
            messages.success(
                request, _("You now hold the role %(role)s.") % {"role": grant.get_role_display()}
            )
        else:
            messages.info(
                request,
                _("Your request for %(role)s is waiting for an editor.")
                % {"role": grant.get_role_display()},
            )
        return redirect("accounts:account")
    user = signed_in_user(request)
    return render(
        request,
        "accounts/account.html",
        {
            "grants": user.role_grants.order_by("role"),
            "form": form,
            "consents": user.policy_consents.all(),
        },
    )


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """Change one's name, e-mail address (verified again) or password."""
    user = signed_in_user(request)
    which = request.POST.get("form") if request.method == "POST" else None
    profile = ProfileForm(
        request.POST if which == "profile" else None, initial={"display_name": user.display_name}
    )
    email = EmailChangeForm(request.POST if which == "email" else None)
    password = PasswordChangeForm(request.POST if which == "password" else None)
    form = {"profile": profile, "email": email, "password": password}.get(which or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "profile":
                services.user_profile_update(user=user, display_name=data["display_name"])
                messages.success(request, _("Your name is saved."))
            elif which == "email":
                services.user_email_change_request(
                    user=user,
                    email=data["email"],
                    password=data["password"],
                    link_base=_verify_base(request),
                )
                messages.success(
                    request,
                    _(
                        "We sent a link to %(new)s: your address changes when you open it. "
                        "Until then you keep %(old)s."
                    )
                    % {"new": data["email"], "old": user.email},
                )
            else:
                services.user_password_change(
                    user=user,
                    old_password=data["old_password"],
                    new_password=data["new_password1"],
                )
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password is changed."))
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {"profile": profile, "email_form": email, "password_form": password},
    )


@role_required(Role.EDITOR)
def role_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/role_requests.html", {"pending": role_requests_pending()})


@require_POST
@role_required(Role.EDITOR)
def role_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant, pk=pk, status=RoleGrant.Status.REQUESTED)
    decision = request.POST.get("decision")
    if decision not in {"grant", "refuse"}:
        messages.error(request, _("Choose to grant or to refuse the role."))
        return redirect("accounts:role_requests")
    try:
        role_decide(grant=grant, by=signed_in_user(request), grant_it=decision == "grant")
    except PermissionDenied as error:  # the address is not verified yet
        messages.error(request, str(error))
        return redirect("accounts:role_requests")
    messages.success(
        request, f"{grant.user}: {grant.get_role_display()} {grant.get_status_display().lower()}."
    )
    return redirect("accounts:role_requests")
