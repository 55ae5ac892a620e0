"""The relevance check of an evidence item: its record's text against the topic's therapy and
condition with their catalogue synonyms (the rule is :mod:`offlabel.evidence.relevance`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from offlabel.evidence.relevance import check_relevance
from offlabel.web.accounts.models import User
from offlabel.web.reviews.models import EvidenceItem, Review


def _record_text(reference: Any) -> str:
    mesh = " ".join(str(term) for term in reference.mesh or [])
    return "\n".join((reference.title, reference.abstract, mesh))


def relevance_warning(review: Review, reference: Any, category: str) -> str:
    """The relevance check of attaching ``reference`` to ``review`` as ``category`` evidence:
    the record's text against the topic's therapy and condition with their catalogue synonyms
    (empty when it names them)."""
    therapy, condition = review.topic.therapy, review.topic.condition
    return check_relevance(
        text=_record_text(reference),
        category=category,
        therapy_names=[therapy.name, *therapy.synonym_list],
        condition_names=[condition.name, *condition.synonym_list],
    ).warning


def check_item_relevance(item: EvidenceItem, by: User, confirm: bool) -> None:
    """Set (or clear) the item's relevance warning; confirm it when ``confirm``."""
    warning = relevance_warning(item.review, item.reference, item.category)
    if warning != item.relevance_warning:
        item.relevance_warning = warning
        item.relevance_confirmed_by, item.relevance_confirmed_at = None, None
    if warning and confirm and item.relevance_confirmed_at is None:
        item.relevance_confirmed_by, item.relevance_confirmed_at = by, timezone.now()
