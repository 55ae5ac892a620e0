"""Registry forms: Django fields at the edge; the meaning is checked by the services.

A form reads what was typed (dates, numbers, choices). The service it feeds checks the change
with the core's rules on the whole record and raises
:class:`~offlabel.web.registry.services.RecordProblems`; :meth:`CoreRulesMixin.add_problems`
shows each problem on the field it names (the core uses the CSV column names, which are the
form field names here). A value that is only unusual (an implausible dose, a large ALSFRS-R
change) asks the person to tick a confirmation instead of failing; an edit after the day of
entry, or of someone else's entry, asks for a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.scales import get_scale, milestones_for_species
from offlabel.registry.validation import check_free_text
from offlabel.registry.vocabulary import (
    Adherence,
    Burden,
    DoseUnit,
    ItemMissing,
    ItemValue,
    ScaleKey,
    Sex,
    Sod1Genotype,
)
from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Therapy
from offlabel.web.common.vocabulary import choices
from offlabel.web.registry.models import CareAccess, ScoreRecord, Subject, TreatmentCourse
from offlabel.web.registry.services import MAX_REASON, REMINDER_CHOICES, RecordProblem

MAX_SIDE_EFFECTS = 3


def today() -> dt.date:
    return timezone.localdate()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class CoreRulesMixin:
    """Puts the services' problems on the form's fields, and asks for a reason when needed."""

    confirm_field = ""
    needs_confirmation = False

    def add_reason(self, *, required: bool) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        form.fields["reason"] = forms.CharField(
            label="Why this correction? (kept in the record's history)"
            if required
            else "Reason (optional, kept in the record's history)",
            max_length=MAX_REASON,
            required=required,
            widget=forms.Textarea(attrs={"rows": 2}),
            error_messages={
                "required": "Say why you make this correction: it is kept in the record's history."
            },
        )

    def field_of(self, problem: RecordProblem) -> str:
        """The form field a problem belongs on (forms rename where their fields differ)."""
        return problem.field

    def add_problems(self, problems: Iterable[RecordProblem]) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        confirmed = bool(self.confirm_field and form.data.get(self.confirm_field))
        for problem in problems:
            if problem.needs_confirmation:
                if confirmed:
                    continue
                form.fields[self.confirm_field].widget = forms.CheckboxInput()
                self.needs_confirmation = True
            message = _sentence(problem.message)
            if not problem.on_entry:
                form.add_error(None, f"{problem.about}: {message}")
                continue
            name = self.field_of(problem)
            if name in form.fields:
                if name in form.errors and message in form.errors[name]:
                    continue
                form.add_error(name, message)
            else:
                form.add_error(None, f"{problem.field.replace('_', ' ')}: {message}")

    @property
    def confirmed(self) -> bool:
        form: forms.BaseForm = self  # type: ignore[assignment]
        return bool(self.confirm_field and form.cleaned_data.get(self.confirm_field))


def _confirm_field(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, widget=forms.HiddenInput())


# -- subjects -----------------------------------------------------------------------------------

_PERSON_SEXES = [(s.value, s.label) for s in Sex if s.applies_to(TargetSpecies.HUMAN)]
_DOG_SEXES = [
    ("female_spayed", "Female, spayed"),
    ("female", "Female, intact"),
    ("male_neutered", "Male, neutered"),
    ("male", "Male, intact"),
    ("unknown", "Unknown"),
]


class _SubjectForm(CoreRulesMixin, forms.ModelForm):
    species = TargetSpecies.HUMAN

    def __init__(self, *args: Any, reason_required: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reason_required is not None:
            self.add_reason(required=reason_required)


class PersonSubjectForm(_SubjectForm):
    species = TargetSpecies.HUMAN

    class Meta:
        model = Subject
        fields = [
            "name",
            "sex",
            "birth_year",
            "onset_date",
            "onset_region",
            "diagnosis_date",
            "diagnosis_confirmed_by",
        ]
        widgets = {"onset_date": DateInput(), "diagnosis_date": DateInput()}
        labels = {
            "name": "Name for this record",
            "onset_date": "Date of first symptoms",
        }
        help_texts = {
            "name": "What the clinicians you share it with see, e.g. your first name. "
            "Leave empty to show your account name.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = _PERSON_SEXES  # type: ignore[attr-defined]


class DogSubjectForm(_SubjectForm):
    species = TargetSpecies.DOG

    class Meta:
        model = Subject
        fields = [
            "name",
            "breed",
            "sex",
            "birth_year",
            "weight_kg",
            "sod1",
            "onset_date",
            "diagnosis_date",
            "diagnosis_method",
        ]
        widgets = {"onset_date": DateInput(), "diagnosis_date": DateInput()}
        labels = {"name": "Dog's name", "onset_date": "Date of first signs"}
        help_texts = {
            "name": "What you and the vets you share the record with see.",
            "sod1": "From a DNA test; choose Unknown if your dog was not tested.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = _DOG_SEXES  # type: ignore[attr-defined]
        self.fields["sod1"].required = False
        self.fields["sod1"].choices = [("", "—"), *choices(Sod1Genotype)]  # type: ignore[attr-defined]


class _ConsentFields(forms.Form):
    consent_date = forms.DateField(
        label=_("Date the patient or owner consented"), widget=DateInput()
    )
    consent_scope = forms.CharField(
        label=_("What they consented to"),
        max_length=200,
        initial="Recording this case history in the offlabel registry",
    )


class PersonCaseHistoryForm(PersonSubjectForm):
    consent_date = _ConsentFields.base_fields["consent_date"]
    consent_scope = _ConsentFields.base_fields["consent_scope"]

    class Meta(PersonSubjectForm.Meta):
        fields = [*PersonSubjectForm.Meta.fields, "consent_date", "consent_scope"]
        labels = {**PersonSubjectForm.Meta.labels, "name": "Your private reference"}


class DogCaseHistoryForm(DogSubjectForm):
    consent_date = _ConsentFields.base_fields["consent_date"]
    consent_scope = _ConsentFields.base_fields["consent_scope"]

    class Meta(DogSubjectForm.Meta):
        fields = [*DogSubjectForm.Meta.fields, "consent_date", "consent_scope"]


# -- treatments and evaluations ----------------------------------------------------------------


class CourseForm(CoreRulesMixin, forms.ModelForm):
    confirm_field = "confirm_dose"
    confirm_dose = _confirm_field("I confirm this dose")

    class Meta:
        model = TreatmentCourse
        fields = [
            "therapy",
            "therapy_text",
            "dose",
            "dose_unit",
            "frequency",
            "time_of_day",
            "start_date",
            "stop_date",
            "reason_stopped",
            "source",
            "cost_per_month",
        ]
        widgets = {"start_date": DateInput(), "stop_date": DateInput()}
        labels = {"therapy": "Therapy", "cost_per_month": "Cost per month"}

    def __init__(
        self, *args: Any, subject: Subject, reason_required: bool | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.fields["therapy"].queryset = Therapy.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["therapy"].required = False
        self.fields["dose_unit"].choices = [("", "—"), *choices(DoseUnit)]  # type: ignore[attr-defined]
        if not subject.is_dog:
            self.fields["dose_unit"].help_text = "People's doses are in mg per day."
        if reason_required is not None:
            self.add_reason(required=reason_required)

    def field_of(self, problem: RecordProblem) -> str:
        if problem.field == "therapy":
            return "therapy_text" if self.data.get("therapy_text") else "therapy"
        return problem.field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("therapy") and not data.get("therapy_text") and not self.errors:
            self.add_error("therapy", "Therapy is required: choose it or write its name.")
        return data


class EvaluationForm(CoreRulesMixin, forms.Form):
    date = forms.DateField(widget=DateInput(), initial=today)
    efficacy = forms.ChoiceField(
        label=_("How well did it work?"), choices=choices(Efficacy), widget=forms.RadioSelect
    )
    adherence = forms.ChoiceField(
        label=_("Doses taken"), choices=[("", "—"), *choices(Adherence)], required=False
    )
    burden = forms.ChoiceField(
        label=_("Trouble taking it"), choices=[("", "—"), *choices(Burden)], required=False
    )
    notes = forms.CharField(
        label=_("Anything else"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self,
        *args: Any,
        course: TreatmentCourse,
        reason_required: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.course = course
        for i in range(1, MAX_SIDE_EFFECTS + 1):
            self.fields[f"side_effect_{i}"] = forms.CharField(
                label=f"Side effect {i}", max_length=80, required=False
            )
            self.fields[f"side_effect_{i}_severity"] = forms.ChoiceField(
                label=f"Severity of side effect {i}",
                choices=[("", "—"), *choices(Severity)],
                required=False,
            )
        if reason_required is not None:
            self.add_reason(required=reason_required)

    @staticmethod
    def initial_of(evaluation: Any) -> dict[str, Any]:
        initial = {
            name: getattr(evaluation, name)
            for name in ("date", "efficacy", "adherence", "burden", "notes")
        }
        for i, effect in enumerate(evaluation.side_effects.all()[:MAX_SIDE_EFFECTS], start=1):
            initial[f"side_effect_{i}"] = effect.name
            initial[f"side_effect_{i}_severity"] = effect.severity
        return initial

    def side_effects(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"side_effect_{i}"].strip(), data[f"side_effect_{i}_severity"])
            for i in range(1, MAX_SIDE_EFFECTS + 1)
            if data.get(f"side_effect_{i}", "").strip()
        ]

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("date", "efficacy", "adherence", "burden", "notes")}

    def field_of(self, problem: RecordProblem) -> str:
        return "side_effect_1" if problem.field == "side_effects" else problem.field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, MAX_SIDE_EFFECTS + 1):
            name = data.get(f"side_effect_{i}", "")
            for problem in check_free_text(f"side_effect_{i}", name):
                self.add_error(f"side_effect_{i}", _sentence(problem.message))
            if ";" in name or ":" in name:  # the bulk layout's separators: keep exports readable
                self.add_error(f"side_effect_{i}", "One side effect per field, without ';' or ':'.")
        return data


# -- scores and milestones ----------------------------------------------------------------------

_MISSING_CHOICES = [(m.value, m.label) for m in ItemMissing]


def _item_value(text: str) -> ItemValue:
    return ItemMissing(text) if text in {m.value for m in ItemMissing} else int(text)


class AlsfrsForm(CoreRulesMixin, forms.Form):
    """The twelve ALSFRS-R items with their level wording, each also "not done" or "unknown"
    (not the same as 0); the total is computed, and only when every item is scored."""

    confirm_field = "confirm_change"
    date = forms.DateField(widget=DateInput(), initial=today)
    confirm_change = _confirm_field("I have checked these scores and confirm them")

    def __init__(
        self,
        *args: Any,
        subject: Subject,
        reason_required: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.scale = get_scale(ScaleKey.ALSFRS_R)
        for item in self.scale.items:
            label = f"{item.key}. {gettext(item.short_name)}"
            if item.condition:
                label += f" ({gettext(item.condition)})"
            self.fields[item.field] = forms.ChoiceField(
                label=label,
                choices=[
                    *(
                        (str(lvl.score), f"{lvl.score} – {gettext(lvl.text)}")
                        for lvl in reversed(item.levels)
                    ),
                    *_MISSING_CHOICES,
                ],
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields["total"] = forms.IntegerField(
            label=_("Total from your clinic (optional)"),
            required=False,
            help_text=_("Leave empty: offlabel adds up the items. If you enter it, it must match."),
        )
        self.order_fields(["date", *(i.field for i in self.scale.items), "total"])
        if reason_required is not None:
            self.add_reason(required=reason_required)

    @staticmethod
    def initial_of(score: ScoreRecord) -> dict[str, Any]:
        items = score.items or {}
        return {"date": score.date, **{f"item_{k}": str(v) for k, v in items.items()}}

    @property
    def items(self) -> dict[str, ItemValue]:
        data = self.cleaned_data
        return {
            item.key: _item_value(data[item.field])
            for item in self.scale.items
            if data.get(item.field) not in (None, "")
        }


class DmScoreForm(CoreRulesMixin, forms.Form):
    """DM stage and/or pelvic-limb gait score at one date, with each level's wording."""

    date = forms.DateField(widget=DateInput(), initial=today)
    FIELDS: Mapping[ScaleKey, str] = {ScaleKey.DM_STAGE: "stage", ScaleKey.DM_GAIT: "gait"}

    def __init__(
        self,
        *args: Any,
        subject: Subject,
        scales: Iterable[ScaleKey] = (ScaleKey.DM_STAGE, ScaleKey.DM_GAIT),
        reason_required: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        for key in scales:
            scale = get_scale(key)
            self.fields[self.FIELDS[key]] = forms.TypedChoiceField(
                label=gettext(scale.title),
                coerce=int,
                choices=[(lvl.score, f"{lvl.score} – {gettext(lvl.text)}") for lvl in scale.levels],
                widget=forms.RadioSelect,
                required=False,
                empty_value=None,
            )
        if reason_required is not None:
            self.add_reason(required=reason_required)

    def totals(self) -> dict[ScaleKey, int]:
        data = self.cleaned_data
        return {key: data[name] for key, name in self.FIELDS.items() if data.get(name) is not None}

    def field_of(self, problem: RecordProblem) -> str:
        if problem.field in {"total", "scale"} and problem.row is not None:
            return self.FIELDS.get(problem.row.scale, problem.field)
        return problem.field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.totals():
            raise forms.ValidationError(_("Choose a stage, a gait score, or both."))
        return data


class MilestoneForm(CoreRulesMixin, forms.Form):
    event = forms.ChoiceField(widget=forms.RadioSelect)
    date = forms.DateField(widget=DateInput())

    def __init__(
        self, *args: Any, subject: Subject, reason_required: bool | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.fields["event"].choices = [  # type: ignore[attr-defined]
            (m.key.value, f"{gettext(m.title)} — {gettext(m.description)}")
            for m in milestones_for_species(subject.species)
        ]
        if reason_required is not None:
            self.add_reason(required=reason_required)


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Why delete it? (kept in the record's history)"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you delete it: it is kept in the record's history."},
    )


# -- consent, reminders and the account ----------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Your clinician's or vet's e-mail address"))
    scope = forms.ChoiceField(
        label=_("They may"),
        choices=CareAccess.Scope.choices,
        widget=forms.RadioSelect,
        initial=CareAccess.Scope.VIEW,
    )
    label = forms.CharField(
        label=_("They see this record as"),
        max_length=80,
        required=False,
        help_text=_(
            "A first name or the dog's name, so they can tell their patients apart "
            "(with your name beside it)."
        ),
    )


class ReminderForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Remind me to re-score"),
        coerce=int,
        choices=[
            (m, "Never" if m == 0 else f"every {m} month{'s' if m > 1 else ''}")
            for m in REMINDER_CHOICES
        ],
    )


class ReversalCheckForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("What the clinical records say"),
        choices=[
            ("verified", "They confirm the rise"),
            ("not_confirmed", "They do not confirm it"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (no names)"), max_length=300, required=False)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class ImportForm(forms.Form):
    archive = forms.FileField(
        label=_("Registry files (a .zip holding subjects.csv and the other files)"),
        help_text=_("The bulk CSV layout; nothing is saved unless every line is valid."),
    )
    confirm_implausible = forms.BooleanField(
        label=_("Accept doses outside the usual range (I have checked them)"), required=False
    )
