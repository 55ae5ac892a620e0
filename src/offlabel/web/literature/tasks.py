"""Background work of the literature app: the daily run of every saved search."""

from __future__ import annotations

import os

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

#: Set to 1 to also ask PubMed's ESearch (needs the network) besides the local index.
ONLINE_ENV = "OFFLABEL_LITERATURE_WATCH_ONLINE"


def online_configured() -> bool:
    return os.environ.get(ONLINE_ENV, "").strip().lower() in {"1", "true", "yes"}


@db_periodic_task(crontab(hour=5, minute=30))
def watch_saved_searches() -> str:
    """Run every saved search against the local index (and PubMed when configured)."""
    from offlabel.web.literature.watch import watch_run

    return watch_run(online=online_configured()).line()
