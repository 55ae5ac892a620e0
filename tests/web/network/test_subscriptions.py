"""Following a topic or a review: in-app and e-mail notifications through the notification
settings, once per person; the follow button and the list of what one follows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from offlabel.web.network import services
from offlabel.web.network.models import Notification, NotificationSetting, Subscription
from tests.support.accounts import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_twice(world: Any, demo_topics: list[Any], settings: Any) -> Any:
    """Publish v1 of the ALS review (everyone votes U), returning a function that publishes
    the next version with Trials graded ``trials``."""
    from offlabel.evidence.vocabulary import Category
    from offlabel.web.reviews import services as reviews

    settings.REVIEW_MIN_VOTES = 1
    topic = demo_topics[0]

    def publish(trials: str = "U") -> Any:
        review = topic.reviews.filter(status="published").first()
        if review is None:
            review = reviews.review_create_draft(topic=topic, by=world.reviewer)
        else:
            review = reviews.review_new_version(review=review, by=world.reviewer)
        reviews.review_circulate(review=review, by=world.reviewer)
        reviews.conflict_statement_save(review=review, by=world.reviewer, statement="None.")
        for category in Category:
            grade = trials if category is Category.TRIALS else "U"
            reviews.grade_vote_cast(
                review=review, by=world.reviewer, category=category, grade=grade, rationale="Why."
            )
        return reviews.review_publish(review=review, by=world.editor)

    publish()
    return publish


def test_followers_hear_of_a_new_version_and_its_grade_change(
    world: Any,
    demo_topics: list[Any],
    published_twice: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    topic = demo_topics[0]
    services.subscription_follow(user=world.patient, topic=topic, kind="review")
    services.subscription_follow(user=world.owner, topic=topic, kind="topic")
    services.subscription_follow(user=world.owner, topic=topic, kind="review")  # told once
    NotificationSetting.objects.create(user=world.clinician, email_frequency="off")
    services.subscription_follow(user=world.clinician, topic=topic, kind="review")
    with django_capture_on_commit_callbacks(execute=True):
        v2 = published_twice("F")
    notes = Notification.objects.filter(kind=Notification.Kind.FOLLOWED)
    assert sorted(n.recipient.email for n in notes) == sorted(
        [world.patient.email, world.owner.email, world.clinician.email]
    )
    note = notes.get(recipient=world.patient)
    assert note.title.endswith("is published: Trials U → F")
    assert note.url == v2.get_absolute_url()
    # e-mail as each setting says: immediate for the patient and owner, none for the clinician
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.patient.email, world.owner.email])
    assert "Trials U → F" in mail.outbox[0].subject


def test_a_requester_who_also_follows_is_told_once(
    world: Any, demo_topics: list[Any], settings: Any
) -> None:
    from offlabel.evidence.vocabulary import Category
    from offlabel.web.reviews import services as reviews

    topic = demo_topics[0]
    request = services.request_create(
        requester=world.patient, therapy=topic.therapy, condition=topic.condition, claims="Help?"
    )
    services.request_link_topic(request=request, by=world.editor, topic=topic)
    services.subscription_follow(user=world.patient, topic=topic, kind="review")
    settings.REVIEW_MIN_VOTES = 1
    review = reviews.review_create_draft(topic=topic, by=world.reviewer)
    reviews.review_circulate(review=review, by=world.reviewer)
    reviews.conflict_statement_save(review=review, by=world.reviewer, statement="None.")
    for category in Category:
        reviews.grade_vote_cast(review=review, by=world.reviewer, category=category, grade="U")
    reviews.review_publish(review=review, by=world.editor)
    assert world.patient.notifications.count() == 1


def test_topic_followers_hear_when_a_discussion_is_made_public(
    world: Any, demo_topics: list[Any]
) -> None:
    topic = demo_topics[1]
    services.subscription_follow(user=world.owner, topic=topic, kind="topic")
    services.subscription_follow(user=world.patient, topic=topic, kind="review")
    thread = services.thread_create(topic=topic, author=world.vet, title="Dosing", body="At night?")
    services.thread_moderate(thread=thread, by=world.editor, is_public=True)
    assert world.owner.notifications.filter(kind="followed").count() == 1
    assert not world.patient.notifications.exists()


def test_follow_twice_keeps_one_and_unfollow_removes_it(world: Any, demo_topics: list[Any]) -> None:
    topic = demo_topics[0]
    first = services.subscription_follow(user=world.patient, topic=topic, kind="review")
    assert services.subscription_follow(user=world.patient, topic=topic, kind="review") == first
    assert services.subscription_unfollow(user=world.patient, topic=topic, kind="review")
    assert not services.subscription_unfollow(user=world.patient, topic=topic, kind="review")
    with pytest.raises(ValidationError):
        services.subscription_follow(user=world.patient, topic=topic, kind="everything")


def test_visitors_cannot_follow(demo_topics: list[Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.subscription_follow(user=AnonymousUser(), topic=demo_topics[0], kind="review")


@pytest.mark.parametrize("role", ROLES)
def test_anyone_signed_in_can_follow_from_the_page(
    role: str, world: Any, demo_topics: list[Any], client_for: Any
) -> None:
    topic = demo_topics[0]
    client = client_for(world.by_name(role))
    response = client.post(
        f"/community/follow/{topic.slug}/", {"kind": "topic", "next": topic.get_absolute_url()}
    )
    assert response.status_code == 302
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
        assert not Subscription.objects.exists()
    else:
        assert response["Location"] == topic.get_absolute_url()
        assert Subscription.objects.filter(user=world.by_name(role), topic=topic).exists()


def test_following_page_lists_subscriptions_with_feeds_and_unfollows(
    world: Any, demo_topics: list[Any], client_for: Any
) -> None:
    topic = demo_topics[0]
    services.subscription_follow(user=world.patient, topic=topic, kind="review")
    client = client_for(world.patient)
    html = client.get("/community/following/").content.decode()
    assert str(topic) in html and f"/reviews/{topic.slug}/feed.atom" in html
    client.post(f"/community/unfollow/{topic.slug}/", {"kind": "review"})
    assert not Subscription.objects.exists()


def test_topic_page_offers_follow_to_everyone(demo_topics: list[Any], client: Any) -> None:
    topic = demo_topics[0]
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f'href="/community/follow/{topic.slug}/?kind=topic&amp;next=' in html
    assert "Follow this topic" in html and "csrfmiddlewaretoken" not in html  # cacheable


def test_follow_link_asks_to_confirm(world: Any, demo_topics: list[Any], client_for: Any) -> None:
    topic = demo_topics[0]
    client = client_for(world.patient)
    html = client.get(f"/community/follow/{topic.slug}/", {"kind": "review"}).content.decode()
    assert "Follow the review of" in html and 'name="kind" value="review"' in html
    assert not Subscription.objects.exists()
    assert client_for(None).get(f"/community/follow/{topic.slug}/").status_code == 302
