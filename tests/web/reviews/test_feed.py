"""Atom feeds of published versions and grade changes, read back by independent parsers
(feedparser, and lxml against RFC 4287's required elements)."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.urls import reverse
from lxml import etree

from offlabel.web.reviews import services
from tests.web.reviews.support import cast_all

ATOM = "{http://www.w3.org/2005/Atom}"
V2_VOTES = {
    "mechanism": ("B", "C", "B"),
    "preclinical": ("D", "D", "F"),
    "cases": ("C", "C", "D"),  # D → C
    "trials": ("D", "D", "C"),
    "risks": ("C", "D", "C"),
}


@pytest.fixture
def two_versions(published: Any, stage: Any) -> Any:
    new = services.review_new_version(
        review=published, by=stage.world.reviewer, change_summary="More cases."
    )
    services.review_circulate(review=new, by=stage.world.reviewer)
    cast_all(new, stage.voters, V2_VOTES)
    return services.review_publish(review=new, by=stage.world.editor)


def _required_atom_elements(xml: bytes) -> etree._Element:
    """RFC 4287: a feed has id, title, updated (and an author or authored entries); every
    entry has id, title, updated, and a link or content."""
    root = etree.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, f"feed has no {name}"
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "author"):
            assert entry.find(f"{ATOM}{name}") is not None, f"entry has no {name}"
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    return root


def test_topic_feed_lists_versions_with_their_grade_changes(
    two_versions: Any, stage: Any, client: Any
) -> None:
    response = client.get(reverse("reviews:topic_feed", args=[stage.topic.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    _required_atom_elements(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert titles == [
        "Low-dose naltrexone for ALS: version 2 — grades changed: Cases D → C",
        "Low-dose naltrexone for ALS: version 1",
    ]
    v2, v1 = feed.entries
    assert v2.link.endswith(reverse("reviews:version", args=[stage.topic.slug, 2]))
    assert "Grades changed since version 1: Cases D → C." in v2.summary
    assert {t.term for t in v2.tags} >= {"grade-change"}
    assert "First published version." in v1.summary and v1.id != v2.id


def test_site_feed_carries_every_topic(two_versions: Any, client: Any) -> None:
    feed = feedparser.parse(client.get(reverse("reviews:feed")).content)
    assert not feed.bozo and len(feed.entries) == 2
    assert feed.feed.title == "offlabel: published evidence reviews"


def test_drafts_never_appear_in_a_feed(published: Any, stage: Any, client: Any) -> None:
    services.review_new_version(review=published, by=stage.world.reviewer)
    feed = feedparser.parse(
        client.get(reverse("reviews:topic_feed", args=[stage.topic.slug])).content
    )
    assert [e.title for e in feed.entries] == ["Low-dose naltrexone for ALS: version 1"]


def test_unknown_topic_feed_is_404(db: Any, client: Any) -> None:
    assert client.get("/reviews/no-such-topic/feed.atom").status_code == 404
