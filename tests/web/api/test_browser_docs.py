"""The API reference page works offline: Chromium renders it, and every request it makes goes
to the site itself (no CDN, no online validator)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_reference_page_renders_and_asks_no_other_host(page: Any, live_server: Any) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "offlabel API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")
    assert any(url.endswith("/api/v1/openapi.json") for url in requested)
    foreign = [url for url in requested if not url.startswith((live_server.url, "data:"))]
    assert foreign == []
