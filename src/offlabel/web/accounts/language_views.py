"""The language switcher: a plain link per language, so public pages stay cacheable.

Django's ``set_language`` needs a POST with a CSRF token, and a token in the header would make
every page personal (see :mod:`offlabel.web.common.caching`). Choosing a language changes
nothing but how pages are shown, so a GET that sets Django's language cookie is enough. A
signed-in reader's choice is also kept on their account: the e-mails we send them follow it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.permissions import signed_in_user
from offlabel.web.accounts.services import user_language_set


def language_choose(request: HttpRequest, code: str) -> HttpResponse:
    """Show the site in ``code`` from now on, back on the page the reader came from."""
    if code not in dict(settings.LANGUAGES) or not check_for_language(code):
        raise Http404(_("No such language."))
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if request.user.is_authenticated:
        user_language_set(user=signed_in_user(request), language=code)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
