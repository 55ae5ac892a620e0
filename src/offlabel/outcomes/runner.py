"""The one way to run an analysis: the command line and the web both call :func:`run`.

Each :class:`Analysis` has its parameters and their defaults in :data:`DEFAULTS` (the CLI's
options and the web's forms take their defaults from there) and returns plain, JSON-ready data:
the estimator's own ``to_dict()`` plus what a figure needs (survival curves, matched pairs).
Every problem with the input — too little data, an unknown therapy, a parameter out of range —
is an :class:`AnalysisError` whose message says what is wrong.

:func:`topic_summary` is what the public topic panel shows; it is built from the same
estimators.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.evidence.wording import fill, gettext_noop
from offlabel.outcomes.bands import percentile_band, score_months, trajectory_scale
from offlabel.outcomes.results import jsonable
from offlabel.registry.disclosure import public_summary
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.problems import RegistryError

__all__ = [
    "DEFAULTS",
    "LABELS",
    "Analysis",
    "AnalysisError",
    "run",
    "topic_summary",
    "topic_trajectories",
]

#: Most points kept per Kaplan–Meier curve in a result (stored results and plots stay small).
KM_MAX_POINTS = 400


class Analysis(StrEnum):
    """An analysis of the registry."""

    EVALUATIONS = "evaluations"
    MATCHED = "matched_controls"
    SURVIVAL = "survival"
    SLOPE_CHANGE = "slope_change"
    STABILITY = "stability"
    POWER = "power"


LABELS: Mapping[Analysis, str] = {
    Analysis.EVALUATIONS: gettext_noop("How people rated it"),
    Analysis.MATCHED: gettext_noop("Matched controls"),
    Analysis.SURVIVAL: gettext_noop("Survival (time-varying Cox; Kaplan–Meier as description)"),
    Analysis.SLOPE_CHANGE: gettext_noop("Slopes before and after the start (description)"),
    Analysis.STABILITY: gettext_noop("Natural history: no decline"),
    Analysis.POWER: gettext_noop("Trial planning"),
}

#: Every parameter of every analysis, with its default. ``therapy`` is passed apart.
DEFAULTS: Mapping[Analysis, Mapping[str, Any]] = {
    Analysis.EVALUATIONS: {"species": None},
    Analysis.MATCHED: {"k": 3, "followup_months": 12.0, "seed": 0},
    Analysis.SURVIVAL: {
        "endpoint": "non_ambulatory",
        "covariates": (),
        "species": "dog",
        "landmark_days": 180,
    },
    Analysis.SLOPE_CHANGE: {"min_before": 2, "min_after": 2},
    Analysis.STABILITY: {"months": 6},
    Analysis.POWER: {
        "outcome": "slope",
        "effect": None,
        "relative_effect": None,
        "sd": None,
        "hazard_ratio": None,
        "event_probability": None,
        "followup_days": 365,
        "accrual_days": 0,
        "loss_per_year": 0.0,
        "entry_days": 90,
        "endpoint": "non_ambulatory",
        "species": "dog",
        "alpha": 0.05,
        "power": 0.8,
        "n_per_arm": None,
    },
}

#: Analyses that need a therapy.
NEEDS_THERAPY = frozenset(
    {Analysis.EVALUATIONS, Analysis.MATCHED, Analysis.SURVIVAL, Analysis.SLOPE_CHANGE}
)


class AnalysisError(ValueError):
    """The input does not allow the analysis; the message says what is missing or wrong."""


# -- one function per analysis ------------------------------------------------------------------


def _curve_points(curve: pd.DataFrame) -> dict[str, list[Any]]:
    if len(curve) > KM_MAX_POINTS:
        keep = np.unique(np.linspace(0, len(curve) - 1, KM_MAX_POINTS).round().astype(int))
        curve = curve.iloc[keep]
    out: dict[str, list[Any]] = {
        column: [float(v) for v in curve[column].to_numpy(dtype=float)]
        for column in ("days", "survival", "ci_low", "ci_high")
    }
    out["at_risk"] = [int(v) for v in curve["at_risk"].to_numpy(dtype=int)]
    return out


def _evaluations(frames: RegistryFrames, therapy: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.evaluations import summarize_evaluations

    result = summarize_evaluations(frames, therapy, p["species"])
    out = result.to_dict()
    out["cost_per_month"]["n"] = result.cost_per_month.n
    return out


def _matched(frames: RegistryFrames, therapy: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.matching import MatchedControls

    fitted = MatchedControls(
        k=int(p["k"]), followup_months=float(p["followup_months"]), seed=int(p["seed"])
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


def _survival(frames: RegistryFrames, therapy: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.survival import SurvivalAnalysis

    fitted = SurvivalAnalysis(
        therapy,
        str(p["endpoint"]),
        covariates=tuple(p["covariates"]) or None,
        species=p["species"],
        landmark_days=int(p["landmark_days"]),
    ).fit(frames)
    result = fitted.result_
    out = result.to_dict()
    out["curves"] = {name: _curve_points(g.curve) for name, g in result.groups.items()}
    out["risk_table"] = {
        name: {"months": [m for m, _ in g.at_risk], "at_risk": [n for _, n in g.at_risk]}
        for name, g in result.groups.items()
    }
    return out


def _slope_change(frames: RegistryFrames, therapy: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.progression import SlopeChange

    fitted = SlopeChange(
        therapy, min_before=int(p["min_before"]), min_after=int(p["min_after"])
    ).fit(frames)
    return fitted.result_.to_dict()


def _stability(frames: RegistryFrames, _: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.stability import NaturalHistory

    return NaturalHistory(int(p["months"])).fit(frames).result_.to_dict()


def _power(frames: RegistryFrames, _: str, p: Mapping[str, Any]) -> dict[str, Any]:
    from offlabel.outcomes.power import SlopeTrialPlanner, SurvivalTrialPlanner

    n_per_arm = None if p["n_per_arm"] is None else int(p["n_per_arm"])
    planner: Any
    if p["outcome"] == "survival":
        if p["hazard_ratio"] is None:
            raise AnalysisError("trial planning on survival needs a hazard ratio")
        planner = SurvivalTrialPlanner(
            hazard_ratio=float(p["hazard_ratio"]),
            alpha=float(p["alpha"]),
            power=float(p["power"]),
            n_per_arm=n_per_arm,
            event_probability=p["event_probability"],
            followup_days=int(p["followup_days"]),
            accrual_days=int(p["accrual_days"]),
            loss_per_year=float(p["loss_per_year"]),
            entry_days=int(p["entry_days"]),
            endpoint=str(p["endpoint"]),
            species=p["species"],
        )
    elif p["outcome"] == "slope":
        if p["effect"] is None and p["relative_effect"] is None:
            raise AnalysisError("trial planning on slope needs an effect or a relative effect")
        planner = SlopeTrialPlanner(
            effect=p["effect"],
            relative_effect=p["relative_effect"],
            sd=p["sd"],
            alpha=float(p["alpha"]),
            power=float(p["power"]),
            n_per_arm=n_per_arm,
        )
    else:
        raise AnalysisError(f"unknown trial outcome {p['outcome']!r} (slope or survival)")
    result: dict[str, Any] = planner.fit(frames).result_.to_dict()
    return result


_RUNNERS: Mapping[Analysis, Callable[[RegistryFrames, str, Mapping[str, Any]], dict[str, Any]]] = {
    Analysis.EVALUATIONS: _evaluations,
    Analysis.MATCHED: _matched,
    Analysis.SURVIVAL: _survival,
    Analysis.SLOPE_CHANGE: _slope_change,
    Analysis.STABILITY: _stability,
    Analysis.POWER: _power,
}


def run(
    kind: Analysis | str,
    frames: RegistryFrames,
    *,
    therapy: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one analysis and return its JSON-ready result.

    Parameters
    ----------
    kind : Analysis or str
        Which analysis.
    frames : RegistryFrames
        The registry.
    therapy : str, optional
        The therapy (case-insensitive); required by the analyses in :data:`NEEDS_THERAPY`.
    params : mapping, optional
        Parameters of the analysis; any left out take their :data:`DEFAULTS`.

    Raises
    ------
    AnalysisError
        An unknown analysis or parameter, a missing therapy, or data too thin for the analysis.
    """
    try:
        chosen = Analysis(kind)
    except ValueError:
        known = ", ".join(a.value for a in Analysis)
        raise AnalysisError(f"unknown analysis {kind!r} (known: {known})") from None
    given = dict(params or {})
    unknown = sorted(set(given) - set(DEFAULTS[chosen]))
    if unknown:
        raise AnalysisError(f"{chosen.value} has no parameter {', '.join(unknown)}")
    if chosen in NEEDS_THERAPY and not (therapy or "").strip():
        raise AnalysisError(f"{chosen.value} needs a therapy")
    merged = {**DEFAULTS[chosen], **{k: v for k, v in given.items() if v is not None}}
    try:
        out = _RUNNERS[chosen](frames, therapy or "", merged)
    except AnalysisError:
        raise
    except (RegistryError, ValueError, KeyError) as error:
        raise AnalysisError(str(error).strip("'\"")) from error
    return _json(out)


def _json(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = jsonable(data)
    return result


# -- the public topic panel ---------------------------------------------------------------------


def _therapy_known(frames: RegistryFrames, therapy: str) -> bool:
    try:
        frames.resolve_therapy(therapy)
    except RegistryError:
        return False
    return True


#: The trajectory groups' names (msgids of the web's catalogue, see ``evidence.wording``).
TOOK = gettext_noop("took {therapy}")
DID_NOT_TAKE = gettext_noop("did not take {therapy}")


def topic_trajectories(
    frames: RegistryFrames, therapy: str, species: TargetSpecies, min_cell: int
) -> dict[str, Any]:
    """Percentile bands for subjects who took the therapy and for those who did not."""

    points = score_months(frames, species)
    treated_ids = set(
        frames.treatments.loc[frames.therapy_mask(frames.treatments, therapy), "subject_id"]
        .astype(str)
        .unique()
    )
    is_treated = points["subject_id"].isin(treated_ids)
    label, y_max = trajectory_scale(species)
    return {
        "scale_label": label,
        "y_max": y_max,
        "groups": {
            fill(TOOK, {"therapy": therapy}): percentile_band(points.loc[is_treated], min_cell),
            fill(DID_NOT_TAKE, {"therapy": therapy}): percentile_band(
                points.loc[~is_treated], min_cell
            ),
        },
        "n_subjects": int(points["subject_id"].nunique()),
        "n_scores": len(points),
    }


def topic_summary(
    frames: RegistryFrames, therapy: str, species: TargetSpecies, min_cell: int
) -> dict[str, Any]:
    """Everything the public topic panel shows, as plain data.

    Ratings (:data:`Analysis.EVALUATIONS`), trajectory bands (cells under ``min_cell``
    subjects left out), and for people the natural-history figure
    (:data:`Analysis.STABILITY`), for dogs the survival analysis (:data:`Analysis.SURVIVAL`),
    all with the same defaults as everywhere else; public, so under the small-cell rule of
    :func:`offlabel.registry.disclosure.public_summary`.
    """
    out: dict[str, Any] = {"therapy": therapy, "species": species.value, "known": False}
    if not _therapy_known(frames, therapy):
        return out
    out["known"] = True
    out["evaluations"] = run(
        Analysis.EVALUATIONS, frames, therapy=therapy, params={"species": species.value}
    )
    out["trajectories"] = topic_trajectories(frames, therapy, species, min_cell)
    if species is TargetSpecies.HUMAN:
        if (frames.scores["scale"] == "alsfrs_r").any():
            out["stability"] = run(Analysis.STABILITY, frames)
    else:
        try:
            out["survival"] = run(Analysis.SURVIVAL, frames, therapy=therapy)
        except AnalysisError as error:
            out["survival_error"] = str(error)
    result: dict[str, Any] = public_summary(jsonable(out), min_cell)
    return result
