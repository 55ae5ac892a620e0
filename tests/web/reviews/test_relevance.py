"""The relevance check when evidence is attached: the record's text against the topic's
therapy and condition (with catalogue synonyms); a flagged item counts only once confirmed."""

from __future__ import annotations

from typing import Any

import pytest

from offlabel.evidence.relevance import check_relevance
from offlabel.evidence.terms import fold, mentions
from offlabel.web.reviews import selectors, services

ASTHMA_RCT = {
    "title": "Montelukast versus placebo in mild persistent asthma: a randomised controlled trial",
    "abstract": "Adults with asthma were randomised to montelukast or placebo for 12 weeks.",
    "mesh": ["Asthma", "Leukotriene Antagonists", "Humans"],
}


@pytest.fixture
def asthma(stage: Any) -> Any:
    from offlabel.web.literature.models import LibraryEntry, Reference

    reference = Reference.objects.create(
        authors=["Wheeze W"],
        journal="Chest",
        year=2018,
        species="human",
        design="rct",
        **ASTHMA_RCT,
    )
    LibraryEntry.objects.create(topic=stage.topic, reference=reference)
    return reference


def _attach(review: Any, by: Any, reference: Any, **extra: Any) -> Any:
    return services.evidence_item_add(
        review=review,
        by=by,
        reference=reference,
        category="trials",
        species="human",
        design="rct",
        quality="well_designed",
        direction="benefit",
        verified=True,
        n=200,
        **extra,
    )


def _trials_grade(review: Any) -> str:
    rows = {r.category.value: r for r in selectors.review_suggestions(review)}
    return rows["trials"].suggestion.grade.value


def test_the_issues_asthma_trial_is_flagged_and_does_not_move_the_trials_grade(
    draft: Any, stage: Any, asthma: Any
) -> None:
    before = _trials_grade(draft)
    item = _attach(draft, stage.world.reviewer, asthma)
    assert "does not name the topic's therapy, Low-dose naltrexone" in item.relevance_warning
    assert "the topic's condition, Amyotrophic lateral sclerosis (or ALS" in item.relevance_warning
    assert not item.counts
    assert _trials_grade(draft) == before  # a well-designed RCT with benefit would give B
    services.evidence_item_confirm_relevance(item=item, by=stage.world.reviewer)
    item.refresh_from_db()
    assert item.counts and item.relevance_confirmed_by == stage.world.reviewer
    assert _trials_grade(draft) != before


def test_confirming_at_attachment_counts_at_once(draft: Any, stage: Any, asthma: Any) -> None:
    item = _attach(draft, stage.world.reviewer, asthma, confirm_relevance=True)
    assert item.relevance_warning and item.counts


def test_a_record_naming_a_synonym_needs_no_confirmation(draft: Any, stage: Any) -> None:
    from offlabel.web.literature.models import Reference

    reference = Reference.objects.create(
        title="LDN in motor neurone disease: an open-label pilot",  # both through synonyms
        authors=["Pilot P"],
        year=2024,
    )
    item = _attach(draft, stage.world.reviewer, reference)
    assert item.relevance_warning == "" and item.counts


def test_workspace_shows_the_warning_and_the_confirm_button(
    draft: Any, stage: Any, asthma: Any, client_for: Any
) -> None:
    item = _attach(draft, stage.world.reviewer, asthma)
    client = client_for(stage.world.reviewer)
    html = client.get(draft.get_workspace_url()).content.decode()
    assert "Not counted:" in html and f"/evidence/{item.pk}/confirm/" in html
    response = client.post(f"/reviews/workspace/{draft.pk}/evidence/{item.pk}/confirm/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.counts


def test_the_add_form_warns_after_saving(
    draft: Any, stage: Any, asthma: Any, client_for: Any
) -> None:
    client = client_for(stage.world.reviewer)
    response = client.post(
        f"/reviews/workspace/{draft.pk}/evidence/add/",
        {
            "reference": asthma.pk, "category": "trials", "species": "human", "design": "rct",
            "quality": "well_designed", "direction": "benefit", "n": "200",
        },
        follow=True,
    )  # fmt: skip
    assert "Not counted yet: The record does not name" in response.content.decode()


@pytest.mark.parametrize("role", ["patient", "owner", "clinician", "vet", "nobody"])
def test_only_reviewers_confirm(
    role: str, draft: Any, stage: Any, asthma: Any, client_for: Any
) -> None:
    item = _attach(draft, stage.world.reviewer, asthma)
    response = client_for(stage.world.by_name(role)).post(
        f"/reviews/workspace/{draft.pk}/evidence/{item.pk}/confirm/"
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.counts


def test_changing_the_reference_runs_the_check_again(draft: Any, stage: Any, asthma: Any) -> None:
    item = _attach(draft, stage.world.reviewer, stage.references[3])
    assert item.counts and not item.relevance_warning
    item = services.evidence_item_update(item=item, by=stage.world.reviewer, reference=asthma)
    assert item.relevance_warning and not item.counts


# -- the core check --------------------------------------------------------------------------


def test_mechanism_evidence_may_be_about_another_disease() -> None:
    result = check_relevance(
        text="Low-dose naltrexone in Crohn's disease",
        category="mechanism",
        therapy_names=["Low-dose naltrexone", "LDN"],
        condition_names=["Amyotrophic lateral sclerosis", "ALS"],
    )
    assert result.relevant and result.therapy_found == ("Low-dose naltrexone",)


def test_names_match_across_case_accents_and_hyphens_but_abbreviations_as_written() -> None:
    assert fold("Curcumín") == fold("CURCUMIN")
    assert mentions("LOW DOSE NALTREXONE", "low-dose naltrexone")
    assert mentions("in ALS patients", "ALS") and not mentions("als Ergebnis", "ALS")
