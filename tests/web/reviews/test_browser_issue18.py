"""Browser: blinded grading, and the new review pages on a 390 px phone (no horizontal scroll)."""

from __future__ import annotations

from typing import Any

import pytest

from offlabel.web.reviews import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RATIONALE = "The rat model is far from ALS; I grade it lower."
PHONE = {"width": 390, "height": 844}


def _page_width(page: Any) -> int:
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    if width > PHONE["width"]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 392)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' +
                Math.round(e.getBoundingClientRect().right))"""
        )
        print("too wide:", wide)
    return width


def test_a_reviewer_sees_others_votes_only_after_casting_their_own(
    page: Any, circulating: Any, stage: Any, browser_sign_in: Any
) -> None:
    services.grade_vote_cast(
        review=circulating, by=stage.reviewer2, category="mechanism", grade="D", rationale=RATIONALE
    )
    page.set_viewport_size(PHONE)
    browser_sign_in("reviewer@example.org")
    page.goto(circulating.get_workspace_url())
    mechanism = page.locator('table.vote-tally tr[data-category="mechanism"]')
    assert "1 other vote, hidden until you vote" in mechanism.inner_text()
    assert page.get_by_text(RATIONALE).count() == 0
    assert _page_width(page) <= PHONE["width"]

    page.get_by_label("Mechanism grade").select_option("C")
    page.get_by_role("button", name="Save my votes").click()
    assert page.get_by_text("Votes saved.").is_visible()
    mechanism = page.locator('table.vote-tally tr[data-category="mechanism"]')
    assert "reviewer2: D" in mechanism.inner_text()
    assert RATIONALE in mechanism.inner_text()
    # still blind where this reviewer has not voted
    services.grade_vote_cast(review=circulating, by=stage.reviewer2, category="trials", grade="D")
    page.reload()
    trials = page.locator('table.vote-tally tr[data-category="trials"]')
    assert "hidden until you vote" in trials.inner_text()


def test_a_new_reviewer_states_conflicts_before_voting(
    page: Any, draft: Any, stage: Any, browser_sign_in: Any
) -> None:
    from tests.web.reviews.support import make_reviewer

    review = services.review_circulate(review=draft, by=stage.world.reviewer)
    make_reviewer("fresh@example.org")
    browser_sign_in("fresh@example.org")
    page.goto(review.get_workspace_url())
    assert page.get_by_role("button", name="Save my votes").count() == 0
    page.get_by_label("Your conflicts of interest for this review").fill("None.")
    page.get_by_role("button", name="Save my statement").click()
    assert page.get_by_text("Your conflict-of-interest statement is saved.").is_visible()
    assert page.get_by_role("button", name="Save my votes").is_visible()


def test_review_compare_and_following_pages_fit_a_phone(
    page: Any, published: Any, stage: Any, browser_sign_in: Any
) -> None:
    reference = stage.references[0]
    reference.url = "https://example.org/" + "a-very-long-path-segment-" * 12 + "end.pdf"
    reference.doi = "10.1000/" + "x" * 80
    reference.save()
    new = services.review_new_version(review=published, by=stage.world.reviewer, carry_votes=True)
    services.review_update(
        review=new,
        by=stage.world.reviewer,
        plain_summary="No trial has tested it. Ask your doctor first.",
        mechanism="Opioid receptors sit on immune cells [1]. " + "Averyveryverylongword" * 6,
    )
    services.review_circulate(review=new, by=stage.world.reviewer)
    services.review_publish(review=new, by=stage.world.editor)
    page.set_viewport_size(PHONE)
    slug = stage.topic.slug
    for url in (f"/reviews/{slug}/", f"/reviews/{slug}/diff/1/2/"):
        page.goto(url)
        assert _page_width(page) <= PHONE["width"], url
    page.goto(f"/reviews/{slug}/")
    page.get_by_role("link", name="1", exact=True).first.click()
    assert page.evaluate("location.hash") == "#ref-1"
    browser_sign_in("patient@example.org")
    page.goto(f"/reviews/{slug}/")
    page.get_by_role("link", name="Follow this review").click()
    page.get_by_role("button", name="Follow this review").click()
    assert page.get_by_text("You follow the review of").is_visible()
    assert page.url.endswith(f"/reviews/{slug}/v2/")
    page.goto("/community/following/")
    assert page.get_by_role("link", name="Atom feed", exact=True).count() == 1
    assert _page_width(page) <= PHONE["width"]
