"""Snapshots across versions: carried into a new version, then kept, refreshed or dropped by an
editor; publishing the new version waits for that choice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from offlabel.evidence.vocabulary import Category
from tests.support.accounts import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def v2(world: Any, registry: Any, published_review: Any, settings: Any) -> Any:
    """Version 2, circulating with one reviewer's votes, after v1 got Cases and Risks snapshots."""
    from offlabel.web.analytics.services import snapshot_freeze
    from offlabel.web.reviews import services

    settings.REVIEW_MIN_VOTES = 1
    for section in ("cases", "risks"):
        snapshot_freeze(review=published_review, section=section, by=world.reviewer)
    new = services.review_new_version(review=published_review, by=world.reviewer)
    services.review_circulate(review=new, by=world.reviewer)
    services.conflict_statement_save(review=new, by=world.reviewer, statement="None.")
    for category in Category:
        services.grade_vote_cast(review=new, by=world.reviewer, category=category, grade="U")
    return new


def test_a_new_version_carries_each_snapshot_forward_awaiting_a_decision(
    v2: Any, published_review: Any
) -> None:
    from offlabel.web.analytics.models import RegistrySnapshot

    old = {s.section: s for s in RegistrySnapshot.objects.filter(review=published_review)}
    carried = list(RegistrySnapshot.objects.filter(review=v2))
    assert {s.section for s in carried} == {"cases", "risks"}
    for copy in carried:
        assert copy.awaits_decision and copy.carried_from == old[copy.section]
        assert copy.figures == old[copy.section].figures and copy.n == old[copy.section].n


def test_publishing_is_blocked_until_the_editor_decides(v2: Any, world: Any) -> None:
    from offlabel.web.analytics.carry import snapshot_decide
    from offlabel.web.analytics.models import RegistrySnapshot
    from offlabel.web.reviews import services

    with pytest.raises(ValidationError) as refused:
        services.review_publish(review=v2, by=world.editor)
    assert len(refused.value.messages) == 2
    assert all("carried over from the previous version" in m for m in refused.value.messages)
    v2.refresh_from_db()
    assert v2.status == "circulating"
    cases, risks = RegistrySnapshot.objects.filter(review=v2).order_by("section")
    snapshot_decide(snapshot=cases, decision="keep", by=world.editor)
    with pytest.raises(ValidationError, match="Risks snapshot"):
        services.review_publish(review=v2, by=world.editor)
    snapshot_decide(snapshot=risks, decision="drop", by=world.editor)
    services.review_publish(review=v2, by=world.editor)
    v2.refresh_from_db()
    assert v2.status == "published"
    assert list(RegistrySnapshot.objects.filter(review=v2).values_list("section", flat=True)) == [
        "cases"
    ]


def test_refresh_freezes_todays_registry_in_place_of_the_copy(v2: Any, world: Any) -> None:
    from offlabel.web.analytics.carry import snapshot_decide
    from offlabel.web.analytics.models import RegistrySnapshot
    from tests.support.registry_records import add_ldn_evaluations

    carried = RegistrySnapshot.objects.get(review=v2, section="risks")
    add_ldn_evaluations(world, 6, "tingling fingers")
    fresh = snapshot_decide(snapshot=carried, decision="refresh", by=world.editor)
    assert fresh is not None and fresh.carried_from is None and not fresh.awaits_decision
    assert fresh.n == carried.n + 3  # three of the six new subjects are people (ALS)
    assert "tingling fingers" in {s["name"] for s in fresh.figures["side_effects"]}
    assert not RegistrySnapshot.objects.filter(pk=carried.pk).exists()


def test_the_new_versions_exports_show_the_kept_snapshot_as_carried(v2: Any, world: Any) -> None:
    from offlabel.web.analytics.carry import snapshot_decide
    from offlabel.web.analytics.models import RegistrySnapshot
    from offlabel.web.reviews import exports

    for frozen in RegistrySnapshot.objects.filter(review=v2):
        snapshot_decide(snapshot=frozen, decision="keep", by=world.editor)
    markdown = exports.review_as_markdown(v2)
    assert markdown.count("_Carried over from version 1._") == 2


@pytest.mark.parametrize("role", [r for r in ROLES if r != "editor"])
def test_only_editors_decide(v2: Any, world: Any, client_for: Any, role: str) -> None:
    from offlabel.web.analytics.models import RegistrySnapshot

    frozen = RegistrySnapshot.objects.filter(review=v2).first()
    response = client_for(world.by_name(role)).post(
        f"/analytics/snapshots/{frozen.pk}/decide/", {"decision": "drop"}
    )
    assert response.status_code == (302 if role == "anonymous" else 403)
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert RegistrySnapshot.objects.filter(pk=frozen.pk).exists()


def test_editor_decides_from_the_workspace(v2: Any, world: Any, client_for: Any) -> None:
    from offlabel.web.analytics.models import RegistrySnapshot

    client = client_for(world.editor)
    page = client.get(v2.get_workspace_url()).content.decode()
    assert page.count("decision needed") == 2 and 'value="refresh"' in page
    frozen = RegistrySnapshot.objects.get(review=v2, section="cases")
    response = client.post(f"/analytics/snapshots/{frozen.pk}/decide/", {"decision": "keep"})
    assert response.status_code == 302 and response["Location"].endswith("#snapshots")
    frozen.refresh_from_db()
    assert frozen.kept_at is not None
    reviewer_page = client_for(world.reviewer).get(v2.get_workspace_url()).content.decode()
    assert "decision needed" in reviewer_page and 'value="refresh"' not in reviewer_page


def test_service_refuses_non_editors_bad_choices_and_published_versions(
    v2: Any, world: Any, published_review: Any
) -> None:
    from offlabel.web.analytics.carry import snapshot_decide
    from offlabel.web.analytics.models import RegistrySnapshot

    carried = RegistrySnapshot.objects.filter(review=v2).first()
    with pytest.raises(PermissionDenied):
        snapshot_decide(snapshot=carried, decision="keep", by=world.reviewer)
    with pytest.raises(ValidationError, match="Choose keep, refresh or drop"):
        snapshot_decide(snapshot=carried, decision="maybe", by=world.editor)
    original = RegistrySnapshot.objects.filter(review=published_review).first()
    with pytest.raises(ValidationError, match="never change"):
        snapshot_decide(snapshot=original, decision="drop", by=world.editor)
