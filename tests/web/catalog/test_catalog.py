import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_both_ldn_topics_with_status(client, demo_topics):
    page = client.get(reverse("catalog:home")).content.decode()
    assert "Low-dose naltrexone</strong> for Amyotrophic lateral sclerosis" in page
    assert "Low-dose naltrexone</strong> for Degenerative myelopathy" in page
    assert "In review" in page


@pytest.mark.parametrize(
    ("query", "expected_slugs"),
    [
        ("LDN", {"low-dose-naltrexone-als", "low-dose-naltrexone-degenerative-myelopathy"}),
        ("motor neuron", {"low-dose-naltrexone-als"}),
        ("myelopathy", {"low-dose-naltrexone-degenerative-myelopathy"}),
        ("naltrexone ALS", {"low-dose-naltrexone-als"}),
        ("curcumin", set()),
    ],
)
def test_search_by_therapy_or_condition_name_or_synonym(client, demo_topics, query, expected_slugs):
    response = client.get(reverse("catalog:home"), {"q": query})
    assert {t.slug for t in response.context["topics"]} == expected_slugs


def test_search_without_match_says_so(client, demo_topics):
    assert (
        "No topic matches"
        in client.get(reverse("catalog:home"), {"q": "curcumin"}).content.decode()
    )


def test_topic_page_shows_overview(client, demo_topics):
    response = client.get(
        reverse("catalog:topic", args=["low-dose-naltrexone-degenerative-myelopathy"])
    )
    assert response.status_code == 200
    assert "No study of naltrexone in dogs with DM has been completed" in response.content.decode()


def test_unknown_topic_is_404(client, db):
    assert client.get(reverse("catalog:topic", args=["no-such-topic"])).status_code == 404


def test_home_page_query_count_is_pinned(client, demo_topics, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(reverse("catalog:home"))


def test_overview_markdown_is_sanitized(client, demo_topics, assert_inert):
    topic = demo_topics[0]
    topic.overview = (
        "<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    topic.save()
    page = client.get(topic.get_absolute_url()).content.decode()
    overview = page.split('id="overview-h"')[1].split("</section>")[0]
    assert_inert(overview)
    assert "&lt;script&gt;" in overview  # shown as text, never run


def test_the_stylesheet_every_page_links_is_found():
    from django.contrib.staticfiles import finders

    assert finders.find("offlabel/site.css")
