"""Finding 10: a Content-Security-Policy on every response, and nothing inline that it blocks.

Scripts and styles come only from the site's own files; a page that uses a nonce is never put
in the page cache (its nonce would not match the next reader's header).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from offlabel.web.common.caching import public_page

WEB = Path(__file__).resolve().parents[3] / "src" / "offlabel" / "web"
pytestmark = pytest.mark.django_db


def _policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/sign-up/"])
def test_every_page_has_a_strict_policy(client: Any, world: Any, path: str) -> None:
    for _ in range(2):  # the second anonymous request of a public page comes from the cache
        response = client.get(path)
        policy = _policy(response)
        assert policy["script-src"][0] == "'self'"
        assert "'unsafe-inline'" not in policy["script-src"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_a_signed_in_page_has_the_policy_too(client_for: Any, world: Any) -> None:
    response = client_for(world.owner).get("/registry/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_no_template_has_inline_scripts_styles_or_event_handlers() -> None:
    found = []
    for template in sorted(WEB.rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>",
            r"<style\b",
            r"\sstyle=\"",
            r"\son[a-z]+=\"",
            r"javascript:",
        ):
            found += [f"{template.relative_to(WEB)}: {m}" for m in re.findall(pattern, text)]
    assert found == []


def test_charts_carry_no_inline_styles() -> None:
    from offlabel.reports import charts

    svg = charts.km_chart(
        {
            "treated": {
                "days": [0, 10],
                "survival": [1, 0.5],
                "ci_low": [1, 0.3],
                "ci_high": [1, 0.7],
            }
        },
        key="k",
        title="t",
        event="death",
    )
    assert "style=" not in svg.markup and "<style" not in svg.markup
    assert 'fill="' in svg.markup and 'stroke-linejoin="round"' in svg.markup


@public_page
def _inline_script_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')  # type: ignore[attr-defined]


@override_settings(OFFLABEL_CONTENT_VERSION_FILE="")
def test_a_page_with_a_nonce_is_never_served_with_a_stale_one(world: Any) -> None:
    from csp.middleware import CSPMiddleware
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    seen = set()
    for _ in range(3):
        request = RequestFactory().get("/nonce-page/")
        request.user = AnonymousUser()
        request.session = SessionStore()
        response = CSPMiddleware(_inline_script_page)(request)
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        seen.add(nonce)
    assert len(seen) == 3
