"""Start-up does what each worker's first requests would otherwise do: the WSGI module (which
gunicorn ``--preload`` imports once, before forking) leaves the URLconf imported and the
lazily loaded dictionaries and engines loaded, so a first review document or registry panel
loads none of them. Counted in loads, never timed."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.urls import clear_url_caches, get_resolver
from textstat.backend.utils._get_cmudict import get_cmudict

from offlabel.registry import free_text
from offlabel.reports.readability import reading_level


def _loads() -> dict[str, int]:
    """How often each lazy load has run since its cache was last cleared."""
    return {
        "pronouncing dictionary": get_cmudict.cache_info().misses,
        "redaction engine": free_text._engine.cache_info().misses,
        "url patterns": int("url_patterns" in get_resolver().__dict__),
    }


@pytest.fixture
def cold_process() -> Iterator[None]:
    """This process as a new worker finds it: nothing loaded (reloaded on first use after)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat."):  # its dictionary and every result it keeps per text
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    get_cmudict.cache_clear()
    free_text._engine.cache_clear()
    free_text.redact.cache_clear()
    clear_url_caches()
    yield
    clear_url_caches()


def test_a_cold_process_loads_on_first_use(cold_process: None) -> None:
    assert _loads() == {"pronouncing dictionary": 0, "redaction engine": 0, "url patterns": 0}


def test_the_wsgi_module_loads_everything_before_the_first_request(cold_process: None) -> None:
    import offlabel.web.config.wsgi

    importlib.reload(offlabel.web.config.wsgi)
    at_start = _loads()
    assert at_start == {"pronouncing dictionary": 1, "redaction engine": 1, "url patterns": 1}
    # what the first review document (its reading level) and registry panel (its redaction)
    # call: nothing more is loaded
    assert reading_level("A plain summary this process has never measured before.") is not None
    assert free_text.redact("Seen by Dr Ann Other on 4 May 2024.") == "Seen by [name] on [date]."
    assert _loads() == at_start


#: SQLite's in-memory test database stays open for the whole run (closing it would lose it), so
#: there a connection cannot be seen to open or close; the check runs on PostgreSQL (CI).
SERVER_DATABASE = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite's in-memory test database is never closed",
)


@SERVER_DATABASE
def test_no_warm_up_step_opens_a_database_connection(cold_process: None) -> None:
    from django.db import connection

    from offlabel.web.config.warmup import warm_up

    connection.close()
    warm_up()  # before gunicorn forks: a connection opened here would be shared by the workers
    assert connection.connection is None


@SERVER_DATABASE
@pytest.mark.django_db(transaction=True)
def test_with_priming_on_start_up_computes_every_topic_panel_and_closes_its_connection(
    cold_process: None, demo_topics: list[object], settings: object
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import offlabel.web.config.wsgi
    from offlabel.web.analytics.selectors import topic_panel

    settings.OFFLABEL_PRIME_CACHES = True  # type: ignore[attr-defined]
    importlib.reload(offlabel.web.config.wsgi)
    assert connection.connection is None  # closed before the fork
    for topic in demo_topics:
        with CaptureQueriesContext(connection) as queries:
            topic_panel(topic)
        assert len(queries) == 1, topic  # the registry's version; the panel from the cache


@pytest.mark.django_db(transaction=True)
def test_without_priming_a_first_topic_panel_is_computed(
    cold_process: None, demo_topics: list[object]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import offlabel.web.config.wsgi
    from offlabel.web.analytics.selectors import topic_panel

    importlib.reload(offlabel.web.config.wsgi)  # the test settings leave priming off
    with CaptureQueriesContext(connection) as queries:
        topic_panel(demo_topics[1])
    assert len(queries) > 1
