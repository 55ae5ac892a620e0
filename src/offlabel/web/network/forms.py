"""Validation at the edge of the community app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Condition, Therapy, Topic
from offlabel.web.common.vocabulary import choices
from offlabel.web.network.models import (
    Availability,
    NotificationSetting,
    PrescriberListing,
    ReviewRequest,
)
from offlabel.web.network.services.requests import clean_links

# Where the discussion forms' @-completion asks for matching members (mentions.js).
_COMPLETE = reverse_lazy("network:member_complete")


def _topic_field(**kwargs: Any) -> forms.ModelChoiceField[Topic]:
    return forms.ModelChoiceField(
        queryset=Topic.objects.select_related("therapy", "condition"), **kwargs
    )


class RequestForm(forms.Form):
    therapy = forms.ModelChoiceField(
        label=_("Therapy"),
        queryset=Therapy.objects.all(),
        required=False,
        empty_label=_("— not in the list —"),
    )
    therapy_name = forms.CharField(
        label=_("…or the therapy's name, if it is not in the list"),
        max_length=120,
        required=False,
        help_text=_("e.g. curcumin. An editor checks new names before they join the catalog."),
    )
    condition = forms.ModelChoiceField(
        label=_("Condition"),
        queryset=Condition.objects.all(),
        required=False,
        empty_label=_("— not in the list —"),
    )
    condition_name = forms.CharField(
        label=_("…or the condition's name, if it is not in the list"),
        max_length=120,
        required=False,
    )
    condition_species = forms.ChoiceField(
        label=_("The condition is in"), choices=choices(TargetSpecies), initial=TargetSpecies.HUMAN
    )
    claims = forms.CharField(
        label=_("What have you heard or read it does?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    links = forms.CharField(
        label=_("Links (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Web pages where you saw the claims, one per line."),
    )

    def clean_links(self) -> str:
        return clean_links(self.cleaned_data.get("links", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("therapy") and not (data.get("therapy_name") or "").strip():
            self.add_error("therapy_name", "Pick the therapy from the list or type its name.")
        if not data.get("condition") and not (data.get("condition_name") or "").strip():
            self.add_error("condition_name", "Pick the condition from the list or type its name.")
        return data


class AvailabilityForm(forms.Form):
    availability = forms.ChoiceField(
        label=_("How much usable information exists"), choices=Availability.choices
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge this request into"), queryset=ReviewRequest.objects.none()
    )

    def __init__(self, *args: Any, request_obj: ReviewRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (  # type: ignore[attr-defined]
            ReviewRequest.objects.filter(status=ReviewRequest.Status.OPEN)
            .exclude(pk=request_obj.pk)
            .select_related("therapy", "condition")
        )


class LinkTopicForm(forms.Form):
    topic = _topic_field(
        label=_("Existing topic"),
        required=False,
        empty_label=_("— create one from the request's therapy and condition —"),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8, "data-mentions": _COMPLETE}),
        max_length=20_000,
        help_text=_("Markdown. Mention a colleague with @ and their name. No patient names."),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6, "data-mentions": _COMPLETE}),
        max_length=20_000,
        help_text=_(
            "Markdown. Mention a colleague with @ and their handle (type @ and a few "
            "letters to choose). No patient names."
        ),
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ListingForm(forms.ModelForm):
    topic = _topic_field(label=_("Topic"))

    class Meta:
        model = PrescriberListing
        fields = ["topic", "years_experience", "cases", "note"]
        help_texts = {"note": "What colleagues may ask you about (300 characters)."}


class ConsultForm(forms.Form):
    topic = _topic_field(label=_("Topic"))
    prescriber = forms.ModelChoiceField(
        label=_("Colleague (optional)"),
        queryset=PrescriberListing.objects.none(),
        required=False,
        empty_label=_("— anyone experienced: an editor finds someone —"),
    )
    question = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("Describe the case without names or anything that identifies the patient."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["prescriber"]
        field.queryset = (  # type: ignore[attr-defined]
            PrescriberListing.objects.exclude(prescriber=user)
            .filter(prescriber__is_active=True)
            .select_related("prescriber", "topic__therapy", "topic__condition")
        )
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda listing: (
                f"{listing.prescriber} — {listing.topic} "
                f"({listing.years_experience} years, {listing.cases} cases)"
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        listing, topic = data.get("prescriber"), data.get("topic")
        if listing is not None and topic is not None and listing.topic_id != topic.pk:
            self.add_error("prescriber", "This colleague is listed for another topic.")
        return data


class ConsultDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    prescriber = forms.ModelChoiceField(
        label=_("Put in touch with"), queryset=PrescriberListing.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note to the requester"), max_length=300, required=False)

    def __init__(self, *args: Any, consult: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["prescriber"]
        field.queryset = (  # type: ignore[attr-defined]
            PrescriberListing.objects.filter(topic=consult.topic, prescriber__is_active=True)
            .exclude(prescriber_id=consult.requester_id)
            .select_related("prescriber")
        )
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda listing: (
                f"{listing.prescriber} ({listing.years_experience} years, {listing.cases} cases)"
            )
        )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address"))
    recipient_name = forms.CharField(
        label=_("Their name (optional)"), max_length=120, required=False
    )
    message = forms.CharField(
        label=_("A short note from you (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )


class NotificationSettingForm(forms.ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ["email_frequency"]
        widgets = {"email_frequency": forms.RadioSelect}
