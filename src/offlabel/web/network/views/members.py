"""Members' pages (where a mention links) and the @-completion of the discussion forms."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from offlabel.web.network import mentions, selectors
from offlabel.web.network.models import MemberHandle
from offlabel.web.network.permissions import can_discuss


def _members_only(request: HttpRequest) -> HttpResponse | None:
    if can_discuss(request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("Members' pages are for clinicians, vets, reviewers and editors."))


def member(request: HttpRequest, handle: str) -> HttpResponse:
    refused = _members_only(request)
    if refused is not None:
        return refused
    found = (
        MemberHandle.objects.select_related("user")
        .filter(handle=handle, user__in=mentions.discussion_members())
        .first()
    )
    if found is None:
        raise Http404(_("No such member."))
    user = found.user
    return render(
        request,
        "network/member.html",
        {
            "member": user,
            "handle": found.handle,
            "roles": sorted(
                g.get_role_display() for g in user.role_grants.filter(status="granted")
            ),
            "listings": selectors.listings().filter(prescriber=user),
        },
    )


def complete(request: HttpRequest) -> HttpResponse:
    """``?q=dr pr`` → ``{"members": [{"handle": "dr-price", "name": "Dr Price (…)"}]}``."""
    if not can_discuss(request.user):
        raise PermissionDenied(_("Mentions are for discussion members."))
    query = request.GET.get("q", "")[:80]
    return JsonResponse({"members": mentions.member_completions(query)})
