"""Browser: the ALS ↔ DM page, two labelled columns on a wide screen, stacked on a phone."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_side_by_side_page_opens_from_a_topic_page(page: Any, demo_topics: list[Any]) -> None:
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(demo_topics[0].get_absolute_url())
    page.get_by_role("link", name="Low-dose naltrexone in people and in dogs, side by side").click()
    page.wait_for_url("**/therapies/low-dose-naltrexone/side-by-side/")
    people = page.get_by_role("heading", name="People Amyotrophic lateral sclerosis")
    dogs = page.get_by_role("heading", name="Dogs Degenerative myelopathy")
    assert people.is_visible() and dogs.is_visible()
    left, right = people.bounding_box(), dogs.bounding_box()
    assert left is not None and right is not None
    assert abs(left["y"] - right["y"]) < 5 and left["x"] < right["x"]  # parallel columns
    page.set_viewport_size({"width": 390, "height": 844})
    left, right = people.bounding_box(), dogs.bounding_box()
    assert left is not None and right is not None and right["y"] > left["y"]  # stacked
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
