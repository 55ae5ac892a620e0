"""The experienced-prescriber directory, consult requests and their private threads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from offlabel.web.accounts.permissions import role_required, signed_in_user
from offlabel.web.accounts.roles import Role
from offlabel.web.catalog.models import Topic
from offlabel.web.network import selectors, services
from offlabel.web.network.forms import (
    ConsultDecisionForm,
    ConsultForm,
    ListingForm,
    MessageForm,
)
from offlabel.web.network.models import ConsultRequest, PrescriberListing
from offlabel.web.network.permissions import DIRECTORY_ROLES, PRESCRIBER_ROLES, can_prescribe
from offlabel.web.network.ratelimit import RateLimited
from offlabel.web.network.views._helpers import error_text, flash_error


@role_required(*DIRECTORY_ROLES)
def prescribers(request: HttpRequest) -> HttpResponse:
    topic = None
    if request.GET.get("topic"):
        topic = get_object_or_404(Topic, slug=request.GET["topic"])
    return render(
        request,
        "network/prescribers.html",
        {
            "listings": selectors.listings(topic),
            "topic": topic,
            "topics": Topic.objects.select_related("therapy", "condition"),
            "can_consult": can_prescribe(request.user),
        },
    )


@role_required(*PRESCRIBER_ROLES)
def my_listings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.listing_save(
            prescriber=user,
            topic=data["topic"],
            years_experience=data["years_experience"],
            cases=data["cases"],
            note=data["note"],
        )
        messages.success(request, _("You are listed for %(topic)s.") % {"topic": data["topic"]})
        return redirect("network:my_listings")
    return render(
        request,
        "network/my_listings.html",
        {"form": form, "mine": selectors.listings().filter(prescriber=user)},
    )


@require_POST
@role_required(*PRESCRIBER_ROLES)
def listing_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    listing = get_object_or_404(PrescriberListing, pk=pk, prescriber=user)
    services.listing_delete(listing=listing, by=user)
    messages.success(request, _("Your entry was removed from the directory."))
    return redirect("network:my_listings")


@role_required(*PRESCRIBER_ROLES, Role.EDITOR)
def consults(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    waiting = []
    if user.is_editor:
        waiting = [
            (consult, ConsultDecisionForm(consult=consult, prefix=f"c{consult.pk}"))
            for consult in selectors.consults_waiting_for_editors()
        ]
    return render(
        request,
        "network/consults.html",
        {
            "consults": selectors.consults_for(user) if can_prescribe(user) else [],
            "waiting": waiting,
            "me": user,
        },
    )


@role_required(*PRESCRIBER_ROLES)
def consult_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial: dict[str, Any] = {}
    if request.GET.get("topic"):
        initial["topic"] = Topic.objects.filter(slug=request.GET["topic"]).first()
    if request.GET.get("listing", "").isdigit():
        listing = PrescriberListing.objects.filter(pk=int(request.GET["listing"])).first()
        if listing is not None:
            initial |= {"prescriber": listing, "topic": listing.topic}
    form = ConsultForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        listing = form.cleaned_data["prescriber"]
        try:
            consult = services.consult_request_create(
                requester=user,
                topic=form.cleaned_data["topic"],
                question=form.cleaned_data["question"],
                prescriber=listing.prescriber if listing else None,
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your consult request is sent."))
            return redirect(consult)
    return render(request, "network/consult_form.html", {"form": form})


def _party_consult(request: HttpRequest, pk: int) -> ConsultRequest:
    try:
        return selectors.consult_for_party(pk, request.user)
    except ConsultRequest.DoesNotExist:
        raise Http404(_("No such consult.")) from None


def _consult_page(
    request: HttpRequest,
    consult: ConsultRequest,
    form: MessageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    accepted = consult.status == ConsultRequest.Status.ACCEPTED
    mine_shared = (
        consult.requester_shares_contact
        if user.pk == consult.requester_id
        else consult.prescriber_shares_contact
    )
    return render(
        request,
        "network/consult.html",
        {
            "consult": consult,
            "me": user,
            "other": consult.prescriber if user.pk == consult.requester_id else consult.requester,
            "decision_form": ConsultDecisionForm(consult=consult)
            if services.can_decide(user, consult)
            else None,
            "form": form or (MessageForm() if accepted else None),
            "accepted": accepted,
            "mine_shared": mine_shared,
        },
        status=status,
    )


@login_required
def consult_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _consult_page(request, _party_consult(request, pk))


@require_POST
@login_required
def consult_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    consult = get_object_or_404(ConsultRequest.objects.select_related("topic"), pk=pk)
    if not services.can_decide(user, consult):
        raise Http404(_("No such consult request waiting for you."))
    prefix = request.POST.get("prefix") or None
    form = ConsultDecisionForm(request.POST, consult=consult, prefix=prefix)
    back = "network:consults" if consult.prescriber_id is None else consult
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
        return redirect(back)
    listing = form.cleaned_data["prescriber"]
    try:
        services.consult_decide(
            consult=consult,
            by=user,
            accept=form.cleaned_data["decision"] == "accept",
            prescriber=listing.prescriber if listing else None,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        flash_error(request, error)
        return redirect(back)
    messages.success(
        request,
        _("Consult request: %(status)s.") % {"status": consult.get_status_display().lower()},
    )
    return redirect(consult if consult.is_party(user) else "network:consults")


@require_POST
@login_required
def consult_message(request: HttpRequest, pk: int) -> HttpResponse:
    consult = _party_consult(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _consult_page(request, consult, form)
    try:
        message = services.consult_message_send(
            consult=consult, author=signed_in_user(request), body=form.cleaned_data["body"]
        )
    except ValidationError as error:
        form.add_error(None, error_text(error))
        return _consult_page(
            request, consult, form, status=429 if isinstance(error, RateLimited) else 200
        )
    return redirect(f"{consult.get_absolute_url()}#message-{message.pk}")


@require_POST
@login_required
def consult_contact(request: HttpRequest, pk: int) -> HttpResponse:
    consult = _party_consult(request, pk)
    share = request.POST.get("share") == "yes"
    try:
        services.consult_share_contact(consult=consult, user=signed_in_user(request), share=share)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You agreed to share your contact details.")
            if share
            else _("Your contact details are no longer shared."),
        )
    return redirect(consult)
