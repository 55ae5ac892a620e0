"""The door every signed-in request passes: a verified e-mail address, then consent.

An account whose address is not verified sees only the page that says so (and can ask for the
link again); an account that has not agreed to the current version of a policy document is
asked to agree before it goes on. Signing out, the policy pages, the links themselves, static
files and the admin (operators' accounts come from ``createsuperuser``) always open.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from offlabel.web.accounts.models import User
from offlabel.web.common.database import read_once_more_if_lost

_OPEN_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout/", "/accounts/policies/")


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # These reads (session, user, consents) run before any view, outside the view retry of
        # config.middleware.DatabaseRetryMiddleware: a connection lost here is retried here.
        gate = read_once_more_if_lost(lambda: self._gate(request))
        return gate if gate is not None else self.get_response(request)

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        """The redirect a signed-in request must take first, if any."""
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated and not self._open(request.path):
            if not user.email_verified:
                if request.path != reverse("accounts:verify_needed"):
                    return redirect("accounts:verify_needed")
            elif request.path != reverse("accounts:consent"):
                from offlabel.web.accounts.services import policies_outstanding

                if policies_outstanding(user):
                    target = reverse("accounts:consent")
                    if request.method == "GET":
                        target += "?" + urlencode({"next": request.get_full_path()})
                    return redirect(target)
        return None

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(_OPEN_PREFIXES) or path.startswith("/accounts/verify/")


#: The session key of the time (epoch seconds) the signed-in session last made a request.
LAST_SEEN = "_offlabel_last_seen"
#: The last-seen time is written at most this often (a session save on every request is waste).
LAST_SEEN_STEP = 60


def session_started(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """The idle clock starts at sign-in (saved with the login's own session write)."""
    import time

    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = int(time.time())


class SessionIdleMiddleware:
    """Sign out a session idle for more than ``OFFLABEL_SESSION_IDLE_SECONDS``.

    Runs after the session middleware and before authentication, so the request that finds the
    session idle is already anonymous (a page that needs an account sends it to sign in).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        from django.conf import settings
        from django.contrib.auth import SESSION_KEY

        session = getattr(request, "session", None)
        # the session's read runs before any view: a connection lost here is read again here
        signed_in = session is not None and read_once_more_if_lost(
            lambda: session.get(SESSION_KEY) is not None
        )
        if session is not None and signed_in:
            now = int(time.time())
            idle = int(getattr(settings, "OFFLABEL_SESSION_IDLE_SECONDS", 30 * 60))
            last = session.get(LAST_SEEN)
            if last is not None and now - int(last) > idle:
                session.flush()
            elif last is not None and now - int(last) >= min(LAST_SEEN_STEP, idle):
                # (a session signed in has its time from sign-in: see session_started)
                session[LAST_SEEN] = now
        return self.get_response(request)
