"""Reads of the catalog."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from offlabel.web.catalog.models import Topic


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.select_related("therapy", "condition")


def topic_search(query: str) -> QuerySet[Topic]:
    """Topics whose therapy or condition name or synonyms contain every word of the query."""
    topics = topic_list()
    for word in query.split():
        topics = topics.filter(
            Q(therapy__name__icontains=word)
            | Q(therapy__synonyms__icontains=word)
            | Q(condition__name__icontains=word)
            | Q(condition__synonyms__icontains=word)
        )
    return topics


def topic_by_slug(slug: str) -> Topic:
    return topic_list().get(slug=slug)
