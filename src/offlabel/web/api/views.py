"""The account's personal access tokens: created (the token shown once) and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import signed_in_user
from offlabel.web.api import selectors, services
from offlabel.web.api.forms import TokenForm
from offlabel.web.api.models import AccessToken


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TokenForm(request.POST or None, user=user)
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _, secret = services.token_create(
                    user=user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    days=form.cleaned_data["days"],
                    by=user,
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
                status = 400
            else:
                form = TokenForm(user=user)
        else:
            status = 400
    context = {"form": form, "tokens": selectors.tokens_of(user), "secret": secret}
    return render(request, "api/tokens.html", context, status=status)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    token = get_object_or_404(AccessToken, pk=pk, user=user)
    services.token_revoke(token=token, by=user)
    messages.success(
        request, _("%(token)s revoked: it no longer opens the API.") % {"token": token}
    )
    return redirect("api:tokens")
