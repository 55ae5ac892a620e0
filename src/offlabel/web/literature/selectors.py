"""Reads of the literature app: topic libraries, their classification, imports, watch flags."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from offlabel.evidence.vocabulary import Category, Design, Relation, Species, TargetSpecies
from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Topic
from offlabel.web.literature.models import (
    ImportBatch,
    LibraryEntry,
    Reference,
    SavedSearch,
    WatchFlag,
)

# -- for the reviews app -------------------------------------------------------------------------


def library_for_topic(topic: Topic) -> QuerySet[Reference]:
    """The references in one topic's library, newest first (year, then title)."""
    return (
        Reference.objects.filter(library_entries__topic=topic)
        .distinct()
        .order_by("-year", "title", "pk")
    )


@dataclass(frozen=True)
class ReferenceClassification:
    """A suggestion for filing a reference as evidence in a review of one target species.

    ``species``/``design``/``category`` are vocabulary values (``""`` when nothing could be
    said); ``reasons`` explain the suggestion in plain words.
    """

    species: str
    design: str
    category: str
    relation: str
    reasons: tuple[str, ...] = field(default=())


def _value(item: Any) -> str:
    """A vocabulary value from an enum, a string, or ``""`` for ``None``."""
    return str(getattr(item, "value", item) or "")


def reference_classification(
    reference: Reference, target_species: TargetSpecies | str
) -> ReferenceClassification:
    """Species, design and Table-of-Evidence category suggested for ``reference``.

    Species and design stored on the reference (set at import or by a reviewer) win; what is
    missing comes from the literature core's classifier run on the stored title, abstract,
    MeSH headings and publication types. The category follows from the design and whether the
    species is the review's target species (another species is model evidence).
    """
    from offlabel.literature.classify import classify, load_rules
    from offlabel.web.literature.convert import reference_record

    target = TargetSpecies(_value(target_species))
    computed = classify(reference_record(reference), target)
    species = reference.species or _value(computed.species)
    design = reference.design or _value(computed.design)
    reasons: list[str] = []
    for name, stored in (("species", reference.species), ("design", reference.design)):
        if stored:
            reasons.append(f"{name} {stored}: stored on the reference")
    reasons.extend(
        reason
        for reason in computed.reasons
        if not (
            (reference.species and reason.startswith("species "))
            or (reference.design and reason.startswith("design "))
            or reason.startswith("category ")
        )
    )
    relation = Relation.TARGET if species == target.value else Relation.MODEL
    category = _value(computed.category)
    if computed.category is not Category.RISKS and design in Design._value2member_map_:
        # The stored species or design may differ from the classifier's: file by them.
        in_target, other = load_rules().category[Design(design)]
        category = (in_target if relation is Relation.TARGET else other).value
        where = (
            "the target species" if relation is Relation.TARGET else "another species or a model"
        )
        reasons.append(f"category {category}: {design} in {where}")
    else:
        reasons.extend(r for r in computed.reasons if r.startswith("category "))
    return ReferenceClassification(
        species=species if species in Species._value2member_map_ else "",
        design=design if design in Design._value2member_map_ else "",
        category=category if category in Category._value2member_map_ else "",
        relation=relation.value,
        reasons=tuple(reasons),
    )


# -- the library page ------------------------------------------------------------------------------


def library_filtered(
    topic: Topic, *, species: str = "", design: str = "", year: int | None = None
) -> QuerySet[Reference]:
    references = library_for_topic(topic)
    if species:
        references = references.filter(species=species)
    if design:
        references = references.filter(design=design)
    if year:
        references = references.filter(year=year)
    return references


def library_years(topic: Topic) -> list[int]:
    years = library_for_topic(topic).exclude(year=None).values_list("year", flat=True)
    return sorted({int(year) for year in years if year is not None}, reverse=True)


def topics_with_library() -> QuerySet[Topic]:
    """Every topic with the size of its library and its count of new watch flags."""
    return Topic.objects.select_related("therapy", "condition").annotate(
        library_size=Count("library_entries", distinct=True),
        new_flags=Count(
            "watch_flags", filter=Q(watch_flags__status=WatchFlag.Status.NEW), distinct=True
        ),
    )


IDENTIFIERS = ("pmid", "doi", "nct")


def references_by_identifier(wanted: dict[str, set[str]]) -> dict[str, dict[str, Reference]]:
    """Stored references holding any of the wanted PMIDs, DOIs or NCT ids (one query per kind).

    ``wanted`` maps ``"pmid"``/``"doi"``/``"nct"`` to values (DOIs lower case, NCT ids upper
    case, as stored); the answer maps each kind to ``{value: reference}``.
    """
    found: dict[str, dict[str, Reference]] = {name: {} for name in IDENTIFIERS}
    for name in IDENTIFIERS:
        values = {value for value in wanted.get(name, set()) if value}
        if values:
            for reference in Reference.objects.filter(**{f"{name}__in": values}):
                found[name][getattr(reference, name)] = reference
    return found


def library_identifiers(topic: Topic) -> dict[str, set[str]]:
    """The PMIDs, DOIs and NCT ids already in a topic's library."""
    rows = LibraryEntry.objects.filter(topic=topic).values_list(
        "reference__pmid", "reference__doi", "reference__nct"
    )
    ids: dict[str, set[str]] = {"pmid": set(), "doi": set(), "nct": set()}
    for pmid, doi, nct in rows:
        if pmid:
            ids["pmid"].add(pmid)
        if doi:
            ids["doi"].add(doi.lower())
        if nct:
            ids["nct"].add(nct.upper())
    return ids


# -- imports -----------------------------------------------------------------------------------


def import_batch_for(token: uuid.UUID | str, user: User) -> ImportBatch:
    """The user's own pending batch; anyone else's, or an expired one, does not exist."""
    return ImportBatch.objects.select_related("topic__therapy", "topic__condition").get(
        token=token, owner=user, expires_at__gt=timezone.now()
    )


# -- the living review ---------------------------------------------------------------------------


def saved_searches_for(topic: Topic) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(topic=topic).select_related("created_by")


def watch_flags_new(topic: Topic) -> QuerySet[WatchFlag]:
    return WatchFlag.objects.filter(topic=topic, status=WatchFlag.Status.NEW)


def topic_review_published_at(topic: Topic) -> dt.datetime | None:
    """When the topic's newest published review version went out (kept on the topic by the
    reviews app when it publishes, so the literature app never reads the reviews' tables)."""
    return topic.review_published_at
