import pytest
from django.core import mail
from django.urls import reverse

from offlabel.web.network import services, tasks
from offlabel.web.network.models import Notification, NotificationSetting, ReviewRequest
from offlabel.web.reviews.models import Review
from offlabel.web.reviews.signals import review_published

pytestmark = pytest.mark.django_db


def _publish(topic):
    review = Review.objects.create(
        topic=topic, version=1, rubric_version="test", status=Review.Status.PUBLISHED
    )
    review_published.send(sender=Review, review=review, topic=topic)
    return review


def test_immediate_notifications_are_emailed_once_committed(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=world.patient, kind="mention", title="Hello", url="/x/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.patient.email]
    assert mail.outbox[0].subject == "[offlabel] Hello"
    assert "/x/" in mail.outbox[0].body


def test_no_email_when_the_person_switched_email_off(world, django_capture_on_commit_callbacks):
    services.notification_setting_update(user=world.patient, email_frequency="off")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=world.patient, kind="mention", title="Hello")
    assert mail.outbox == []
    assert world.patient.notifications.count() == 1  # still on the notifications page
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send() == 0
    assert mail.outbox == []


def test_daily_digest_gathers_the_days_notifications_into_one_email(
    world, django_capture_on_commit_callbacks
):
    services.notification_setting_update(user=world.vet, email_frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=world.vet, kind="mention", title="First thing")
        services.notify(recipient=world.vet, kind="reply", title="Second thing")
        services.notify(recipient=world.owner, kind="reply", title="Immediate for the owner")
    assert [m.to for m in mail.outbox] == [[world.owner.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily_digest.call_local() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [world.vet.email]
    assert "First thing" in digest.body and "Second thing" in digest.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send() == 0  # nothing new since
    assert mail.outbox == []


def test_publication_emails_requesters_and_voters_once_each(
    world, make_request, django_capture_on_commit_callbacks, dm
):
    first = make_request(world.patient, condition=dm.condition, therapy_name="LDN")
    services.request_vote(request=first, voter=world.vet)
    services.request_vote(request=first, voter=world.owner)
    second = make_request(world.owner, condition=dm.condition, therapy_name="Low dose naltrexone")
    services.request_vote(request=second, voter=world.vet)
    services.request_merge(duplicate=second, into=first, by=world.editor)
    services.request_link_topic(request=first, by=world.editor, topic=dm)
    unrelated = make_request(world.clinician, therapy_name="Curcumin")
    with django_capture_on_commit_callbacks(execute=True):
        _publish(dm)
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([world.patient.email, world.vet.email, world.owner.email])
    assert all("published" in m.subject for m in mail.outbox)
    first.refresh_from_db()
    unrelated.refresh_from_db()
    assert first.status == ReviewRequest.Status.PUBLISHED and first.notified_at
    assert unrelated.status == ReviewRequest.Status.OPEN
    # A later version of the review does not notify the same people again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_published.send(
            sender=Review,
            review=Review.objects.create(topic=dm, version=2, rubric_version="test"),
            topic=dm,
        )
    assert mail.outbox == []


def test_publication_respects_each_persons_email_setting(
    world, make_request, django_capture_on_commit_callbacks, dm
):
    request = make_request(world.patient, condition=dm.condition)
    services.request_vote(request=request, voter=world.owner)
    services.request_link_topic(request=request, by=world.editor, topic=dm)
    NotificationSetting.objects.create(user=world.owner, email_frequency="off")
    with django_capture_on_commit_callbacks(execute=True):
        _publish(dm)
    assert [m.to for m in mail.outbox] == [[world.patient.email]]
    assert Notification.objects.filter(recipient=world.owner, kind="review_published").exists()


def test_notifications_page_lists_only_ones_own_and_marks_them_read(world, client_for):
    services.notify(recipient=world.patient, kind="mention", title="For the patient")
    services.notify(recipient=world.owner, kind="mention", title="For the owner")
    client = client_for(world.patient)
    page = client.get(reverse("network:notifications")).content.decode()
    assert "For the patient" in page and "For the owner" not in page
    client.post(reverse("network:notifications"))
    assert not world.patient.notifications.filter(read_at__isnull=True).exists()
    assert world.owner.notifications.filter(read_at__isnull=True).exists()


def test_settings_page_saves_the_choice(world, client_for):
    client = client_for(world.patient)
    client.post(reverse("network:notification_settings"), {"email_frequency": "daily"})
    assert world.patient.notification_setting.email_frequency == "daily"


def test_notifications_need_a_sign_in(client):
    response = client.get(reverse("network:notifications"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_linking_to_an_already_published_topic_notifies_at_once(
    world, make_request, django_capture_on_commit_callbacks, dm
):
    dm.status = dm.Status.PUBLISHED
    dm.save()
    request = make_request(world.owner, condition=dm.condition)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_link_topic(request=request, by=world.editor, topic=dm)
    assert [m.to for m in mail.outbox] == [[world.owner.email]]
    request.refresh_from_db()
    assert request.status == ReviewRequest.Status.PUBLISHED
