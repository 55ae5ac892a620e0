"""The host's version file: cached pages cost no query, and still never outlive a change."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from offlabel.web.common.version_file import RECORD, VersionFile


def _when() -> dt.datetime:
    return dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)


def test_the_file_keeps_the_newest_version_it_was_given(tmp_path: Path) -> None:
    one, other = VersionFile(tmp_path / "v"), VersionFile(tmp_path / "v")  # two processes
    assert one.read() is None
    one.raise_to(7, 3, _when())
    assert other.read() == (7, 3, _when())
    other.raise_to(5, 2, _when())  # a commit that finished later but wrote earlier
    assert one.read() == (7, 3, _when())
    one.reset()
    assert other.read() is None


def test_a_damaged_record_reads_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "v"
    VersionFile(path).raise_to(7, 3, _when())
    data = bytearray(path.read_bytes())
    data[0] ^= 0xFF  # a torn or corrupted write
    path.write_bytes(bytes(data))
    assert VersionFile(path).read() is None
    path.write_bytes(b"\0" * (RECORD.size - 1))
    assert VersionFile(path).read() is None


@pytest.fixture
def version_file_on(settings: Any, tmp_path: Path, monkeypatch: Any) -> Path:
    from offlabel.web.common import selectors

    settings.OFFLABEL_CONTENT_VERSION_FILE = str(tmp_path / "content-version")
    settings.OFFLABEL_CONTENT_RECHECK_MS = 60_000
    monkeypatch.setattr(selectors, "_last_database_check", [float("-inf")])
    return tmp_path / "content-version"


@pytest.mark.django_db(transaction=True)
def test_with_the_file_a_cached_page_needs_no_query_and_a_write_shows_at_once(
    version_file_on: Path,
    client: Any,
    world: Any,
    demo_topics: list[Any],
    django_assert_num_queries: Any,
) -> None:
    from tests.support.registry_records import add_ldn_evaluations

    url = demo_topics[1].get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again["ETag"] == first["ETag"]
    add_ldn_evaluations(world, 6, "tingling paws", kind="dog")  # each commit raises the file
    after = client.get(url)
    assert after["ETag"] != first["ETag"]
    assert "tingling paws" in after.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_change_the_file_did_not_hear_of_shows_after_the_recheck(
    version_file_on: Path, client: Any, demo_topics: list[Any], settings: Any
) -> None:
    """Another app server on the same database moves the row, not this host's file."""
    from django.db.models import F

    from offlabel.web.catalog.models import Topic
    from offlabel.web.common.models import ContentVersion

    settings.OFFLABEL_CONTENT_RECHECK_MS = 200
    topic = demo_topics[0]
    url = topic.get_absolute_url()
    assert client.get(url).status_code == 200
    Topic.objects.filter(pk=topic.pk).update(overview="Rewritten on the other server.")
    ContentVersion.objects.filter(pk=1).update(site=F("site") + 1)
    time.sleep(0.25)
    assert "Rewritten on the other server." in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_database_that_went_back_is_believed(version_file_on: Path, client: Any) -> None:
    """After a restore the database may hold an older version than the file: it wins."""
    from offlabel.web.common.selectors import content_version

    VersionFile(version_file_on).raise_to(10_000, 10_000, _when())
    import offlabel.web.common.selectors as selectors

    selectors._last_database_check[0] = float("-inf")
    versions = content_version()
    assert versions.site < 10_000
    stored = VersionFile(version_file_on).read()
    assert stored is not None and stored[0] == versions.site


#: What a cache backend is asked through: every one counts as a round trip to a shared cache.
CACHE_METHODS = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "has_key", "touch")


@pytest.mark.django_db(transaction=True)
def test_a_cached_hit_makes_no_round_trip_to_the_database_or_the_shared_cache(
    version_file_on: Path, client: Any, demo_topics: list[Any], monkeypatch: Any
) -> None:
    """The version from the file, the page or the API's answer from this process's memory: an
    anonymous reader's cached hit asks neither the database nor the cache server."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    backend = caches["default"]
    calls: list[str] = []

    def counted(name: str) -> Any:
        real = getattr(backend, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return call

    for name in CACHE_METHODS:
        monkeypatch.setattr(backend, name, counted(name))
    dm = demo_topics[1]
    paths = [
        demo_topics[0].get_absolute_url(),
        dm.get_absolute_url(),  # with its registry panels
        f"/api/v1/topics/{dm.slug}",
        f"/api/v1/topics/{dm.slug}/registry",
        "/api/v1/rubric",
    ]
    for path in paths:
        assert client.get(path).status_code == 200  # rendered once, stored
    assert calls  # the misses did go to the shared cache
    calls.clear()
    with CaptureQueriesContext(connection) as queries:
        for path in paths:
            assert client.get(path).status_code == 200
    assert (len(queries), calls) == (0, [])
