"""The plain-language summary ("what this means for you"): shown to readers and in exports,
its reading level measured by textstat and shown to the editor; the demo's two LDN reviews
have one each at grade 8 or below, with conflict-of-interest statements and followers."""

from __future__ import annotations

import json
from typing import Any

import pytest
import textstat

from offlabel.reports.readability import TARGET_GRADE, reading_level
from offlabel.web.reviews import exports, services

SIMPLE = "No trial has tested it. We do not know if it helps. Ask your doctor first."
HARD = (
    "Notwithstanding considerable mechanistic plausibility regarding immunomodulatory "
    "properties attributable to opioid-receptor antagonism, randomised placebo-controlled "
    "investigations evaluating neuroprotective efficacy in amyotrophic lateral sclerosis "
    "remain conspicuously unavailable."
)


def test_reading_level_is_textstats_flesch_kincaid_grade() -> None:
    for text in (SIMPLE, HARD):
        level = reading_level(text)
        assert level is not None
        assert level.grade == pytest.approx(textstat.flesch_kincaid_grade(text))
    assert reading_level(SIMPLE).on_target  # type: ignore[union-attr]
    assert not reading_level(HARD).on_target  # type: ignore[union-attr]
    assert reading_level("  ") is None


@pytest.mark.parametrize(("text", "warned"), [(SIMPLE, False), (HARD, True)])
def test_the_workspace_shows_the_reading_level(
    text: str, warned: bool, draft: Any, stage: Any, client_for: Any
) -> None:
    services.review_update(review=draft, by=stage.world.reviewer, plain_summary=text)
    html = client_for(stage.world.editor).get(draft.get_workspace_url()).content.decode()
    grade = textstat.flesch_kincaid_grade(text)
    assert f"reading level grade {grade:.1f}" in html
    assert ("Use shorter sentences and shorter words." in html) is warned
    assert ('class="reading-level off-target"' in html) is warned


def test_the_summary_is_on_the_page_and_in_every_export(
    published: Any, stage: Any, client: Any
) -> None:
    new = services.review_new_version(review=published, by=stage.world.reviewer, carry_votes=True)
    services.review_update(review=new, by=stage.world.reviewer, plain_summary=SIMPLE)
    services.review_circulate(review=new, by=stage.world.reviewer)
    v2 = services.review_publish(review=new, by=stage.world.editor)
    html = client.get(v2.get_absolute_url()).content.decode()
    assert "What this means for you" in html and SIMPLE in html
    assert f"## What this means for you\n\n{SIMPLE}" in exports.review_as_markdown(v2)
    data = json.loads(exports.review_as_json(v2))
    assert data["plain_summary"]["text"] == SIMPLE
    assert data["plain_summary"]["reading_level"]["grade"] == pytest.approx(
        textstat.flesch_kincaid_grade(SIMPLE)
    )
    from tests.web.reviews.test_exports import _pdf_text

    text = _pdf_text(exports.review_as_pdf(v2)).replace("\n", " ")
    assert "What this means for you" in text and "No trial has tested it." in text


# -- the demo ---------------------------------------------------------------------------------


@pytest.fixture
def demo_site(db: Any) -> Any:
    from offlabel.web.demo import load_demo

    load_demo(out=lambda _line: None)


def test_demo_reviews_have_plain_summaries_at_grade_8_or_below(demo_site: Any) -> None:
    from offlabel.web.reviews.models import Review

    reviews = list(Review.objects.filter(status="published").order_by("topic__slug"))
    assert len(reviews) == 2
    for review in reviews:
        assert review.plain_summary.strip()
        assert textstat.flesch_kincaid_grade(review.plain_summary) <= TARGET_GRADE


def test_demo_reviews_carry_conflict_statements_for_every_voter(demo_site: Any) -> None:
    from offlabel.web.reviews.models import Review

    for review in Review.objects.filter(status="published"):
        voters = set(review.votes.values_list("reviewer_id", flat=True))
        stated = set(review.conflicts.values_list("reviewer_id", flat=True))
        assert voters and voters <= stated


def test_demo_subscriptions_work(demo_site: Any, settings: Any) -> None:
    """Pat follows the ALS review: a new version reaches Pat's notifications page."""
    from offlabel.web.accounts.demo import demo_user
    from offlabel.web.catalog.demo import LDN_ALS_SLUG
    from offlabel.web.network.models import Notification
    from offlabel.web.reviews.models import Review

    pat = demo_user("patient@offlabel.demo")
    # the ALS discussion the editors made public already reached Pat through the topic follow
    assert pat.notifications.filter(kind=Notification.Kind.FOLLOWED).count() == 1
    v1 = Review.objects.get(topic__slug=LDN_ALS_SLUG, status="published")
    reviewer, editor = demo_user("reviewer@offlabel.demo"), demo_user("editor@offlabel.demo")
    from offlabel.web.analytics.carry import snapshot_decide

    new = services.review_new_version(
        review=v1, by=reviewer, change_summary="No new information.", carry_votes=True
    )
    for frozen in new.registry_snapshots.all():  # type: ignore[attr-defined]
        snapshot_decide(snapshot=frozen, decision="keep", by=editor)
    services.review_circulate(review=new, by=reviewer)
    services.review_publish(review=new, by=editor)
    latest = pat.notifications.filter(kind=Notification.Kind.FOLLOWED).first()
    assert latest is not None and "Version 2 of the review" in latest.title
