"""Public review pages cached per content version: fresh after every write, 304 on
revalidation, never shared with signed-in readers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_review_page_is_rendered_once_per_version(
    client: Any, published: Any, django_assert_num_queries: Any
) -> None:
    url = published.get_absolute_url()
    first = client.get(url).content
    with django_assert_num_queries(1):  # the content version, nothing else
        assert client.get(url).content == first


def test_a_matching_etag_gets_304_without_a_body(client: Any, published: Any) -> None:
    url = published.get_absolute_url()
    first = client.get(url)
    assert first["Cache-Control"] == "no-cache"
    assert "Cookie" in first["Vary"]
    assert first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_change_makes_the_old_etag_stale(client: Any, published: Any, world: Any) -> None:
    url = published.get_absolute_url()
    etag = client.get(url)["ETag"]
    published.change_summary = "Corrected a dose."
    published.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Corrected a dose." in response.content.decode()


def test_exports_are_cached_with_their_headers(client: Any, published: Any) -> None:
    url = reverse("reviews:export", args=[published.topic.slug, published.version, "md"])
    first = client.get(url)
    second = client.get(url)
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"].startswith("text/markdown")


def test_signed_in_readers_never_get_the_anonymous_copy_nor_leave_theirs(
    client_for: Any, published: Any, world: Any
) -> None:
    url = published.get_absolute_url()
    anonymous = client_for(None).get(url).content.decode()
    assert "Sign in" in anonymous
    account_link = f'href="{reverse("accounts:account")}"'
    signed_in = client_for(world.reviewer).get(url)
    assert "ETag" not in signed_in
    assert account_link in signed_in.content.decode()
    assert "csrfmiddlewaretoken" in signed_in.content.decode()  # the sign-out form
    after = client_for(None).get(url).content.decode()
    assert account_link not in after
    assert "csrfmiddlewaretoken" not in after


def test_a_reader_with_a_message_waiting_sees_it(client: Any, published: Any) -> None:
    from django.contrib.messages.storage.cookie import CookieStorage

    url = published.get_absolute_url()
    client.get(url)  # cached without messages
    storage = CookieStorage(client.get(url).wsgi_request)
    storage.add(20, "Your vote was saved.")
    from django.http import HttpResponse

    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "Your vote was saved." in client.get(url).content.decode()
