"""A frozen snapshot's figures are drawn once, when it is frozen, and stored."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_freezing_a_snapshot_stores_its_figure_and_the_page_shows_it(
    client: Any, registry: Any, published_review: Any, world: Any
) -> None:
    from offlabel.web.analytics import services
    from offlabel.web.analytics.models import RegistrySnapshot

    frozen = services.snapshot_freeze(
        review=published_review, section=RegistrySnapshot.Section.CASES, by=world.reviewer
    )
    frozen.refresh_from_db()
    markup = frozen.rendered["efficacy_svg"]["markup"]
    assert markup.startswith("<svg")
    html = client.get(published_review.get_absolute_url()).content.decode()
    assert markup in html


def test_a_snapshot_frozen_before_figures_were_stored_is_still_drawn(
    client: Any, registry: Any, published_review: Any, world: Any
) -> None:
    from offlabel.web.analytics import services
    from offlabel.web.analytics.models import RegistrySnapshot

    frozen = services.snapshot_freeze(
        review=published_review, section=RegistrySnapshot.Section.CASES, by=world.reviewer
    )
    stored = frozen.rendered["efficacy_svg"]["markup"]
    RegistrySnapshot.objects.filter(pk=frozen.pk).update(rendered={})
    html = client.get(published_review.get_absolute_url()).content.decode()
    assert stored in html  # drawn again from the same numbers, identically
