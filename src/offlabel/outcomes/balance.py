"""Covariate balance of a matched comparison: means and standardized mean differences."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["balance_table"]


def _smd(mean_treated: float, mean_control: float, pooled_sd: float) -> float:
    if not pooled_sd > 0:
        return math.nan
    return (mean_treated - mean_control) / pooled_sd


def balance_table(
    covariates: Mapping[str, tuple[np.ndarray, np.ndarray]],
    matches: np.ndarray,
    weights: np.ndarray,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Balance before and after matching, one row per covariate.

    Parameters
    ----------
    covariates : mapping of str to (numpy.ndarray, numpy.ndarray)
        Per covariate: the treated units' values and every candidate control's values
        (NaN = unknown, left out of that covariate's means).
    matches : numpy.ndarray
        ``(n_treated, k)`` indices into the candidate controls, -1 where a set has fewer.
    weights : numpy.ndarray
        ``(n_treated, k)`` weight of each match (``1 / k_i`` for a set of ``k_i``).
    labels : mapping of str to str, optional
        Readable names.

    Returns
    -------
    pandas.DataFrame
        Index ``covariate``; columns ``label, mean_treated, mean_control_before,
        mean_control_after, smd_before, smd_after``. Both standardized mean differences divide
        by the same pre-matching pooled SD, so they compare directly (Austin, Stat Med 2009).
    """
    used = matches >= 0
    flat = np.maximum(matches, 0)
    rows = []
    for name, (x_t, x_c) in covariates.items():
        x_after = np.where(used, x_c[flat], np.nan)
        w_after = np.where(used & np.isfinite(x_after), weights, 0.0)
        mean_t = float(np.nanmean(x_t)) if np.isfinite(x_t).any() else math.nan
        mean_before = float(np.nanmean(x_c)) if np.isfinite(x_c).any() else math.nan
        total_w = float(w_after.sum())
        mean_after = (
            float(np.nansum(np.nan_to_num(x_after) * w_after) / total_w) if total_w else math.nan
        )
        enough = np.isfinite(x_t).sum() > 1 and np.isfinite(x_c).sum() > 1
        pooled = (
            math.sqrt((np.nanvar(x_t, ddof=1) + np.nanvar(x_c, ddof=1)) / 2) if enough else math.nan
        )
        rows.append(
            (
                name,
                (labels or {}).get(name, name),
                mean_t,
                mean_before,
                mean_after,
                _smd(mean_t, mean_before, pooled),
                _smd(mean_t, mean_after, pooled),
            )
        )
    columns = [
        "covariate",
        "label",
        "mean_treated",
        "mean_control_before",
        "mean_control_after",
        "smd_before",
        "smd_after",
    ]
    return pd.DataFrame(rows, columns=columns).set_index("covariate")
