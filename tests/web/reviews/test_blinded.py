"""Blinded grading and conflicts of interest: a reviewer sees the others' votes and rationales
for a category only after casting their own (editors always); every reviewer states their
conflicts of interest before voting, and the statements are shown with the review."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from offlabel.web.reviews import exports, selectors, services
from tests.support.accounts import ROLES
from tests.web.reviews.support import make_reviewer

RATIONALE = "The rat model is far from ALS; I grade it lower."


@pytest.fixture
def one_vote(circulating: Any, stage: Any) -> Any:
    """reviewer2 has voted on Mechanism, with a rationale."""
    services.grade_vote_cast(
        review=circulating, by=stage.reviewer2, category="mechanism", grade="D", rationale=RATIONALE
    )
    return circulating


def _tally(review: Any, user: Any) -> dict[str, Any]:
    return {
        row.category.value: row
        for row in selectors.review_vote_tally(review, user, selectors.review_votes(review))
    }


def test_a_reviewer_sees_only_a_count_until_they_vote(one_vote: Any, stage: Any) -> None:
    before = _tally(one_vote, stage.world.reviewer)["mechanism"]
    assert before.visible == [] and before.hidden == 1
    services.grade_vote_cast(
        review=one_vote, by=stage.world.reviewer, category="mechanism", grade="B"
    )
    after = _tally(one_vote, stage.world.reviewer)["mechanism"]
    assert {v.reviewer for v in after.visible} == {stage.world.reviewer, stage.reviewer2}
    assert after.hidden == 0
    # still blind on the categories not voted yet
    assert _tally(one_vote, stage.world.reviewer)["trials"].hidden == 0  # nobody voted there


def test_editors_see_every_vote(one_vote: Any, stage: Any) -> None:
    editor_only = make_reviewer("editor-only@example.org", "editor")
    for editor in (stage.world.editor, editor_only):
        mechanism = _tally(one_vote, editor)["mechanism"]
        assert [v.rationale for v in mechanism.visible] == [RATIONALE]


@pytest.mark.parametrize("role", ["reviewer", "editor"])
def test_workspace_hides_others_rationale_from_a_reviewer_who_has_not_voted(
    role: str, one_vote: Any, stage: Any, client_for: Any
) -> None:
    html = client_for(stage.world.by_name(role)).get(one_vote.get_workspace_url()).content.decode()
    if role == "reviewer":
        assert RATIONALE not in html and "reviewer2: D" not in html
        assert "1 other vote, hidden until you vote" in html
    else:
        assert RATIONALE in html and "reviewer2: D" in html


def test_the_rationale_appears_once_the_reviewer_has_voted(
    one_vote: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.reviewer)
    response = client.post(
        f"/reviews/workspace/{one_vote.pk}/vote/", {"grade_mechanism": "C"}, follow=True
    )
    html = response.content.decode()
    assert "Votes saved." in html and RATIONALE in html


def test_voting_needs_a_conflict_of_interest_statement(draft: Any, stage: Any) -> None:
    review = services.review_circulate(review=draft, by=stage.world.reviewer)
    newcomer = make_reviewer("newcomer@example.org")
    with pytest.raises(ValidationError, match="State your conflicts of interest"):
        services.grade_vote_cast(review=review, by=newcomer, category="trials", grade="D")
    with pytest.raises(ValidationError):
        services.conflict_statement_save(review=review, by=newcomer, statement="   ")
    services.conflict_statement_save(review=review, by=newcomer, statement="None.")
    assert services.grade_vote_cast(review=review, by=newcomer, category="trials", grade="D")


@pytest.mark.parametrize("role", [r for r in ROLES if r not in {"reviewer", "editor", "anonymous"}])
def test_only_reviewers_state_conflicts(role: str, circulating: Any, stage: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.conflict_statement_save(
            review=circulating, by=stage.world.by_name(role), statement="None."
        )


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302)]
    + [(r, 403) for r in ROLES if r not in {"reviewer", "editor", "anonymous"}]
    + [("reviewer", 302), ("editor", 302)],
)
def test_conflict_form_permission_table(
    role: str, status: int, circulating: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.by_name(role))
    response = client.post(
        f"/reviews/workspace/{circulating.pk}/conflicts/", {"statement": "Consulting fees 2024."}
    )
    assert response.status_code == status
    saved = circulating.conflicts.filter(statement="Consulting fees 2024.").exists()
    assert saved == (role in {"reviewer", "editor"})


def test_conflicts_are_shown_on_the_page_and_in_every_export(
    circulating: Any, stage: Any, client: Any
) -> None:
    from tests.web.reviews.support import cast_all

    services.conflict_statement_save(
        review=circulating,
        by=stage.reviewer3,
        statement="Speaker fees from a compounding pharmacy.",
    )
    cast_all(circulating, stage.voters)  # restates "None." for each voter, reviewer3 included
    services.conflict_statement_save(
        review=circulating,
        by=stage.reviewer3,
        statement="Speaker fees from a compounding pharmacy.",
    )
    published = services.review_publish(review=circulating, by=stage.world.editor)
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Conflicts of interest" in html
    assert "reviewer3:</strong> Speaker fees from a compounding pharmacy." in html
    assert "- **reviewer3:** Speaker fees from a compounding pharmacy." in (
        exports.review_as_markdown(published)
    )
    data = json.loads(exports.review_as_json(published))
    assert {"reviewer": "reviewer3", "statement": "Speaker fees from a compounding pharmacy."} in (
        data["conflicts_of_interest"]
    )
    from tests.web.reviews.test_exports import _pdf_text

    assert "Speaker fees from a compounding pharmacy." in _pdf_text(
        exports.review_as_pdf(published)
    ).replace("\n", " ")


def test_carried_votes_bring_their_statements(published: Any, stage: Any) -> None:
    new = services.review_new_version(review=published, by=stage.world.reviewer, carry_votes=True)
    stated = {c.reviewer: c.statement for c in new.conflicts.all()}
    assert {v.reviewer for v in new.votes.all()} <= set(stated)
    assert stated == {c.reviewer: c.statement for c in published.conflicts.all()}
