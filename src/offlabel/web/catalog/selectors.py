"""Reads of the catalog."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from offlabel.evidence.vocabulary import TargetSpecies
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


def therapy_species_topics(therapy_slug: str) -> list[Topic]:
    """A therapy's topics, people's conditions first, then dogs' (``Topic.DoesNotExist`` when
    the therapy has none)."""
    topics = sorted(
        topic_list().filter(therapy__slug=therapy_slug),
        key=lambda t: (TargetSpecies(t.condition.species) != TargetSpecies.HUMAN, t.condition.name),
    )
    if not topics:
        raise Topic.DoesNotExist(therapy_slug)
    return topics


def topic_has_other_species(topic: Topic) -> bool:
    """Whether the same therapy has a topic in the other species (for the side-by-side link)."""
    return (
        Topic.objects.filter(therapy_id=topic.therapy_id)
        .exclude(condition__species=topic.condition.species)
        .exists()
    )
