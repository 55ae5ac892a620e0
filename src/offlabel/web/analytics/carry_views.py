"""The editor's keep / refresh / drop of a snapshot carried over into a new review version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.analytics import carry
from offlabel.web.analytics.models import RegistrySnapshot


@require_POST
@role_required("editor")
def snapshot_decide(request: HttpRequest, pk: int) -> HttpResponse:
    frozen = get_object_or_404(RegistrySnapshot.objects.select_related("review"), pk=pk)
    review = frozen.review
    try:
        carry.snapshot_decide(
            snapshot=frozen, decision=request.POST.get("decision", ""), by=signed_in_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Snapshot decision saved."))
    return redirect(f"{review.get_workspace_url()}#snapshots")
