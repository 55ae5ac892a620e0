"""Background work of the registry (huey: in-process and immediate unless REDIS_URL).

Tasks call the services; the services never call the tasks.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour=3, minute=30))
def purge_deleted() -> int:
    """Every night: remove for good what was deleted more than 30 days ago."""
    from offlabel.web.registry.services.upkeep import registry_purge

    return registry_purge()


@db_periodic_task(crontab(hour=8, minute=0))
def score_reminders() -> int:
    """Every morning at 08:00 UTC: the re-score reminders that are due."""
    from offlabel.web.registry.services.upkeep import reminders_send

    return reminders_send()
