"""Pieces shared by the simulated people and dogs: dates, choices, courses and evaluations.

See :mod:`offlabel.outcomes.simulate` for the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from offlabel.evidence.vocabulary import Efficacy
from offlabel.registry.vocabulary import DAYS_PER_MONTH

__all__ = [
    "DOG_SIDE_EFFECTS",
    "HIGHEST_RATING",
    "PEOPLE_SIDE_EFFECTS",
    "SimulatedPart",
    "add_months",
    "choice",
    "course_rows",
]

#: Highest rating per evaluator (the ALSUntangled No. 8 PatientsLikeMe figures for LDN).
HIGHEST_RATING: tuple[tuple[Efficacy, float], ...] = (
    (Efficacy.CANT_TELL, 0.20),
    (Efficacy.NONE, 0.27),
    (Efficacy.SLIGHT, 0.20),
    (Efficacy.MODERATE, 0.27),
    (Efficacy.MAJOR, 0.06),
)
PEOPLE_SIDE_EFFECTS = (
    "vivid dreams",
    "sleepiness",
    "increased spasms",
    "diarrhea",
    "headache",
    "nausea",
    "hot flushes",
)
DOG_SIDE_EFFECTS = ("sleepiness", "diarrhea", "vomiting", "restlessness")


def choice(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    """``n`` names drawn from ``(name, weight)`` options."""
    names = np.array([o[0] for o in options], dtype=object)
    weights = np.array([o[1] for o in options])
    return names[rng.choice(len(options), size=n, p=weights / weights.sum())]


def add_months(base: np.ndarray, months: np.ndarray) -> np.ndarray:
    """``base`` (datetime64[D]) plus ``months`` rounded to whole days."""
    shifted: np.ndarray = base + np.rint(months * DAYS_PER_MONTH).astype("timedelta64[D]")
    return shifted


@dataclass(frozen=True)
class SimulatedPart:
    """The five tables of one species, and the people's true slopes."""

    subjects: pd.DataFrame
    treatments: pd.DataFrame
    evaluations: pd.DataFrame
    scores: pd.DataFrame
    events: pd.DataFrame
    slopes: pd.Series


def course_rows(
    rng: np.random.Generator,
    ids: np.ndarray,
    onset: np.ndarray,
    start_m: np.ndarray,
    end_m: np.ndarray,
    therapy: str,
    dose: np.ndarray,
    unit: str,
    cost: np.ndarray,
    side_effects: tuple[str, ...],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Treatment courses and evaluations of the subjects that started (all arrays aligned)."""
    n = len(ids)
    stopped = rng.random(n) < 0.35
    stop_m = start_m + rng.uniform(2.0, 18.0, n)
    stop_m = np.where(stopped & (stop_m < end_m), stop_m, np.nan)
    start_date = add_months(onset, start_m)
    stop_date = np.where(
        np.isnan(stop_m), np.datetime64("NaT"), add_months(onset, np.nan_to_num(stop_m))
    )
    treatments = pd.DataFrame(
        {
            "subject_id": ids,
            "therapy": therapy,
            "start_date": start_date,
            "stop_date": stop_date.astype("datetime64[D]"),
            "dose": dose,
            "dose_unit": unit,
            "cost_per_month": cost,
        }
    )
    # About half rate the therapy, one to three times; the highest rating follows the seed.
    levels = np.array([lvl.value for lvl, _ in HIGHEST_RATING], dtype=object)
    probs = np.array([p for _, p in HIGHEST_RATING])
    rates = rng.random(n) < 0.5
    n_evals = np.minimum(1 + rng.poisson(0.6, n), 3)
    highest = rng.choice(len(levels), size=n, p=probs / probs.sum())
    slot = np.arange(3)[None, :]
    when = start_m[:, None] + np.sort(rng.uniform(0.5, 12.0, (n, 3)), axis=1)
    # the first evaluation carries the highest rating; later ones are at or below it
    lower = np.floor(rng.random((n, 3)) * (highest[:, None] + 1)).astype(int)
    level = np.where(slot == 0, highest[:, None], lower)
    keep = rates[:, None] & (slot < n_evals[:, None]) & (when <= end_m[:, None])
    day = np.rint(when * DAYS_PER_MONTH)
    keep &= np.concatenate([np.ones((n, 1), bool), np.diff(day, axis=1) > 0], axis=1)
    n_side = np.where(rng.random(n) < 0.35, 1, 0) + np.where(rng.random(n) < 0.05, 1, 0)
    picks = np.array(side_effects, dtype=object)[
        np.argsort(rng.random((n, len(side_effects))), axis=1)[:, :2]
    ]
    effects = np.where(
        n_side == 0, "", np.where(n_side == 1, picks[:, 0], picks[:, 0] + ";" + picks[:, 1])
    )
    rows, cols = np.nonzero(keep)
    evaluations = pd.DataFrame(
        {
            "subject_id": ids[rows],
            "therapy": therapy,
            "date": add_months(onset[rows], when[rows, cols]),
            "efficacy": levels[level[rows, cols]],
            "side_effects": np.where(cols == 0, effects[rows], ""),
        }
    )
    return treatments, evaluations
