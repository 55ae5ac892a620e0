"""Who may open and do what, through the web: tables over the world's roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from offlabel.web.reviews.models import GradeVote, Review
from tests.support.accounts import ROLES

NOT_ON_THE_REVIEW_TEAM = [r for r in ROLES if r not in {"reviewer", "editor"}]
NOT_REVIEWERS = [r for r in NOT_ON_THE_REVIEW_TEAM if r != "anonymous"]


def _version_url(review: Any) -> str:
    return reverse("reviews:version", args=[review.topic.slug, review.version])


@pytest.mark.parametrize(
    ("role", "status"),
    [(role, 404) for role in NOT_ON_THE_REVIEW_TEAM] + [("reviewer", 200), ("editor", 200)],
)
def test_draft_permalink_is_404_for_everyone_but_reviewers_and_editors(
    role: str, status: int, draft: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.by_name(role))
    assert client.get(_version_url(draft)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [(role, 404) for role in NOT_ON_THE_REVIEW_TEAM] + [("reviewer", 200), ("editor", 200)],
)
def test_circulating_version_and_its_exports_are_hidden_from_visitors(
    role: str, status: int, circulating: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.by_name(role))
    assert client.get(_version_url(circulating)).status_code == status
    export = reverse("reviews:export", args=[stage.topic.slug, circulating.version, "json"])
    assert client.get(export).status_code == status
    # There is no published version yet, so the topic's review page is 404 for everyone.
    assert client.get(reverse("reviews:latest", args=[stage.topic.slug])).status_code == 404


@pytest.mark.parametrize("role", [*NOT_ON_THE_REVIEW_TEAM, "reviewer", "editor"])
def test_published_version_is_public(
    role: str, published: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.by_name(role))
    assert client.get(_version_url(published)).status_code == 200
    assert client.get(reverse("reviews:latest", args=[stage.topic.slug])).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302)] + [(r, 403) for r in NOT_REVIEWERS] + [("reviewer", 200), ("editor", 200)],
)
def test_workspace_is_for_reviewers_and_editors(
    role: str, status: int, draft: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.by_name(role))
    assert client.get(reverse("reviews:workspace")).status_code == status
    assert client.get(draft.get_workspace_url()).status_code == status


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(r, False) for r in NOT_ON_THE_REVIEW_TEAM]
    + [("reviewer", True), ("editor", True), ("editor_only", False)],
)
def test_only_reviewers_vote(
    role: str, allowed: bool, circulating: Any, stage: Any, client_for: Any
) -> None:
    from tests.web.reviews.support import make_reviewer

    user = (
        make_reviewer("editor-only@example.org", "editor")
        if role == "editor_only"
        else stage.world.by_name(role)
    )
    response = client_for(user).post(
        reverse("reviews:vote", args=[circulating.pk]), {"grade_trials": "D"}
    )
    assert GradeVote.objects.filter(review=circulating).exists() is allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (302, 403)
        if user is not None:
            assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(r, False) for r in NOT_ON_THE_REVIEW_TEAM] + [("reviewer", False), ("editor", True)],
)
def test_only_editors_publish(
    role: str, allowed: bool, voted: Any, stage: Any, client_for: Any
) -> None:
    user = stage.world.by_name(role)
    response = client_for(user).post(reverse("reviews:publish", args=[voted.pk]))
    voted.refresh_from_db()
    assert (voted.status == Review.Status.PUBLISHED) is allowed
    if allowed:
        assert response["Location"] == _version_url(voted)
    elif user is not None:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["patient", "clinician", "vet", "nobody"])
def test_non_reviewers_cannot_draft_attach_or_circulate(
    role: str, draft: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.by_name(role))
    item = draft.evidence_items.first()
    posts = [
        (reverse("reviews:workspace"), {"topic": stage.dm_topic.pk}),
        (reverse("reviews:workspace_edit", args=[draft.pk]), {"conclusion": "x"}),
        (reverse("reviews:evidence_delete", args=[draft.pk, item.pk]), {}),
        (reverse("reviews:circulate", args=[draft.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    draft.refresh_from_db()
    assert draft.status == Review.Status.DRAFT
    assert draft.evidence_items.filter(pk=item.pk).exists()
    assert not Review.objects.filter(topic=stage.dm_topic).exists()


def test_publish_with_too_few_votes_shows_a_clear_message(
    circulating: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.editor)
    response = client.post(reverse("reviews:publish", args=[circulating.pk]), follow=True)
    text = response.content.decode()
    assert "Cannot publish: at least 3 vote(s) per category" in text
    assert "Mechanism needs 3 more" in text
    circulating.refresh_from_db()
    assert circulating.status == Review.Status.CIRCULATING
