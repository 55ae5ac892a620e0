"""The language a person reads: the page's for the page, the account's for what we send them.

A page follows the reader's choice of the moment (LocaleMiddleware: the language cookie or the
browser's). An e-mail is written when someone else acts, in their request and their language,
so it is composed inside :func:`in_language_of` its recipient: the language they last chose
while signed in (``User.language``), or for an address without an account the one in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from offlabel.web.accounts.models import User


def language_of(user: User | None) -> str:
    """The account's language; the active one for no account (or an unknown code)."""
    chosen = getattr(user, "language", "") or ""
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language() or settings.LANGUAGE_CODE


def language_for_address(email: str) -> str:
    """The language of the account that reads ``email``; the active one if none does."""
    user = User.objects.filter(email__iexact=email.strip()).only("language").first()
    return language_of(user)


@contextmanager
def in_language_of(user: User | None) -> Iterator[None]:
    """Compose what is sent to ``user`` in their language (restored afterwards)."""
    with translation.override(language_of(user)):
        yield


@contextmanager
def in_language_for_address(email: str) -> Iterator[None]:
    with translation.override(language_for_address(email)):
        yield
