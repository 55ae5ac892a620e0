"""Simulation study: matched controls stay unbiased when uptake depends on progression.

200 registries of 400 people with no effect and 200 with a true effect of +0.3 points/month.
In every registry people start the therapy more often the faster they see themselves decline
(ΔFS from their latest, noisy ALSFRS-R score), so the treated are faster progressors and often
start just after a bad score. Seeds are fixed: the figures are the same on every run.
"""

from __future__ import annotations

import numpy as np
import pytest

from offlabel.outcomes.matching import MatchedControls
from offlabel.outcomes.simulate import DEFAULT_THERAPY, simulate_registry

N_REGISTRIES = 200
N_PEOPLE = 400
TRUE_EFFECT = 0.3


def _study(true_effect: float, first_seed: int) -> dict[str, float]:
    effects, low, high, n_treated = [], [], [], []
    for i in range(N_REGISTRIES):
        frames = simulate_registry(n_people=N_PEOPLE, true_effect=true_effect, seed=first_seed + i)
        result = MatchedControls(seed=i).fit(frames, DEFAULT_THERAPY).result_
        effects.append(result.effect)
        low.append(result.ci_low)
        high.append(result.ci_high)
        n_treated.append(result.n_treated)
    lo, hi = np.array(low), np.array(high)
    return {
        "mean_effect": float(np.mean(effects)),
        "sd_effect": float(np.std(effects, ddof=1)),
        "excludes_zero": float(np.mean((lo > 0) | (hi < 0))),
        "covers_truth": float(np.mean((lo <= true_effect) & (true_effect <= hi))),
        "mean_n_treated": float(np.mean(n_treated)),
    }


def _show(label: str, figures: dict[str, float]) -> None:
    print(
        f"\n{label}: {N_REGISTRIES} registries x {N_PEOPLE} people, "
        f"mean estimate {figures['mean_effect']:+.4f} (SD {figures['sd_effect']:.4f}), "
        f"95% CI excludes 0 in {figures['excludes_zero']:.1%}, covers the truth in "
        f"{figures['covers_truth']:.1%}, "
        f"{figures['mean_n_treated']:.1f} matched treated per registry"
    )


@pytest.mark.slow
def test_no_true_effect_the_interval_excludes_zero_in_at_most_8_percent_of_registries():
    figures = _study(0.0, first_seed=100_000)
    _show("No true effect", figures)
    assert figures["excludes_zero"] <= 0.08
    assert abs(figures["mean_effect"]) < 0.03


@pytest.mark.slow
def test_a_true_effect_is_covered_in_at_least_90_percent_of_registries():
    figures = _study(TRUE_EFFECT, first_seed=200_000)
    _show(f"True effect {TRUE_EFFECT:+.1f}", figures)
    assert figures["covers_truth"] >= 0.90
    assert abs(figures["mean_effect"] - TRUE_EFFECT) < 0.03
