"""The door: consent to versioned policies at sign-up, a verified e-mail address before any
health data is stored, invitations and roles bound only to verified addresses through the
invitation's token, and a settings page that changes name, e-mail (verified again) and password.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from offlabel.web.accounts import policies, services
from offlabel.web.accounts.models import PolicyConsent, RoleGrant, User
from offlabel.web.accounts.services import role_grant
from offlabel.web.registry import services as registry
from offlabel.web.registry.models import CareAccess, Subject
from tests.support.accounts import PASSWORD

SIGN_UP = {
    "email": "sam@example.org",
    "display_name": "Sam",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
    "roles": ["patient"],
    "agree_privacy": "on",
    "agree_terms": "on",
}


def _link(message, pattern=r"http://\S+/accounts/verify/\S+/"):
    return re.search(pattern, message.body).group(0)


def _path(link):
    return link[link.index("/accounts/") :]


@pytest.fixture
def signed_up(db, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:sign_up"), SIGN_UP)
    assert "Check your e-mail" in response.content.decode()
    return User.objects.get(email="sam@example.org")


def test_sign_up_asks_consent_to_the_current_policy_versions_and_keeps_who_agreed(db, client):
    refused = client.post(reverse("accounts:sign_up"), {**SIGN_UP, "agree_terms": ""})
    assert "Agree to the terms of use" in refused.content.decode()
    assert not User.objects.exists()
    page = client.get(reverse("accounts:sign_up")).content.decode()
    assert "privacy notice</a> (version 1" in page
    client.post(reverse("accounts:sign_up"), SIGN_UP)
    consents = PolicyConsent.objects.filter(user__email="sam@example.org")
    assert {(c.document, c.version) for c in consents} == {("privacy", 1), ("terms", 1)}


def test_the_policy_pages_show_their_text_and_version(db, client):
    page = client.get(reverse("accounts:policy", args=["privacy"])).content.decode()
    assert "Version 1" in page and "Reviewers see the registry only de-identified" in page
    assert client.get(reverse("accounts:policy", args=["nothing"])).status_code == 404


def test_sign_up_does_not_sign_in_and_sends_a_verification_link(signed_up, client):
    assert not signed_up.email_verified
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox
    assert message.to == ["sam@example.org"] and "/accounts/verify/" in message.body


def test_no_health_data_is_stored_before_the_address_is_verified(signed_up, client):
    client.force_login(signed_up, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("registry:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:verify_needed")
    new = client.post(
        reverse("registry:subject_new", args=["person"]),
        {"sex": "male", "onset_date": "2024-01-01"},
    )
    assert new.status_code == 302 and not Subject.objects.exists()
    with pytest.raises(services.Unverified):
        registry.subject_create(by=signed_up, kind="person", onset_date=dt.date(2024, 1, 1))
    assert not Subject.objects.exists()


def test_the_link_verifies_signs_in_and_opens_the_registry(signed_up, client):
    response = client.get(_path(_link(mail.outbox[0])))
    assert response.status_code == 302 and response["Location"] == reverse("registry:dashboard")
    signed_up.refresh_from_db()
    assert signed_up.email_verified
    response = client.post(
        reverse("registry:subject_new", args=["person"]),
        {"sex": "male", "onset_date": "2024-01-01"},
    )
    assert response.status_code == 302 and Subject.objects.filter(owner=signed_up).exists()


def test_a_bad_or_expired_link_says_so(signed_up, client, monkeypatch):
    assert client.get(reverse("accounts:verify", args=["nonsense"])).status_code == 400
    monkeypatch.setattr(services, "VERIFY_MAX_AGE", -1)
    response = client.get(_path(_link(mail.outbox[0])))
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_an_unverified_account_can_ask_for_the_link_again(
    signed_up, client, django_capture_on_commit_callbacks
):
    client.force_login(signed_up, backend="django.contrib.auth.backends.ModelBackend")
    assert "Send the link again" in client.get(reverse("accounts:verify_needed")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:verify_needed"))
    assert len(mail.outbox) == 2


# -- issue 15, finding 5: invitation takeover -----------------------------------------------------


def test_a_record_shared_with_an_address_is_not_bound_to_whoever_signs_up_with_it(
    world, client, django_capture_on_commit_callbacks
):
    """Fails on the code before: signing up with the invited address (never proving it) and
    getting the clinician role showed the invitation and bound the record to the impostor."""
    access = registry.access_invite(
        subject=world.dog, by=world.owner, email="dr.house@clinic.example", scope="view"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:sign_up"),
            {**SIGN_UP, "email": "dr.house@clinic.example", "roles": ["veterinarian"],
             "professional_note": "trust me"},
        )  # fmt: skip
    impostor = User.objects.get(email="dr.house@clinic.example")
    grant = RoleGrant.objects.get(user=impostor)
    client.force_login(world.editor, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("accounts:role_request_decide", args=[grant.pk]), {"decision": "grant"})
    assert RoleGrant.objects.get(pk=grant.pk).status == RoleGrant.Status.REQUESTED  # refused
    role_grant(user=impostor, role="veterinarian")  # even granted another way…
    client.force_login(impostor, backend="django.contrib.auth.backends.ModelBackend")
    dashboard = client.get(reverse("registry:dashboard"), follow=True).content.decode()
    assert "see and accept" not in dashboard and access.token not in dashboard
    client.post(reverse("registry:invitation", args=[access.token]))
    access.refresh_from_db()
    assert access.status == CareAccess.Status.INVITED and access.clinician is None
    assert client.get(world.dog.get_absolute_url()).status_code != 200


def test_the_invited_vet_binds_the_record_through_the_token_once_verified(
    world, client, django_capture_on_commit_callbacks
):
    access = registry.access_invite(
        subject=world.dog, by=world.owner, email="dr.house@clinic.example", scope="view"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:sign_up"),
            {**SIGN_UP, "email": "dr.house@clinic.example", "roles": ["veterinarian"],
             "professional_note": "licence 42"},
        )  # fmt: skip
    vet = User.objects.get(email="dr.house@clinic.example")
    client.get(_path(_link(mail.outbox[-1])))  # the address is proven
    vet.refresh_from_db()
    services.role_decide(grant=RoleGrant.objects.get(user=vet), by=world.editor, grant_it=True)
    with pytest.raises(PermissionDenied, match="not open"):
        registry.access_accept(token="not-the-token", user=vet)
    client.force_login(vet, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("registry:invitation", args=[access.token])).status_code == 302
    assert client.get(world.dog.get_absolute_url()).status_code == 200


# -- consent re-asked -----------------------------------------------------------------------------


def test_a_new_policy_version_is_asked_before_anything_else_and_both_are_kept(
    world, client_for, monkeypatch
):
    current = policies.current_policies()
    bumped = tuple(
        policies.Policy(
            p.key, p.title, p.version + 1 if p.key == "privacy" else p.version, p.file, "2027-01-01"
        )
        for p in current
    )
    monkeypatch.setattr(policies, "current_policies", lambda: bumped)
    monkeypatch.setattr(services, "current_policies", lambda: bumped)
    client = client_for(world.patient)
    response = client.get(reverse("registry:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:consent")
    )
    page = client.get(response["Location"]).content.decode()
    assert "Privacy notice</a>, version 2" in page
    client.post(reverse("accounts:consent"), {"agree_privacy": "on", "next": "/registry/"})
    versions = set(world.patient.policy_consents.values_list("document", "version"))
    assert {("privacy", 1), ("privacy", 2), ("terms", 1)} <= versions
    assert client.get(reverse("registry:dashboard")).status_code == 200


# -- the settings page --------------------------------------------------------------------------


def test_settings_change_the_name(world, client_for):
    client = client_for(world.patient)
    client.post(reverse("accounts:settings"), {"form": "profile", "display_name": "Patricia"})
    world.patient.refresh_from_db()
    assert world.patient.display_name == "Patricia"


def test_a_new_email_counts_only_once_verified(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.patient)
    wrong = client.post(
        reverse("accounts:settings"),
        {"form": "email", "email": "pat@new.example", "password": "nope"},
    )
    assert "password is not right" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:settings"),
            {"form": "email", "email": "pat@new.example", "password": PASSWORD},
        )
    world.patient.refresh_from_db()
    assert world.patient.email == "patient@example.org"  # unchanged until the link is opened
    [message] = mail.outbox
    assert message.to == ["pat@new.example"]
    client.get(_path(_link(message)))
    world.patient.refresh_from_db()
    assert world.patient.email == "pat@new.example" and world.patient.email_verified


def test_an_address_taken_by_another_account_is_refused(world, client_for):
    response = client_for(world.patient).post(
        reverse("accounts:settings"),
        {"form": "email", "email": world.owner.email, "password": PASSWORD},
    )
    assert "already exists" in response.content.decode()


def test_settings_change_the_password_after_checking_the_old_one(world, client_for):
    client = client_for(world.patient)
    new = "another long passphrase 99"
    wrong = client.post(
        reverse("accounts:settings"),
        {"form": "password", "old_password": "x", "new_password1": new, "new_password2": new},
    )
    assert "current password is not right" in wrong.content.decode()
    client.post(
        reverse("accounts:settings"),
        {"form": "password", "old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    world.patient.refresh_from_db()
    assert world.patient.check_password(new)
    assert client.get(reverse("accounts:settings")).status_code == 200  # still signed in
