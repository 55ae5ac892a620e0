"""Trajectory bands: where scores lie, by months since onset, for a group of subjects.

The public topic panel draws, for those who took a therapy and those who did not, the 10th,
50th and 90th percentile of the species' trajectory scale (ALSFRS-R for people, the pelvic-limb
gait score for dogs) in bins of months since onset. Each subject counts once per bin, and a bin
with fewer than ``min_cell`` subjects is left out, so no band point rests on a handful of people.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.evidence.wording import gettext_noop
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.vocabulary import DAYS_PER_MONTH, ScaleKey

__all__ = [
    "BAND_BIN_MONTHS",
    "BAND_MAX_MONTHS",
    "percentile_band",
    "score_months",
    "score_months_empty",
    "trajectory_scale",
]

#: Months per bin of the bands.
BAND_BIN_MONTHS = 3.0
#: Longest time since onset the bands cover.
BAND_MAX_MONTHS = 60.0


def _scale_for(species: TargetSpecies) -> ScaleKey:
    return ScaleKey.DM_GAIT if species is TargetSpecies.DOG else ScaleKey.ALSFRS_R


def trajectory_scale(species: TargetSpecies) -> tuple[str, float]:
    """The trajectory scale's label and maximum for a species."""
    if species is TargetSpecies.DOG:
        return gettext_noop("Pelvic-limb gait score (0–6, 6 = normal)"), 6.0
    return gettext_noop("ALSFRS-R total (0–48)"), 48.0


def score_months(frames: RegistryFrames, species: TargetSpecies) -> pd.DataFrame:
    """Scores of the species' trajectory scale with months since onset: one row per score.

    Columns ``subject_id`` (str), ``months`` and ``total`` (float); empty when there are none.
    """
    scale = _scale_for(species)
    scores = frames.scores.loc[
        frames.scores["scale"] == scale.value, ["subject_id", "date", "total"]
    ]
    onset = frames.subjects.set_index("subject_id")["onset_date"]
    scores = scores.assign(onset=scores["subject_id"].map(onset)).dropna(subset=["onset"])
    months = (scores["date"] - scores["onset"]).dt.days / DAYS_PER_MONTH
    return pd.DataFrame(
        {
            "subject_id": pd.Series(scores["subject_id"].astype(str).to_numpy(), dtype=object),
            "months": pd.Series(months.to_numpy(dtype=float), dtype=float),
            "total": pd.Series(scores["total"].to_numpy(dtype=float), dtype=float),
        }
    )


def percentile_band(points: pd.DataFrame, min_cell: int) -> dict[str, list[Any]]:
    """10th, 50th and 90th percentile of the score per bin of months since onset.

    Parameters
    ----------
    points : pandas.DataFrame
        As returned by :func:`score_months`.
    min_cell : int
        Bins with fewer subjects than this are left out.

    Returns
    -------
    dict
        ``months`` (bin centres), ``low``, ``median``, ``high`` and ``n`` (subjects), as lists.
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


def score_months_empty() -> pd.DataFrame:
    """:func:`score_months` of a registry with no scores."""
    return pd.DataFrame(
        {
            "subject_id": pd.Series([], dtype=object),
            "months": pd.Series([], dtype=float),
            "total": pd.Series([], dtype=float),
        }
    )
