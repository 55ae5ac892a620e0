"""The review workflow's services: states, votes, consensus, versions and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from offlabel.evidence.consensus import agreement, consensus_grade
from offlabel.evidence.vocabulary import Category
from offlabel.web.catalog.models import Topic
from offlabel.web.common.models import AuditEvent
from offlabel.web.common.selectors import audit_for_object
from offlabel.web.reviews import selectors, services
from offlabel.web.reviews.models import EvidenceItem, GradeVote, PublishedGrade, Review
from offlabel.web.reviews.signals import review_published
from tests.web.reviews.support import SUGGESTED, VOTES, cast_all


def test_fixture_evidence_gets_the_expected_suggestions(draft: Any) -> None:
    rows = selectors.review_suggestions(draft)
    assert {row.category.value: row.suggestion.grade.value for row in rows} == SUGGESTED
    trials = next(row for row in rows if row.category is Category.TRIALS)
    assert trials.suggestion.rule == "trials.D"
    assert [item.category for item in trials.counted] == ["trials"]


def test_draft_starts_at_version_one_and_moves_topic_in_review(stage: Any) -> None:
    stage.topic.status = Topic.Status.REQUESTED
    stage.topic.save()
    review = services.review_create_draft(topic=stage.topic, by=stage.world.reviewer)
    assert (review.version, review.status) == (1, Review.Status.DRAFT)
    assert review.rubric_version == "default-v1"
    assert list(review.authors.all()) == [stage.world.reviewer]
    stage.topic.refresh_from_db()
    assert stage.topic.status == Topic.Status.IN_REVIEW


def test_second_open_draft_of_a_topic_is_refused(draft: Any, stage: Any) -> None:
    with pytest.raises(ValidationError, match="still draft"):
        services.review_create_draft(topic=stage.topic, by=stage.reviewer2)


def test_every_change_leaves_an_audit_row_naming_who(draft: Any, stage: Any) -> None:
    events = list(audit_for_object(draft))
    actions = {e.action for e in events}
    assert {AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE} <= actions
    assert all(e.actor == stage.world.reviewer for e in events)
    update = next(e for e in events if e.action == AuditEvent.Action.UPDATE and e.after)
    assert update.after.get("mechanism") == "Opioid receptors sit on immune cells."
    item = draft.evidence_items.first()
    services.evidence_item_update(item=item, by=stage.reviewer2, quality="flawed")
    services.evidence_item_delete(item=item, by=stage.reviewer2)
    item_events = AuditEvent.objects.filter(object_id=str(item.pk), actor=stage.reviewer2)
    assert set(item_events.values_list("action", flat=True)) == {"update", "delete"}
    changed = item_events.get(action="update")
    assert (changed.before["quality"], changed.after["quality"]) == ("well_designed", "flawed")


def test_evidence_item_with_a_value_outside_the_vocabulary_is_refused_whole(
    draft: Any, stage: Any
) -> None:
    before = EvidenceItem.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.evidence_item_add(
            review=draft,
            by=stage.world.reviewer,
            reference=stage.references[0],
            category="mechanism",
            species="cat",
            design="rct",
            quality="flawed",
            direction="benefit",
        )
    assert "species" in caught.value.message_dict
    assert EvidenceItem.objects.count() == before


def test_attaching_evidence_cites_the_reference_once(draft: Any, stage: Any) -> None:
    citations = selectors.review_citations(draft)
    assert [c.number for c in citations] == [1, 2, 3, 4, 5]
    services.evidence_item_add(
        review=draft,
        by=stage.world.reviewer,
        reference=stage.references[0],
        category="preclinical",
        species="rat",
        design="animal_study",
        quality="flawed",
        direction="mixed",
    )
    assert len(selectors.review_citations(draft)) == 5


def test_votes_are_cast_only_while_circulating(draft: Any, stage: Any) -> None:
    with pytest.raises(ValidationError, match="circulates"):
        services.grade_vote_cast(
            review=draft, by=stage.world.reviewer, category="trials", grade="D"
        )


def test_vote_two_levels_from_the_suggestion_needs_a_rationale(
    circulating: Any, stage: Any
) -> None:
    # trials suggested D; B is two levels away.
    with pytest.raises(ValidationError) as caught:
        services.grade_vote_cast(
            review=circulating, by=stage.world.reviewer, category="trials", grade="B"
        )
    assert "rationale" in caught.value.message_dict
    assert not GradeVote.objects.exists()
    vote = services.grade_vote_cast(
        review=circulating,
        by=stage.world.reviewer,
        category="trials",
        grade="B",
        rationale="The open trial used an objective outcome.",
    )
    assert (vote.grade, vote.suggested_grade) == ("B", "D")


def test_vote_one_level_away_needs_no_rationale_and_recasting_replaces_it(
    circulating: Any, stage: Any
) -> None:
    services.grade_vote_cast(
        review=circulating, by=stage.world.reviewer, category="trials", grade="C"
    )
    services.grade_vote_cast(
        review=circulating, by=stage.world.reviewer, category="trials", grade="D"
    )
    assert list(circulating.votes.values_list("grade", flat=True)) == ["D"]
    assert AuditEvent.objects.filter(object_repr__contains="trials D").exists()


def test_publish_is_refused_with_too_few_votes_naming_the_categories(
    circulating: Any, stage: Any
) -> None:
    cast_all(
        circulating,
        stage.voters[:2],
        {category: grades[:2] for category, grades in VOTES.items()},
    )
    with pytest.raises(ValidationError) as caught:
        services.review_publish(review=circulating, by=stage.world.editor)
    message = caught.value.messages[0]
    assert "at least 3 vote(s) per category" in message
    for label in ("Mechanism", "Pre-clinical", "Cases", "Trials", "Risks"):
        assert f"{label} needs 1 more" in message
    circulating.refresh_from_db()
    assert circulating.status == Review.Status.CIRCULATING
    assert not PublishedGrade.objects.exists()


def test_minimum_votes_come_from_the_setting(circulating: Any, stage: Any, settings: Any) -> None:
    settings.REVIEW_MIN_VOTES = 1
    cast_all(circulating, stage.voters[:1], {c: g[:1] for c, g in VOTES.items()})
    services.review_publish(review=circulating, by=stage.world.editor)
    assert circulating.published_grades.count() == 5


def test_stored_consensus_equals_the_cores(published: Any) -> None:
    stored = {g.category: g for g in published.published_grades.all()}
    assert set(stored) == {c.value for c in Category}
    for category, grades in VOTES.items():
        core = consensus_grade(grades)
        assert stored[category].grade == core.grade.value
        assert stored[category].n_votes == 3
        assert stored[category].basis == core.basis
        assert stored[category].distribution == {g.value: n for g, n in core.distribution.items()}
        assert stored[category].suggested_grade == SUGGESTED[category]
    by_reviewer: dict[str, dict[str, str]] = {}
    for vote in published.votes.all():
        by_reviewer.setdefault(str(vote.reviewer_id), {})[vote.category] = vote.grade
    assert published.agreement_alpha == pytest.approx(agreement(by_reviewer).alpha)


def test_publishing_sets_topic_published_and_sends_the_signal(voted: Any, stage: Any) -> None:
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append({"sender": sender, **kwargs})

    review_published.connect(receiver)
    try:
        services.review_publish(review=voted, by=stage.world.editor)
    finally:
        review_published.disconnect(receiver)
    assert len(received) == 1
    assert received[0]["sender"] is Review
    assert received[0]["review"].pk == voted.pk
    assert received[0]["topic"] == stage.topic
    stage.topic.refresh_from_db()
    assert stage.topic.status == Topic.Status.PUBLISHED
    # the literature app's watch reads this, never the reviews' own tables
    voted.refresh_from_db()
    assert stage.topic.review_published_at == voted.published_at is not None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PUBLISH, actor=stage.world.editor)


def test_published_version_never_changes(published: Any, stage: Any) -> None:
    with pytest.raises(ValidationError, match="never changes"):
        services.review_update(review=published, by=stage.world.reviewer, conclusion="Changed.")
    with pytest.raises(ValidationError):
        services.evidence_item_delete(
            item=published.evidence_items.first(), by=stage.world.reviewer
        )


def test_new_version_copies_text_and_evidence_and_supersedes_on_publish(
    published: Any, stage: Any
) -> None:
    new = services.review_new_version(
        review=published, by=stage.reviewer2, change_summary="Added a 2024 case series."
    )
    assert (new.version, new.status, new.based_on_id) == (2, "draft", published.pk)
    assert new.mechanism == published.mechanism
    assert new.evidence_items.count() == published.evidence_items.count() == 5
    assert new.citations.count() == 5
    assert not new.votes.exists()
    services.review_update(review=new, by=stage.reviewer2, conclusion="Still not recommended.")
    services.review_circulate(review=new, by=stage.reviewer2)
    cast_all(new, stage.voters)
    services.review_publish(review=new, by=stage.world.editor)
    published.refresh_from_db()
    assert published.status == Review.Status.SUPERSEDED
    assert selectors.review_latest_published(stage.topic.slug).pk == new.pk


def test_no_grade_change_update_can_carry_votes_and_publish_at_once(
    published: Any, stage: Any
) -> None:
    new = services.review_new_version(
        review=published,
        by=stage.world.reviewer,
        change_summary="No new information warranted a grade change.",
        carry_votes=True,
    )
    assert new.votes.count() == published.votes.count()
    assert all(vote.carried_over for vote in new.votes.all())
    services.review_circulate(review=new, by=stage.world.reviewer)
    services.review_publish(review=new, by=stage.world.editor)
    old = {g.category: g.grade for g in published.published_grades.all()}
    assert {g.category: g.grade for g in new.published_grades.all()} == old


def test_recasting_a_carried_over_vote_clears_the_mark(published: Any, stage: Any) -> None:
    new = services.review_new_version(review=published, by=stage.world.reviewer, carry_votes=True)
    services.review_circulate(review=new, by=stage.world.reviewer)
    vote = services.grade_vote_cast(review=new, by=stage.reviewer2, category="mechanism", grade="B")
    assert vote.carried_over is False
    assert new.votes.filter(carried_over=True).count() == 14


def test_new_version_starts_only_from_the_published_one(published: Any, stage: Any) -> None:
    services.review_new_version(review=published, by=stage.world.reviewer)
    with pytest.raises(ValidationError, match="still draft"):
        services.review_new_version(review=published, by=stage.reviewer2)


@pytest.mark.parametrize(
    "role", ["patient", "owner", "clinician", "vet", "pending_clinician", "nobody"]
)
def test_only_reviewers_draft_attach_circulate_and_vote(role: str, stage: Any, draft: Any) -> None:
    user = stage.world.by_name(role)
    with pytest.raises(PermissionDenied):
        services.review_create_draft(topic=stage.dm_topic, by=user)
    with pytest.raises(PermissionDenied):
        services.review_update(review=draft, by=user, conclusion="x")
    with pytest.raises(PermissionDenied):
        services.evidence_item_delete(item=draft.evidence_items.first(), by=user)
    with pytest.raises(PermissionDenied):
        services.review_circulate(review=draft, by=user)
    services.review_circulate(review=draft, by=stage.world.reviewer)
    with pytest.raises(PermissionDenied):
        services.grade_vote_cast(review=draft, by=user, category="trials", grade="D")


@pytest.mark.parametrize("role", ["reviewer", "patient", "clinician", "nobody"])
def test_only_editors_publish(role: str, voted: Any, stage: Any) -> None:
    with pytest.raises(PermissionDenied, match="Only editors"):
        services.review_publish(review=voted, by=stage.world.by_name(role))
    voted.refresh_from_db()
    assert voted.status == Review.Status.CIRCULATING
