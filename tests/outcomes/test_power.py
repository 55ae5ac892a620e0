"""Trial planning: textbook values, statsmodels, and the registry's observed variability."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.power import TTestIndPower

from offlabel.outcomes.power import (
    SlopeTrialPlanner,
    SurvivalTrialPlanner,
    schoenfeld_events,
    schoenfeld_power,
)
from offlabel.outcomes.progression import alsfrs_slopes
from tests.outcomes.builders import alsfrs_frames, frames_of, survival_frames

pytestmark = pytest.mark.filterwarnings("ignore:Starting with pandas version 4.0")


def test_schoenfeld_gives_the_textbook_66_events_for_hr_half() -> None:
    # (1.96 + 0.8416)^2 * 4 / ln(0.5)^2 = 65.3
    assert schoenfeld_events(0.5) == pytest.approx(65.3, abs=0.1)
    assert schoenfeld_power(schoenfeld_events(0.7), 0.7) == pytest.approx(0.8)


def test_slope_plan_with_given_sd_matches_the_classic_64_per_arm() -> None:
    frames = frames_of(**alsfrs_frames(5, seed=1))
    plan = SlopeTrialPlanner(effect=0.25, sd=0.5).fit(frames).result_
    assert plan.n_per_arm == 64  # d = 0.5, alpha 0.05, power 0.8
    assert plan.n_total == 128
    assert plan.power >= 0.8


def test_slope_plan_uses_the_registry_between_subject_sd() -> None:
    frames = frames_of(**alsfrs_frames(40, seed=3, slope_sd=0.4))
    slopes = alsfrs_slopes(frames, 3)["slope"]
    plan = SlopeTrialPlanner(relative_effect=0.25).fit(frames).result_
    assert plan.inputs["sd"] == pytest.approx(slopes.std(ddof=1))
    assert plan.effect == pytest.approx(0.25 * abs(slopes.mean()))
    expected = TTestIndPower().solve_power(
        effect_size=plan.effect / slopes.std(ddof=1), alpha=0.05, power=0.8
    )
    assert plan.n_per_arm == math.ceil(expected)
    assert "40 subjects" in plan.caveats[0]


def test_slope_power_for_a_given_size() -> None:
    frames = frames_of(**alsfrs_frames(5, seed=1))
    plan = SlopeTrialPlanner(effect=0.25, sd=0.5, n_per_arm=30).fit(frames).result_
    assert plan.power == pytest.approx(TTestIndPower().power(effect_size=0.5, nobs1=30, alpha=0.05))


def test_slope_plan_needs_exactly_one_effect() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        SlopeTrialPlanner(effect=0.2, relative_effect=0.2)


def test_survival_plan_averages_the_arms_event_probabilities() -> None:
    """Finding 4: the treated arm has fewer events, p_t = 1 − (1 − p_c)^HR; the pooled control
    probability applied to both arms gave 11–16% too few subjects."""
    plan = SurvivalTrialPlanner(hazard_ratio=0.5, event_probability=0.5).fit().result_
    p_t = 1 - (1 - 0.5) ** 0.5
    assert plan.inputs["event_probability_control"] == pytest.approx(0.5, abs=1e-9)
    assert plan.inputs["event_probability_treated"] == pytest.approx(p_t, abs=1e-9)
    assert plan.inputs["event_probability"] == pytest.approx((0.5 + p_t) / 2, abs=1e-9)
    assert plan.events == 66
    assert plan.n_per_arm == math.ceil(66 / ((0.5 + p_t) / 2) / 2)
    assert plan.n_per_arm > 66  # the old pooled answer
    assert plan.power >= 0.8


def test_accrual_and_loss_lower_the_chance_of_an_observed_event() -> None:
    base = SurvivalTrialPlanner(hazard_ratio=0.7, event_probability=0.4).fit().result_
    longer = (
        SurvivalTrialPlanner(hazard_ratio=0.7, event_probability=0.4, accrual_days=365)
        .fit()
        .result_
    )
    lossy = (
        SurvivalTrialPlanner(hazard_ratio=0.7, event_probability=0.4, loss_per_year=0.2)
        .fit()
        .result_
    )
    # exponential control: with uniform extra follow-up U(0, A) the control chance is known
    rate = -math.log(0.6) / 365
    expected = 1 - (math.exp(-rate * 365) - math.exp(-rate * 730)) / (rate * 365)
    assert longer.inputs["event_probability_control"] == pytest.approx(expected, abs=2e-3)
    assert longer.n_per_arm < base.n_per_arm < lossy.n_per_arm


def test_survival_plan_reads_event_probability_from_trial_entry() -> None:
    """Finding 4: the event probability runs from trial entry, among subjects event-free then,
    not from onset."""
    rng = np.random.default_rng(2)
    durations = rng.integers(30, 1000, 200)
    observed = rng.random(200) < 0.8
    frames = frames_of(**survival_frames(durations, observed, np.zeros(200, bool)))
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter().fit(durations, observed)
    from_entry = 1 - float(kmf.predict(90 + 365)) / float(kmf.predict(90))
    plan = SurvivalTrialPlanner(hazard_ratio=0.7, followup_days=365).fit(frames).result_
    assert plan.inputs["event_probability_control"] == pytest.approx(from_entry, abs=0.01)
    assert "within 365 days of entry at day 90" in plan.caveats[0]
    onset_plan = SurvivalTrialPlanner(hazard_ratio=0.7, entry_days=0).fit(frames).result_
    from_onset = 1 - float(kmf.predict(365))
    assert onset_plan.inputs["event_probability_control"] == pytest.approx(from_onset, abs=0.01)
    treated = 1 - (1 - from_onset) ** 0.7
    average = onset_plan.inputs["event_probability"]
    assert average == pytest.approx((from_onset + treated) / 2, abs=0.01)
    assert onset_plan.n_per_arm == math.ceil(math.ceil(schoenfeld_events(0.7)) / average / 2)
