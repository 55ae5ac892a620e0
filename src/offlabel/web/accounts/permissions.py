"""Who may open which view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request that a login or role check has already let through."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Sign in first."))
    return user


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed-out visitors go to the login page; signed-in users without a granted role get 403.

    A role that was asked for but not yet granted by an editor gives no access.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_any_role(*roles):
                raise PermissionDenied(_("Your account does not hold the role this page needs."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
