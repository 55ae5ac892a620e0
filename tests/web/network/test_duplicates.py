"""Duplicate review requests are found before a new one is created: case- and
accent-insensitively and through the catalogue's synonyms."""

from __future__ import annotations

from typing import Any

import pytest

from offlabel.web.network import services
from offlabel.web.network.models import ReviewRequest
from offlabel.web.network.services.requests import DuplicateRequest

pytestmark = pytest.mark.django_db


def _ask(world: Any, **fields: Any) -> ReviewRequest:
    fields.setdefault("claims", "Said to help.")
    return services.request_create(requester=world.patient, **fields)


def test_the_issues_curcumin_case_is_one_request(world: Any, demo_topics: list[Any]) -> None:
    first = _ask(world, therapy_name="curcumin", condition_name="ALS")
    with pytest.raises(DuplicateRequest) as found:
        services.request_create(
            requester=world.owner, therapy_name="Curcumin", condition_name="ALS", claims="x"
        )
    assert found.value.duplicates == [first]
    assert ReviewRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("therapy_name", "condition_name"),
    [
        ("CURCUMÍN", "als"),  # accents and case
        ("  curcumin ", "Amyotrophic lateral sclerosis"),  # the condition by its name
        ("Curcumin", "motor neuron disease"),  # … or a catalogue synonym
        ("Curcumin", "Lou Gehrig’s disease"),  # typographic apostrophe
    ],
)
def test_variants_are_found(
    world: Any, demo_topics: list[Any], therapy_name: str, condition_name: str
) -> None:
    _ask(world, therapy_name="curcumin", condition=demo_topics[0].condition)
    with pytest.raises(DuplicateRequest):
        _ask(world, therapy_name=therapy_name, condition_name=condition_name)


def test_a_therapy_synonym_is_the_catalogue_therapy(world: Any, demo_topics: list[Any]) -> None:
    first = _ask(world, therapy_name="LDN", condition_name="motor neurone disease")
    assert first.therapy == demo_topics[0].therapy  # stored as the catalogue entry
    assert first.condition == demo_topics[0].condition
    with pytest.raises(DuplicateRequest):
        _ask(world, therapy=demo_topics[0].therapy, condition=demo_topics[0].condition)


def test_the_same_name_in_another_species_is_not_a_duplicate(
    world: Any, demo_topics: list[Any]
) -> None:
    _ask(world, therapy_name="Curcumin", condition_name="DM", condition_species="dog")
    other = _ask(world, therapy_name="Curcumin", condition_name="DM", condition_species="human")
    assert other.pk and ReviewRequest.objects.count() == 2


def test_closed_requests_do_not_block(world: Any, demo_topics: list[Any]) -> None:
    first = _ask(world, therapy_name="curcumin", condition_name="ALS")
    ReviewRequest.objects.filter(pk=first.pk).update(status=ReviewRequest.Status.PUBLISHED)
    assert _ask(world, therapy_name="Curcumin", condition_name="ALS").pk != first.pk


def test_the_form_offers_a_vote_for_the_existing_request(
    world: Any, demo_topics: list[Any], client_for: Any
) -> None:
    first = _ask(world, therapy_name="curcumin", condition_name="ALS")
    client = client_for(world.owner)
    response = client.post(
        "/community/requests/new/",
        {
            "therapy_name": "Curcumín",
            "condition_name": "als",
            "condition_species": "human",
            "claims": "A forum says it slows ALS.",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone has already asked for this" in html
    assert f'action="/community/requests/{first.pk}/vote/"' in html
    assert ReviewRequest.objects.count() == 1
    client.post(f"/community/requests/{first.pk}/vote/")
    assert first.votes.count() == 2
