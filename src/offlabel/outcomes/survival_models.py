"""The models behind :mod:`offlabel.outcomes.survival`: Cox designs, fits and cumulative incidence.

* :func:`fit_time_varying_cox` — the primary result: lifelines ``CoxTimeVaryingFitter`` on
  (start, stop] episodes, each subject untreated until the first course starts and treated from
  then on, time since onset as the time scale, adjusted for the recorded covariates.
* :func:`fit_landmark_cox` — the sensitivity analysis: subjects event-free and followed at the
  landmark, grouped by whether a course had started by then, time from the landmark
  (lifelines ``CoxPHFitter``), the same covariates.
* :func:`cumulative_incidence` — the share reaching the endpoint by a day when death from other
  causes competes (Aalen–Johansen, checked against lifelines), beside 1 − Kaplan–Meier.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from offlabel.evidence.wording import fill, gettext_noop

__all__ = [
    "AUTO_COVARIATES",
    "CoxEffect",
    "aalen_johansen",
    "auto_covariates",
    "cumulative_incidence",
    "design_matrix",
    "episodes",
    "fit_landmark_cox",
    "fit_time_varying_cox",
]

#: What the primary model adjusts for when the registry holds it (in this order).
AUTO_COVARIATES = ("breed", "size_class", "age_at_onset")


@dataclass(frozen=True)
class CoxEffect:
    """The therapy's hazard ratio (treated vs untreated) from one Cox model."""

    hr: float
    ci_low: float
    ci_high: float
    p: float
    model: str
    n: int
    events: int
    covariates: tuple[str, ...]
    table: pd.DataFrame = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.model,
            "hr": self.hr,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p": self.p,
            "covariates": list(self.covariates),
            "n": self.n,
            "events": self.events,
        }


def auto_covariates(table: pd.DataFrame) -> tuple[str, ...]:
    """The :data:`AUTO_COVARIATES` the table holds with at least two distinct values."""
    chosen = []
    for name in AUTO_COVARIATES:
        if name in table.columns and table[name].dropna().nunique() >= 2:
            chosen.append(name)
    return tuple(chosen)


def design_matrix(
    table: pd.DataFrame, covariates: Sequence[str], min_level_n: int, known: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Numeric design columns for the covariates: text columns become indicator columns.

    Levels seen fewer than ``min_level_n`` times are pooled as ``other``; the most common level
    is the reference. Columns that add nothing (constant, or a combination of earlier ones,
    such as a size class implied by the breed) are left out. Returns the design and notes.
    """
    design = pd.DataFrame(index=table.index)
    notes: list[str] = []
    for name in covariates:
        if name not in table.columns:
            names = ", ".join(sorted(set(known) | set(map(str, table.columns))))
            raise ValueError(f"unknown covariate {name!r} (known: {names})")
        column = table[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            design[name] = column.astype("float64")
            continue
        text = column.astype("string")
        counts = text.value_counts()
        rare = counts.index[counts < min_level_n]
        if len(rare):
            text = text.where(~text.isin(rare), "other")
            notes.append(f"{len(rare)} rare {name} level(s) pooled as 'other'")
        levels = text.value_counts()
        for level in levels.index[1:]:
            design[f"{name}[{level}]"] = (text == level).astype("float64").where(text.notna())
    complete = design.dropna()
    kept: list[str] = []
    for label in map(str, design.columns):
        values = complete[[*kept, label]].to_numpy(dtype=float)
        trial = np.column_stack([np.ones(len(values)), values])
        if len(trial) and np.linalg.matrix_rank(trial) == trial.shape[1]:
            kept.append(label)
        else:
            notes.append(f"{label} left out: it adds nothing to the other covariates")
    return design[kept], notes


def episodes(table: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """Long (start, stop] rows: untreated until the first course starts, treated after."""
    duration = table["duration_days"].to_numpy()
    start = table["start_days"].to_numpy()
    switch = np.isfinite(start) & (start > 0) & (start < duration)
    from_zero = np.isfinite(start) & (start <= 0)
    ids = np.arange(len(table))
    before = pd.DataFrame(
        {"id": ids[switch], "start": 0.0, "stop": start[switch], "observed": 0, "treated": 0.0}
    )
    whole = pd.DataFrame(
        {
            "id": ids,
            "start": np.where(switch, start, 0.0),
            "stop": duration,
            "observed": table["observed"].to_numpy().astype(int),
            "treated": (switch | from_zero).astype(float),
        }
    )
    long = pd.concat([before, whole], ignore_index=True)
    covariates = design.reset_index(drop=True).iloc[long["id"].to_numpy()].reset_index(drop=True)
    return pd.concat([long, covariates], axis=1)


def _effect(
    fitter: Any, alpha: float, model: str, base: pd.DataFrame, design: pd.DataFrame
) -> CoxEffect:
    summary = fitter.summary
    row = summary.loc["treated"]
    level = f"{100 * (1 - alpha):g}%"
    return CoxEffect(
        hr=float(row["exp(coef)"]),
        ci_low=float(row[f"exp(coef) lower {level}"]),
        ci_high=float(row[f"exp(coef) upper {level}"]),
        p=float(row["p"]),
        model=model,
        n=len(base),
        events=int(base["observed"].sum()),
        covariates=tuple(design.columns),
        table=summary,
    )


#: How each model is named on pages (msgids of the web's catalogue, see ``evidence.wording``).
PRIMARY_MODEL = gettext_noop(
    "Cox proportional hazards (cause-specific), treatment time-varying from its start, "
    "adjusted for {covariates}"
)
PRIMARY_MODEL_UNADJUSTED = gettext_noop(
    "Cox proportional hazards (cause-specific), treatment time-varying from its start, unadjusted"
)
LANDMARK_MODEL = gettext_noop(
    "Cox proportional hazards, landmark at {landmark_days} days, adjusted for {covariates}"
)
LANDMARK_MODEL_UNADJUSTED = gettext_noop(
    "Cox proportional hazards, landmark at {landmark_days} days, unadjusted"
)
MODEL_TEMPLATES = (
    PRIMARY_MODEL,
    PRIMARY_MODEL_UNADJUSTED,
    LANDMARK_MODEL,
    LANDMARK_MODEL_UNADJUSTED,
)


def _model(adjusted: str, unadjusted: str, design: pd.DataFrame, **values: object) -> str:
    if len(design.columns):
        return fill(adjusted, {**values, "covariates": ", ".join(design.columns)})
    return fill(unadjusted, values)


def fit_time_varying_cox(
    table: pd.DataFrame, design: pd.DataFrame, alpha: float, penalizer: float
) -> tuple[Any, CoxEffect]:
    """The primary model (see the module docstring); raises lifelines' errors as they come."""
    from lifelines import CoxTimeVaryingFitter

    data = episodes(table, design)
    fitter = CoxTimeVaryingFitter(alpha=alpha, penalizer=penalizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(data, id_col="id", event_col="observed", start_col="start", stop_col="stop")
    model = _model(PRIMARY_MODEL, PRIMARY_MODEL_UNADJUSTED, design)
    return fitter, _effect(fitter, alpha, model, table, design)


def landmark_table(table: pd.DataFrame, landmark_days: int) -> pd.DataFrame:
    """Subjects event-free and followed at the landmark, grouped by a start by then."""
    at_risk = table.loc[table["duration_days"] > landmark_days].copy()
    at_risk["treated"] = at_risk["start_days"] <= landmark_days
    at_risk["duration_days"] -= landmark_days
    return at_risk


def fit_landmark_cox(
    table: pd.DataFrame, design: pd.DataFrame, landmark_days: int, alpha: float, penalizer: float
) -> tuple[Any, CoxEffect]:
    """The landmark sensitivity model on :func:`landmark_table` rows."""
    from lifelines import CoxPHFitter

    base = landmark_table(table, landmark_days)
    rows = design.loc[base.index]
    data = rows.assign(
        treated=base["treated"].astype(float),
        duration=base["duration_days"],
        observed=base["observed"].astype(int),
    )
    fitter = CoxPHFitter(alpha=alpha, penalizer=penalizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(data, duration_col="duration", event_col="observed")
    model = _model(LANDMARK_MODEL, LANDMARK_MODEL_UNADJUSTED, rows, landmark_days=landmark_days)
    return fitter, _effect(fitter, alpha, model, base, rows)


def aalen_johansen(
    durations: np.ndarray, causes: np.ndarray, cause: int
) -> tuple[np.ndarray, np.ndarray]:
    """Aalen–Johansen cumulative incidence of ``cause`` (``causes``: 0 censored, 1, 2, …).

    Written out (a dozen lines) because lifelines' ``AalenJohansenFitter`` breaks ties by random
    jitter; ties here are kept, each distinct time counted once. Returns the distinct event
    times and the cumulative incidence just after each.
    """
    order = np.argsort(durations, kind="stable")
    t, c = np.asarray(durations, float)[order], np.asarray(causes)[order]
    times, first = np.unique(t, return_index=True)
    at_risk = len(t) - first
    any_event = np.add.reduceat((c != 0).astype(float), first)
    of_cause = np.add.reduceat((c == cause).astype(float), first)
    survival = np.cumprod(1.0 - any_event / at_risk)
    before = np.concatenate([[1.0], survival[:-1]])
    return times, np.cumsum(before * of_cause / at_risk)


def cumulative_incidence(table: pd.DataFrame, day: float) -> dict[str, float] | None:
    """Aalen–Johansen cumulative incidence of the endpoint by ``day``, death competing.

    Returns ``None`` without a competing event (then it equals 1 − Kaplan–Meier). Otherwise
    ``{"day", "endpoint", "competing", "one_minus_km"}``: the shares (0–1) reaching the
    endpoint, and ending first by a competing event, by that day, and what 1 − Kaplan–Meier
    (competing ends treated as censoring) would say.
    """
    competing = table["competing"].to_numpy(bool)
    observed = table["observed"].to_numpy(bool)
    if not competing.any() or not observed.any():
        return None
    durations = table["duration_days"].to_numpy(float)
    code = np.where(observed, 1, np.where(competing, 2, 0))
    out: dict[str, float] = {"day": float(day)}
    for name, cause in (("endpoint", 1), ("competing", 2)):
        times, cif = aalen_johansen(durations, code, cause)
        upto = times <= day
        out[name] = float(cif[upto][-1]) if upto.any() else 0.0
    times, km = aalen_johansen(durations, observed.astype(int), 1)
    upto = times <= day
    out["one_minus_km"] = float(km[upto][-1]) if upto.any() else 0.0
    return out
