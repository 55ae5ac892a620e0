import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_patient_signs_in_and_opens_a_topic(page, world, demo_topics, browser_sign_in):
    browser_sign_in("patient@example.org")
    assert page.get_by_role(
        "link", name="patient"
    ).is_visible()  # the header shows who is signed in
    page.goto("/")
    page.get_by_label("Search by therapy or condition").fill("myelopathy")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Low-dose naltrexone for Degenerative myelopathy").click()
    page.wait_for_url("**/topics/low-dose-naltrexone-degenerative-myelopathy/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Low-dose naltrexone for Degenerative myelopathy"
    )
    assert page.get_by_text(
        "No study of naltrexone in dogs with DM has been completed"
    ).is_visible()


def test_wrong_password_keeps_the_visitor_signed_out(page, world):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("patient@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Please enter a correct e-mail address and password").is_visible()
    assert page.get_by_role("link", name="Sign in").is_visible()
