"""Simulation study: a planned trial has the power it promises (slope and survival).

For each scenario the planner gives n per arm; 2,000 trials of that size are simulated by
:mod:`tests.outcomes.trial_sim` (written apart from the planner) and tested. The simulated
power must be within 3 points of the nominal. Seeds are fixed. Cost: about 3 s on one core.
"""

from __future__ import annotations

import numpy as np
import pytest

from offlabel.outcomes.power import SlopeTrialPlanner, SurvivalTrialPlanner
from tests.outcomes.trial_sim import observed_slope_sd, slope_power, survival_power

TRIALS = 2000

SURVIVAL = [
    # hazard ratio, control event probability, power, follow-up, accrual (days), loss per year
    (0.6, 0.5, 0.8, 365, 0, 0.0),
    (0.7, 0.4, 0.8, 365, 180, 0.1),
    (0.5, 0.6, 0.9, 270, 365, 0.2),
]


@pytest.mark.slow
@pytest.mark.parametrize(("hr", "p_control", "power", "followup", "accrual", "loss"), SURVIVAL)
def test_survival_plan_has_its_power_in_simulated_trials(
    hr: float, p_control: float, power: float, followup: int, accrual: int, loss: float
) -> None:
    plan = (
        SurvivalTrialPlanner(
            hazard_ratio=hr,
            event_probability=p_control,
            power=power,
            followup_days=followup,
            accrual_days=accrual,
            loss_per_year=loss,
        )
        .fit()
        .result_
    )
    rng = np.random.default_rng([int(hr * 100), int(p_control * 100)])
    simulated = survival_power(plan.n_per_arm, hr, p_control, followup, accrual, loss, TRIALS, rng)
    print(
        f"\nsurvival HR {hr}, p_c {p_control}, accrual {accrual} d, loss {loss:.0%}/y: "
        f"n/arm {plan.n_per_arm}, nominal {plan.power:.3f}, simulated {simulated:.3f} "
        f"({TRIALS} trials)"
    )
    assert abs(simulated - plan.power) <= 0.03


SLOPE = [(0.3, 0.8, 0.5), (0.25, 0.9, 0.6), (0.4, 0.8, 0.4)]


@pytest.mark.slow
@pytest.mark.parametrize(("effect", "power", "sd_true"), SLOPE)
def test_slope_plan_has_its_power_in_simulated_trials(
    effect: float, power: float, sd_true: float
) -> None:
    visits = np.array([0.0, 2.5, 6.0, 9.0, 12.0])
    sd = observed_slope_sd(sd_true, 1.8, visits)
    plan = SlopeTrialPlanner(effect=effect, sd=sd, power=power).fit().result_
    rng = np.random.default_rng([int(effect * 100), int(power * 100)])
    simulated = slope_power(plan.n_per_arm, effect, sd_true, 1.8, visits, TRIALS, rng)
    print(
        f"\nslope effect {effect}, SD {sd:.3f}: n/arm {plan.n_per_arm}, nominal "
        f"{plan.power:.3f}, simulated {simulated:.3f} ({TRIALS} trials)"
    )
    assert abs(simulated - plan.power) <= 0.03
