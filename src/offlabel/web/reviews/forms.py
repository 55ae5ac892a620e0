"""Forms of the reviews app: validation at the edge; the services re-check everything."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.consensus import needs_rationale
from offlabel.evidence.vocabulary import Category, Grade, TargetSpecies
from offlabel.web.catalog.models import Condition, Topic
from offlabel.web.common.vocabulary import choices
from offlabel.web.reviews.models import SECTIONS, EvidenceItem, Review


class ReviewIndexFilterForm(forms.Form):
    condition = forms.ModelChoiceField(
        queryset=Condition.objects.all(), required=False, empty_label=_("Any condition")
    )
    species = forms.ChoiceField(
        choices=[("", "Any species"), *choices(TargetSpecies)], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", "Any category"), *choices(Category)],
        required=False,
    )
    grade = forms.ChoiceField(choices=[("", "Any grade"), *choices(Grade)], required=False)


class StartReviewForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.select_related("therapy", "condition"),
        help_text=_("A topic without a published review gets a new, empty draft."),
    )


class NewVersionForm(forms.Form):
    change_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            'What this version changes; "No new information warranted a grade change" '
            "is a valid summary."
        ),
    )
    carry_votes = forms.BooleanField(
        required=False,
        label=_("Carry over the published votes"),
        help_text=_("For an update that changes no grade: reviewers may still re-cast any vote."),
    )


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "author_names",
            "plain_summary",
            "change_summary",
            *(name for name, _heading, _category in SECTIONS),
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in (
                "plain_summary",
                "change_summary",
                *(name for name, _heading, _category in SECTIONS),
            )
        }


class ConflictForm(forms.Form):
    statement = forms.CharField(
        label=_("Your conflicts of interest for this review"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Payments, shares, prescribing or selling this therapy, a relative taking it — or "
            "“None”. Shown with the review. Needed before you vote."
        ),
    )


class EvidenceItemForm(forms.ModelForm):
    class Meta:
        model = EvidenceItem
        fields = [
            "reference",
            "category",
            "species",
            "design",
            "quality",
            "direction",
            "verified",
            "n",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        labels = {"verified": "Diagnosis verified and outcome objective"}

    confirm_relevance = forms.BooleanField(
        label=_("I have checked that this record is relevant to the topic"),
        required=False,
        help_text=_(
            "Tick this when the relevance check warns that the record does not name the topic's "
            "therapy or condition but it belongs here all the same (say why in the note). Until "
            "then the item does not count towards the suggested grade."
        ),
    )

    def __init__(self, *args: Any, references: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if references is not None:
            self.fields["reference"].queryset = references  # type: ignore[attr-defined]
        self.fields["reference"].help_text = "From this topic's library."


class VoteForm(forms.Form):
    """One grade (and an optional rationale) per category; blank grades are not cast.

    ``suggestions`` maps category value to the engine's suggested grade, so a vote far from it
    is caught here with a message on that category's rationale field.
    """

    def __init__(
        self,
        *args: Any,
        suggestions: dict[str, str],
        current: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        current = current or {}
        for category in Category:
            vote = current.get(category.value)
            self.fields[f"grade_{category.value}"] = forms.ChoiceField(
                label=f"{category.label} grade",
                choices=[("", "—"), *choices(Grade)],
                required=False,
                initial=vote.grade if vote else "",
            )
            self.fields[f"rationale_{category.value}"] = forms.CharField(
                label=f"{category.label} rationale",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=vote.rationale if vote else "",
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "category": category,
                "suggested": self.suggestions.get(category.value, ""),
                "grade": self[f"grade_{category.value}"],
                "rationale": self[f"rationale_{category.value}"],
            }
            for category in Category
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"grade_{c.value}") for c in Category):
            raise forms.ValidationError(_("Choose a grade for at least one category."))
        for category in Category:
            grade = data.get(f"grade_{category.value}")
            suggested = self.suggestions.get(category.value)
            rationale = (data.get(f"rationale_{category.value}") or "").strip()
            if grade and suggested and needs_rationale(grade, suggested) and not rationale:
                self.add_error(
                    f"rationale_{category.value}",
                    f"{category.label}: your grade {grade} is two or more levels from the "
                    f"suggested {suggested}; say why.",
                )
        return data

    def cast(self) -> list[tuple[str, str, str]]:
        """``(category, grade, rationale)`` for every category given a grade."""
        return [
            (
                category.value,
                self.cleaned_data[f"grade_{category.value}"],
                self.cleaned_data.get(f"rationale_{category.value}", ""),
            )
            for category in Category
            if self.cleaned_data.get(f"grade_{category.value}")
        ]


class ReviewTranslationForm(forms.ModelForm):
    """The translated texts of one version; an empty field shows the English original."""

    class Meta:
        from offlabel.web.reviews.models import TRANSLATED_FIELDS, ReviewTranslation

        model = ReviewTranslation
        fields = list(TRANSLATED_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 6}) for name in TRANSLATED_FIELDS if name != "title"
        }
