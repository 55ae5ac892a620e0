"""Signal receivers: tell requesters, voters and followers when a review is published."""

from __future__ import annotations

from typing import Any


def on_review_published(sender: Any, review: Any = None, topic: Any = None, **kwargs: Any) -> None:
    # Runs inside review_publish's transaction: notify() only stores rows and queues the
    # e-mails for after the commit, so a failed publication sends nothing.
    from offlabel.web.network.services.requests import requests_notify_published
    from offlabel.web.network.services.subscriptions import subscribers_notify_published

    if topic is None and review is not None:
        topic = review.topic
    notified: set[int] = set()
    if topic is not None:
        requests_notify_published(topic=topic, review=review, notified=notified)
    if review is not None:
        subscribers_notify_published(review=review, exclude=notified)
