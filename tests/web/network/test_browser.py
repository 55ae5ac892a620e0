"""Browser tests of the community: requests and votes, consults, and what visitors cannot see."""

import pytest

from offlabel.web.network import services
from offlabel.web.network.models import ConsultRequest, ReviewRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_patient_requests_a_review_and_votes_for_another(
    page, world, demo_topics, browser_sign_in
):
    als, dm = demo_topics
    other = services.request_create(
        requester=world.owner, therapy_name="Cannabidiol", condition=dm.condition, claims="Oil."
    )
    browser_sign_in("patient@example.org")
    page.goto("/community/")
    page.get_by_role("link", name="Ask for a review").click()
    page.get_by_label("…or the therapy's name, if it is not in the list").fill("Curcumin")
    page.get_by_label("Condition", exact=True).select_option(value=str(als.condition.pk))
    page.get_by_label("What have you heard or read it does?").fill(
        "A forum says turmeric slows weakness."
    )
    page.get_by_label("Links (optional)").fill("https://example.org/forum/curcumin")
    page.get_by_role("button", name="Send the request").click()
    assert (
        "Curcumin × Amyotrophic lateral sclerosis"
        in page.get_by_role("heading", level=1).inner_text()
    )
    assert page.get_by_text("You voted for this request.").is_visible()

    page.goto("/community/")
    page.get_by_role("button", name="Vote for Cannabidiol × Degenerative myelopathy").click()
    assert page.get_by_text("Your vote for Cannabidiol").is_visible()
    assert other.votes.count() == 2
    mine = ReviewRequest.objects.get(therapy_name="Curcumin")
    assert mine.requester == world.patient and mine.link_list == [
        "https://example.org/forum/curcumin"
    ]


def test_a_vet_asks_for_a_consult_the_prescriber_accepts_and_both_write(
    page, world, listing, prescriber, browser_sign_in
):
    browser_sign_in("vet@example.org")
    page.goto("/community/prescribers/")
    page.get_by_role("link", name="Ask Dr Price").click()
    page.get_by_label("Your question").fill("A corgi with DM: where do you start the dose?")
    page.get_by_role("button", name="Send the consult request").click()
    assert page.get_by_text("Waiting for an answer").is_visible()
    consult = ConsultRequest.objects.get()
    _sign_out(page)

    browser_sign_in("price@example.org")
    page.goto("/community/consults/")
    page.get_by_role("link", name=str(listing.topic)).click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("textbox", name="Message").fill("Start low, at bedtime. Send me a gait video.")
    page.get_by_role("button", name="Send the message").click()
    assert page.get_by_text("Start low, at bedtime.").is_visible()
    _sign_out(page)

    browser_sign_in("vet@example.org")
    page.goto(f"/community/consults/{consult.pk}/")
    assert page.get_by_text("Start low, at bedtime.").is_visible()
    page.get_by_role("textbox", name="Message").fill("Will do, thank you.")
    page.get_by_role("button", name="Send the message").click()
    assert page.get_by_text("Will do, thank you.").is_visible()
    assert [m.author for m in consult.messages.all()] == [prescriber, world.vet]


def test_a_visitor_cannot_see_the_directory_or_private_discussions(
    page, world, listing, thread, browser_sign_in
):
    page.goto("/community/prescribers/")
    assert "/accounts/login/" in page.url
    page.goto("/community/discussions/")
    assert page.get_by_role("heading", name="Public discussions").is_visible()
    assert page.get_by_text(thread.title).count() == 0
    page.goto(thread.get_absolute_url())
    assert "/accounts/login/" in page.url
    assert page.get_by_role("link", name="Prescribers").count() == 0
    assert page.get_by_role("link", name="Discussions").count() == 0

    browser_sign_in("owner@example.org")
    page.goto("/community/prescribers/")
    assert page.get_by_role("heading", name="Not allowed").is_visible()
    page.goto(thread.get_absolute_url())
    assert page.get_by_role("heading", name="Not found").is_visible()
