"""Registry snapshots frozen into a review version's Cases and Risks sections."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.registry_records import add_ldn_evaluations

pytestmark = pytest.mark.django_db


def _section(html: str, name: str) -> str:
    match = re.search(
        rf'<section class="panel review-section" id="{name}".*?</section>', html, re.S
    )
    assert match, f"no {name} section"
    return match.group(0)


def test_reviewer_freezes_cases_and_risks_into_the_review(
    client_for: Any, world: Any, registry: Any, als_topic: Any, published_review: Any
) -> None:
    client = client_for(world.reviewer)
    for section in ("cases", "risks"):
        response = client.post(f"/analytics/{als_topic.slug}/freeze/", {"section": section})
        assert response.status_code == 302
        assert response["Location"].endswith(f"/v1/#{section}")
    html = client_for(None).get(published_review.get_absolute_url()).content.decode()
    cases, risks = _section(html, "cases"), _section(html, "risks")
    assert "Registry snapshot of" in cases and 'class="plot efficacy-chart"' in cases
    assert 'class="caveats"' in cases and 'class="caveats"' in risks
    assert "side-effects" in risks or "No side effects" in risks


def test_a_frozen_snapshot_does_not_change_when_the_registry_does(
    client: Any, world: Any, registry: Any, als_topic: Any, published_review: Any
) -> None:
    from offlabel.web.analytics.services import snapshot_freeze

    cases = snapshot_freeze(review=published_review, section="cases", by=world.reviewer)
    risks = snapshot_freeze(review=published_review, section="risks", by=world.reviewer)
    before = client.get(published_review.get_absolute_url()).content.decode()
    add_ldn_evaluations(world, 12, "tingling fingers")
    after = client.get(published_review.get_absolute_url()).content.decode()
    for name in ("cases", "risks"):
        assert _section(before, name) == _section(after, name)
    assert "tingling fingers" not in _section(after, "risks")
    cases.refresh_from_db()
    assert f'<strong class="snapshot-n">{cases.n}</strong>' in after
    assert risks.figures["n_reporting"] == cases.n
    # the live topic panel does move on
    assert "tingling fingers" in client.get(als_topic.get_absolute_url()).content.decode()


def test_snapshots_belong_to_one_review_version(
    client: Any, world: Any, registry: Any, als_topic: Any, published_review: Any
) -> None:
    from offlabel.web.analytics.services import snapshot_freeze
    from offlabel.web.reviews.models import Review

    snapshot_freeze(review=published_review, section="cases", by=world.reviewer)
    v2 = Review.objects.create(
        topic=als_topic,
        version=2,
        status=Review.Status.PUBLISHED,
        cases="Newer text.",
        rubric_version="test",
    )
    html = client.get(v2.get_absolute_url()).content.decode()
    assert "Registry snapshot of" not in html


@pytest.mark.parametrize("role", ["patient", "owner", "clinician", "nobody"])
def test_only_reviewers_freeze(
    client_for: Any, world: Any, als_topic: Any, published_review: Any, role: str
) -> None:
    from offlabel.web.analytics.models import RegistrySnapshot

    response = client_for(world.by_name(role)).post(
        f"/analytics/{als_topic.slug}/freeze/", {"section": "cases"}
    )
    assert response.status_code == 403
    assert not RegistrySnapshot.objects.exists()


def test_freeze_service_refuses_non_reviewers(world: Any, published_review: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from offlabel.web.analytics.services import snapshot_freeze

    with pytest.raises(PermissionDenied):
        snapshot_freeze(review=published_review, section="cases", by=world.patient)


def test_freezing_an_empty_registry_saves_nothing_and_says_why(
    client_for: Any, world: Any, als_topic: Any, published_review: Any
) -> None:
    from offlabel.web.analytics.models import RegistrySnapshot

    response = client_for(world.reviewer).post(
        f"/analytics/{als_topic.slug}/freeze/", {"section": "cases"}, follow=True
    )
    assert "Nothing frozen: the registry has no course or evaluation" in response.content.decode()
    assert not RegistrySnapshot.objects.exists()


def test_freeze_is_audited(world: Any, registry: Any, published_review: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    from offlabel.web.analytics.models import RegistrySnapshot
    from offlabel.web.analytics.services import snapshot_freeze
    from offlabel.web.common.models import AuditEvent

    frozen = snapshot_freeze(review=published_review, section="risks", by=world.editor)
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(RegistrySnapshot),
        object_id=str(frozen.pk),
        action="create",
    )
    assert event.actor == world.editor and "risks" in event.note
