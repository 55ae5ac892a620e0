"""Background work of the accounts app."""

from __future__ import annotations

from django.core.mail import send_mail
from huey.contrib.djhuey import task


@task()
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one e-mail through Django's mail framework; returns how many were sent."""
    return send_mail(subject, body, None, recipients, fail_silently=False)
