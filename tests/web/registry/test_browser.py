"""Browser tests: a patient's own record, an owner sharing a dog with a vet, privacy."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ITEMS = ("1", "2", "3", "4", "5a", "6", "7", "8", "9", "10", "11", "12")


def _score(page, public_url, date, low_item=None):
    page.goto(public_url + "scores/new/")
    page.get_by_label("Date").fill(date)
    for key in ITEMS:
        level = 3 if key == low_item else 4
        page.locator(f'input[name="item_{key}"][value="{level}"]').check()
    page.get_by_role("button", name="Save score").click()
    page.wait_for_url(re.compile(r"/registry/s/\w+/$"))


def test_patient_signs_up_records_treatment_evaluation_scores_and_sees_the_timeline(
    page, demo_topics
):
    page.goto("/accounts/sign-up/")
    page.get_by_label("E-mail address").fill("new.patient@example.org")
    page.get_by_label("Name shown to others").fill("Sam")
    page.get_by_label("Password", exact=True).fill("a long enough passphrase 77")
    page.get_by_label("Password again").fill("a long enough passphrase 77")
    page.get_by_label("Person with ALS").check()
    page.locator('input[name="agree_privacy"]').check()
    page.locator('input[name="agree_terms"]').check()
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()

    from django.core import mail

    [message] = [m for m in mail.outbox if m.to == ["new.patient@example.org"]]
    link = re.search(r"/accounts/verify/\S+/", message.body).group(0)
    page.goto(link)  # the address is proven: signed in, on the records page
    page.wait_for_url("**/registry/")
    page.get_by_role("link", name="Start my record").click()
    page.get_by_label("Sex").select_option("male")
    page.get_by_label("Date of first symptoms").fill("2024-01-15")
    page.get_by_label("Diagnosis date").fill("2024-06-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/registry/s/\w+/$"))
    record_url = page.url

    page.get_by_role("link", name="Add a treatment").click()
    page.get_by_label("Therapy", exact=True).select_option(label="Low-dose naltrexone")
    page.get_by_label("Dose per day").fill("4.5")
    page.get_by_label("Dose unit").select_option("mg")
    page.get_by_label("Start date").fill("2024-07-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(record_url)

    page.get_by_role("link", name="Evaluate Low-dose naltrexone").click()
    page.get_by_label("Date").fill("2024-09-01")
    page.get_by_label("Slight").check()
    page.get_by_label("Side effect 1", exact=True).fill("vivid dreams")
    page.get_by_label("Severity of side effect 1").select_option("mild")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(record_url)

    _score(page, record_url, "2024-06-15")
    _score(page, record_url, "2024-10-15", low_item="8")

    timeline = page.locator("figure.timeline svg")
    assert timeline.get_attribute("role") == "img"
    assert page.locator("figure.timeline svg g.treatment-period").count() == 1
    rows = page.locator("table:has(caption:text('Scores')) tbody tr")
    assert rows.count() == 2
    assert "47" in rows.nth(1).inner_text() and "Low-dose naltrexone" in rows.nth(1).inner_text()
    assert page.get_by_text("vivid dreams (mild)").is_visible()


def test_owner_adds_a_dog_and_invites_a_vet_who_then_sees_it(page, world, browser_sign_in):
    browser_sign_in("owner@example.org")
    page.goto("/registry/")
    page.get_by_role("link", name="Add a dog").click()
    page.get_by_label("Dog's name").fill("Juno")
    page.get_by_label("Breed").fill("German Shepherd")
    page.get_by_label("Sex").select_option("female_spayed")
    page.get_by_label("SOD1 genotype").select_option("A/A")
    page.get_by_label("Date of first signs").fill("2024-03-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/registry/s/\w+/$"))
    dog_url = page.url

    page.get_by_label("Your clinician's or vet's e-mail address").fill("vet@example.org")
    page.get_by_label("See the record", exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to vet@example.org").is_visible()

    page.get_by_role("button", name="Sign out").click()
    browser_sign_in("vet@example.org")
    page.goto(dog_url)
    assert "Juno" not in page.get_by_role("heading", level=1).inner_text()  # not yet accepted
    page.goto("/registry/")
    page.get_by_role("link", name="see and accept the invitation").click()
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(dog_url)
    # the vet sees the owner's label and whose record it is
    assert page.get_by_role("heading", level=1).inner_text() == "Juno (owner)"


def test_a_second_owner_gets_404_on_the_first_owners_dog(
    page, world, dog, second_owner, browser_sign_in
):
    browser_sign_in(second_owner.email)
    response = page.goto(dog.get_absolute_url())
    assert response is not None and response.status == 404
    assert "Rex" not in page.content()
