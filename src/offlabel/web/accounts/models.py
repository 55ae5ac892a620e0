from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(
        max_length=80, help_text=_("Shown to others instead of your e-mail.")
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the holder proved they read this address (the link we sent to it)."),
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails we send you (the one you last chose)."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    # Role checks read the prefetched grants when present, so lists of users stay one query.
    def granted_roles(self) -> frozenset[str]:
        cached = getattr(self, "_granted_roles", None)
        if cached is None:
            cached = frozenset(
                self.role_grants.filter(status=RoleGrant.Status.GRANTED).values_list(
                    "role", flat=True
                )
            )
            self._granted_roles = cached
        return cached

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.granted_roles()

    def has_any_role(self, *roles: str) -> bool:
        return self.is_active and bool(self.granted_roles().intersection(roles))

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_editor(self) -> bool:
        return self.has_role(Role.EDITOR)

    @property
    def is_reviewer(self) -> bool:
        return self.has_role(Role.REVIEWER)


class RoleGrant(models.Model):
    """A role asked for by, or granted to, one user."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("For professionals: licence, institution, how to check."),
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.get_status_display()})"


class PolicyConsent(models.Model):
    """One person's agreement to one version of a policy document (privacy notice, terms).

    Kept for as long as the account: who agreed to which version, and when.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_consents"
    )
    document = models.CharField(max_length=20)
    version = models.PositiveSmallIntegerField()
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"], name="one_consent_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} agreed to {self.document} v{self.version}"


#: Whoever is looking at a page: a signed-in account, or someone signed out (``None`` in tasks).
Viewer = User | AnonymousUser | None


def signed_in(viewer: Viewer) -> User | None:
    """The viewer's active account, or ``None`` when signed out (or deactivated)."""
    if isinstance(viewer, User) and viewer.is_authenticated and viewer.is_active:
        return viewer
    return None
