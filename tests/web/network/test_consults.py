import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from offlabel.web.network import services
from offlabel.web.network.models import ConsultRequest, Invitation, PrescriberListing
from offlabel.web.network.ratelimit import INVITATION_LIMIT

pytestmark = pytest.mark.django_db


def test_listing_is_one_per_prescriber_and_topic_and_updates_in_place(world, dm):
    services.listing_save(prescriber=world.vet, topic=dm, years_experience=3, cases=4)
    services.listing_save(prescriber=world.vet, topic=dm, years_experience=5, cases=9)
    listing = PrescriberListing.objects.get(prescriber=world.vet)
    assert (listing.years_experience, listing.cases) == (5, 9)


@pytest.mark.parametrize("who", ["patient", "owner", "reviewer", "editor"])
def test_only_clinicians_and_vets_list_themselves(world, dm, who):
    with pytest.raises(PermissionDenied):
        services.listing_save(prescriber=world.by_name(who), topic=dm, years_experience=1, cases=1)


def test_named_prescriber_accepts_and_both_exchange_messages(
    world, listing, prescriber, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consult = services.consult_request_create(
            requester=world.vet, topic=listing.topic, prescriber=prescriber, question="Dose?"
        )
    assert [m.to for m in mail.outbox] == [[prescriber.email]]
    with pytest.raises(ValidationError, match="once the consult request is accepted"):
        services.consult_message_send(consult=consult, author=world.vet, body="early")
    with pytest.raises(PermissionDenied):
        services.consult_decide(consult=consult, by=world.editor, accept=True)
    services.consult_decide(consult=consult, by=prescriber, accept=True)
    services.consult_message_send(consult=consult, author=prescriber, body="Start low.")
    services.consult_message_send(consult=consult, author=world.vet, body="Thanks.")
    assert [m.author for m in consult.messages.all()] == [prescriber, world.vet]
    with pytest.raises(PermissionDenied):
        services.consult_message_send(consult=consult, author=world.clinician, body="me too")


def test_contact_details_are_shown_only_when_both_agree(world, listing, prescriber, client_for):
    consult = services.consult_request_create(
        requester=world.vet, topic=listing.topic, prescriber=prescriber, question="Q"
    )
    services.consult_decide(consult=consult, by=prescriber, accept=True)
    vet_client = client_for(world.vet)
    vet_client.post(reverse("network:consult_contact", args=[consult.pk]), {"share": "yes"})
    page = vet_client.get(consult.get_absolute_url()).content.decode()
    assert prescriber.email not in page and "waiting for" in page
    price_client = client_for(prescriber)
    price_client.post(reverse("network:consult_contact", args=[consult.pk]), {"share": "yes"})
    page = price_client.get(consult.get_absolute_url()).content.decode()
    assert prescriber.email in page and world.vet.email in page
    price_client.post(reverse("network:consult_contact", args=[consult.pk]), {"share": "no"})
    assert world.vet.email not in price_client.get(consult.get_absolute_url()).content.decode()


def test_an_unnamed_request_goes_to_editors_who_put_the_requester_in_touch(
    world, listing, prescriber, client_for
):
    consult = services.consult_request_create(
        requester=world.vet, topic=listing.topic, question="Anyone experienced?"
    )
    assert world.editor.notifications.filter(kind="consult_request").exists()
    with pytest.raises(PermissionDenied):
        services.consult_decide(consult=consult, by=prescriber, accept=True)
    editor = client_for(world.editor)
    assert "Anyone experienced?" in editor.get(reverse("network:consults")).content.decode()
    response = editor.post(
        reverse("network:consult_decide", args=[consult.pk]),
        {
            "prefix": f"c{consult.pk}",
            f"c{consult.pk}-decision": "accept",
            f"c{consult.pk}-prescriber": listing.pk,
        },
    )
    assert response.status_code == 302
    consult.refresh_from_db()
    assert consult.status == ConsultRequest.Status.ACCEPTED
    assert consult.prescriber == prescriber
    assert prescriber.notifications.filter(kind="consult_decision").exists()
    # The editor put them in touch but does not read their conversation.
    assert editor.get(consult.get_absolute_url()).status_code == 404


def test_an_editor_cannot_accept_an_unnamed_request_without_choosing_someone(world, listing):
    consult = services.consult_request_create(
        requester=world.vet, topic=listing.topic, question="Q"
    )
    with pytest.raises(ValidationError, match="Choose the listed prescriber"):
        services.consult_decide(consult=consult, by=world.editor, accept=True)
    consult.refresh_from_db()
    assert consult.status == ConsultRequest.Status.PENDING


def test_declining_tells_the_requester_and_opens_nothing(world, listing, prescriber):
    consult = services.consult_request_create(
        requester=world.vet, topic=listing.topic, prescriber=prescriber, question="Q"
    )
    services.consult_decide(consult=consult, by=prescriber, accept=False, note="Too busy now")
    note = world.vet.notifications.get(kind="consult_decision")
    assert "declined" in note.title and note.body == "Too busy now"
    with pytest.raises(ValidationError):
        services.consult_message_send(consult=consult, author=world.vet, body="hi")


def test_only_listed_prescribers_can_be_named(world, dm, prescriber):
    with pytest.raises(ValidationError, match="not listed"):
        services.consult_request_create(
            requester=world.vet, topic=dm, prescriber=prescriber, question="Q"
        )
    with pytest.raises(PermissionDenied):
        services.consult_request_create(requester=world.owner, topic=dm, question="Q")


def test_consult_messages_are_rate_limited(world, listing, prescriber):
    from offlabel.web.network.ratelimit import POST_LIMIT, RateLimited

    consult = services.consult_request_create(
        requester=world.vet, topic=listing.topic, prescriber=prescriber, question="Q"
    )
    services.consult_decide(consult=consult, by=prescriber, accept=True)
    for n in range(POST_LIMIT):
        services.consult_message_send(consult=consult, author=world.vet, body=f"m{n}")
    with pytest.raises(RateLimited):
        services.consult_message_send(consult=consult, author=world.vet, body="late")
    assert consult.messages.count() == POST_LIMIT


def test_an_owner_invites_their_vet_by_email_with_a_sign_up_link(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.owner).post(
            reverse("network:invite"),
            {"email": "Dr.Who@Clinic.example", "recipient_name": "Dr Who", "message": "Hi!"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["dr.who@clinic.example"]
    assert "Dear Dr Who" in sent.body and "Hi!" in sent.body
    assert "http://testserver/accounts/sign-up/" in sent.body


def test_invitations_are_rate_limited_and_nothing_is_saved_past_the_limit(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.patient)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(INVITATION_LIMIT):
            client.post(reverse("network:invite"), {"email": f"doc{n}@example.org"})
        response = client.post(reverse("network:invite"), {"email": "late@example.org"})
    assert response.status_code == 429
    assert "the most we allow" in response.content.decode()
    assert Invitation.objects.count() == INVITATION_LIMIT
    assert len(mail.outbox) == INVITATION_LIMIT


def test_a_bad_invitation_address_is_named(world, client_for):
    response = client_for(world.owner).post(reverse("network:invite"), {"email": "not-an-email"})
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(("role", "shown"), [("owner", True), ("patient", True), ("vet", False)])
def test_patients_and_owners_find_the_invitation_from_the_topic_page(
    world, dm, client_for, role, shown
):
    page = client_for(world.by_name(role)).get(dm.get_absolute_url()).content.decode()
    assert (reverse("network:invite") in page) == shown
