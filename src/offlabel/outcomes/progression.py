"""Progression: ALSFRS-R slopes, ΔFS, and the change in slope after a treatment starts.

Time is in months of :data:`~offlabel.registry.vocabulary.DAYS_PER_MONTH` days. A slope is in
ALSFRS-R points per month (negative = decline), fitted by ordinary least squares over one
subject's scores. ΔFS (Kimura et al., Neurology 2006) is ``(48 − first total) / months from
onset to the first score`` in points lost per month (positive = decline).

The change in slope after a treatment starts is estimated two ways: per subject (slope after
the first course started minus slope before) and with a linear mixed-effects model
(statsmodels ``MixedLM``)::

    total ~ months + months_after_start,   random intercept and slope per subject

where ``months`` runs from the subject's first score and ``months_after_start`` is the time
since the first course started (0 before). Its coefficient is the average change in slope.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
from statsmodels.regression.mixed_linear_model import MixedLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from offlabel.outcomes.caveats import CaveatKind, caveat
from offlabel.outcomes.results import Fitted, json_object, number
from offlabel.registry.frames import RegistryFrames, factorize_ids
from offlabel.registry.vocabulary import DAYS_PER_MONTH, ScaleKey

__all__ = [
    "ALSFRS_R_MAX",
    "SlopeChange",
    "SlopeChangeResult",
    "alsfrs_slopes",
    "delta_fs",
    "per_subject_slopes",
]

#: Highest possible ALSFRS-R total.
ALSFRS_R_MAX = 48.0


def _months(delta: pd.Series) -> npt.NDArray[np.float64]:
    days = delta.to_numpy(dtype="timedelta64[ns]").astype("timedelta64[s]").astype(np.float64)
    return days / 86400.0 / DAYS_PER_MONTH


def per_subject_slopes(
    subject: pd.Series, months: npt.ArrayLike, total: npt.ArrayLike, min_scores: int = 2
) -> pd.DataFrame:
    """OLS slope and intercept of ``total`` on ``months`` for every subject, vectorised.

    Hand-written because a per-group ``numpy.polyfit`` loop is orders of magnitude slower on
    registry-sized data; it is the closed-form simple-regression estimate computed from
    per-subject sums (centred per subject for numerical stability).

    Parameters
    ----------
    subject : pandas.Series
        Subject id per row.
    months, total : array_like
        Time and score per row.
    min_scores : int
        Subjects with fewer scores (or all at one time) get ``nan`` slope.

    Returns
    -------
    pandas.DataFrame
        Index ``subject_id``; columns ``n_scores``, ``slope``, ``intercept``, ``span_months``.
    """
    codes, ids = factorize_ids(subject)
    t = np.asarray(months, dtype=np.float64)
    y = np.asarray(total, dtype=np.float64)
    k = len(ids)
    n = np.bincount(codes, minlength=k).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_mean = np.bincount(codes, t, minlength=k) / n
        y_mean = np.bincount(codes, y, minlength=k) / n
        dt = t - t_mean[codes]
        dy = y - y_mean[codes]
        sxx = np.bincount(codes, dt * dt, minlength=k)
        sxy = np.bincount(codes, dt * dy, minlength=k)
        slope = np.where((n >= min_scores) & (sxx > 0), sxy / sxx, np.nan)
        t_min = np.full(k, np.inf)
        t_max = np.full(k, -np.inf)
        np.minimum.at(t_min, codes, t)
        np.maximum.at(t_max, codes, t)
    return pd.DataFrame(
        {
            "n_scores": n.astype(np.int64),
            "slope": slope,
            "intercept": y_mean - slope * t_mean,
            "span_months": t_max - t_min,
        },
        index=pd.Index(ids, name="subject_id"),
    )


def _alsfrs(frames: RegistryFrames) -> pd.DataFrame:
    scores = frames.scores
    return scores.loc[scores["scale"] == ScaleKey.ALSFRS_R.value, ["subject_id", "date", "total"]]


def alsfrs_slopes(frames: RegistryFrames, min_scores: int = 2) -> pd.DataFrame:
    """ALSFRS-R slope per subject in points per month, over all their scores.

    Parameters
    ----------
    frames : RegistryFrames
    min_scores : int
        Fewest scores for a slope (others get ``nan``).

    Returns
    -------
    pandas.DataFrame
        Index ``subject_id``; columns ``n_scores``, ``first_date``, ``last_date``,
        ``first_total``, ``last_total``, ``span_months``, ``slope``.
    """
    scores = _alsfrs(frames).sort_values(["subject_id", "date"], kind="stable")
    if scores.empty:
        return pd.DataFrame(
            columns=[
                "n_scores", "first_date", "last_date", "first_total",
                "last_total", "span_months", "slope",
            ],
            index=pd.Index([], name="subject_id", dtype="string"),
        )  # fmt: skip
    first = scores.groupby("subject_id", sort=False).agg(
        first_date=("date", "min"),
        last_date=("date", "max"),
        first_total=("total", "first"),
        last_total=("total", "last"),
    )
    origin = first["first_date"].reindex(scores["subject_id"]).to_numpy()
    months = _months(scores["date"] - origin)
    fitted = per_subject_slopes(scores["subject_id"], months, scores["total"], min_scores)
    out = first.join(fitted[["n_scores", "span_months", "slope"]])
    return out[
        ["n_scores", "first_date", "last_date", "first_total", "last_total", "span_months", "slope"]
    ]


def delta_fs(frames: RegistryFrames) -> pd.Series:
    """ΔFS per subject: ``(48 − first ALSFRS-R total) / months from onset to that score``.

    Subjects without an onset date, or whose first score is not after onset, get ``nan``.

    References
    ----------
    Kimura F, Fujimura C, Ishida S, et al. Progression rate of ALSFRS-R at time of diagnosis
    predicts survival time in ALS. Neurology. 2006;66:265–7.
    """
    slopes = alsfrs_slopes(frames, min_scores=1)
    onset = frames.subjects.set_index("subject_id")["onset_date"].reindex(slopes.index)
    months = pd.Series(_months(slopes["first_date"] - onset), index=slopes.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (ALSFRS_R_MAX - slopes["first_total"]) / months.where(months > 0)
    return value.rename("delta_fs")


@dataclass(frozen=True)
class SlopeChangeResult:
    """Change in ALSFRS-R slope after a therapy starts.

    Attributes
    ----------
    therapy : str
    change, ci_low, ci_high, p_value : float
        Mixed-model average change in slope (points/month; positive = slower decline after).
    slope_before : float
        Mixed-model average slope before the start.
    n_subjects, n_scores : int
        In the model.
    model : str
        The random-effects structure actually fitted.
    per_subject : pandas.DataFrame
        Index ``subject_id``; ``start_date``, ``n_before``, ``n_after``, ``slope_before``,
        ``slope_after``, ``change``.
    caveats : tuple of str
    """

    therapy: str
    change: float
    ci_low: float
    ci_high: float
    p_value: float
    slope_before: float
    n_subjects: int
    n_scores: int
    model: str
    per_subject: pd.DataFrame
    caveats: tuple[str, ...]
    confidence: float = 0.95

    @property
    def summary(self) -> pd.DataFrame:
        """The fixed effects of interest as a one-row-per-term table."""
        return pd.DataFrame(
            {
                "estimate": [self.slope_before, self.change],
                "ci_low": [np.nan, self.ci_low],
                "ci_high": [np.nan, self.ci_high],
                "p": [np.nan, self.p_value],
            },
            index=pd.Index(["slope_before", "change_in_slope"], name="term"),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (per-subject rows left out)."""
        return json_object(
            {
                "therapy": self.therapy,
                "change": self.change,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "p_value": self.p_value,
                "slope_before": self.slope_before,
                "n_subjects": self.n_subjects,
                "n_scores": self.n_scores,
                "model": self.model,
                "per_subject_mean_change": number(self.per_subject["change"].mean()),
                "caveats": list(self.caveats),
            }
        )


class SlopeChange(Fitted[SlopeChangeResult]):
    """Estimate the change in ALSFRS-R slope after the first course of a therapy starts.

    Parameters
    ----------
    therapy : str
        Matched case-insensitively.
    min_before, min_after : int
        Fewest scores before and from the start on for a subject to be included.
    confidence : float

    Attributes
    ----------
    result_ : SlopeChangeResult
    model_ : statsmodels MixedLMResults
    data_ : pandas.DataFrame
        The long table the model was fitted to.
    """

    def __init__(
        self,
        therapy: str,
        *,
        min_before: int = 2,
        min_after: int = 2,
        confidence: float = 0.95,
    ) -> None:
        self.therapy = therapy
        self.min_before = min_before
        self.min_after = min_after
        self.confidence = confidence

    def _long_table(self, frames: RegistryFrames) -> tuple[pd.DataFrame, int]:
        start = frames.first_start(self.therapy).rename("start_date")
        scores = _alsfrs(frames)
        scores = scores.loc[scores["subject_id"].isin(start.index)].join(start, on="subject_id")
        after = (scores["date"] >= scores["start_date"]).to_numpy()
        counts = (
            pd.DataFrame({"subject_id": scores["subject_id"], "after": after})
            .groupby("subject_id")["after"]
            .agg(n_after="sum", n="size")
        )
        counts["n_before"] = counts["n"] - counts["n_after"]
        eligible = counts.index[
            (counts["n_before"] >= self.min_before) & (counts["n_after"] >= self.min_after)
        ]
        data = scores.loc[scores["subject_id"].isin(eligible)].copy()
        first = data.groupby("subject_id")["date"].transform("min")
        data["months"] = _months(data["date"] - first)
        data["months_after_start"] = np.maximum(_months(data["date"] - data["start_date"]), 0.0)
        data["after"] = data["date"] >= data["start_date"]
        return data.reset_index(drop=True), int(scores["subject_id"].nunique())

    def fit(self, frames: RegistryFrames) -> Self:
        """Fit the per-subject slopes and the mixed model; returns ``self``.

        Raises
        ------
        ValueError
            Fewer than three subjects have enough scores on both sides of their start.
        """
        frames.resolve_therapy(self.therapy)
        data, n_treated = self._long_table(frames)
        n_subjects = int(data["subject_id"].nunique())
        if n_subjects < 3:
            raise ValueError(
                f"too few subjects for a change in slope after {self.therapy}: {n_subjects} of "
                f"{n_treated} treated have ≥{self.min_before} ALSFRS-R scores before and "
                f"≥{self.min_after} after the start (need 3)"
            )
        before = per_subject_slopes(
            data.loc[~data["after"], "subject_id"],
            data.loc[~data["after"], "months"],
            data.loc[~data["after"], "total"],
        )
        later = per_subject_slopes(
            data.loc[data["after"], "subject_id"],
            data.loc[data["after"], "months"],
            data.loc[data["after"], "total"],
        )
        per_subject = pd.DataFrame(
            {
                "start_date": data.groupby("subject_id")["start_date"].first(),
                "n_before": before["n_scores"],
                "n_after": later["n_scores"],
                "slope_before": before["slope"],
                "slope_after": later["slope"],
            }
        )
        per_subject["change"] = per_subject["slope_after"] - per_subject["slope_before"]

        notes: list[str] = []
        fitted, structure = None, "random intercept and slope per subject"
        for re_formula, label in (
            ("~months", "random intercept and slope per subject"),
            ("~1", "random intercept per subject"),
        ):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                try:
                    model = MixedLM.from_formula(
                        "total ~ months + months_after_start",
                        data=data.assign(subject_id=data["subject_id"].astype(str)),
                        groups="subject_id",
                        re_formula=re_formula,
                    )
                    candidate = model.fit(reml=True, method=["lbfgs"])
                except (np.linalg.LinAlgError, ValueError) as error:
                    notes.append(f"the {label} model failed ({error})")
                    continue
            if candidate.converged and not any(
                issubclass(w.category, ConvergenceWarning) for w in caught
            ):
                fitted, structure = candidate, label
                break
            notes.append(f"the {label} model did not converge")
            fitted, structure = candidate, label
        if fitted is None:
            raise ValueError(f"the mixed model could not be fitted: {'; '.join(notes)}")

        ci = fitted.conf_int(alpha=1 - self.confidence)
        term = "months_after_start"
        sentences = [
            caveat(
                CaveatKind.BEFORE_AFTER,
                n_subjects=n_subjects,
                n_scores=len(data),
                therapy=self.therapy,
            )
        ]
        if n_treated > n_subjects:
            sentences.append(
                caveat(
                    CaveatKind.EXCLUDED,
                    n_excluded=n_treated - n_subjects,
                    n_total=n_treated,
                    reason=(
                        f"fewer than {self.min_before} ALSFRS-R scores before or "
                        f"{self.min_after} after the start of {self.therapy}"
                    ),
                )
            )
        if notes:
            sentences.append(
                caveat(CaveatKind.MODEL_SIMPLIFIED, model="Mixed model", reason="; ".join(notes))
            )
        self.data_ = data
        self.model_ = fitted
        self.result_ = SlopeChangeResult(
            therapy=self.therapy,
            change=float(fitted.fe_params[term]),
            ci_low=float(ci.loc[term, 0]),
            ci_high=float(ci.loc[term, 1]),
            p_value=float(fitted.pvalues[term]),
            slope_before=float(fitted.fe_params["months"]),
            n_subjects=n_subjects,
            n_scores=len(data),
            model=structure,
            per_subject=per_subject,
            caveats=tuple(sentences),
            confidence=self.confidence,
        )
        return self
