"""ALS ↔ DM side by side: one page per therapy with each species' Table of Evidence and
registry summary in its own labelled column, never pooled."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

URL = "/therapies/low-dose-naltrexone/side-by-side/"


def _columns(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<section class="species-\w+" aria-labelledby="column-\d-h" data-species="(\w+)">'
            r"(.*?)</section>\s*(?=<section class=\"species-|</div>\s*</article>)",
            html,
            re.S,
        )
    )


def test_two_columns_labelled_by_species(demo_topics: list[Any], client: Any) -> None:
    html = client.get(URL).content.decode()
    columns = _columns(html)
    assert list(columns) == ["human", "dog"]
    assert "Amyotrophic lateral sclerosis" in columns["human"]
    assert "Degenerative myelopathy" in columns["dog"]
    assert "People" in columns["human"] and "Dogs" in columns["dog"]
    assert "nothing here is pooled across species" in html
    for column in columns.values():
        assert "Evidence review" in column and "What the registry shows" in column
        assert "Community" not in column and "Follow" not in column


def test_each_column_shows_its_own_published_grades(demo_topics: list[Any], client: Any) -> None:
    from offlabel.web.reviews.models import PublishedGrade, Review

    als, dm = demo_topics
    for topic, grade in ((als, "F"), (dm, "U")):
        review = Review.objects.create(
            topic=topic, version=1, status="published", rubric_version="test"
        )
        PublishedGrade.objects.create(
            review=review, category="trials", grade=grade, suggested_grade=grade,
            rule="t", basis="b", n_votes=3,
        )  # fmt: skip
    columns = _columns(client.get(URL).content.decode())
    assert 'data-category="trials">F</a>' in columns["human"]
    assert 'data-category="trials">U</a>' in columns["dog"]
    assert 'data-category="trials">U</a>' not in columns["human"]


def test_topic_pages_link_to_it(demo_topics: list[Any], client: Any) -> None:
    for topic in demo_topics:
        assert URL in client.get(topic.get_absolute_url()).content.decode()


def test_a_therapy_in_one_species_has_no_such_page(demo_topics: list[Any], client: Any) -> None:
    from offlabel.web.catalog.models import Therapy, Topic

    curcumin = Therapy.objects.create(name="Curcumin", slug="curcumin")
    Topic.objects.create(therapy=curcumin, condition=demo_topics[0].condition, slug="curcumin-als")
    assert client.get("/therapies/curcumin/side-by-side/").status_code == 404
    assert client.get("/therapies/nothing/side-by-side/").status_code == 404
    assert (
        "/therapies/curcumin/side-by-side/"
        not in client.get("/topics/curcumin-als/").content.decode()
    )
