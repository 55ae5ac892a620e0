"""Start-up does what each worker's first requests would otherwise do: the WSGI module (which
gunicorn ``--preload`` imports once, before forking) leaves the URLconf imported and the
lazily loaded dictionaries and engines loaded, so a first review document or registry panel
loads none of them. Counted in loads, never timed."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
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


def test_no_warm_up_step_opens_a_database_connection(cold_process: None) -> None:
    from django.db import connection

    from offlabel.web.config.warmup import warm_up

    connection.close()
    warm_up()  # before gunicorn forks: a connection opened here would be shared by the workers
    assert connection.connection is None
