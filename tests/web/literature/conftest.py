"""Fixtures of the literature web tests: a topic, files to upload, recorded look-ups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.web.literature.support import recorded_transport


@pytest.fixture(autouse=True)
def _private_var_dir(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches and indexes of a test go to its own directory; no look-up leaves the machine."""
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setenv("OFFLABEL_LITERATURE_INDEX", str(tmp_path / "no-index"))
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    monkeypatch.delenv("NCBI_EMAIL", raising=False)
    monkeypatch.delenv("CROSSREF_MAILTO", raising=False)
    from offlabel.literature.online.transport import TransportError
    from offlabel.web.literature import importing

    class Offline:
        def get(self, url: str, *, timeout: float) -> Any:
            raise TransportError(f"no network in tests ({url})")

    monkeypatch.setattr(importing, "TRANSPORT_FACTORY", Offline)


@pytest.fixture
def topic(demo_topics: list[Any]) -> Any:
    """Low-dose naltrexone for ALS (people)."""
    from offlabel.web.catalog.demo import LDN_ALS_SLUG

    return next(t for t in demo_topics if t.slug == LDN_ALS_SLUG)


@pytest.fixture
def dog_topic(demo_topics: list[Any]) -> Any:
    from offlabel.web.catalog.demo import LDN_DM_SLUG

    return next(t for t in demo_topics if t.slug == LDN_DM_SLUG)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Look-ups answer from tests/literature/recorded/."""
    from offlabel.web.literature import importing

    transport = recorded_transport()
    monkeypatch.setattr(importing, "TRANSPORT_FACTORY", lambda: transport)
    return transport


@pytest.fixture
def upload(client_for: Callable[[Any], Any]) -> Callable[..., Any]:
    """``upload(user, topic, path_or_(name, bytes), **fields)``: POST the import form."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(user: Any, topic: Any, source: Any, **fields: Any) -> Any:
        if isinstance(source, Path):
            name, content = source.name, source.read_bytes()
        else:
            name, content = source
        data = {"format": "auto", **fields, "file": SimpleUploadedFile(name, content)}
        return client_for(user).post(f"/literature/{topic.slug}/import/", data)

    return post
