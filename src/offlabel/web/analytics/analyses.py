"""The analyses the web pages show, as JSON-ready dictionaries built from the core's results.

Everything here takes :class:`~offlabel.outcomes.data.RegistryFrames` and plain parameters and
returns plain data (numbers, lists, strings): the topic panel caches it, an
:class:`~offlabel.web.analytics.models.AnalysisRun` stores it, a snapshot freezes it, and the
figures are drawn from it. No ORM access happens here.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.data import DAYS_PER_MONTH, RegistryError, RegistryFrames, Scale
from offlabel.outcomes.results import jsonable

#: Months per bin of the trajectory bands.
BAND_BIN_MONTHS = 3.0
#: Longest time since onset the bands cover.
BAND_MAX_MONTHS = 60.0
#: Most points kept per Kaplan–Meier curve in stored results (plots stay small).
KM_MAX_POINTS = 400


class Kind(StrEnum):
    """An analysis a reviewer can run."""

    MATCHED = "matched_controls"
    SURVIVAL = "survival"
    SLOPE_CHANGE = "slope_change"
    POWER = "power"


KIND_LABELS: dict[Kind, str] = {
    Kind.MATCHED: "Matched controls",
    Kind.SURVIVAL: "Survival (Kaplan–Meier and Cox)",
    Kind.SLOPE_CHANGE: "Change in slope after the start",
    Kind.POWER: "Trial planning",
}


class AnalysisError(ValueError):
    """The registry holds too little for the analysis; the message says what is missing."""


def _therapy_known(frames: RegistryFrames, therapy: str) -> bool:
    try:
        frames.resolve_therapy(therapy)
    except RegistryError:
        return False
    return True


# -- trajectories -------------------------------------------------------------------------------


def _scale_for(species: TargetSpecies) -> Scale:
    return Scale.DM_GAIT if species is TargetSpecies.DOG else Scale.ALSFRS_R


def scale_info(species: TargetSpecies) -> tuple[str, float]:
    """The trajectory scale's label and maximum for a species."""
    if species is TargetSpecies.DOG:
        return "Pelvic-limb gait score (0–6, 6 = normal)", 6.0
    return "ALSFRS-R total (0–48)", 48.0


def score_months(frames: RegistryFrames, species: TargetSpecies) -> pd.DataFrame:
    """Scores of the species' trajectory scale with months since onset: one row per score."""
    scale = _scale_for(species)
    scores = frames.scores.loc[
        frames.scores["scale"] == scale.value, ["subject_id", "date", "total"]
    ]
    onset = frames.subjects.set_index("subject_id")["onset_date"]
    scores = scores.assign(onset=scores["subject_id"].map(onset)).dropna(subset=["onset"])
    months = (scores["date"] - scores["onset"]).dt.days / DAYS_PER_MONTH
    return pd.DataFrame(
        {
            "subject_id": scores["subject_id"].astype(str).to_numpy(),
            "months": months.to_numpy(dtype=float),
            "total": scores["total"].to_numpy(dtype=float),
        }
    )


def score_months_empty() -> pd.DataFrame:
    """:func:`score_months` of an empty registry."""
    return pd.DataFrame(
        {
            "subject_id": pd.Series([], dtype=object),
            "months": pd.Series([], dtype=float),
            "total": pd.Series([], dtype=float),
        }
    )


def percentile_band(points: pd.DataFrame, min_cell: int) -> dict[str, list[Any]]:
    """10th, 50th and 90th percentile of the score per bin of months since onset.

    Each subject counts once per bin (the mean of their scores in it); bins with fewer than
    ``min_cell`` subjects are left out, so no band point rests on a handful of people.
    """
    points = points.loc[(points["months"] >= 0) & (points["months"] < BAND_MAX_MONTHS)]
    out: dict[str, list[Any]] = {"months": [], "low": [], "median": [], "high": [], "n": []}
    if points.empty:
        return out
    bins = np.floor(points["months"] / BAND_BIN_MONTHS).astype(int)
    per_subject = points.assign(bin=bins).groupby(["bin", "subject_id"])["total"].mean()
    for b, values in per_subject.groupby(level="bin"):
        if len(values) < min_cell:
            continue
        q = np.percentile(values.to_numpy(), [10, 50, 90])
        out["months"].append((int(str(b)) + 0.5) * BAND_BIN_MONTHS)
        out["low"].append(float(q[0]))
        out["median"].append(float(q[1]))
        out["high"].append(float(q[2]))
        out["n"].append(len(values))
    return out


def topic_trajectories(
    frames: RegistryFrames, therapy: str, species: TargetSpecies, min_cell: int
) -> dict[str, Any]:
    """Bands for subjects who took the therapy and for those who did not."""
    points = score_months(frames, species)
    treated_ids = set(
        frames.treatments.loc[frames.therapy_mask(frames.treatments, therapy), "subject_id"]
        .astype(str)
        .unique()
    )
    is_treated = points["subject_id"].isin(treated_ids)
    label, y_max = scale_info(species)
    return {
        "scale_label": label,
        "y_max": y_max,
        "groups": {
            f"took {therapy}": percentile_band(points.loc[is_treated], min_cell),
            f"did not take {therapy}": percentile_band(points.loc[~is_treated], min_cell),
        },
        "n_subjects": int(points["subject_id"].nunique()),
        "n_scores": len(points),
    }


# -- summaries ----------------------------------------------------------------------------------


def _curve_points(curve: pd.DataFrame) -> dict[str, list[float]]:
    if len(curve) > KM_MAX_POINTS:
        keep = np.unique(np.linspace(0, len(curve) - 1, KM_MAX_POINTS).round().astype(int))
        curve = curve.iloc[keep]
    return {
        column: [float(v) for v in curve[column].to_numpy(dtype=float)]
        for column in ("days", "survival", "ci_low", "ci_high")
    }


def survival_summary(
    frames: RegistryFrames,
    therapy: str,
    *,
    endpoint: str = "non_ambulatory",
    covariates: tuple[str, ...] = (),
    landmark_days: int | None = None,
) -> dict[str, Any]:
    """Kaplan–Meier, log-rank and Cox for dogs, with the curves for plotting."""
    from offlabel.outcomes.survival import SurvivalAnalysis

    try:
        fitted = SurvivalAnalysis(
            therapy, endpoint, covariates=covariates, landmark_days=landmark_days
        ).fit(frames)
    except (RegistryError, ValueError) as error:
        raise AnalysisError(str(error)) from error
    result = fitted.result_
    out = result.to_dict()
    out["curves"] = {name: _curve_points(g.curve) for name, g in result.groups.items()}
    return out


def stability_sentence(frames: RegistryFrames) -> dict[str, Any] | None:
    """The natural-history figure for people (6 months) and its sentence.

    ``None`` when the registry holds no ALSFRS-R score at all: there is nothing to show.
    """
    from offlabel.outcomes.stability import NaturalHistory

    if not (frames.scores["scale"] == Scale.ALSFRS_R.value).any():
        return None
    return NaturalHistory(6).fit(frames).result_.to_dict()


def topic_summary(
    frames: RegistryFrames, therapy: str, species: TargetSpecies, min_cell: int
) -> dict[str, Any]:
    """Everything the public topic panel shows, as plain data (see the panel template)."""
    from offlabel.outcomes.evaluations import summarize_evaluations

    out: dict[str, Any] = {"therapy": therapy, "species": species.value, "known": False}
    if not _therapy_known(frames, therapy):
        return out
    out["known"] = True
    result = summarize_evaluations(frames, therapy, species)
    out["evaluations"] = result.to_dict()
    out["evaluations"]["cost_per_month"]["n"] = result.cost_per_month.n
    out["trajectories"] = topic_trajectories(frames, therapy, species, min_cell)
    if species is TargetSpecies.HUMAN:
        stability = stability_sentence(frames)
        if stability is not None:
            out["stability"] = stability
    else:
        try:
            out["survival"] = survival_summary(frames, therapy)
        except AnalysisError as error:
            out["survival_error"] = str(error)
    return jsonable(out)  # type: ignore[no-any-return]


# -- reviewers' analyses ------------------------------------------------------------------------


def _matched(frames: RegistryFrames, therapy: str, params: dict[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.matching import MatchedControls

    fitted = MatchedControls(
        k=int(params.get("k", 3)),
        followup_months=float(params.get("followup_months", 12)),
        seed=int(params.get("seed", 0)),
    ).fit(frames, therapy=therapy)
    result = fitted.result_
    out = result.to_dict()
    out.update(
        {
            "se": result.se,
            "k": result.k,
            "followup_months": result.followup_months,
            "n_candidates": result.n_candidates,
            "ci_method": result.ci_method,
            "pairs": [
                [float(control), float(treated)]
                for control, treated in zip(
                    result.sets["counterfactual_slope"].to_numpy(dtype=float),
                    result.sets["post_slope"].to_numpy(dtype=float),
                    strict=True,
                )
                if math.isfinite(control) and math.isfinite(treated)
            ],
        }
    )
    return out


def _slope_change(frames: RegistryFrames, therapy: str, params: dict[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.progression import SlopeChange

    fitted = SlopeChange(
        therapy,
        min_before=int(params.get("min_before", 2)),
        min_after=int(params.get("min_after", 2)),
    ).fit(frames)
    return fitted.result_.to_dict()


def _power(frames: RegistryFrames, therapy: str, params: dict[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.power import SlopeTrialPlanner, SurvivalTrialPlanner

    alpha, power = float(params.get("alpha", 0.05)), float(params.get("power", 0.8))
    planner: Any
    if params.get("outcome") == "survival":
        planner = SurvivalTrialPlanner(
            hazard_ratio=float(params["hazard_ratio"]),
            alpha=alpha,
            power=power,
            followup_days=int(params.get("followup_days", 365)),
        )
    else:
        planner = SlopeTrialPlanner(effect=float(params["effect"]), alpha=alpha, power=power)
    return planner.fit(frames).result_.to_dict()


def run(kind: Kind | str, frames: RegistryFrames, therapy: str, params: dict[str, Any]) -> Any:
    """Run one reviewer analysis; returns its JSON-ready result.

    Raises
    ------
    AnalysisError
        The registry holds too little for it, or a parameter is out of range (the message says
        which).
    """
    chosen = Kind(kind)
    try:
        if chosen is Kind.MATCHED:
            out = _matched(frames, therapy, params)
        elif chosen is Kind.SURVIVAL:
            out = survival_summary(
                frames,
                therapy,
                endpoint=str(params.get("endpoint", "non_ambulatory")),
                covariates=tuple(params.get("covariates", ())),
                landmark_days=params.get("landmark_days"),
            )
        elif chosen is Kind.SLOPE_CHANGE:
            out = _slope_change(frames, therapy, params)
        else:
            out = _power(frames, therapy, params)
    except (RegistryError, ValueError, KeyError) as error:
        raise AnalysisError(str(error).strip("'\"")) from error
    return jsonable(out)
