"""Registry forms: Django fields at the edge, the core's rules (``offlabel.registry``) for meaning.

Each problem the core finds is shown on the field it names (the core uses the CSV column names,
which are the form field names here); a value that is only unusual (an implausible dose) asks
the person to tick "I confirm this dose" instead of failing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies, choices
from offlabel.registry.problems import Problem, ProblemCode
from offlabel.registry.records import EvaluationRow, EventRow, ScoreRow, SubjectRow, TreatmentRow
from offlabel.registry.records import SideEffect as SideEffectRow
from offlabel.registry.scales import get_scale, milestones_for_species
from offlabel.registry.validation import (
    check_alsfrs_r,
    check_free_text,
    check_not_future,
    validate_evaluation,
    validate_event,
    validate_score,
    validate_subject,
    validate_treatment,
)
from offlabel.registry.vocabulary import DoseUnit, EventKind, ScaleKey, Sex, Sod1Genotype
from offlabel.web.accounts.models import User
from offlabel.web.catalog.models import Therapy
from offlabel.web.registry.models import CareAccess, Evaluation, Subject, TreatmentCourse
from offlabel.web.registry.selectors import subject_follow_up_end, subject_row

MAX_SIDE_EFFECTS = 3


def today() -> dt.date:
    return timezone.localdate()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CoreRulesMixin:
    """Puts the core's problems on the form's fields."""

    confirm_field = ""

    def add_problems(
        self, problems: Iterable[Problem], *, rename: dict[str, str] | None = None
    ) -> None:
        form: forms.BaseForm = self  # type: ignore[assignment]
        rename = rename or {}
        confirmed = bool(self.confirm_field and form.cleaned_data.get(self.confirm_field))
        for problem in problems:
            if problem.needs_confirmation:
                if confirmed:
                    continue
                form.fields[self.confirm_field].widget = forms.CheckboxInput()
                self.needs_confirmation = True
            name = rename.get(problem.field, problem.field)
            message = _sentence(problem.message)
            if name in form.fields:
                if name in form.errors and message in form.errors[name]:
                    continue
                form.add_error(name, message)
            else:
                form.add_error(None, f"{problem.field.replace('_', ' ')}: {message}")


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        onset = data.get("onset_date")
        if onset is None:
            return data
        sod1 = data.get("sod1")
        row = SubjectRow(
            subject_id=self.instance.public_id,
            species=self.species,
            onset_date=onset,
            birth_year=data.get("birth_year"),
            sex=Sex(data.get("sex") or Sex.UNKNOWN),
            breed=data.get("breed", ""),
            sod1=Sod1Genotype(sod1) if sod1 else None,
        )
        self.add_problems(
            validate_subject(row, today=today(), diagnosis_date=data.get("diagnosis_date"))
        )
        consent = data.get("consent_date")
        if consent is not None:
            self.add_problems(check_not_future("consent_date", consent, today()))
        return data


class PersonSubjectForm(_SubjectForm):
    species = TargetSpecies.HUMAN

    class Meta:
        model = Subject
        fields = [
            "sex",
            "birth_year",
            "onset_date",
            "onset_region",
            "diagnosis_date",
            "diagnosis_confirmed_by",
        ]
        widgets = {"onset_date": DateInput(), "diagnosis_date": DateInput()}
        labels = {"onset_date": "Date of first symptoms"}

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
        help_texts = {"sod1": "From a DNA test; choose Unknown if your dog was not tested."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = _DOG_SEXES  # type: ignore[attr-defined]
        self.fields["sod1"].required = False
        self.fields["sod1"].choices = [("", "—"), *choices(Sod1Genotype)]  # type: ignore[attr-defined]

    def clean_weight_kg(self) -> float | None:
        weight = self.cleaned_data.get("weight_kg")
        if weight is not None and not 0.5 <= weight <= 120:
            raise forms.ValidationError("A dog's weight is between 0.5 and 120 kg.")
        return weight


class _ConsentFields(forms.Form):
    consent_date = forms.DateField(label="Date the patient or owner consented", widget=DateInput())
    consent_scope = forms.CharField(
        label="What they consented to",
        max_length=200,
        initial="Recording this case history in the offlabel registry",
    )


class PersonCaseHistoryForm(PersonSubjectForm):
    consent_date = _ConsentFields.base_fields["consent_date"]
    consent_scope = _ConsentFields.base_fields["consent_scope"]

    class Meta(PersonSubjectForm.Meta):
        fields = ["name", *PersonSubjectForm.Meta.fields, "consent_date", "consent_scope"]
        labels = {**PersonSubjectForm.Meta.labels, "name": "Your private reference"}


class DogCaseHistoryForm(DogSubjectForm):
    consent_date = _ConsentFields.base_fields["consent_date"]
    consent_scope = _ConsentFields.base_fields["consent_scope"]

    class Meta(DogSubjectForm.Meta):
        fields = [*DogSubjectForm.Meta.fields, "consent_date", "consent_scope"]


# -- treatments and evaluations ----------------------------------------------------------------


class CourseForm(CoreRulesMixin, forms.ModelForm):
    confirm_field = "confirm_dose"
    confirm_dose = forms.BooleanField(
        label="I confirm this dose", required=False, widget=forms.HiddenInput()
    )

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

    def __init__(self, *args: Any, subject: Subject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.needs_confirmation = False
        if self.instance.pk is not None:
            self.fields["confirm_dose"].initial = self.instance.dose_confirmed
        self.fields["therapy"].queryset = Therapy.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["therapy"].required = False
        self.fields["dose_unit"].choices = [("", "—"), *choices(DoseUnit)]  # type: ignore[attr-defined]
        if not subject.is_dog:
            self.fields["dose_unit"].help_text = "People's doses are in mg per day."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start_date")
        if start is None or self.errors:
            return data
        therapy = data.get("therapy")
        name = data.get("therapy_text") or (therapy.name if therapy else "")
        unit = data.get("dose_unit")
        row = TreatmentRow(
            subject_id=self.subject.public_id,
            therapy=name,
            start_date=start,
            stop_date=data.get("stop_date"),
            dose=data.get("dose"),
            dose_unit=DoseUnit(unit) if unit else None,
            cost_per_month=data.get("cost_per_month"),
        )
        problems = validate_treatment(row, subject_row(self.subject), today=today())
        self.add_problems(
            problems, rename={"therapy": "therapy_text" if data.get("therapy_text") else "therapy"}
        )
        return data


class EvaluationForm(CoreRulesMixin, forms.Form):
    date = forms.DateField(widget=DateInput(), initial=today)
    efficacy = forms.ChoiceField(
        label="How well did it work?", choices=choices(Efficacy), widget=forms.RadioSelect
    )
    adherence = forms.ChoiceField(
        label="Doses taken", choices=[("", "—"), *Evaluation.Adherence.choices], required=False
    )
    burden = forms.ChoiceField(
        label="Trouble taking it", choices=[("", "—"), *Evaluation.Burden.choices], required=False
    )
    notes = forms.CharField(
        label="Anything else", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, course: TreatmentCourse, **kwargs: Any) -> None:
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

    def side_effects(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"side_effect_{i}"].strip(), data[f"side_effect_{i}_severity"])
            for i in range(1, MAX_SIDE_EFFECTS + 1)
            if data.get(f"side_effect_{i}", "").strip()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") is None or self.errors:
            return data
        course = self.course
        row = EvaluationRow(
            subject_id=course.subject.public_id,
            therapy=course.therapy_name,
            date=data["date"],
            efficacy=Efficacy(data["efficacy"]),
            side_effects=tuple(
                SideEffectRow(name, Severity(sev) if sev else None)
                for name, sev in self.side_effects()
            ),
        )
        course_row = TreatmentRow(course.subject.public_id, course.therapy_name, course.start_date)
        problems = validate_evaluation(
            row, subject_row(course.subject), today=today(), courses=[course_row]
        )
        for i in range(1, MAX_SIDE_EFFECTS + 1):
            name = data.get(f"side_effect_{i}", "")
            for problem in check_free_text(f"side_effect_{i}", name):
                self.add_error(f"side_effect_{i}", _sentence(problem.message))
            if ";" in name or ":" in name:  # the bulk layout's separators: keep exports readable
                self.add_error(f"side_effect_{i}", "One side effect per field, without ';' or ':'.")
        self.add_problems(p for p in problems if p.field != "side_effects")
        self.add_problems(check_free_text("notes", data.get("notes", "")))
        return data


# -- scores and milestones ----------------------------------------------------------------------


def _score_problems(subject: Subject, scale: ScaleKey, date: dt.date, total: int) -> list[Problem]:
    row = ScoreRow(subject.public_id, date, scale, total)
    problems = validate_score(
        row, subject_row(subject), today=today(), follow_up_end=subject_follow_up_end(subject)
    )
    if subject.scores.filter(scale=scale, date=date).exists():
        problems.append(
            Problem(
                "date",
                f"a {get_scale(scale).name} score is already recorded on {date}",
                ProblemCode.DUPLICATE,
            )
        )
    return problems


class AlsfrsForm(CoreRulesMixin, forms.Form):
    """The twelve ALSFRS-R items with their level wording; the total is computed."""

    date = forms.DateField(widget=DateInput(), initial=today)

    def __init__(self, *args: Any, subject: Subject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.scale = get_scale(ScaleKey.ALSFRS_R)
        for item in self.scale.items:
            label = f"{item.key}. {item.short_name}"
            if item.condition:
                label += f" ({item.condition})"
            self.fields[item.field] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=[(lvl.score, f"{lvl.score} – {lvl.text}") for lvl in reversed(item.levels)],
                widget=forms.RadioSelect,
                required=False,
            )
        self.fields["total"] = forms.IntegerField(
            label="Total from your clinic (optional)",
            required=False,
            help_text="Leave empty: offlabel adds up the items. If you enter it, it must match.",
        )
        self.items: dict[str, int] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.items = {
            item.key: data[item.field]
            for item in self.scale.items
            if data.get(item.field) not in (None, "")
        }
        self.add_problems(check_alsfrs_r(self.items, data.get("total")))
        if data.get("date") is not None and not self.errors:
            total = sum(self.items.values())
            self.add_problems(_score_problems(self.subject, ScaleKey.ALSFRS_R, data["date"], total))
        return data


class DmScoreForm(CoreRulesMixin, forms.Form):
    """DM stage and/or pelvic-limb gait score at one date, with each level's wording."""

    date = forms.DateField(widget=DateInput(), initial=today)

    def __init__(self, *args: Any, subject: Subject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        for key, field in ((ScaleKey.DM_STAGE, "stage"), (ScaleKey.DM_GAIT, "gait")):
            scale = get_scale(key)
            self.fields[field] = forms.TypedChoiceField(
                label=scale.title,
                coerce=int,
                choices=[(lvl.score, f"{lvl.score} – {lvl.text}") for lvl in scale.levels],
                widget=forms.RadioSelect,
                required=False,
            )

    def totals(self) -> dict[ScaleKey, int]:
        data = self.cleaned_data
        out = {}
        if data.get("stage") not in (None, ""):
            out[ScaleKey.DM_STAGE] = data["stage"]
        if data.get("gait") not in (None, ""):
            out[ScaleKey.DM_GAIT] = data["gait"]
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or data.get("date") is None:
            return data
        totals = self.totals()
        if not totals:
            raise forms.ValidationError("Choose a stage, a gait score, or both.")
        for scale, total in totals.items():
            field = "stage" if scale is ScaleKey.DM_STAGE else "gait"
            self.add_problems(
                _score_problems(self.subject, scale, data["date"], total),
                rename={"total": field, "scale": field},
            )
        return data


class MilestoneForm(CoreRulesMixin, forms.Form):
    event = forms.ChoiceField(widget=forms.RadioSelect)
    date = forms.DateField(widget=DateInput())

    def __init__(self, *args: Any, subject: Subject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.fields["event"].choices = [  # type: ignore[attr-defined]
            (m.key.value, f"{m.title} — {m.description}")
            for m in milestones_for_species(subject.species)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        event = EventKind(data["event"])
        row = EventRow(self.subject.public_id, event, data["date"])
        end = subject_follow_up_end(self.subject)
        problems = validate_event(row, subject_row(self.subject), today=today(), follow_up_end=end)
        self.add_problems(problems)
        if self.subject.milestones.filter(event=event).exists():
            self.add_error("event", "This milestone is already recorded.")
        elif event.ends_follow_up and end is not None:
            self.add_error("event", "The end of follow-up is already recorded.")
        return data


# -- consent and the account ---------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label="Your clinician's or vet's e-mail address")
    scope = forms.ChoiceField(
        label="They may",
        choices=CareAccess.Scope.choices,
        widget=forms.RadioSelect,
        initial=CareAccess.Scope.VIEW,
    )


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(label="Type your e-mail address to confirm")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email != self.user.email.lower():
            raise forms.ValidationError("This is not your account's e-mail address.")
        return email


class ImportForm(forms.Form):
    archive = forms.FileField(
        label="Registry files (a .zip holding subjects.csv and the other files)",
        help_text="The bulk CSV layout; nothing is saved unless every line is valid.",
    )
    confirm_implausible = forms.BooleanField(
        label="Accept doses outside the usual range (I have checked them)", required=False
    )
