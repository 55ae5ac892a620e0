"""Progression: ALSFRS-R slopes, ΔFS, and the change in slope after a treatment starts.

Time is in months of :data:`~offlabel.registry.vocabulary.DAYS_PER_MONTH` days. A slope is in
ALSFRS-R points per month (negative = decline), fitted by ordinary least squares over one
subject's scores. ΔFS (Kimura et al., Neurology 2006) is ``(48 − first total) / months from
onset to the first score`` in points lost per month (positive = decline).

Before and after a treatment starts, the slopes are **described** only: each subject's OLS
slope before the first course started and from the start on, and their means. No p-value,
interval or "effect" is computed. A simulation with non-linear courses (plateaus, accelerations)
and starts after a bad spell — what registries hold — gave a before/after "change" of +0.14
points/month with no effect and a mixed model (statsmodels ``MixedLM``, random intercept and
slope) with p < 0.05 in 96% of registries; its random-intercept fallback covered the truth 59%
of the time. The before/after difference is not an effect estimate, and is not shown as one:
the matched-controls analysis is the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from offlabel.outcomes.caveats import CaveatKind, caveat
from offlabel.outcomes.results import Fitted, json_object
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
    """ALSFRS-R slopes before and after a therapy starts: a description, not an effect.

    Attributes
    ----------
    therapy : str
    slope_before, slope_after : float
        Mean of the subjects' OLS slopes before the start and from the start on
        (points/month; negative = decline).
    n_subjects, n_scores : int
        Subjects with enough scores on both sides, and their scores.
    per_subject : pandas.DataFrame
        Index ``subject_id``; ``start_date``, ``n_before``, ``n_after``, ``slope_before``,
        ``slope_after``.
    caveats : tuple of str
    """

    therapy: str
    slope_before: float
    slope_after: float
    n_subjects: int
    n_scores: int
    per_subject: pd.DataFrame
    caveats: tuple[str, ...]

    @property
    def summary(self) -> pd.DataFrame:
        """Mean slope before and after, with the subjects behind each."""
        return pd.DataFrame(
            {
                "mean_slope": [self.slope_before, self.slope_after],
                "n_subjects": [self.n_subjects, self.n_subjects],
            },
            index=pd.Index(["before_start", "after_start"], name="period"),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures (per-subject rows left out); no p-value, interval or effect."""
        return json_object(
            {
                "therapy": self.therapy,
                "description_only": True,
                "slope_before": self.slope_before,
                "slope_after": self.slope_after,
                "n_subjects": self.n_subjects,
                "n_scores": self.n_scores,
                "caveats": list(self.caveats),
            }
        )


class SlopeChange(Fitted[SlopeChangeResult]):
    """Describe ALSFRS-R slopes before and after the first course of a therapy starts.

    Parameters
    ----------
    therapy : str
        Matched case-insensitively.
    min_before, min_after : int
        Fewest scores before and from the start on for a subject to be included.

    Attributes
    ----------
    result_ : SlopeChangeResult
    data_ : pandas.DataFrame
        The long table the slopes were fitted to.
    """

    def __init__(self, therapy: str, *, min_before: int = 2, min_after: int = 2) -> None:
        self.therapy = therapy
        self.min_before = min_before
        self.min_after = min_after

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
        data["after"] = data["date"] >= data["start_date"]
        return data.reset_index(drop=True), int(scores["subject_id"].nunique())

    def fit(self, frames: RegistryFrames) -> Self:
        """Fit each subject's slopes before and after; returns ``self``.

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
                f"too few subjects for slopes before and after {self.therapy}: {n_subjects} of "
                f"{n_treated} treated have ≥{self.min_before} ALSFRS-R scores before and "
                f"≥{self.min_after} after the start (need 3)"
            )
        parts = {}
        for name, side in (("before", ~data["after"]), ("after", data["after"])):
            parts[name] = per_subject_slopes(
                data.loc[side, "subject_id"], data.loc[side, "months"], data.loc[side, "total"]
            )
        per_subject = pd.DataFrame(
            {
                "start_date": data.groupby("subject_id")["start_date"].first(),
                "n_before": parts["before"]["n_scores"],
                "n_after": parts["after"]["n_scores"],
                "slope_before": parts["before"]["slope"],
                "slope_after": parts["after"]["slope"],
            }
        )
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
        self.data_ = data
        self.result_ = SlopeChangeResult(
            therapy=self.therapy,
            slope_before=float(per_subject["slope_before"].mean()),
            slope_after=float(per_subject["slope_after"].mean()),
            n_subjects=n_subjects,
            n_scores=len(data),
            per_subject=per_subject,
            caveats=tuple(sentences),
        )
        return self
