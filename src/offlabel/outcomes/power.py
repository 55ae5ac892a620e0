"""Trial planning: sample size or power for a two-arm trial, from the registry's variability.

Two outcomes:

* **ALSFRS-R slope** — a two-sample t-test on per-subject slopes (statsmodels
  ``TTestIndPower``). The standard deviation is the registry's between-subject SD of ALSFRS-R
  slopes (subjects with enough scores over enough time), unless given.
* **Time to event** — Schoenfeld's formula for the number of events a log-rank test needs,
  ``D = (z₁₋α/₂ + z_power)² / (p(1−p) (ln HR)²)`` with allocation ``p`` (½ for equal arms);
  subjects needed are ``D / P(event)``, where ``P(event)`` is 1 − the registry's pooled
  Kaplan–Meier survival at the planned follow-up, unless given. Written by hand because
  statsmodels has no survival power and lifelines implements Freedman's variant.

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

    def fit(self, frames: RegistryFrames) -> Self:
        """Read the registry's slopes and solve; returns ``self``."""
        slopes = alsfrs_slopes(frames, self.min_scores)
        usable = slopes.loc[
            slopes["slope"].notna() & (slopes["span_months"] >= self.min_span_months), "slope"
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


class SurvivalTrialPlanner(Fitted[TrialPlan]):
    """Plan a trial on time to an event (Schoenfeld), with the event probability from data.

    Parameters
    ----------
    hazard_ratio : float
        Hazard ratio to detect (e.g. 0.7).
    alpha, power : float
    n_per_arm : int, optional
        Give it to get the power instead of the size.
    event_probability : float, optional
        Chance a subject has the event during follow-up; default 1 − the registry's pooled
        Kaplan–Meier survival at ``followup_days``.
    followup_days : int
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
        endpoint: Endpoint | str = Endpoint.NON_AMBULATORY,
        species: TargetSpecies | str | None = TargetSpecies.DOG,
    ) -> None:
        _check(alpha, power, n_per_arm)
        if hazard_ratio <= 0 or hazard_ratio == 1:
            raise ValueError(f"hazard ratio must be positive and not 1, got {hazard_ratio}")
        if event_probability is not None and not 0 < event_probability <= 1:
            raise ValueError(f"event probability must be in (0, 1], got {event_probability}")
        self.hazard_ratio = hazard_ratio
        self.alpha = alpha
        self.power = power
        self.n_per_arm = n_per_arm
        self.event_probability = event_probability
        self.followup_days = followup_days
        self.endpoint = Endpoint(endpoint)
        self.species = species

    def _registry_probability(self, frames: RegistryFrames) -> tuple[float, int, int]:
        from lifelines import KaplanMeierFitter

        table, _ = survival_table(frames, None, self.endpoint, self.species)
        if table.empty or not table["observed"].any():
            raise ValueError(
                f"no {self.endpoint.value} events in the registry to estimate an event "
                "probability (pass event_probability)"
            )
        kmf = KaplanMeierFitter().fit(table["duration_days"], table["observed"])
        surviving = float(kmf.predict(self.followup_days))
        return 1.0 - surviving, len(table), int(table["observed"].sum())

    def fit(self, frames: RegistryFrames | None = None) -> Self:
        """Solve; ``frames`` is needed unless ``event_probability`` was given."""
        n_subjects = n_events = None
        if self.event_probability is not None:
            probability = self.event_probability
        elif frames is None:
            raise ValueError("give a registry or an event probability")
        else:
            probability, n_subjects, n_events = self._registry_probability(frames)
            if probability <= 0:
                raise ValueError(
                    f"no {self.endpoint.value} event within {self.followup_days} days of onset "
                    "in the registry (choose a longer follow-up or pass event_probability)"
                )
        if self.n_per_arm is None:
            events_needed = math.ceil(schoenfeld_events(self.hazard_ratio, self.alpha, self.power))
            n_per_arm = math.ceil(events_needed / probability / 2)
            power = schoenfeld_power(2 * n_per_arm * probability, self.hazard_ratio, self.alpha)
        else:
            n_per_arm = self.n_per_arm
            events_needed = math.ceil(2 * n_per_arm * probability)
            power = schoenfeld_power(2 * n_per_arm * probability, self.hazard_ratio, self.alpha)
        what = (
            f"P({self.endpoint.value} within {self.followup_days} days of onset) = "
            f"{probability:.2f}, Kaplan–Meier over {n_subjects} subjects with {n_events} events"
            if n_subjects is not None
            else f"event probability {probability:.2f} as given"
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
                "followup_days": self.followup_days,
                "n_subjects": n_subjects,
                "n_events": n_events,
            },
            caveats=(caveat(CaveatKind.OBSERVED_VARIABILITY, what=what),),
        )
        return self
