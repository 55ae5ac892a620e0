from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from offlabel.web.network import redflags

pytestmark = pytest.mark.django_db


def test_the_checklist_is_data_with_unique_keys():
    keys = [s.key for s in redflags.signs()]
    assert len(keys) >= 8 and len(set(keys)) == len(keys)


@pytest.mark.parametrize(("count", "band"), [(0, "none"), (1, "some"), (2, "some"), (3, "many")])
def test_result_bands_follow_the_number_of_signs(count, band):
    ticked = {s.key for s in redflags.signs()[:count]}
    result = redflags.assess(ticked)
    assert (result.band, result.count) == (band, count)


def test_unknown_signs_are_ignored():
    assert redflags.assess({"made-up"}).count == 0


@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_page_never_calls_a_treatment_safe(client, count):
    keys = [s.key for s in redflags.signs()[:count]]
    page = client.get(reverse("network:red_flags"), {"checked": "1", "sign": keys}).content.decode()
    result = page.split('role="status"')[1].split("</section>")[0].lower()
    assert "safe" not in result
    assert "Ask for a review of this treatment" in page


def test_the_review_button_prefills_the_request_form(client):
    response = client.get(
        reverse("network:red_flags"),
        {"checked": "1", "therapy": "Miracle drops", "sign": ["cure", "secret"]},
    )
    url = response.context["request_url"]
    query = parse_qs(urlparse(url).query)
    assert urlparse(url).path == reverse("network:request_new")
    assert query["therapy_name"] == ["Miracle drops"]
    assert "cure" in query["claims"][0]


def test_without_submitting_there_is_no_result(client):
    response = client.get(reverse("network:red_flags"))
    assert response.context["result"] is None
