"""E-mails go out in the language their recipient chose, not in the sender's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from offlabel.web.accounts.services import email_verification_send
from offlabel.web.network import services
from offlabel.web.network.models import ConsultRequest, Notification

pytestmark = pytest.mark.django_db


def test_choosing_spanish_while_signed_in_is_kept_on_the_account(
    client_for: Any, world: Any
) -> None:
    client = client_for(world.vet)
    assert client.get("/language/es/?next=/").status_code == 302
    world.vet.refresh_from_db()
    assert world.vet.language == "es"
    client.get("/language/en/")
    world.vet.refresh_from_db()
    assert world.vet.language == "en"


def test_a_consult_request_reaches_a_spanish_speaking_prescriber_in_spanish(
    client_for: Any,
    world: Any,
    listing: Any,
    prescriber: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client_for(prescriber).get("/language/es/")  # the prescriber reads the site in Spanish
    prescriber.refresh_from_db()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.consult_request_create(  # the requester acts in English
            requester=world.vet, topic=listing.topic, prescriber=prescriber, question="Dose?"
        )
    (sent,) = mail.outbox
    assert sent.to == [prescriber.email]
    assert "pide una consulta sobre" in sent.subject and "asks for a consult" not in sent.subject
    assert "Cambie cómo le escribimos" in sent.body and "Change how we" not in sent.body
    stored = Notification.objects.get(recipient=prescriber)
    assert "pide una consulta" in stored.title  # the notifications page reads the same
    # The requester, who reads English, is told of the decision in English.
    mail.outbox.clear()
    consult = ConsultRequest.objects.get(requester=world.vet)
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        services.consult_decide(consult=consult, by=prescriber, accept=True)
    assert [m.subject for m in mail.outbox if m.to == [world.vet.email]] == [
        f"[offlabel] Your consult request on {listing.topic} was accepted"
    ]


def test_a_verification_link_is_written_in_the_accounts_language(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.owner.language = "es"
    world.owner.save(update_fields=["language"])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        email_verification_send(user=world.owner)
    (sent,) = mail.outbox
    assert sent.subject == "Confirme su dirección de correo electrónico para offlabel"
    assert "please confirm" not in sent.body
