"""Fixtures of the community tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def als(demo_topics: list[Any]) -> Any:
    return demo_topics[0]


@pytest.fixture
def dm(demo_topics: list[Any]) -> Any:
    return demo_topics[1]


@pytest.fixture
def make_request(world: Any, demo_topics: list[Any]) -> Any:
    """``make_request(requester, therapy_name=...)``: an open request for a new therapy × ALS."""
    from offlabel.web.network import services

    def make(requester: Any = None, therapy_name: str = "Curcumin", **kwargs: Any) -> Any:
        kwargs.setdefault("condition", demo_topics[0].condition)
        kwargs.setdefault("claims", "Said to calm inflammation.")
        # These tests make duplicates on purpose (to merge them); test_duplicates.py checks
        # that the form refuses them.
        kwargs.setdefault("allow_duplicate", True)
        return services.request_create(
            requester=requester or world.patient, therapy_name=therapy_name, **kwargs
        )

    return make


@pytest.fixture
def thread(world: Any, dm: Any) -> Any:
    from offlabel.web.network import services

    return services.thread_create(
        topic=dm, author=world.vet, title="Night-time dosing", body="When do you give it?"
    )


@pytest.fixture
def prescriber(world: Any) -> Any:
    """A second vet, experienced with LDN in DM (the world's vet asks them for consults)."""
    from tests.support.accounts import make_user

    user = make_user("price@example.org", "veterinarian")
    user.display_name = "Dr Price"
    user.save(update_fields=["display_name"])
    return user


@pytest.fixture
def listing(prescriber: Any, dm: Any) -> Any:
    from offlabel.web.network import services

    return services.listing_save(
        prescriber=prescriber, topic=dm, years_experience=20, cases=40, note="Ask me."
    )
