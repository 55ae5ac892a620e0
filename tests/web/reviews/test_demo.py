"""The demo's two LDN reviews load, publish and serve."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from offlabel.evidence.consensus import consensus_grade
from offlabel.evidence.vocabulary import Category
from offlabel.web.catalog.demo import LDN_ALS_SLUG, LDN_DM_SLUG
from offlabel.web.catalog.models import Topic
from offlabel.web.reviews import demo
from offlabel.web.reviews.models import Review


@pytest.fixture
def demo_reviews(db: Any) -> list[Review]:
    from offlabel.web.accounts import demo as accounts_demo
    from offlabel.web.catalog import demo as catalog_demo

    accounts_demo.load()
    catalog_demo.load()
    return demo.load()


def test_demo_publishes_both_ldn_reviews(demo_reviews: list[Review]) -> None:
    assert {r.topic.slug for r in demo_reviews} == {LDN_ALS_SLUG, LDN_DM_SLUG}
    for review in demo_reviews:
        assert review.status == Review.Status.PUBLISHED
        assert review.published_by.email == demo.EDITOR
        assert review.published_grades.count() == 5
        assert review.votes.count() == 5 * len(demo.VOTERS)
        assert Topic.objects.get(pk=review.topic_id).status == Topic.Status.PUBLISHED


def test_demo_grades_are_the_consensus_of_the_demo_votes(demo_reviews: list[Review]) -> None:
    for review, spec in zip(demo_reviews, demo.DEMO_REVIEWS, strict=True):
        stored = {g.category: g.grade for g in review.published_grades.all()}
        expected = {c: consensus_grade(v).grade.value for c, v in spec.votes.items()}
        assert stored == expected
    dm = demo_reviews[1]
    assert dm.published_grades.get(category=Category.TRIALS).grade == "U"


def test_demo_als_review_carries_the_seed_facts(demo_reviews: list[Review]) -> None:
    als = demo_reviews[0]
    assert als.citations.count() == 18
    assert "31 people" in als.cases and "47%" in als.cases and "27%" in als.cases
    assert "liver" in als.risks and "$25 and $49" in als.cost
    trials = als.evidence_items.get(category="trials")
    assert (trials.n, trials.direction) == (2, "no_benefit")
    suggested = demo.suggested(demo.DEMO_REVIEWS[0], "human")
    assert suggested["trials"].value == "F"


def test_demo_dm_review_counts_human_evidence_as_model_evidence(
    demo_reviews: list[Review],
) -> None:
    suggested = demo.suggested(demo.DEMO_REVIEWS[1], "dog")
    # No dog trial: the human naloxone trial is pre-clinical (model) evidence for dogs.
    assert suggested["trials"].value == "U"
    dm = demo_reviews[1]
    grade = dm.published_grades.get(category="trials")
    assert grade.suggested_grade == "U"
    assert dm.evidence_items.filter(category="cases", species="dog").count() == 1


def test_demo_reviews_serve_on_the_web_and_index(demo_reviews: list[Review], client: Any) -> None:
    for slug in (LDN_ALS_SLUG, LDN_DM_SLUG):
        assert client.get(reverse("reviews:latest", args=[slug])).status_code == 200
    index = client.get(reverse("reviews:index")).content.decode()
    assert "Low-dose naltrexone for ALS" in index
    assert "Low-dose naltrexone for degenerative myelopathy in dogs" in index


def test_demo_reviews_come_in_english_and_spanish_with_readable_summaries(
    demo_reviews: list[Review],
) -> None:
    from offlabel.reports.readability import reading_level, spanish_reading_ease

    for review in demo_reviews:
        spanish = review.translations.get(language="es")
        assert spanish.title and spanish.plain_summary
        assert all(getattr(spanish, name) for name in ("overview", "cases", "conclusion"))
        assert spanish.updated_by.email == demo.EDITOR
        english_level = reading_level(review.plain_summary)
        spanish_ease = spanish_reading_ease(spanish.plain_summary)
        assert english_level is not None and english_level.on_target
        assert spanish_ease is not None and spanish_ease.on_target
    assert "dosis plenas" in demo_reviews[0].translations.get().plain_summary
