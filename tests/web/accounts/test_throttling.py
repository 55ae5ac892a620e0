"""Finding 8: throttling by account and real client address, never a lockout by account alone.

Behind the production proxy every request has the proxy's REMOTE_ADDR; the client's address is
in the header the proxy writes (``OFFLABEL_TRUSTED_PROXY_HEADER``), read only when configured.
"""

import pytest
from django.core import mail
from django.test import Client
from django.test.client import RequestFactory
from django.urls import reverse

from offlabel.web.common.throttle import client_address
from tests.support.accounts import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
PATIENT_HOME = "198.51.100.7"


def _via_proxy(client_ip: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{client_ip}")


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_client_address_reads_the_trusted_header_only_when_configured(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.OFFLABEL_TRUSTED_PROXY_HEADER = ""
    assert client_address(request) == PROXY
    settings.OFFLABEL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.OFFLABEL_TRUSTED_PROXY_COUNT = 1
    # what the client wrote further left ("6.6.6.6") is not believed
    assert client_address(request) == "203.0.113.9"
    settings.OFFLABEL_TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    settings.OFFLABEL_TRUSTED_PROXY_COUNT = 3  # fewer hops than proxies: the proxy's address
    assert client_address(request) == PROXY
    bad = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    settings.OFFLABEL_TRUSTED_PROXY_COUNT = 1
    assert client_address(bad) == PROXY


def test_an_attacker_behind_the_proxy_cannot_lock_the_patient_out(settings, world):
    settings.OFFLABEL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    attacker = _via_proxy(ATTACKER)
    for _ in range(5):
        _login(attacker, "patient@example.org", "wrong")
    assert _login(attacker, "patient@example.org", PASSWORD).status_code == 429
    # the patient, through the same proxy from home, signs in
    assert _login(_via_proxy(PATIENT_HOME), "patient@example.org", PASSWORD).status_code == 302


def test_an_untrusted_header_does_not_let_an_attacker_dodge_the_lockout(world):
    # no trusted header configured: rotating X-Forwarded-For changes nothing
    for n in range(5):
        _login(_via_proxy(f"192.0.2.{n + 1}"), "patient@example.org", "wrong")
    assert _login(_via_proxy("192.0.2.99"), "patient@example.org", PASSWORD).status_code == 429


def test_password_spraying_across_usernames_is_limited_per_address(settings, world):
    settings.OFFLABEL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.OFFLABEL_LOGIN_ADDRESS_LIMIT = 30
    sprayer = _via_proxy(ATTACKER)
    for n in range(30):  # one guess each for 30 usernames: never 5 for one account
        response = _login(sprayer, f"person{n}@example.org", "Summer2026!")
        assert response.status_code == 200
    response = _login(sprayer, "owner@example.org", PASSWORD)  # even the right password
    assert response.status_code == 200
    assert "Too many failed sign-ins from your network" in response.content.decode()
    assert "_auth_user_id" not in sprayer.session
    # others behind the same proxy are not affected
    assert _login(_via_proxy(PATIENT_HOME), "owner@example.org", PASSWORD).status_code == 302


def test_password_resets_are_limited_per_address_and_per_recipient(settings, world):
    settings.OFFLABEL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.OFFLABEL_PASSWORD_RESET_LIMIT = 5
    url = reverse("accounts:password_reset")
    statuses = [
        _via_proxy(ATTACKER).post(url, {"email": "patient@example.org"}).status_code
        for _ in range(30)
    ]
    assert statuses[:5] == [302] * 5 and set(statuses[5:]) == {429}
    assert len(mail.outbox) == 5
    # from many addresses to the one inbox: still five in the hour
    response = _via_proxy("192.0.2.50").post(url, {"email": "patient@example.org"})
    assert response.status_code == 429 and len(mail.outbox) == 5
    # from one address to many inboxes: five
    for n in range(6):
        _via_proxy("192.0.2.60").post(url, {"email": f"x{n}@example.org"})
    response = _via_proxy("192.0.2.60").post(url, {"email": "owner@example.org"})
    assert response.status_code == 429 and len(mail.outbox) == 5
    assert "Too many password resets from this address" in response.content.decode()


def test_sign_ups_are_limited_per_address(settings, db):
    settings.OFFLABEL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.OFFLABEL_SIGN_UP_LIMIT = 3
    from offlabel.web.accounts.models import User
    from tests.web.accounts.test_accounts import SIGN_UP

    statuses = [
        _via_proxy(ATTACKER)
        .post(reverse("accounts:sign_up"), {**SIGN_UP, "email": f"s{n}@example.org"})
        .status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert User.objects.filter(email__startswith="s").count() == 3
    other = _via_proxy(PATIENT_HOME).post(
        reverse("accounts:sign_up"), {**SIGN_UP, "email": "fine@example.org"}
    )
    assert other.status_code == 200 and User.objects.filter(email="fine@example.org").exists()


def test_record_invitations_are_limited_per_sender_and_recipient(
    settings, world, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from offlabel.web.registry.models import CareAccess

    settings.OFFLABEL_RECORD_INVITATION_LIMIT = 3
    owner = _via_proxy(ATTACKER)
    owner.force_login(world.owner)
    url = reverse("registry:access_invite", args=[world.dog.public_id])
    before = CareAccess.objects.count()
    mail.outbox.clear()
    cache.clear()  # the World's own invitations (to its vets) are not counted here
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(25):
            response = owner.post(
                url, {"email": "dr.house@clinic.example", "scope": "view", "label": f"D{n}"}
            )
            assert response.status_code == 302
    assert CareAccess.objects.count() - before == 3
    # the same sender to other inboxes: still three a day
    owner.post(url, {"email": "dr.wilson@clinic.example", "scope": "view", "label": "W"})
    assert not CareAccess.objects.filter(email="dr.wilson@clinic.example").exists()
    assert len(mail.outbox) == 3
    # another sender cannot flood the same inbox either
    other = Client()
    other.force_login(world.other_owner)
    other.post(
        reverse("registry:access_invite", args=[world.other_dog.public_id]),
        {"email": "dr.house@clinic.example", "scope": "view", "label": "X"},
    )
    assert CareAccess.objects.count() - before == 3


def test_an_attacker_rotating_addresses_at_one_account_is_slowed_not_the_holder(
    settings, world, monkeypatch
):
    """Past the per-account limit, browsers the account never signed in with get one attempt
    at it every OFFLABEL_LOGIN_ACCOUNT_DELAY seconds whatever their address; the patient's own
    browser (its device cookie) signs in at once, and a new browser of hers after the delay."""
    import time

    from offlabel.web.common import throttle

    settings.OFFLABEL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.OFFLABEL_LOGIN_ACCOUNT_LIMIT = 10
    settings.OFFLABEL_LOGIN_ACCOUNT_DELAY = 60
    now = [time.time()]
    monkeypatch.setattr(throttle, "_now", lambda: now[0])
    # the patient's laptop signed in last week: it keeps the device cookie after signing out
    laptop = _via_proxy(PATIENT_HOME)
    assert _login(laptop, "patient@example.org", PASSWORD).status_code == 302
    device = laptop.cookies[throttle.DEVICE_COOKIE].value
    laptop.logout()
    laptop.cookies[throttle.DEVICE_COOKIE] = device

    refused = "Too many failed sign-ins to this account lately"
    # ten addresses, one guess each: never five from one address (the axes pair lock)
    for n in range(10):
        response = _login(_via_proxy(f"192.0.2.{n + 1}"), "patient@example.org", "wrong")
        assert response.status_code == 200 and refused not in response.content.decode()
    # the eleventh address gets one attempt of the slot, the twelfth none, the right password
    # included (a refused attempt checks no password at all)
    first = _login(_via_proxy("192.0.2.11"), "patient@example.org", "wrong")
    assert refused not in first.content.decode()
    for n in range(12, 20):
        attacker = _via_proxy(f"192.0.2.{n}")
        response = _login(attacker, "patient@example.org", PASSWORD)
        assert response.status_code == 200 and refused in response.content.decode()
        assert "_auth_user_id" not in attacker.session
    # other accounts are not affected
    assert _login(_via_proxy("192.0.2.30"), "owner@example.org", PASSWORD).status_code == 302
    # the patient's laptop, on a café's address, is not held back
    laptop.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.99"
    assert _login(laptop, "patient@example.org", PASSWORD).status_code == 302
    # a new phone of hers waits for the next slot (a delay, not a lockout) and then signs in
    phone = _via_proxy("198.51.100.42")
    assert refused in _login(phone, "patient@example.org", PASSWORD).content.decode()
    now[0] += 61
    assert _login(phone, "patient@example.org", PASSWORD).status_code == 302
    # the (account, address) pair lock stays: five failures from one address lock that pair
    settings.OFFLABEL_LOGIN_ACCOUNT_LIMIT = 1000
    tried = _via_proxy(ATTACKER)
    for _ in range(5):
        _login(tried, "owner@example.org", "wrong")
    assert _login(tried, "owner@example.org", PASSWORD).status_code == 429


def test_a_forged_device_cookie_is_not_believed(settings, world):
    from offlabel.web.common import throttle

    settings.OFFLABEL_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.OFFLABEL_LOGIN_ACCOUNT_LIMIT = 2
    for n in range(3):
        _login(_via_proxy(f"192.0.2.{n + 1}"), "patient@example.org", "wrong")
    forged = _via_proxy("192.0.2.77")
    forged.cookies[throttle.DEVICE_COOKIE] = "WyJhYmMiXQ:forged:signature"
    response = _login(forged, "patient@example.org", PASSWORD)
    assert "Too many failed sign-ins to this account lately" in response.content.decode()
