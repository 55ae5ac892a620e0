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

#: Sent by ``services.review_new_version`` once the new draft and its copied evidence exist
#: (inside the transaction), with ``review`` (the new draft), ``previous`` (the published version
#: it starts from) and ``by`` (who started it). Apps copy what belongs to a version forward, e.g.
#: the analytics app its frozen registry snapshots.
review_version_started = Signal()

#: Sent by ``services.review_publish`` before anything is written, with ``review``. A receiver
#: returns a list of sentences, each a reason the version cannot be published yet (an empty list
#: when it has none); publication is refused while any receiver gives one.
review_publishing = Signal()
