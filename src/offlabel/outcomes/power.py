"""Trial planning: sample size or power for a two-arm trial, from the registry's variability.

Two outcomes:

* **ALSFRS-R slope** — a two-sample t-test on per-subject slopes (statsmodels
  ``TTestIndPower``). The standard deviation is the registry's between-subject SD of ALSFRS-R
  slopes (subjects with enough scores over enough time), unless given.
* **Time to event** — Schoenfeld's formula for the number of events a log-rank test needs,
  ``D = (z₁₋α/₂ + z_power)² / (p(1−p) (ln HR)²)`` with allocation ``p`` (½ for equal arms);
  subjects needed are ``D / P̄``, where ``P̄`` is the *average of the two arms'* chances of an
  observed event: the control arm's survival ``S_c(t)`` from trial entry, the treated arm's
  ``S_t = S_c^HR`` (so ``p_t = 1 − (1 − p_c)^HR`` over a fixed follow-up), each subject followed
  from entry for between ``followup_days`` and ``followup_days + accrual_days`` (uniform
  accrual) and lost to follow-up at a constant rate (``loss_per_year``). ``S_c`` is the
  registry's Kaplan–Meier survival conditional on being event-free ``entry_days`` after onset
  (``S(entry + t) / S(entry)``), or exponential through ``event_probability`` when given.
  Written by hand because statsmodels has no survival power and lifelines implements
  Freedman's variant. Checked by simulating trials (``tests/outcomes/test_power_study.py``).

References
----------
Schoenfeld DA. Sample-size formula for the proportional-hazards regression model.
Biometrics. 1983;39:499–503.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.power import TTestIndPower

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.caveats import CaveatKind, caveat
from offlabel.outcomes.progression import alsfrs_slopes
from offlabel.outcomes.results import Fitted, json_object
from offlabel.outcomes.survival import Endpoint, survival_table
from offlabel.registry.frames import RegistryFrames

__all__ = [
    "SlopeTrialPlanner",
    "SurvivalTrialPlanner",
    "TrialPlan",
    "schoenfeld_events",
    "schoenfeld_power",
]


def schoenfeld_events(
    hazard_ratio: float, alpha: float = 0.05, power: float = 0.8, allocation: float = 0.5
) -> float:
    """Events a two-sided log-rank test needs (Schoenfeld 1983), before rounding up.

    Examples
    --------
    >>> math.ceil(schoenfeld_events(0.5))
    66
    """
    if not hazard_ratio > 0 or hazard_ratio == 1:
        raise ValueError(f"hazard ratio must be positive and not 1, got {hazard_ratio}")
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return float(z**2 / (allocation * (1 - allocation) * math.log(hazard_ratio) ** 2))


def schoenfeld_power(
    events: float, hazard_ratio: float, alpha: float = 0.05, allocation: float = 0.5
) -> float:
    """Power of a two-sided log-rank test with ``events`` events (Schoenfeld 1983)."""
    drift = math.sqrt(events * allocation * (1 - allocation)) * abs(math.log(hazard_ratio))
    return float(norm.cdf(drift - norm.ppf(1 - alpha / 2)))


@dataclass(frozen=True)
class TrialPlan:
    """A two-arm trial plan (equal arms).

    Attributes
    ----------
    outcome : str
        ``"slope"`` or ``"survival"``.
    alpha, power : float
        Two-sided significance level and the power (solved for when ``n_per_arm`` was given).
    n_per_arm, n_total : int
    events : int or None
        Events needed (survival only).
    effect : float
        Slope difference in points/month, or the hazard ratio.
    inputs : dict
        The registry figures used (SD of slopes, mean slope, event probability, n behind them).
    caveats : tuple of str
    """

    outcome: str
    alpha: float
    power: float
    n_per_arm: int
    n_total: int
    events: int | None
    effect: float
    inputs: dict[str, float | int | None] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()

    def _figures(self) -> dict[str, Any]:
        """The plan's own figures, in the order both the table and the JSON show them."""
        return {
            "outcome": self.outcome,
            "effect": self.effect,
            "alpha": self.alpha,
            "power": self.power,
            "n_per_arm": self.n_per_arm,
            "n_total": self.n_total,
            "events": self.events,
        }

    @property
    def summary(self) -> pd.DataFrame:
        """The plan as a one-column table (its figures, then the registry inputs)."""
        rows = {**self._figures(), **self.inputs}
        return pd.DataFrame({"value": pd.Series(rows, dtype=object)}).rename_axis("item")

    def to_dict(self) -> dict[str, Any]:
        """The CLI/API JSON shape."""
        return json_object(
            {**self._figures(), "inputs": self.inputs, "caveats": list(self.caveats)}
        )


def _check(alpha: float, power: float | None, n_per_arm: int | None) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    if n_per_arm is None and (power is None or not 0 < power < 1):
        raise ValueError(f"power must be between 0 and 1, got {power}")
    if n_per_arm is not None and n_per_arm < 2:
        raise ValueError(f"n per arm must be at least 2, got {n_per_arm}")


class SlopeTrialPlanner(Fitted[TrialPlan]):
    """Plan a trial on ALSFRS-R slope.

    Parameters
    ----------
    effect : float, optional
        Difference in slope to detect, points/month (e.g. 0.25).
    relative_effect : float, optional
        Or the slowing as a fraction of the registry's mean decline (e.g. 0.25 = 25% slower).
    sd : float, optional
        Between-subject SD of slopes; default: the registry's.
    alpha : float
    power : float
        Target power (used when ``n_per_arm`` is ``None``).
    n_per_arm : int, optional
        Give it to get the power instead of the size.
    min_scores : int
        Fewest ALSFRS-R scores for a subject's slope to enter the SD.
    min_span_months : float
        Shortest time between first and last score for the same.

    Attributes
    ----------
    result_ : TrialPlan
    """

    def __init__(
        self,
        *,
        effect: float | None = None,
        relative_effect: float | None = None,
        sd: float | None = None,
        alpha: float = 0.05,
        power: float = 0.8,
        n_per_arm: int | None = None,
        min_scores: int = 3,
        min_span_months: float = 3.0,
    ) -> None:
        if (effect is None) == (relative_effect is None):
            raise ValueError("give exactly one of effect (points/month) or relative_effect")
        _check(alpha, power, n_per_arm)
        self.effect = effect
        self.relative_effect = relative_effect
        self.sd = sd
        self.alpha = alpha
        self.power = power
        self.n_per_arm = n_per_arm
        self.min_scores = min_scores
        self.min_span_months = min_span_months

    def fit(self, frames: RegistryFrames | None = None) -> Self:
        """Read the registry's slopes and solve; returns ``self``.

        ``frames`` may be left out when both ``sd`` and ``effect`` are given.
        """
        if frames is None:
            if self.sd is None or self.effect is None:
                raise ValueError("give a registry, or both sd and effect")
            usable = pd.Series(dtype=float)
        else:
            slopes = alsfrs_slopes(frames, self.min_scores)
            usable = slopes.loc[
                slopes["slope"].notna() & (slopes["span_months"] >= self.min_span_months),
                "slope",
            ]
        n_slopes = len(usable)
        sd = self.sd if self.sd is not None else float(usable.std(ddof=1))
        mean = float(usable.mean()) if n_slopes else float("nan")
        if not (sd > 0):
            raise ValueError(
                f"no usable slope SD: {n_slopes} subjects have ≥{self.min_scores} ALSFRS-R "
                f"scores over ≥{self.min_span_months:g} months (need 2; or pass sd)"
            )
        if self.effect is not None:
            effect = abs(self.effect)
        else:
            if self.relative_effect is None or not np.isfinite(mean):
                raise ValueError("no registry slopes to turn a relative effect into points/month")
            effect = abs(self.relative_effect * mean)
        d = effect / sd
        solver = TTestIndPower()
        if self.n_per_arm is None:
            n = float(solver.solve_power(effect_size=d, alpha=self.alpha, power=self.power))
            n_per_arm = math.ceil(n)
            power = float(solver.power(effect_size=d, nobs1=n_per_arm, alpha=self.alpha))
        else:
            n_per_arm = self.n_per_arm
            power = float(solver.power(effect_size=d, nobs1=n_per_arm, alpha=self.alpha))
        sentences = [
            caveat(
                CaveatKind.OBSERVED_VARIABILITY,
                what=(
                    f"SD of ALSFRS-R slopes {sd:.2f} points/month from {n_slopes} subjects"
                    if self.sd is None
                    else f"SD {sd:.2f} points/month as given; mean slope {mean:.2f} from "
                    f"{n_slopes} subjects"
                ),
            )
        ]
        if self.sd is None and n_slopes < 30:
            sentences.append(
                caveat(
                    CaveatKind.MODEL_SIMPLIFIED,
                    model="Small registry",
                    reason=f"the SD rests on {n_slopes} subjects and is itself uncertain",
                )
            )
        self.result_ = TrialPlan(
            outcome="slope",
            alpha=self.alpha,
            power=power,
            n_per_arm=n_per_arm,
            n_total=2 * n_per_arm,
            events=None,
            effect=effect,
            inputs={
                "sd": sd,
                "mean_slope": mean,
                "standardised_effect": d,
                "n_slopes": n_slopes,
            },
            caveats=tuple(sentences),
        )
        return self


def arm_event_probability(
    survival: np.ndarray,
    hazard_ratio: float,
    followup_days: int,
    accrual_days: int = 0,
    loss_per_year: float = 0.0,
) -> float:
    """Chance of an observed event in one arm, from the control survival on a daily grid.

    ``survival[d]`` is the control arm's survival ``d`` days after entry (``survival[0] = 1``,
    at least ``followup_days + accrual_days + 1`` values); the arm's survival is
    ``survival ** hazard_ratio``. Follow-up ends uniformly between ``followup_days`` and
    ``followup_days + accrual_days`` after entry, and earlier by loss at a constant rate.
    """
    horizon = followup_days + accrual_days
    arm = np.asarray(survival[: horizon + 1], dtype=float) ** hazard_ratio
    density = -np.diff(arm)  # event probability in each day (d, d + 1]
    days = np.arange(horizon) + 0.5
    rate = -math.log1p(-loss_per_year) / 365.25 if loss_per_year > 0 else 0.0
    kept = np.exp(-rate * days)
    if accrual_days > 0:
        followed = np.clip((horizon - days) / accrual_days, 0.0, 1.0)
    else:
        followed = (days < followup_days).astype(float)
    return float((density * kept * followed).sum())


class SurvivalTrialPlanner(Fitted[TrialPlan]):
    """Plan a trial on time to an event (Schoenfeld), with both arms' event probabilities.

    Parameters
    ----------
    hazard_ratio : float
        Hazard ratio to detect (e.g. 0.7).
    alpha, power : float
    n_per_arm : int, optional
        Give it to get the power instead of the size.
    event_probability : float, optional
        The control arm's chance of the event within ``followup_days`` of entry (exponential
        in between); default from the registry (see the module docstring).
    followup_days : int
        Follow-up from trial entry of the last subject enrolled (the shortest follow-up).
    accrual_days : int
        Enrolment period (uniform); early subjects are followed this much longer.
    loss_per_year : float
        Share lost to follow-up per year (constant rate).
    entry_days : int
        Days after onset at trial entry, for the registry's survival curve.
    endpoint : Endpoint or str
    species : TargetSpecies, str or None

    Attributes
    ----------
    result_ : TrialPlan
    """

    def __init__(
        self,
        *,
        hazard_ratio: float,
        alpha: float = 0.05,
        power: float = 0.8,
        n_per_arm: int | None = None,
        event_probability: float | None = None,
        followup_days: int = 365,
        accrual_days: int = 0,
        loss_per_year: float = 0.0,
        entry_days: int = 90,
        endpoint: Endpoint | str = Endpoint.NON_AMBULATORY,
        species: TargetSpecies | str | None = TargetSpecies.DOG,
    ) -> None:
        _check(alpha, power, n_per_arm)
        if hazard_ratio <= 0 or hazard_ratio == 1:
            raise ValueError(f"hazard ratio must be positive and not 1, got {hazard_ratio}")
        if event_probability is not None and not 0 < event_probability < 1:
            raise ValueError(f"event probability must be in (0, 1), got {event_probability}")
        if followup_days < 1 or accrual_days < 0 or entry_days < 0:
            raise ValueError(
                "follow-up must be 1 day or more, accrual and entry 0 or more, got "
                f"{followup_days}, {accrual_days}, {entry_days}"
            )
        if not 0 <= loss_per_year < 1:
            raise ValueError(f"loss per year must be in [0, 1), got {loss_per_year}")
        self.hazard_ratio = hazard_ratio
        self.alpha = alpha
        self.power = power
        self.n_per_arm = n_per_arm
        self.event_probability = event_probability
        self.followup_days = int(followup_days)
        self.accrual_days = int(accrual_days)
        self.loss_per_year = float(loss_per_year)
        self.entry_days = int(entry_days)
        self.endpoint = Endpoint(endpoint)
        self.species = species

    def _registry_survival(
        self, frames: RegistryFrames, horizon: int
    ) -> tuple[np.ndarray, int, int]:
        from lifelines import KaplanMeierFitter

        table, _ = survival_table(frames, None, self.endpoint, self.species)
        if table.empty or not table["observed"].any():
            raise ValueError(
                f"no {self.endpoint.value} events in the registry to estimate an event "
                "probability (pass event_probability)"
            )
        at_entry = table.loc[table["duration_days"] > self.entry_days]
        if not at_entry["observed"].any():
            raise ValueError(
                f"no {self.endpoint.value} event after day {self.entry_days} from onset in the "
                "registry (choose an earlier entry or pass event_probability)"
            )
        kmf = KaplanMeierFitter().fit(
            at_entry["duration_days"] - self.entry_days, at_entry["observed"]
        )
        curve = np.asarray(kmf.predict(np.arange(horizon + 1, dtype=float)), dtype=float)
        return curve, len(at_entry), int(at_entry["observed"].sum())

    def fit(self, frames: RegistryFrames | None = None) -> Self:
        """Solve; ``frames`` is needed unless ``event_probability`` was given."""
        horizon = self.followup_days + self.accrual_days
        n_subjects = n_events = None
        if self.event_probability is not None:
            days = np.arange(horizon + 1, dtype=float)
            survival = (1.0 - self.event_probability) ** (days / self.followup_days)
        elif frames is None:
            raise ValueError("give a registry or an event probability")
        else:
            survival, n_subjects, n_events = self._registry_survival(frames, horizon)
        control_fixed = 1.0 - float(survival[self.followup_days])
        if control_fixed <= 0:
            raise ValueError(
                f"no {self.endpoint.value} event within {self.followup_days} days of entry "
                "in the registry (choose a longer follow-up or pass event_probability)"
            )
        p_control = arm_event_probability(
            survival, 1.0, self.followup_days, self.accrual_days, self.loss_per_year
        )
        p_treated = arm_event_probability(
            survival, self.hazard_ratio, self.followup_days, self.accrual_days, self.loss_per_year
        )
        probability = (p_control + p_treated) / 2
        if self.n_per_arm is None:
            events_needed = math.ceil(schoenfeld_events(self.hazard_ratio, self.alpha, self.power))
            n_per_arm = math.ceil(events_needed / probability / 2)
        else:
            n_per_arm = self.n_per_arm
            events_needed = math.ceil(2 * n_per_arm * probability)
        power = schoenfeld_power(2 * n_per_arm * probability, self.hazard_ratio, self.alpha)
        what = (
            f"P({self.endpoint.value} within {self.followup_days} days of entry at day "
            f"{self.entry_days} after onset) = {control_fixed:.2f} untreated, Kaplan–Meier over "
            f"{n_subjects} subjects still event-free at entry with {n_events} events"
            if n_subjects is not None
            else f"control event probability {control_fixed:.2f} as given"
        )
        what += (
            f"; with HR {self.hazard_ratio:g}, {self.accrual_days} days of accrual and "
            f"{100 * self.loss_per_year:.0f}% lost per year the arms' chances of an observed "
            f"event are {p_control:.2f} and {p_treated:.2f} (average {probability:.2f})"
        )
        self.result_ = TrialPlan(
            outcome="survival",
            alpha=self.alpha,
            power=power,
            n_per_arm=n_per_arm,
            n_total=2 * n_per_arm,
            events=events_needed,
            effect=self.hazard_ratio,
            inputs={
                "event_probability": probability,
                "event_probability_control": p_control,
                "event_probability_treated": p_treated,
                "followup_days": self.followup_days,
                "accrual_days": self.accrual_days,
                "loss_per_year": self.loss_per_year,
                "entry_days": self.entry_days,
                "n_subjects": n_subjects,
                "n_events": n_events,
            },
            caveats=(caveat(CaveatKind.OBSERVED_VARIABILITY, what=what),),
        )
        return self
