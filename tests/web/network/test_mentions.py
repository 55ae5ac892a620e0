"""@mentions: handles made from display names, completion to a handle, links in posts, and
the issue's "@Dr Price" now reaching Dr Price."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from offlabel.web.network import services
from offlabel.web.network.mentions import find_mentions, handle_for, link_mentions
from offlabel.web.network.models import Notification
from tests.support.accounts import ROLES, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def price(world: Any) -> Any:
    user = make_user("price@example.org", "veterinarian")
    user.display_name = "Dr Price (vet, long LDN experience)"
    user.save()
    return user


def test_handles_come_from_the_short_display_name_and_stay_unique(world: Any, price: Any) -> None:
    assert handle_for(price) == "dr-price"
    twin = make_user("price2@example.org", "clinician")
    twin.display_name = "Dr Price"
    twin.save()
    assert handle_for(twin) == "dr-price-2"
    twin.display_name = "Dr Someone Else"
    twin.save()
    assert handle_for(twin) == "dr-price-2"  # a handle never changes


@pytest.mark.parametrize(
    "written", ["@Dr Price", "@dr-price", "@price", "@Dr Price (vet, long LDN experience)"]
)
def test_each_way_of_writing_a_mention_reaches_the_member(
    written: str, world: Any, price: Any
) -> None:
    handle_for(price)
    assert find_mentions(f"Thanks {written}, that helps.") == [price]


def test_the_issues_mention_notifies_dr_price(
    world: Any, price: Any, demo_topics: list[Any]
) -> None:
    thread = services.thread_create(
        topic=demo_topics[1], author=world.vet, title="Night dosing", body="@Dr Price when?"
    )
    note = Notification.objects.get(kind="mention")
    assert note.recipient == price and thread.title in note.title


def test_patients_are_never_mentioned(world: Any) -> None:
    assert find_mentions("@patient hello") == []


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._href:
            self.found.append((self._href, data))
            self._href = ""


def test_mentions_render_as_links_to_the_members_page(
    world: Any, price: Any, demo_topics: list[Any], client_for: Any
) -> None:
    thread = services.thread_create(
        topic=demo_topics[1],
        author=world.vet,
        title="Night dosing",
        body="@Dr Price and @dr-price and @reviewer, but not `@dr-price` in code",
    )
    client = client_for(world.reviewer)
    anchors = _Anchors()
    anchors.feed(client.get(thread.get_absolute_url()).content.decode())
    links = [a for a in anchors.found if a[0] == "/community/members/dr-price/"]
    assert [text for _, text in links] == ["@Dr Price", "@dr-price"]
    assert ("/community/members/reviewer/", "@reviewer") in anchors.found
    page = client.get("/community/members/dr-price/").content.decode()
    assert "Dr Price (vet, long LDN experience)" in page and "@dr-price" in page


def test_link_mentions_leaves_unknown_names_alone(world: Any, price: Any) -> None:
    assert link_mentions("@nobody-here hi", [price]) == "@nobody-here hi"


def test_completion_offers_handles_to_members(world: Any, price: Any, client_for: Any) -> None:
    data = client_for(world.vet).get("/community/members/complete/", {"q": "dr pr"}).json()
    assert data["members"] == [
        {"handle": "dr-price", "name": "Dr Price (vet, long LDN experience)"}
    ]
    assert (
        client_for(world.vet)
        .get("/community/members/complete/", {"q": "@Dr"})
        .json()["members"][0]["handle"]
        == "dr-price"
    )


@pytest.mark.parametrize("role", ROLES)
def test_members_pages_and_completion_are_for_discussion_members(
    role: str, world: Any, price: Any, client_for: Any
) -> None:
    handle_for(price)
    client = client_for(world.by_name(role))
    member = client.get("/community/members/dr-price/")
    complete = client.get("/community/members/complete/", {"q": "dr"})
    if role in {"clinician", "vet", "stranger_vet", "care_vet", "reviewer", "editor"}:
        assert member.status_code == 200 and complete.status_code == 200
    elif role == "anonymous":
        assert member.status_code == 302 and complete.status_code == 403
    else:
        assert member.status_code == 403 and complete.status_code == 403


def test_reply_form_asks_for_completion(
    world: Any, demo_topics: list[Any], client_for: Any
) -> None:
    thread = services.thread_create(topic=demo_topics[1], author=world.vet, title="T", body="B")
    html = client_for(world.vet).get(thread.get_absolute_url()).content.decode()
    assert 'data-mentions="/community/members/complete/"' in html and "mentions.js" in html
