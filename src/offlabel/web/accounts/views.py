from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from offlabel.web.accounts.forms import EmailAuthenticationForm, RoleRequestForm, SignUpForm
from offlabel.web.accounts.models import RoleGrant
from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.accounts.selectors import role_requests_pending
from offlabel.web.accounts.services import role_decide, role_request, user_sign_up


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            roles=form.cleaned_data["roles"],
            professional_note=form.cleaned_data["professional_note"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to offlabel. Your account is ready.")
        return redirect("accounts:account")
    return render(request, "accounts/sign_up.html", {"form": form})


class EmailLoginView(LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
            messages.success(request, f"You now hold the role {grant.get_role_display()}.")
        else:
            messages.info(
                request, f"Your request for {grant.get_role_display()} is waiting for an editor."
            )
        return redirect("accounts:account")
    grants = signed_in_user(request).role_grants.order_by("role")
    return render(request, "accounts/account.html", {"grants": grants, "form": form})


@role_required(Role.EDITOR)
def role_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/role_requests.html", {"pending": role_requests_pending()})


@require_POST
@role_required(Role.EDITOR)
def role_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant, pk=pk, status=RoleGrant.Status.REQUESTED)
    decision = request.POST.get("decision")
    if decision not in {"grant", "refuse"}:
        messages.error(request, "Choose to grant or to refuse the role.")
        return redirect("accounts:role_requests")
    role_decide(grant=grant, by=signed_in_user(request), grant_it=decision == "grant")
    messages.success(
        request, f"{grant.user}: {grant.get_role_display()} {grant.get_status_display().lower()}."
    )
    return redirect("accounts:role_requests")
