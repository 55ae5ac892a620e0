"""Atom feeds of published review versions and their grade changes: one for every review, one
per topic (``/reviews/feed.atom``, ``/reviews/<topic>/feed.atom``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from offlabel.web.catalog.models import Topic
from offlabel.web.reviews.models import Review
from offlabel.web.reviews.selectors import (
    review_change_sentence,
    review_grade_changes,
    review_previous_public,
    reviews_for_feed,
)


class ReviewsFeed(Feed):  # type: ignore[type-arg]
    """Every published version of every review, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Topic | None:
        slug = kwargs.get("topic_slug")
        if slug is None:
            return None
        topic = Topic.objects.select_related("therapy", "condition").filter(slug=slug).first()
        if topic is None:
            raise Http404(_("No such topic."))
        return topic

    def title(self, obj: Topic | None) -> str:
        if obj is None:
            return _("offlabel: published evidence reviews")
        return _("offlabel: review of %(therapy)s for %(condition)s") % {
            "therapy": obj.therapy.name,
            "condition": obj.condition.name,
        }

    def link(self, obj: Topic | None) -> str:
        return reverse("reviews:index") if obj is None else obj.get_absolute_url()

    def feed_url(self, obj: Topic | None) -> str:
        if obj is None:
            return reverse("reviews:feed")
        return reverse("reviews:topic_feed", args=[obj.slug])

    def subtitle(self, obj: Topic | None) -> str:
        return _(
            "Each published version of a review, with what changed in its grades. offlabel "
            "shows evidence and uncertainty; it never recommends a treatment."
        )

    def items(self, obj: Topic | None) -> list[Review]:
        return reviews_for_feed(obj.slug if obj is not None else None)

    def item_title(self, item: Review) -> str:
        changes = review_grade_changes(item)
        title = _("%(title)s: version %(version)s") % {
            "title": item.display_title,
            "version": item.version,
        }
        if changes:
            title += " — " + _("grades changed: %(changes)s") % {
                "changes": "; ".join(c.text for c in changes)
            }
        return title

    def item_description(self, item: Review) -> str:
        parts = [review_change_sentence(item)]
        if item.change_summary:
            parts.append(item.change_summary)
        if item.plain_summary:
            parts.append(item.plain_summary)
        return "\n\n".join(parts)

    def item_link(self, item: Review) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Review) -> str:
        return f"offlabel-review:{item.topic.slug}:v{item.version}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Review) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Review) -> dt.datetime | None:
        return item.published_at

    def item_author_name(self, item: Review) -> str:
        return item.author_names or "offlabel reviewers"

    def item_categories(self, item: Review) -> list[str]:
        categories = [item.topic.condition.get_species_display()]
        previous = review_previous_public(item)
        if previous is None:
            categories.append("first-version")
        elif review_grade_changes(item, previous):
            categories.append("grade-change")
        else:
            categories.append("no-grade-change")
        return categories
