"""Version compare: grades side by side with the evidence added, removed and reassessed per
category, and a word-level diff of each section that wraps on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from offlabel.reports.textdiff import word_diff
from offlabel.web.reviews import services
from offlabel.web.reviews.compare import review_comparison

pytestmark = pytest.mark.django_db


@pytest.fixture
def v2(published: Any, stage: Any) -> Any:
    """A draft v2: one trials item removed, one cases item reassessed, a new trials item."""
    from offlabel.web.literature.models import Reference

    reviewer = stage.world.reviewer
    new = services.review_new_version(review=published, by=reviewer)
    items = {item.category: item for item in new.evidence_items.all()}
    services.evidence_item_delete(item=items["trials"], by=reviewer)
    services.evidence_item_update(item=items["cases"], by=reviewer, n=40, direction="benefit")
    rct = Reference.objects.create(
        title="Naltrexone versus placebo in ALS", authors=["Newman N"], year=2026
    )
    services.evidence_item_add(
        review=new, by=reviewer, reference=rct, category="trials", species="human", design="rct",
        quality="well_designed", direction="no_benefit", verified=True, n=120,
    )  # fmt: skip
    services.review_update(
        review=new,
        by=reviewer,
        trials="One placebo-controlled trial found no benefit.",
        mechanism="Opioid receptors sit on some immune cells, not on motor neurons.",
    )
    return new


def test_comparison_lists_evidence_changes_per_category(published: Any, v2: Any) -> None:
    comparison = review_comparison(published, v2)
    rows = {row.category.value: row for row in comparison.categories}
    kinds = {c.kind: c for c in rows["trials"].changes}
    assert set(kinds) == {"added", "removed"}
    assert kinds["added"].text.startswith("Newman N 2026: Randomised")
    assert "n=120" in kinds["added"].text
    assert "Author3 A 2003" in kinds["removed"].text
    (reassessed,) = rows["cases"].changes
    assert reassessed.kind == "changed" and "n=15" in reassessed.before
    assert "n=40" in reassessed.text and "benefit" in reassessed.text
    assert rows["mechanism"].changes == []
    # v1 is published, v2's letters are the engine's suggestion
    assert rows["trials"].old_published and not rows["trials"].new_published
    assert rows["trials"].new_grade == "F"  # a well-designed RCT without benefit


def test_compare_page_shows_grades_evidence_and_word_diff(
    published: Any, v2: Any, stage: Any, client_for: Any
) -> None:
    url = reverse("reviews:diff", args=[stage.topic.slug, 1, 2])
    html = client_for(stage.world.reviewer).get(url).content.decode()
    assert "<strong>Added:</strong> Newman N 2026" in html
    assert "<strong>Removed:</strong> <del>Author3 A 2003" in html
    assert "<strong>Reassessed:</strong>" in html
    section = re.search(r'<section class="panel" id="diff-mechanism">(.*?)</section>', html, re.S)
    assert section is not None
    assert (
        "Opioid receptors sit on <ins>some </ins>immune cells<ins>, not on motor neurons</ins>."
        in section.group(1)
    )
    assert "<ins>One placebo-controlled trial found no benefit.</ins>" in html
    assert "<pre" not in html  # wraps like text: nothing forces a line wider than the phone


def test_word_diff_runs_rebuild_both_texts() -> None:
    old = "An immune effect is plausible, but unproven in ALS."
    new = "An immune effect is plausible; one small trial found nothing in ALS."
    changes = word_diff(old, new)
    assert "".join(c.text for c in changes if c.op != "added") == old
    assert "".join(c.text for c in changes if c.op != "removed") == new
    assert word_diff(old, old) == []
