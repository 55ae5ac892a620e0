"""Browser tests of records people can trust: the correction walk between a patient and their
clinician, and the ALSFRS-R and DM forms on a 390 px phone, by keyboard alone."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ITEMS = ("1", "2", "3", "4", "5a", "6", "7", "8", "9", "10", "11", "12")


def _alsfrs(page, record_url, date, low=None):
    page.goto(record_url + "scores/new/")
    page.get_by_label("Date").fill(date)
    for key in ITEMS:
        page.locator(f'input[name="item_{key}"][value="{3 if key == low else 4}"]').check()
    page.get_by_role("button", name="Save score").click()
    page.wait_for_url(record_url)


def test_patient_scores_clinician_corrects_their_own_cannot_delete_the_patients_patient_sees_why(
    page, world, browser_sign_in
):
    record_url = world.person.get_absolute_url()
    browser_sign_in(world.patient.email)
    _alsfrs(page, record_url, "2023-05-01")
    page.get_by_role("button", name="Sign out").click()

    browser_sign_in(world.clinician.email)
    page.goto(record_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Pat (patient)"
    _alsfrs(page, record_url, "2023-08-01", low="8")
    rows = page.locator("table:has(caption:text('Scores')) tbody tr")
    patients, own = rows.nth(0), rows.nth(1)
    assert patients.get_by_role("link", name="Delete").count() == 0  # not theirs to delete
    assert patients.get_by_role("link", name="Correct").count() == 0
    patients_score = world.person.scores.get(date="2023-05-01")
    denied = page.goto(f"{record_url}scores/{patients_score.pk}/delete/")
    assert denied is not None and denied.status == 403
    page.goto(record_url)
    own.get_by_role("link", name="Correct").click()
    page.locator('input[name="item_8"][value="2"]').check()
    page.get_by_label("Reason (optional, kept in the record's history)").fill(
        "Item 8 came from the wrong visit"
    )
    page.get_by_role("button", name="Save score").click()
    page.wait_for_url(record_url)
    assert page.get_by_text("Score corrected.").is_visible()
    page.get_by_role("button", name="Sign out").click()

    browser_sign_in(world.patient.email)
    page.goto("/community/notifications/")
    note = page.get_by_role("link", name=re.compile(r"clinician corrected the score .* in “Pat”"))
    assert note.is_visible()
    note.click()
    history = page.locator("#history table")
    assert history.get_by_text("Item 8 came from the wrong visit").is_visible()
    assert history.get_by_text("Total: 47 → 46").is_visible()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, email):
    from tests.support.accounts import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _fits_and_targets(page):
    """No horizontal scroll, and every control of the form at least 24 × 24 px."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px of horizontal scroll"
    controls = "input:not([type=hidden]), button, select, textarea"
    small = page.evaluate(
        """(controls) => [...document.querySelector('main form').querySelectorAll(controls)]
             .map(e => [e.name || e.textContent.trim(), e.getBoundingClientRect()])
             .filter(([, r]) => r.width < 24 || r.height < 24)
             .map(([n, r]) => `${n}: ${Math.round(r.width)}×${Math.round(r.height)}`)""",
        controls,
    )
    assert small == []


def _tab_to(page, name):
    """Press Tab until the focus is in the field ``name`` (a date field has three stops)."""
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == name:
            return
    raise AssertionError(f"Tab never reached {name}")


def test_the_alsfrs_form_fits_a_phone_and_is_filled_by_keyboard_alone(phone, world):
    _sign_in(phone, world.patient.email)
    record_url = world.person.get_absolute_url()
    phone.goto(record_url + "scores/new/")
    _fits_and_targets(phone)
    phone.get_by_label("Date").focus()
    phone.keyboard.type("05012023")  # Chromium's date field takes digits in its locale order
    for key in ITEMS:
        _tab_to(phone, f"item_{key}")  # each item is one stop; 5b is passed over
        phone.keyboard.press("Space")  # its first choice: "4 – as before"
    phone.keyboard.press("Enter")  # submits the form from a radio button
    phone.wait_for_url(record_url)
    score = world.person.scores.get()
    assert score.total == 48 and str(score.date) == "2023-05-01"


def test_the_dm_form_fits_a_phone_and_is_filled_by_keyboard_alone(phone, world):
    _sign_in(phone, world.owner.email)
    record_url = world.dog.get_absolute_url()
    phone.goto(record_url + "scores/new/")
    _fits_and_targets(phone)
    phone.get_by_label("Date").focus()
    phone.keyboard.type("05012024")
    _tab_to(phone, "stage")
    phone.keyboard.press("Space")  # its first choice: stage 1
    _tab_to(phone, "gait")  # on its first choice, 0 (which stage 1 contradicts): not chosen yet
    for _ in range(5):
        phone.keyboard.press("ArrowDown")  # arrows move the choice within the group: to 5
    phone.keyboard.press("Enter")
    phone.wait_for_url(record_url)
    assert {(s.scale, s.total) for s in world.dog.scores.all()} == {("dm_stage", 1), ("dm_gait", 5)}
