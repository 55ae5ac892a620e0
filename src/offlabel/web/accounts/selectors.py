"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import QuerySet

from offlabel.web.accounts.models import RoleGrant


def role_requests_pending() -> QuerySet[RoleGrant]:
    """Professional roles waiting for an editor, oldest first."""
    return (
        RoleGrant.objects.filter(status=RoleGrant.Status.REQUESTED)
        .select_related("user")
        .order_by("requested_at")
    )
