"""Whole public pages cached per content version, with conditional GET, for anonymous readers.

A page decorated with :func:`public_page` is rendered once per content version (see
:class:`~offlabel.web.common.models.ContentVersion`) and then served from the cache to every
anonymous reader: the version from the host's version file (no query), the page from the
process's own memory, else the shared cache. It carries an ``ETag`` (the version
and the page) and ``Last-Modified`` (the time of the last change), so a browser or proxy that
revalidates gets ``304 Not Modified`` without a body. Any change a page may show moves the
version on in the writer's transaction, so the next request renders the page afresh.

Signed-in readers, requests with pending messages and anything but GET/HEAD get the view as it
is (their pages depend on who asks). A response is only stored when it is a plain ``200`` that
set no cookie, rendered no CSRF token and used no CSP nonce, so nothing personal is ever shared
and no cached page carries a stale nonce (the site's scripts are static files: no page needs
one).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from offlabel.web.common.selectors import content_version

PAGE_SECONDS = 24 * 3600
#: Headers of the view's response kept with the cached body (the middleware adds the rest).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
#: Set on the request for the request log: hit, miss, not-modified or bypass.
CACHE_ATTRIBUTE = "offlabel_cache"

#: Pages each process also keeps in its own memory (a page under a version never changes), so
#: a hit needs no trip to a shared cache either.
LOCAL_PAGES = 64

View = Callable[..., HttpResponse]
Reader = Callable[[HttpRequest], bool]
Stored = tuple[bytes, list[tuple[str, str]]]
_local: OrderedDict[str, Stored] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> Stored | None:
    with _local_lock:
        found = _local.get(key)
        if found is not None:
            _local.move_to_end(key)
        return found


def _local_put(key: str, value: Stored) -> None:
    with _local_lock:
        _local[key] = value
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def local_pages_clear() -> None:
    """Forget the pages this process keeps (tests start each from nothing)."""
    with _local_lock:
        _local.clear()


def _stored(key: str) -> Stored | None:
    found = _local_get(key)
    if found is None:
        found = cache.get(key)
        if found is not None:
            _local_put(key, found)
    return found


def _anonymous_reader(request: HttpRequest) -> bool:
    """No one signed in and nothing personal to show (messages) on this request."""
    if request.method not in ("GET", "HEAD") or CookieStorage.cookie_name in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # no session: anonymous, and no query needed to know it
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    return session is not None and "_messages" not in session


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # a page that used its Content-Security-Policy nonce (an inline script) is never
        # shared: the next reader's header carries another nonce, and the script would not run
        and getattr(request, "_csp_nonce", None) is None
    )


def _finish(
    response: HttpResponse, etag: str, last_modified: int, vary: tuple[str, ...]
) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Shared caches may keep it, but must ask again each time (the ETag makes that cheap), and
    # must keep signed-in readers' pages apart.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, vary)
    return response


def _cached(view: View, *, name: str, reader: Reader, vary: tuple[str, ...]) -> View:
    """``view`` answered from the cache, per content version, to requests ``reader`` accepts."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reader(request):
            setattr(request, CACHE_ATTRIBUTE, "bypass")
            return view(request, *args, **kwargs)
        versions = content_version()
        # One answer per address and language (LocaleMiddleware has chosen it from the cookie
        # or Accept-Language and adds Vary: Accept-Language itself).
        page = f"{get_language()}:{request.get_full_path()}"
        digest = hashlib.sha256(page.encode()).hexdigest()[:16]
        etag = f'"{versions.site}-{digest}"'
        last_modified = int(versions.changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            setattr(request, CACHE_ATTRIBUTE, "not-modified")
            return _finish(not_modified, etag, last_modified, vary)
        key = f"page:{name}:{versions.site}:{digest}"
        stored = _stored(key)
        if stored is not None:
            setattr(request, CACHE_ATTRIBUTE, "hit")
            content, headers = stored
            response = HttpResponse(content)
            for header, value in headers:
                response[header] = value
            return _finish(response, etag, last_modified, vary)
        setattr(request, CACHE_ATTRIBUTE, "miss")
        response = view(request, *args, **kwargs)
        render = getattr(response, "render", None)
        if callable(render):
            response = render()
        if _storable(request, response):
            headers = [(header, response[header]) for header in KEPT_HEADERS if header in response]
            cache.set(key, (response.content, headers), PAGE_SECONDS)
            _local_put(key, (response.content, headers))
            return _finish(response, etag, last_modified, vary)
        return response

    return cached_view


def public_page(view: View) -> View:
    """Cache the view's page for anonymous readers per content version (see module docstring)."""
    return _cached(
        view,
        name=f"{view.__module__}.{view.__qualname__}",
        reader=_anonymous_reader,
        vary=("Cookie", "Accept-Language"),
    )


def _tokenless_read(request: HttpRequest) -> bool:
    """A read of the API without a token: it gets what anyone gets (a token may see more)."""
    return request.method in ("GET", "HEAD") and "Authorization" not in request.headers


def public_api(name: str) -> Callable[[View], View]:
    """Cache a public API operation's answers to callers without a token, per content version.

    The same cache as :func:`public_page`: the answer is rendered (validated against its schema
    and serialised) once per content version, address and language, and then served from this
    process's memory, else the shared cache; any change :func:`~offlabel.web.common.services.
    content_changed` records makes the next request render afresh. Wrap the operation's whole
    view (``ninja.decorators.decorate_view``), so a hit costs no query, no validation and no
    serialisation. Answers to a token are never stored nor served from here.
    """

    def decorate(view: View) -> View:
        return _cached(view, name=f"api.{name}", reader=_tokenless_read, vary=("Accept-Language",))

    return decorate
