"""Browser: a reviewer takes a review from draft to published; the grade shows on the index."""

from __future__ import annotations

from typing import Any

import pytest

from offlabel.evidence.vocabulary import Category
from offlabel.web.reviews import services
from offlabel.web.reviews.models import Review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reviewer_drafts_attaches_circulates_votes_and_editor_publishes(
    page: Any, stage: Any, browser_sign_in: Any
) -> None:
    trial = stage.references[3]  # a human uncontrolled trial in the ALS topic's library

    browser_sign_in("reviewer@example.org")
    page.get_by_role("link", name="Review workspace").click()
    page.get_by_label("Topic").select_option(label=str(stage.topic))
    page.get_by_role("button", name="Start a draft").click()
    page.wait_for_url("**/reviews/workspace/*/")
    assert page.get_by_text("Draft version 1 started.").is_visible()

    page.get_by_label("Trials", exact=True).fill("An open-label pilot in twelve people.")
    page.get_by_role("button", name="Save sections").click()
    assert page.get_by_text("Sections saved.").is_visible()

    page.get_by_label("Attach a reference from the topic's library").select_option(
        value=str(trial.pk)
    )
    page.get_by_role("button", name="Attach as evidence").click()
    # Pre-filled from the library record: a human uncontrolled trial, filed under Trials.
    assert page.get_by_label("Category").input_value() == "trials"
    assert page.get_by_label("Design").input_value() == "uncontrolled_trial"
    page.get_by_label("Quality").select_option("flawed")
    page.get_by_label("Direction").select_option("benefit")
    page.get_by_label("N", exact=True).fill("12")
    page.get_by_role("button", name="Save evidence item").click()
    assert page.get_by_text("Evidence item added.").is_visible()
    assert page.locator("code", has_text="trials.D").is_visible()

    page.get_by_role("button", name="Circulate for votes").click()
    assert page.get_by_text("Circulated to reviewers for votes.").is_visible()
    page.get_by_label("Your conflicts of interest for this review").fill("None.")
    page.get_by_role("button", name="Save my statement").click()
    for category in Category:
        grade = "D" if category is Category.TRIALS else "U"
        page.get_by_label(f"{category.label} grade").select_option(grade)
    page.get_by_role("button", name="Save my votes").click()
    assert page.get_by_text("Votes saved.").is_visible()

    review = Review.objects.get(topic=stage.topic)
    for voter, trials_grade in ((stage.reviewer2, "D"), (stage.reviewer3, "C")):
        services.conflict_statement_save(review=review, by=voter, statement="None.")
        for category in Category:
            grade = trials_grade if category is Category.TRIALS else "U"
            services.grade_vote_cast(review=review, by=voter, category=category.value, grade=grade)

    page.get_by_role("button", name="Sign out").click()
    browser_sign_in("editor@example.org")
    page.goto(f"/reviews/workspace/{review.pk}/")
    page.get_by_role("button", name="Publish version 1").click()
    page.wait_for_url(f"**/reviews/{stage.topic.slug}/v1/")
    trials = page.locator('a[data-category="trials"]')
    assert trials.inner_text() == "D"

    page.get_by_role("button", name="Sign out").click()
    page.goto("/reviews/")
    row = page.get_by_role("row", name="Low-dose naltrexone")
    assert row.get_by_role("link", name="Trials: D").is_visible()
    assert row.get_by_role("link", name="Mechanism: U").is_visible()
