"""Signals sent by the reviews app.

``review_published`` is sent when a review version is published, at the end of
``services.review_publish`` and inside its transaction (a receiver's error undoes the
publication; receivers doing slow work should queue it, e.g. with ``transaction.on_commit``
or a huey task). Receivers get ``sender=Review`` and the keyword
arguments ``review`` (the newly published :class:`~offlabel.web.reviews.models.Review`)
and ``topic`` (its :class:`~offlabel.web.catalog.models.Topic`).
"""

from __future__ import annotations

from django.dispatch import Signal

review_published = Signal()
