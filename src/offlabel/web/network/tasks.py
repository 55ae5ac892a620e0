"""Background work of the community app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import periodic_task


@periodic_task(crontab(hour=7, minute=0))
def daily_digest() -> int:
    """Every morning at 07:00 UTC: one e-mail per daily-digest reader with what is new."""
    from offlabel.web.network.services.notifications import digest_send

    return digest_send()
