"""Cheap simulated two-arm trials (vectorised numpy), written apart from ``outcomes.power``.

Survival: exponential control times with a given chance of the event within the minimum
follow-up, treated times with the hazard multiplied by the hazard ratio, entry uniform over the
accrual period, administrative censoring at the end of the study, exponential loss. Each trial
is tested by the two-sided log-rank test, computed for all trials at once from the sorted
pooled times (continuous times, so no ties).

Slope: each subject's observed slope is the least-squares slope of noisy scores at fixed
visits around a true slope that varies between subjects; Welch-free pooled t-test per trial.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def logrank_reject(
    time: np.ndarray, event: np.ndarray, treated: np.ndarray, alpha: float
) -> np.ndarray:
    """Two-sided log-rank test per row of ``(trials, subjects)`` arrays; True = rejected."""
    order = np.argsort(time, axis=1)
    e = np.take_along_axis(event, order, axis=1).astype(float)
    g = np.take_along_axis(treated, order, axis=1).astype(float)
    n = time.shape[1]
    n_treated = g.sum(axis=1, keepdims=True)
    before_t = np.cumsum(g, axis=1) - g
    at_risk = n - np.arange(n)[None, :]
    at_risk_t = n_treated - before_t
    share = at_risk_t / at_risk
    observed = (e * g).sum(axis=1)
    expected = (e * share).sum(axis=1)
    variance = (e * share * (1 - share)).sum(axis=1)
    z = (observed - expected) / np.sqrt(variance)
    return np.abs(z) > stats.norm.ppf(1 - alpha / 2)


def survival_power(
    n_per_arm: int,
    hazard_ratio: float,
    control_probability: float,
    followup_days: int,
    accrual_days: int,
    loss_per_year: float,
    trials: int,
    rng: np.random.Generator,
    alpha: float = 0.05,
) -> float:
    """Share of simulated trials whose log-rank test rejects."""
    n = 2 * n_per_arm
    treated = np.zeros((trials, n), dtype=bool)
    treated[:, :n_per_arm] = True
    rate = -np.log1p(-control_probability) / followup_days
    hazard = np.where(treated, rate * hazard_ratio, rate)
    event_time = rng.exponential(1.0, (trials, n)) / hazard
    entry = rng.uniform(0.0, accrual_days, (trials, n)) if accrual_days else np.zeros((trials, n))
    admin = followup_days + accrual_days - entry
    loss_rate = -np.log1p(-loss_per_year) / 365.25 if loss_per_year else 0.0
    lost = (
        rng.exponential(1.0, (trials, n)) / loss_rate if loss_rate else np.full((trials, n), np.inf)
    )
    end = np.minimum(admin, lost)
    time = np.minimum(event_time, end)
    return float(logrank_reject(time, event_time <= end, treated, alpha).mean())


def slope_power(
    n_per_arm: int,
    effect: float,
    sd_true: float,
    noise_sd: float,
    visits: np.ndarray,
    trials: int,
    rng: np.random.Generator,
    alpha: float = 0.05,
) -> float:
    """Share of simulated trials whose t-test on observed slopes rejects."""
    n = 2 * n_per_arm
    slope = rng.normal(-1.0, sd_true, (trials, n))
    slope[:, :n_per_arm] += effect
    centred = visits - visits.mean()
    sxx = float((centred**2).sum())
    # the least-squares slope of noisy scores: the true slope plus noise · centred / Sxx
    noise = rng.normal(0.0, noise_sd, (trials, n, len(visits)))
    observed = slope + (noise * centred).sum(axis=2) / sxx
    test = stats.ttest_ind(observed[:, :n_per_arm], observed[:, n_per_arm:], axis=1)
    return float((test.pvalue < alpha).mean())


def observed_slope_sd(sd_true: float, noise_sd: float, visits: np.ndarray) -> float:
    """SD of observed least-squares slopes: what a registry's slope SD measures."""
    centred = visits - visits.mean()
    return float(np.sqrt(sd_true**2 + noise_sd**2 / (centred**2).sum()))
