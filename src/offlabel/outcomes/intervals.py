"""Confidence intervals shared by the outcome analyses."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from statsmodels.stats.proportion import proportion_confint

__all__ = ["wilson_interval"]


def wilson_interval(
    count: npt.ArrayLike, nobs: npt.ArrayLike, confidence: float = 0.95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wilson score interval for binomial proportions (vectorised; statsmodels underneath).

    Parameters
    ----------
    count : array_like of int
        Successes.
    nobs : array_like of int
        Trials; where it is 0 the interval is ``nan``.
    confidence : float
        Coverage, e.g. 0.95.

    Returns
    -------
    low, high : numpy.ndarray
        Bounds as proportions (0–1).

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc. 1927;22:209–12.

    Examples
    --------
    >>> low, high = wilson_interval(3, 15)
    >>> round(float(low[0]), 3), round(float(high[0]), 3)
    (0.07, 0.452)
    """
    counts = np.atleast_1d(np.asarray(count, dtype=np.float64))
    trials = np.atleast_1d(np.asarray(nobs, dtype=np.float64))
    counts, trials = np.broadcast_arrays(counts, trials)
    low = np.full(counts.shape, np.nan)
    high = np.full(counts.shape, np.nan)
    ok = trials > 0
    if ok.any():
        lo, hi = proportion_confint(counts[ok], trials[ok], alpha=1 - confidence, method="wilson")
        low[ok] = np.clip(lo, 0.0, 1.0)
        high[ok] = np.clip(hi, 0.0, 1.0)
    # The exact Wilson bound is 0 when nothing was counted and 1 when everything was; floating
    # point leaves 1e-15 there, which would print as a (meaningless) tiny positive share.
    low[ok & (counts == 0)] = 0.0
    high[ok & (counts == trials)] = 1.0
    return low, high
