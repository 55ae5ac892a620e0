"""Small hand-built registries for the outcome tests (no dependency on the simulator).

``seed_registry`` reproduces the PatientsLikeMe LDN figures reported by ALSUntangled No. 8
(2011): 31 people reporting LDN, 15 evaluating it, highest rating per person 7 none or unsure
(5 none + 2 can't tell, 47%), 3 slight (20%), 4 moderate (27%). Those add to 14 of 15; the paper
does not say what the fifteenth rated, so here it is 1 major (7%), the only level the text does
not mention. Several people rate more than once (their highest rating counts), seven side
effects are reported once each, costs run from 25 to 49 per month. Three dogs on LDN and a
curcumin course make sure species and therapy filters matter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from offlabel.registry.frames import RegistryFrames
from offlabel.registry.layout import COLUMNS, SUBJECTS
from offlabel.registry.tables import bundle_from_tables


def frames_of(
    subjects: pd.DataFrame,
    treatments: pd.DataFrame | None = None,
    evaluations: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
) -> RegistryFrames:
    """Validated frames from hand-built tables, through the same rules as every other path.

    Subject columns outside the CSV layout are attached as covariates.
    """
    layout = set(COLUMNS[SUBJECTS])
    extra = [c for c in subjects.columns if c not in layout]
    bundle = bundle_from_tables(
        subjects.drop(columns=extra), treatments, evaluations, scores, events
    )
    frames = RegistryFrames.from_bundle(bundle)
    if extra:
        frames = frames.with_covariates(subjects[["subject_id", *extra]])
    return frames


# Evaluations of LDN by people: (subject, date, efficacy, side effects). Highest per person:
# h01 moderate, h02 slight, h03 slight, h04 none, h05 none, h06 none, h07 none, h08 cant_tell,
# h09 cant_tell, h10 slight, h11 moderate, h12 moderate, h13 moderate, h14 major, h15 none.
_HUMAN_EVALUATIONS = [
    ("h01", "2010-02-01", "none", "vivid dreams"),
    ("h01", "2010-05-01", "moderate", ""),
    ("h02", "2010-02-03", "cant_tell", "sleepiness"),
    ("h02", "2010-04-03", "slight", "Sleepiness"),  # the same side effect again: counted once
    ("h03", "2010-03-01", "slight", ""),
    ("h03", "2010-06-01", "slight", "increased spasms"),
    ("h04", "2010-03-02", "cant_tell", ""),
    ("h04", "2010-05-02", "none", "diarrhea"),
    ("h05", "2010-03-05", "none", ""),
    ("h06", "2010-03-06", "none", "headaches"),
    ("h07", "2010-03-07", "none", ""),
    ("h08", "2010-03-08", "cant_tell", ""),
    ("h09", "2010-03-09", "cant_tell", "nausea"),
    ("h10", "2010-03-10", "slight", ""),
    ("h11", "2010-03-11", "moderate", "hot flushes"),
    ("h12", "2010-03-12", "moderate", ""),
    ("h13", "2010-03-13", "moderate", ""),
    ("h14", "2010-03-14", "major", ""),
    ("h15", "2010-03-15", "none", ""),
]


def seed_frames() -> dict[str, pd.DataFrame]:
    """The seed registry as plain frames (strings for dates, as a CSV would give)."""
    humans = [f"h{i:02d}" for i in range(1, 32)]
    dogs = ["d1", "d2", "d3"]
    subjects = pd.DataFrame(
        {
            "subject_id": humans + dogs + ["h99"],
            "species": ["human"] * 31 + ["dog"] * 3 + ["human"],
            "onset_date": ["2008-06-01"] * 31 + ["2012-01-01"] * 3 + ["2009-01-01"],
            "birth_year": [1955] * 31 + [2004] * 3 + [1950],
            "sex": ["female", "male"] * 17 + ["female"],
            "breed": [""] * 31 + ["Boxer", "Pembroke Welsh Corgi", "Boxer"] + [""],
            "sod1": [""] * 31 + ["A/A", "A/A", "N/A"] + [""],
        }
    )
    costs = np.linspace(25, 49, 31).round()
    doses = [4.5] * 28 + [3.0, 1.5, 4.5]
    treatments = pd.DataFrame(
        {
            "subject_id": humans + dogs + ["h99"],
            "therapy": ["LDN"] * 31 + ["ldn"] * 3 + ["Curcumin"],
            "start_date": ["2010-01-01"] * 31 + ["2012-06-01"] * 3 + ["2010-01-01"],
            "stop_date": [""] * 35,
            "dose": [*doses, 0.1, 0.1, 0.2, 500],
            "dose_unit": ["mg"] * 31 + ["mg/kg"] * 3 + ["mg"],
            "cost_per_month": [*costs, 20, 20, 20, 300],
        }
    )
    rows = [
        *_HUMAN_EVALUATIONS,
        ("d1", "2012-09-01", "major", "lethargy"),
        ("d2", "2012-09-01", "none", ""),
        ("h99", "2010-03-01", "major", "stomach ache"),
    ]
    evaluations = pd.DataFrame(
        rows, columns=["subject_id", "date", "efficacy", "side_effects"]
    ).assign(therapy=lambda f: np.where(f["subject_id"] == "h99", "Curcumin", "LDN"))
    return {
        "subjects": subjects,
        "treatments": treatments,
        "evaluations": evaluations[["subject_id", "therapy", "date", "efficacy", "side_effects"]],
    }


def courses_for(evaluations: pd.DataFrame, start: str = "2019-06-01") -> pd.DataFrame:
    """One course, from ``start``, of every therapy that someone evaluates (the rules want one)."""
    pairs = evaluations[["subject_id", "therapy"]].drop_duplicates()
    return pairs.assign(start_date=start).reset_index(drop=True)


def write_registry(directory: Path, frames: dict[str, pd.DataFrame]) -> Path:
    """Write frames as a registry CSV directory and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        out = frame.copy()
        for column in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[column]):
                out[column] = out[column].dt.strftime("%Y-%m-%d")
        out.to_csv(directory / f"{name}.csv", index=False)
    return directory


def survival_frames(
    durations: np.ndarray,
    observed: np.ndarray,
    treated: np.ndarray,
    *,
    extra: pd.DataFrame | None = None,
    days_per_unit: int = 1,
    start_days: np.ndarray | None = None,
) -> dict[str, pd.DataFrame]:
    """Dogs with onset on one day, an event or a ``censored`` row at ``durations``.

    Treated dogs start LDN ``start_days`` after onset (default: at onset). Extra columns go to
    ``subjects.csv`` (``birth_year`` among them sets ``age_at_onset``).
    """
    n = len(durations)
    onset = pd.Timestamp("2015-01-01")
    ids = [f"dog{i:04d}" for i in range(n)]
    subjects = pd.DataFrame(
        {"subject_id": ids, "species": "dog", "onset_date": onset, "sod1": "unknown"}
    )
    if extra is not None:
        for column in extra.columns:
            subjects[column] = extra[column].to_numpy()
    end = onset + pd.to_timedelta(np.asarray(durations, dtype=float) * days_per_unit, unit="D")
    events = pd.DataFrame(
        {
            "subject_id": ids,
            "event": np.where(np.asarray(observed, bool), "non_ambulatory", "censored"),
            "date": end,
        }
    )
    chosen = np.asarray(treated, bool)
    offset = np.zeros(n) if start_days is None else np.asarray(start_days, float)
    treatments = pd.DataFrame(
        {
            "subject_id": np.asarray(ids)[chosen],
            "therapy": "LDN",
            "start_date": onset + pd.to_timedelta(offset[chosen], unit="D"),
        }
    )
    return {"subjects": subjects, "treatments": treatments, "events": events}


def alsfrs_frames(
    n_subjects: int,
    *,
    seed: int,
    slope_sd: float = 0.3,
    change_after_start: float = 0.0,
    noise: float = 1.0,
) -> dict[str, pd.DataFrame]:
    """People with monthly ALSFRS-R scores for a year; LDN starts six months in.

    Each subject declines at ``N(-1, slope_sd)`` points/month, plus ``change_after_start``
    points/month after the start, plus ``N(0, noise)`` measurement error.
    """
    rng = np.random.default_rng(seed)
    subjects, treatments, scores = [], [], []
    for i in range(n_subjects):
        sid = f"p{i:03d}"
        onset = pd.Timestamp("2019-01-01") + pd.Timedelta(days=int(rng.integers(0, 300)))
        first = onset + pd.Timedelta(days=200)
        start = first + pd.Timedelta(days=183)
        slope = rng.normal(-1.0, slope_sd)
        subjects.append({"subject_id": sid, "species": "human", "onset_date": onset})
        treatments.append({"subject_id": sid, "therapy": "LDN", "start_date": start})
        for k in range(13):
            date = first + pd.Timedelta(days=30 * k)
            months = (date - first).days / 30.44
            after = max(0.0, (date - start).days / 30.44)
            total = 42 + slope * months + change_after_start * after + rng.normal(0, noise)
            scores.append(
                {"subject_id": sid, "date": date, "scale": "alsfrs_r", "total": round(total)}
            )
    return {
        "subjects": pd.DataFrame(subjects),
        "treatments": pd.DataFrame(treatments),
        "scores": pd.DataFrame(scores),
    }
