"""Personal access tokens: how a script or an app acts for one account through the API.

A token is ``olt_<prefix>_<secret>``; the site keeps the prefix (to find the row) and the
SHA-256 of the whole token, never the token itself, which its holder sees once. Each token
carries scopes (what it may do), an expiry, and may be revoked at any time; every use counts
against a per-token rate limit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    RECORDS_READ = "records:read", "Read my records (and those shared with me)"
    RECORDS_WRITE = "records:write", "Add to my records (and those shared with me to add to)"
    DEIDENTIFIED_READ = "deidentified:read", "Download the de-identified registry (reviewers)"


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text="What the token is for (a script, an app).")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        # Never the secret: this string goes into the audit trail.
        return f"API token {self.prefix} ({self.name})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
