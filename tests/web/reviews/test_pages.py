"""Public review pages, the index, the rubric, diffs, and the reviewer workspace."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from offlabel.evidence.rubric import default_rubric
from offlabel.evidence.vocabulary import Category, Grade
from offlabel.web.reviews import services
from offlabel.web.reviews.models import EvidenceItem, Review

GRADE_LINK = re.compile(
    r'<a class="grade grade-([A-FU])" href="/reviews/rubric/#([a-z]+)-([A-FU])"[^>]*'
    r'data-category="([a-z]+)">'
)


def _grades_on_page(html: str) -> dict[str, str]:
    found = {}
    for grade, anchor_category, anchor_grade, category in GRADE_LINK.findall(html):
        assert (anchor_category, anchor_grade) == (category, grade)
        found[category] = grade
    return found


def test_review_page_shows_the_five_grades_linked_to_the_rubric(
    published: Any, client: Any
) -> None:
    html = client.get(reverse("reviews:latest", args=[published.topic.slug])).content.decode()
    stored = {g.category: g.grade for g in published.published_grades.all()}
    assert _grades_on_page(html) == stored
    assert len(stored) == 5
    assert "Krippendorff" in html
    assert "Opioid receptors sit on immune cells." in html
    assert "Version 1" in html
    # numbered Vancouver references
    assert (
        "Author0 A, Second B. Study number 0 of low-dose naltrexone. J Test Med. 2000;10:100–9."
        in (html)
    )
    for fmt in ("pdf", "md", "json"):
        assert reverse("reviews:export", args=[published.topic.slug, 1, fmt]) in html


def test_rubric_page_defines_every_category_and_level_with_an_anchor(client: Any) -> None:
    html = client.get(reverse("reviews:rubric")).content.decode()
    rubric = default_rubric()
    for category in Category:
        for grade in Grade:
            assert f'id="{category.value}-{grade.value}"' in html
            description = rubric.description(category, grade)
            assert description.replace("'", "&#x27;").replace('"', "&quot;")[:40] in html


def test_markdown_with_script_iframe_and_onerror_is_rendered_inert(
    draft: Any, stage: Any, client_for: Any, assert_inert: Any
) -> None:
    payload = (
        "Hello <script>alert(1)</script> <iframe src='https://evil.example'></iframe>\n\n"
        '<img src=x onerror="alert(2)"> [click](javascript:alert(3)) '
        "<a href='#' onclick='alert(4)'>x</a>"
    )
    services.review_update(review=draft, by=stage.world.reviewer, mechanism=payload, cases=payload)
    html = client_for(stage.world.reviewer).get(draft.get_absolute_url()).content.decode()
    section = html[html.index('id="mechanism"') : html.index("References")]
    assert "Hello" in section
    assert_inert(section)
    assert "<script>alert(1)" not in html


def test_section_extras_from_other_apps_appear_under_cases_and_risks(
    published: Any, client: Any, monkeypatch: Any
) -> None:
    from offlabel.web.common.extensions import Panel
    from offlabel.web.reviews import views

    def extras(request: Any, review: Any, section: str) -> list[Panel]:
        if section in ("cases", "risks"):
            return [Panel(f"Registry snapshot for {section}", "reviews/_topic_panel.html")]
        return []

    monkeypatch.setattr(views, "review_section_extras_for", extras)
    html = client.get(published.get_absolute_url()).content.decode()
    cases = html.index('id="cases"')
    assert html.index("Registry snapshot for cases") > cases
    assert html.index("No review has been started", cases) > cases
    assert "Registry snapshot for risks" in html
    assert "Registry snapshot for mechanism" not in html


def test_version_history_and_diff_show_text_and_grade_changes(
    published: Any, stage: Any, client: Any, assert_inert: Any
) -> None:
    from tests.web.reviews.support import cast_all

    new = services.review_new_version(
        review=published, by=stage.world.reviewer, change_summary="New <b>case</b> series."
    )
    services.review_update(
        review=new,
        by=stage.world.reviewer,
        conclusion="Still not recommended <script>x()</script>.",
    )
    services.review_circulate(review=new, by=stage.world.reviewer)
    cast_all(
        new,
        stage.voters,
        {
            "mechanism": ("B", "B", "B"),
            "preclinical": ("D", "D", "F"),
            "cases": ("D", "F", "D"),
            "trials": ("D", "D", "C"),
            "risks": ("C", "D", "C"),
        },
    )
    services.review_publish(review=new, by=stage.world.editor)
    page = client.get(reverse("reviews:latest", args=[stage.topic.slug])).content.decode()
    assert reverse("reviews:version", args=[stage.topic.slug, 1]) in page
    assert reverse("reviews:diff", args=[stage.topic.slug, 1, 2]) in page
    old_page = client.get(reverse("reviews:version", args=[stage.topic.slug, 1]))
    assert "This version was superseded" in old_page.content.decode()

    diff = client.get(reverse("reviews:diff", args=[stage.topic.slug, 1, 2])).content.decode()
    assert "<del>Not</del><ins>Still not</ins> recommended" in diff
    assert "<ins> &lt;script&gt;x()&lt;/script&gt;</ins>." in diff
    assert_inert(diff[diff.index("<main") : diff.index("</main>")])
    rows = re.findall(
        r'<tr data-category="(\w+)">.*?<span class="grade grade-(\w)">.*?'
        r'<span class="grade grade-(\w)">',
        diff,
        re.S,
    )
    changes = {category: (old, new_) for category, old, new_ in rows}
    assert changes["mechanism"] == ("B", "B")
    assert changes["trials"] == ("D", "D")


def test_diff_of_a_hidden_version_is_404_for_visitors(
    published: Any, stage: Any, client: Any
) -> None:
    services.review_new_version(review=published, by=stage.world.reviewer)
    assert client.get(reverse("reviews:diff", args=[stage.topic.slug, 1, 2])).status_code == 404


def _publish_dm(stage: Any, votes: dict[str, tuple[str, ...]]) -> Review:
    from tests.web.reviews.support import cast_all

    review = services.review_create_draft(topic=stage.dm_topic, by=stage.world.reviewer)
    services.review_circulate(review=review, by=stage.world.reviewer)
    cast_all(review, stage.voters, votes)
    return services.review_publish(review=review, by=stage.world.editor)


ALL_U = {c.value: ("U", "U", "U") for c in Category}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"als", "dm"}),
        ({"species": "dog"}, {"dm"}),
        ({"species": "human"}, {"als"}),
        ({"grade": "U"}, {"dm"}),
        ({"grade": "B", "category": "mechanism"}, {"als"}),
        ({"grade": "B", "category": "trials"}, set()),
        ({"grade": "D"}, {"als"}),
    ],
)
def test_index_filters_by_condition_species_and_grade(
    query: dict[str, str], expected: set[str], published: Any, stage: Any, client: Any
) -> None:
    _publish_dm(stage, ALL_U)
    html = client.get(reverse("reviews:index"), query).content.decode()
    shown = {
        name
        for name, slug in (("als", stage.topic.slug), ("dm", stage.dm_topic.slug))
        if reverse("reviews:latest", args=[slug]) in html
    }
    assert shown == expected


def test_index_filters_by_condition(published: Any, stage: Any, client: Any) -> None:
    _publish_dm(stage, ALL_U)
    html = client.get(
        reverse("reviews:index"), {"condition": stage.dm_topic.condition.pk}
    ).content.decode()
    assert reverse("reviews:latest", args=[stage.dm_topic.slug]) in html
    assert reverse("reviews:latest", args=[stage.topic.slug]) not in html


def test_public_review_page_query_count_is_pinned(
    published: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # The content version (the page cache's key), 6 of our own (review, grades, authors,
    # references, conflict statements, history) and at most one for each of the Cases and Risks
    # panels other apps add; exact counts, warm and cold, are pinned in test_queries.py.
    with django_assert_max_num_queries(9):
        response = client.get(published.get_absolute_url())
    assert response.status_code == 200


def test_index_query_count_does_not_grow_with_reviews(
    published: Any, stage: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    _publish_dm(stage, ALL_U)
    # the content version (page cache), reviews with topic, grades, the condition filter's choices
    with django_assert_max_num_queries(4):
        response = client.get(reverse("reviews:index"))
    assert response.status_code == 200


def test_topic_page_panel_shows_grades_or_in_review(
    draft: Any, stage: Any, client: Any, monkeypatch: Any
) -> None:
    from django.apps import apps

    config = apps.get_app_config("reviews")
    panel = config.topic_panels(None, stage.topic)[0]  # type: ignore[attr-defined]
    assert panel.context["in_review"] is True and panel.context["review"] is None
    html = client.get(stage.topic.get_absolute_url()).content.decode()
    assert "in review" in html


def test_topic_page_panel_links_the_published_review(published: Any, client: Any) -> None:
    html = client.get(published.topic.get_absolute_url()).content.decode()
    assert reverse("reviews:latest", args=[published.topic.slug]) in html
    assert set(_grades_on_page(html).items()) == {
        (g.category, g.grade) for g in published.published_grades.all()
    }


# -- workspace ---------------------------------------------------------------------------------


def test_workspace_shows_suggestions_with_rule_and_counted_items(
    circulating: Any, stage: Any, client_for: Any
) -> None:
    html = client_for(stage.world.reviewer).get(circulating.get_workspace_url()).content.decode()
    for rule in ("mechanism.B", "preclinical.D", "cases.D", "trials.D", "risks.C"):
        assert f"<code>{rule}</code>" in html
    assert "Study number 3 of low-dose naltrexone" in html
    assert 'suggested <span class="grade grade-D">D</span>' in html
    assert "Publish version" not in html  # a reviewer is not an editor
    editor_html = client_for(stage.world.editor).get(circulating.get_workspace_url()).content
    assert b"Publish version 1" in editor_html


def test_vote_form_far_from_suggestion_without_rationale_names_the_field(
    circulating: Any, stage: Any, client_for: Any
) -> None:
    client = client_for(stage.world.reviewer)
    url = reverse("reviews:vote", args=[circulating.pk])
    response = client.post(url, {"grade_trials": "A", "grade_cases": "D"})
    assert response.status_code == 400
    assert "Trials rationale" in response.content.decode()
    assert not circulating.votes.exists()
    response = client.post(
        url, {"grade_trials": "A", "rationale_trials": "Objective outcome.", "grade_cases": "D"}
    )
    assert response.status_code == 302
    assert dict(circulating.votes.values_list("category", "grade")) == {"trials": "A", "cases": "D"}


def test_attach_reference_prefills_species_design_and_category(
    draft: Any, stage: Any, client_for: Any
) -> None:
    from offlabel.web.literature.models import LibraryEntry, Reference

    dog_trial = Reference.objects.create(title="LDN in dogs", species="dog", design="rct")
    LibraryEntry.objects.create(topic=stage.topic, reference=dog_trial)
    client = client_for(stage.world.reviewer)
    url = reverse("reviews:evidence_add", args=[draft.pk])
    form = client.get(url, {"reference": dog_trial.pk}).context["form"]
    # A dog trial in an ALS review is model evidence: pre-clinical, not trials.
    assert form.initial == {
        "reference": dog_trial.pk,
        "species": "dog",
        "design": "rct",
        "category": "preclinical",
    }
    human = stage.references[3]
    form = client.get(url, {"reference": human.pk}).context["form"]
    assert form.initial["category"] == "trials"


def test_evidence_form_with_bad_input_names_the_field_and_saves_nothing(
    draft: Any, stage: Any, client_for: Any
) -> None:
    before = EvidenceItem.objects.count()
    response = client_for(stage.world.reviewer).post(
        reverse("reviews:evidence_add", args=[draft.pk]),
        {"reference": stage.references[0].pk, "category": "trials", "species": "human"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Design: This field is required." in html
    assert EvidenceItem.objects.count() == before


def test_reviewer_can_start_a_draft_from_the_workspace(stage: Any, client_for: Any) -> None:
    response = client_for(stage.world.reviewer).post(
        reverse("reviews:workspace"), {"topic": stage.dm_topic.pk}
    )
    review = Review.objects.get(topic=stage.dm_topic)
    assert response["Location"] == review.get_workspace_url()


def test_new_version_with_carried_votes_from_the_workspace(
    published: Any, stage: Any, client_for: Any
) -> None:
    response = client_for(stage.world.reviewer).post(
        reverse("reviews:new_version", args=[published.pk]),
        {"change_summary": "No new information warranted a grade change.", "carry_votes": "on"},
    )
    new = Review.objects.get(topic=stage.topic, version=2)
    assert response["Location"] == new.get_workspace_url()
    assert new.votes.filter(carried_over=True).count() == 15
