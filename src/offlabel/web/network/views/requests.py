"""Review requests: the public queue, asking, voting, and the editors' curation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.common.caching import public_page
from offlabel.web.network import selectors, services
from offlabel.web.network.forms import AvailabilityForm, LinkTopicForm, MergeForm, RequestForm
from offlabel.web.network.models import AVAILABILITY_MULTIPLIER, ReviewRequest
from offlabel.web.network.permissions import INVITER_ROLES
from offlabel.web.network.services.requests import DuplicateRequest
from offlabel.web.network.views._helpers import error_text, flash_error


@public_page
def future(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/future.html",
        {
            "requests": selectors.requests_future_reviews(),
            "voted": selectors.request_ids_voted_by(request.user),
            "multipliers": AVAILABILITY_MULTIPLIER,
            "can_invite": request.user.is_authenticated
            and request.user.has_any_role(*INVITER_ROLES),
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    initial = {
        key: request.GET[key][:2000]
        for key in ("therapy_name", "condition_name", "claims")
        if key in request.GET
    }
    form = RequestForm(request.POST or None, initial=initial)
    duplicates: list[ReviewRequest] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_create(
                requester=signed_in_user(request),
                therapy=data["therapy"],
                therapy_name=data["therapy_name"],
                condition=data["condition"],
                condition_name=data["condition_name"],
                condition_species=data["condition_species"],
                claims=data["claims"],
                links=data["links"],
            )
        except DuplicateRequest as duplicate:
            duplicates = duplicate.duplicates
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("Thank you. Your request is in the queue; it counts as your vote.")
            )
            return redirect(created)
    return render(
        request,
        "network/request_form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "voted": selectors.request_ids_voted_by(request.user) if duplicates else set(),
        },
        status=409 if duplicates else 200,
    )


@public_page
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.request_detail(pk)
    except ReviewRequest.DoesNotExist:
        raise Http404(_("No such request.")) from None
    editor = request.user.is_authenticated and request.user.is_editor
    context = {
        "item": item,
        "voted": item.pk in selectors.request_ids_voted_by(request.user),
        "is_editor": editor,
    }
    if editor and item.status == ReviewRequest.Status.OPEN:
        context |= {
            "availability_form": AvailabilityForm(initial={"availability": item.availability}),
            "merge_form": MergeForm(request_obj=item),
            "link_form": LinkTopicForm(initial={"topic": item.topic_id}),
        }
    return render(request, "network/request_detail.html", context)


@require_POST
@login_required
def request_vote(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReviewRequest, pk=pk)
    try:
        services.request_vote(request=item, voter=signed_in_user(request))
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Your vote for %(item)s is counted.") % {"item": item})
    return redirect("network:future" if request.POST.get("next") == "list" else item)


@require_POST
@role_required(Role.EDITOR)
def request_availability(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReviewRequest, pk=pk)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        services.request_set_availability(
            request=item, availability=form.cleaned_data["availability"], by=signed_in_user(request)
        )
        messages.success(request, _("Availability saved; the priority follows it."))
    else:
        messages.error(request, _("Choose how much usable information exists."))
    return redirect(item)


@require_POST
@role_required(Role.EDITOR)
def request_merge(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReviewRequest, pk=pk)
    form = MergeForm(request.POST, request_obj=item)
    if not form.is_valid():
        messages.error(request, _("Choose an open request to merge this one into."))
        return redirect(item)
    try:
        into = services.request_merge(
            duplicate=item, into=form.cleaned_data["into"], by=signed_in_user(request)
        )
    except ValidationError as error:
        flash_error(request, error)
        return redirect(item)
    messages.success(request, _("Merged into “%(into)s”; votes carried over.") % {"into": into})
    return redirect(into)


@require_POST
@role_required(Role.EDITOR)
def request_link(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReviewRequest, pk=pk)
    form = LinkTopicForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an existing topic, or none to create one."))
        return redirect(item)
    try:
        topic = services.request_link_topic(
            request=item, by=signed_in_user(request), topic=form.cleaned_data["topic"]
        )
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Linked to the topic %(topic)s.") % {"topic": topic})
    return redirect(item)
