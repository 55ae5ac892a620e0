import pytest
from django.core import mail
from django.urls import reverse

from offlabel.web.accounts.models import RoleGrant, User

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "New.Person@Example.org",
    "display_name": "Sam",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
    "agree_privacy": "on",
    "agree_terms": "on",
}


def test_sign_up_grants_patient_role_at_once(client):
    response = client.post(reverse("accounts:sign_up"), {**SIGN_UP, "roles": ["patient"]})
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    user = User.objects.get(email="new.person@example.org")
    assert user.has_role("patient")
    assert user.password.startswith("md5$")  # test hasher; production uses argon2 (settings test)


def test_sign_up_as_clinician_only_requests_the_role(client):
    client.post(
        reverse("accounts:sign_up"),
        {**SIGN_UP, "roles": ["clinician", "patient"], "professional_note": "GMC 1234567"},
    )
    user = User.objects.get(email="new.person@example.org")
    assert user.has_role("patient")
    assert not user.has_role("clinician")
    assert RoleGrant.objects.get(user=user, role="clinician").status == "requested"


def test_sign_up_cannot_ask_for_editor(client):
    response = client.post(reverse("accounts:sign_up"), {**SIGN_UP, "roles": ["editor"]})
    assert response.status_code == 200
    assert "editor is not one of the available choices" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_rejects_duplicate_email_case_insensitively(client, world):
    response = client.post(reverse("accounts:sign_up"), {**SIGN_UP, "email": "PATIENT@example.org"})
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="patient@example.org").count() == 1


def test_sign_up_rejects_mismatched_and_weak_passwords(client):
    response = client.post(
        reverse("accounts:sign_up"), {**SIGN_UP, "password2": "something else entirely"}
    )
    assert "The two passwords differ" in response.content.decode()
    response = client.post(
        reverse("accounts:sign_up"), {**SIGN_UP, "password1": "12345678", "password2": "12345678"}
    )
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


def test_professional_role_needs_a_way_to_check_it(client):
    response = client.post(reverse("accounts:sign_up"), {**SIGN_UP, "roles": ["veterinarian"]})
    assert "how to check your professional role" in response.content.decode()


def test_login_by_email(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "Patient@Example.org", "password": "correct horse battery staple 42"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).context["user"] == world.patient


def test_login_is_throttled_after_repeated_failures(client, world):
    for _ in range(5):
        client.post(
            reverse("accounts:login"), {"username": "patient@example.org", "password": "wrong"}
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": "patient@example.org", "password": "correct horse battery staple 42"},
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_password_reset_sends_a_link(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "patient@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password-reset/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("nobody", 403),
        ("patient", 403),
        ("pending_clinician", 403),
        ("reviewer", 403),
        ("editor", 200),
    ],
)
def test_only_editors_see_role_requests(client_for, world, who, status):
    response = client_for(world.by_name(who)).get(reverse("accounts:role_requests"))
    assert response.status_code == status


def test_editor_grants_a_requested_role(client_for, world):
    grant = RoleGrant.objects.get(user=world.pending_clinician, role="clinician")
    client_for(world.editor).post(
        reverse("accounts:role_request_decide", args=[grant.pk]), {"decision": "grant"}
    )
    assert User.objects.get(pk=world.pending_clinician.pk).has_role("clinician")


def test_non_editor_cannot_grant_a_role(client_for, world):
    grant = RoleGrant.objects.get(user=world.pending_clinician, role="clinician")
    response = client_for(world.reviewer).post(
        reverse("accounts:role_request_decide", args=[grant.pk]), {"decision": "grant"}
    )
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.status == "requested"


def test_a_user_can_hold_several_roles(world):
    assert world.editor.has_role("editor")
    assert world.editor.has_role("reviewer")
    assert world.editor.has_any_role("patient", "reviewer")
    assert not world.editor.has_role("patient")


def test_deactivated_user_loses_roles(world):
    world.reviewer.is_active = False
    assert not world.reviewer.has_role("reviewer")
