"""Fixtures for the reviews tests: a library of references, and reviews at every stage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.reviews.support import EVIDENCE, Stage, add_evidence, cast_all, make_reviewer


@pytest.fixture
def stage(world: Any, demo_topics: list[Any]) -> Stage:
    from offlabel.web.literature.models import LibraryEntry, Reference

    als, dm = demo_topics
    references = []
    for i, (_category, species, design, *_rest) in enumerate(EVIDENCE):
        reference = Reference.objects.create(
            authors=[f"Author{i} A", "Second B"],
            title=f"Study number {i} of low-dose naltrexone",
            abstract="In people with amyotrophic lateral sclerosis.",
            journal="J Test Med",
            year=2000 + i,
            volume=str(10 + i),
            issue="2",
            pages=f"{100 + i}-9",
            species=species,
            design=design,
        )
        LibraryEntry.objects.create(topic=als, reference=reference)
        references.append(reference)
    return Stage(
        world=world,
        topic=als,
        dm_topic=dm,
        references=references,
        reviewer2=make_reviewer("reviewer2@example.org"),
        reviewer3=make_reviewer("reviewer3@example.org"),
    )


@pytest.fixture
def draft(stage: Stage) -> Any:
    from offlabel.web.reviews import services

    reviewer = stage.world.reviewer
    review = services.review_create_draft(topic=stage.topic, by=reviewer)
    services.review_update(
        review=review,
        by=reviewer,
        title="Low-dose naltrexone for ALS",
        overview="What is claimed.",
        mechanism="Opioid receptors sit on immune cells.",
        cases="Fifteen people rated it.",
        conclusion="Not recommended.",
    )
    add_evidence(review, reviewer, stage.references)
    return review


@pytest.fixture
def circulating(draft: Any, stage: Stage) -> Any:
    from offlabel.web.reviews import services
    from tests.web.reviews.support import state_conflicts

    review = services.review_circulate(review=draft, by=stage.world.reviewer)
    state_conflicts(review, [*stage.voters, stage.world.editor])
    return review


@pytest.fixture
def voted(circulating: Any, stage: Stage) -> Any:
    cast_all(circulating, stage.voters)
    return circulating


@pytest.fixture
def published(voted: Any, stage: Stage) -> Any:
    from offlabel.web.reviews import services

    return services.review_publish(review=voted, by=stage.world.editor)
