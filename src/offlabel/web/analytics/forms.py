"""Forms of the reviewers' analysis page: each one turns into a run's parameters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from offlabel.outcomes.runner import DEFAULTS, Analysis

ENDPOINTS = [
    ("non_ambulatory", _("Onset → non-ambulatory")),
    ("thoracic_limbs", _("Onset → front legs affected")),
    ("euthanasia_or_death", _("Onset → euthanasia or death")),
]
COVARIATES = [
    ("age_at_onset", _("Age at onset")),
    ("breed", _("Breed")),
    ("size_class", _("Size class (from weight)")),
    ("sod1", _("SOD1 genotype")),
]


class MatchedControlsForm(forms.Form):
    kind = Analysis.MATCHED
    k = forms.IntegerField(
        label=_("Controls per treated person (k)"),
        min_value=1,
        max_value=10,
        initial=DEFAULTS[Analysis.MATCHED]["k"],
    )
    followup_months = forms.FloatField(
        label=_("Follow-up window (months)"),
        min_value=3,
        max_value=36,
        initial=DEFAULTS[Analysis.MATCHED]["followup_months"],
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=DEFAULTS[Analysis.MATCHED]["seed"],
        help_text=_("The same seed on the same registry gives the same result."),
    )

    def params(self) -> dict[str, Any]:
        return {
            "k": self.cleaned_data["k"],
            "followup_months": self.cleaned_data["followup_months"],
            "seed": self.cleaned_data["seed"],
        }


class SurvivalForm(forms.Form):
    kind = Analysis.SURVIVAL
    endpoint = forms.ChoiceField(choices=ENDPOINTS, initial=DEFAULTS[Analysis.SURVIVAL]["endpoint"])
    covariates = forms.MultipleChoiceField(
        label=_("Adjust the Cox model for (none ticked: breed, size class, age at onset)"),
        choices=COVARIATES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    landmark_days = forms.IntegerField(
        label=_("Landmark of the sensitivity analysis (days after onset)"),
        min_value=1,
        max_value=3650,
        initial=DEFAULTS[Analysis.SURVIVAL]["landmark_days"],
        required=False,
        help_text=_("Compare only dogs still walking at this day, by treatment started by then."),
    )

    def params(self) -> dict[str, Any]:
        return {
            "endpoint": self.cleaned_data["endpoint"],
            "covariates": list(self.cleaned_data["covariates"]),
            "landmark_days": self.cleaned_data["landmark_days"],
        }


class SlopeChangeForm(forms.Form):
    kind = Analysis.SLOPE_CHANGE
    min_before = forms.IntegerField(
        label=_("ALSFRS-R scores needed before the start"),
        min_value=2,
        max_value=10,
        initial=DEFAULTS[Analysis.SLOPE_CHANGE]["min_before"],
    )
    min_after = forms.IntegerField(
        label=_("ALSFRS-R scores needed after the start"),
        min_value=2,
        max_value=10,
        initial=DEFAULTS[Analysis.SLOPE_CHANGE]["min_after"],
    )

    def params(self) -> dict[str, Any]:
        return {
            "min_before": self.cleaned_data["min_before"],
            "min_after": self.cleaned_data["min_after"],
        }


class PowerForm(forms.Form):
    kind = Analysis.POWER
    outcome = forms.ChoiceField(
        choices=[("slope", _("ALSFRS-R slope")), ("survival", _("Time to event"))], initial="slope"
    )
    effect = forms.FloatField(
        label=_("Slope difference to detect (points/month)"),
        min_value=0.01,
        max_value=5,
        required=False,
        initial=0.25,
    )
    hazard_ratio = forms.FloatField(
        label=_("Hazard ratio to detect"), min_value=0.05, max_value=20, required=False, initial=0.7
    )
    followup_days = forms.IntegerField(
        label=_("Follow-up from trial entry of the last subject (days)"),
        min_value=1,
        max_value=3650,
        initial=DEFAULTS[Analysis.POWER]["followup_days"],
        required=False,
    )
    accrual_days = forms.IntegerField(
        label=_("Enrolment period (days, uniform accrual)"),
        min_value=0,
        max_value=3650,
        initial=DEFAULTS[Analysis.POWER]["accrual_days"],
        required=False,
    )
    loss_per_year = forms.FloatField(
        label=_("Share lost to follow-up per year"),
        min_value=0,
        max_value=0.95,
        initial=DEFAULTS[Analysis.POWER]["loss_per_year"],
        required=False,
    )
    entry_days = forms.IntegerField(
        label=_("Trial entry (days after onset)"),
        min_value=0,
        max_value=3650,
        initial=DEFAULTS[Analysis.POWER]["entry_days"],
        required=False,
    )
    alpha = forms.FloatField(
        label=_("Significance level (two-sided)"), initial=DEFAULTS[Analysis.POWER]["alpha"]
    )
    power = forms.FloatField(label=_("Power"), initial=DEFAULTS[Analysis.POWER]["power"])

    def clean_alpha(self) -> float:
        alpha = float(self.cleaned_data["alpha"])
        if not 0 < alpha < 0.5:
            raise forms.ValidationError(_("Alpha must be between 0 and 0.5 (e.g. 0.05)."))
        return alpha

    def clean_power(self) -> float:
        power = float(self.cleaned_data["power"])
        if not 0.5 <= power < 1:
            raise forms.ValidationError(_("Power must be at least 0.5 and below 1 (e.g. 0.8)."))
        return power

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "survival":
            ratio = data.get("hazard_ratio")
            if ratio is None:
                self.add_error("hazard_ratio", _("Give the hazard ratio to detect."))
            elif ratio == 1:
                self.add_error("hazard_ratio", "A hazard ratio of 1 is no effect.")
        elif data.get("outcome") == "slope" and data.get("effect") is None:
            self.add_error("effect", _("Give the slope difference to detect."))
        return data

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {
            "outcome": data["outcome"],
            "alpha": data["alpha"],
            "power": data["power"],
        }
        if data["outcome"] == "survival":
            out["hazard_ratio"] = data["hazard_ratio"]
            for name in ("followup_days", "accrual_days", "loss_per_year", "entry_days"):
                if data.get(name) is not None:
                    out[name] = data[name]
        else:
            out["effect"] = data["effect"]
        return out


FORMS: dict[Analysis, type[forms.Form]] = {
    Analysis.MATCHED: MatchedControlsForm,
    Analysis.SURVIVAL: SurvivalForm,
    Analysis.SLOPE_CHANGE: SlopeChangeForm,
    Analysis.POWER: PowerForm,
}


class FreezeForm(forms.Form):
    section = forms.ChoiceField(choices=[("cases", _("Cases")), ("risks", _("Risks"))])
