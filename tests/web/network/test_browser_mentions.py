"""Browser: typing @ and a few letters in a reply completes to a member's handle."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.accounts import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mention_completes_to_a_handle_and_renders_as_a_link(
    page: Any, world: Any, demo_topics: list[Any], browser_sign_in: Any
) -> None:
    from offlabel.web.network import services

    price = make_user("price@example.org", "veterinarian")
    price.display_name = "Dr Price (vet, long LDN experience)"
    price.save()
    thread = services.thread_create(
        topic=demo_topics[1], author=world.vet, title="Night dosing", body="When?"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    browser_sign_in("vet@example.org")
    page.goto(thread.get_absolute_url())
    box = page.get_by_label("Your reply")
    box.click()
    box.press_sequentially("Thanks @Dr Pr", delay=20)
    option = page.get_by_role("option", name="@dr-price — Dr Price (vet, long LDN experience)")
    option.click()
    assert box.input_value() == "Thanks @dr-price "
    box.press_sequentially("for this.")
    page.get_by_role("button", name="Post the reply").click()
    link = page.get_by_role("link", name="@dr-price")
    assert link.get_attribute("href") == "/community/members/dr-price/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
