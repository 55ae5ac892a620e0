"""Who may open what, as tables over roles."""

import pytest
from django.urls import reverse

from offlabel.web.network import services
from tests.support.accounts import ROLES

pytestmark = pytest.mark.django_db

DISCUSSERS = {"clinician", "vet", "care_vet", "stranger_vet", "reviewer", "editor"}
DIRECTORY = {"clinician", "vet", "care_vet", "stranger_vet", "editor"}
PRESCRIBERS = {"clinician", "vet", "care_vet", "stranger_vet"}
INVITERS = {"patient", "owner", "other_owner"}


def _expected(role, allowed, *, denied=403):
    if role in allowed:
        return 200
    return 302 if role == "anonymous" else denied


def _get(client_for, world, role, url):
    response = client_for(world.by_name(role)).get(url)
    if response.status_code == 302 and role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["network:future", "network:red_flags", "network:discussions"])
def test_public_pages_open_for_everyone(world, client_for, role, name):
    assert _get(client_for, world, role, reverse(name)) == 200


@pytest.mark.parametrize("role", ROLES)
def test_asking_for_a_review_needs_an_account_only(world, demo_topics, client_for, role):
    expected = 302 if role == "anonymous" else 200
    assert _get(client_for, world, role, reverse("network:request_new")) == expected


@pytest.mark.parametrize("role", ROLES)
def test_private_thread_is_for_professionals_and_404_for_other_accounts(
    world, thread, client_for, role
):
    status = _get(client_for, world, role, thread.get_absolute_url())
    assert status == _expected(role, DISCUSSERS, denied=404)
    listing = client_for(world.by_name(role)).get(reverse("network:discussions")).content.decode()
    assert (thread.title in listing) == (role in DISCUSSERS)
    topic_page = client_for(world.by_name(role)).get(
        reverse("network:topic_discussions", args=[thread.topic.slug])
    )
    assert (thread.title in topic_page.content.decode()) == (role in DISCUSSERS)


@pytest.mark.parametrize("role", ROLES)
def test_public_thread_is_readable_by_everyone_but_written_by_professionals(
    world, thread, client_for, role
):
    services.thread_moderate(thread=thread, by=world.editor, is_public=True)
    client = client_for(world.by_name(role))
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 200
    assert thread.title in client.get(reverse("network:discussions")).content.decode()
    assert ("Post the reply" in page.content.decode()) == (role in DISCUSSERS)
    reply = client.post(reverse("network:thread_reply", args=[thread.pk]), {"body": "hi"})
    assert reply.status_code == (302 if role in DISCUSSERS or role == "anonymous" else 403)
    assert thread.posts.count() == (2 if role in DISCUSSERS else 1)


@pytest.mark.parametrize("role", ROLES)
def test_starting_a_thread_is_for_professionals(world, dm, client_for, role):
    response = client_for(world.by_name(role)).post(
        reverse("network:topic_discussions", args=[dm.slug]), {"title": "T", "body": "B"}
    )
    assert response.status_code == (302 if role in DISCUSSERS or role == "anonymous" else 403)
    assert dm.threads.exists() == (role in DISCUSSERS)


@pytest.mark.parametrize("role", ROLES)
def test_directory_is_for_clinicians_vets_and_editors(world, listing, client_for, role):
    response = client_for(world.by_name(role)).get(reverse("network:prescribers"))
    assert response.status_code == _expected(role, DIRECTORY)
    if response.status_code == 200:
        assert "Dr Price" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["network:my_listings", "network:consult_new"])
def test_listing_oneself_and_asking_for_consults_is_for_clinicians_and_vets(
    world, demo_topics, client_for, role, name
):
    assert _get(client_for, world, role, reverse(name)) == _expected(role, PRESCRIBERS)


@pytest.mark.parametrize("role", ROLES)
def test_consult_list_is_for_clinicians_vets_and_editors(world, client_for, role):
    status = _get(client_for, world, role, reverse("network:consults"))
    assert status == _expected(role, PRESCRIBERS | {"editor"})


@pytest.mark.parametrize("role", [*ROLES, "prescriber"])
def test_consult_thread_is_visible_to_its_two_parties_only(
    world, listing, prescriber, client_for, role
):
    consult = services.consult_request_create(
        requester=world.vet, topic=listing.topic, prescriber=prescriber, question="Q?"
    )
    services.consult_decide(consult=consult, by=prescriber, accept=True)
    services.consult_message_send(consult=consult, author=world.vet, body="Secret detail")
    user = prescriber if role == "prescriber" else world.by_name(role)
    client = client_for(user)
    response = client.get(consult.get_absolute_url())
    parties = {"vet", "prescriber"}
    assert response.status_code == _expected(role, parties, denied=404)
    post = client.post(reverse("network:consult_message", args=[consult.pk]), {"body": "hi"})
    assert post.status_code == (302 if role in parties or role == "anonymous" else 404)
    contact = client.post(reverse("network:consult_contact", args=[consult.pk]), {"share": "yes"})
    assert contact.status_code == (302 if role in parties or role == "anonymous" else 404)
    consult.refresh_from_db()
    assert consult.messages.count() == (2 if role in parties else 1)


@pytest.mark.parametrize("role", ROLES)
def test_invitations_are_sent_by_patients_and_owners(world, client_for, role):
    assert _get(client_for, world, role, reverse("network:invite")) == _expected(role, INVITERS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["request_availability", "request_merge", "request_link"])
def test_request_curation_is_for_editors(world, make_request, client_for, role, action):
    one, two = make_request(world.patient), make_request(world.owner)
    data = {"availability": "plenty", "into": two.pk, "topic": ""}
    response = client_for(world.by_name(role)).post(
        reverse(f"network:{action}", args=[one.pk]), data
    )
    assert response.status_code == (302 if role in {"editor", "anonymous"} else 403)
    one.refresh_from_db()
    changed = (one.availability, one.status, one.topic_id) != ("some", "open", None)
    assert changed == (role == "editor")


@pytest.mark.parametrize(
    ("role", "labels"),
    [
        ("anonymous", {"Future reviews", "Red flags"}),
        ("patient", {"Future reviews", "Red flags", "Notifications"}),
        ("reviewer", {"Future reviews", "Red flags", "Notifications", "Discussions"}),
        (
            "vet",
            {
                "Future reviews",
                "Red flags",
                "Notifications",
                "Discussions",
                "Prescribers",
                "Consults",
            },
        ),
        ("editor", {"Future reviews", "Red flags", "Notifications", "Discussions", "Prescribers"}),
    ],
)
def test_header_links_follow_the_role(world, demo_topics, client_for, role, labels):
    from offlabel.web.common.extensions import nav_items_for

    user = world.by_name(role)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    mine = {item.label for item in nav_items_for(user) if item.url_name.startswith("network:")}
    assert mine == labels


@pytest.mark.parametrize("role", ROLES)
def test_topic_panel_shows_professionals_the_discussions_and_prescriber_count(
    world, listing, thread, make_request, client_for, role
):
    dm = listing.topic
    request = make_request(world.owner, condition=dm.condition)
    services.request_link_topic(request=request, by=world.editor, topic=dm)
    page = client_for(world.by_name(role)).get(dm.get_absolute_url()).content.decode()
    assert "Requested by readers: <strong>1</strong> vote" in page
    assert ("Discussions among professionals</a> (1)" in page) == (role in DISCUSSERS)
    assert ("Experienced prescribers listed</a>: 1" in page) == (role in DIRECTORY)
