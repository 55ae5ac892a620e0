"""Simulated dogs with degenerative myelopathy (see :mod:`offlabel.outcomes.simulate`)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.simulate_courses import (
    DOG_SIDE_EFFECTS,
    SimulatedPart,
    add_months,
    choice,
    course_rows,
)
from offlabel.registry.vocabulary import DAYS_PER_MONTH, EventKind, ScaleKey

__all__ = ["simulate_dogs"]

_MAX_VISITS = 24

# breed, share, body weight (kg), median months from onset to non-ambulatory
_BREEDS: tuple[tuple[str, float, float, float], ...] = (
    ("German Shepherd", 0.25, 34.0, 12.0),
    ("Pembroke Welsh Corgi", 0.20, 12.0, 22.0),
    ("Boxer", 0.14, 30.0, 12.0),
    ("Chesapeake Bay Retriever", 0.08, 32.0, 13.0),
    ("Bernese Mountain Dog", 0.06, 45.0, 11.0),
    ("Rhodesian Ridgeback", 0.05, 36.0, 12.0),
    ("Golden Retriever", 0.07, 31.0, 13.0),
    ("Siberian Husky", 0.05, 23.0, 14.0),
    ("Mixed breed", 0.10, 25.0, 14.0),
)
_SOD1 = (("A/A", 0.85), ("N/A", 0.05), ("N/N", 0.02), ("unknown", 0.08))
_DOG_SEX = (("male", 0.2), ("male_neutered", 0.3), ("female", 0.15), ("female_spayed", 0.35))


def simulate_dogs(
    rng: np.random.Generator,
    n: int,
    therapy: str,
    hazard_ratio: float,
    uptake_depends_on_progression: bool,
    snapshot: dt.date,
) -> SimulatedPart:
    """Dogs with DM: onset, breed, time to milestones, gait and stage scores, courses."""
    ids = np.array([f"D{i:06d}" for i in range(1, n + 1)], dtype=object)
    snap = np.datetime64(snapshot, "D")
    breed_i = rng.choice(len(_BREEDS), size=n, p=np.array([b[1] for b in _BREEDS]) / 1.0)
    breed = np.array([b[0] for b in _BREEDS], dtype=object)[breed_i]
    weight = np.array([b[2] for b in _BREEDS])[breed_i] * rng.normal(1.0, 0.12, n)
    median_m = np.array([b[3] for b in _BREEDS])[breed_i]
    corgi = breed == "Pembroke Welsh Corgi"
    onset = snap - rng.integers(90, 6 * 365, n).astype("timedelta64[D]")
    admin_m = (snap - onset).astype(float) / DAYS_PER_MONTH
    age = np.clip(rng.normal(np.where(corgi, 11.0, 9.5), 1.5, n), 5.0, 15.0)
    onset_year = onset.astype("datetime64[Y]").astype(int) + 1970
    birth_year = (onset_year - np.rint(age)).astype(int)

    shape = 2.5
    scale = median_m * np.exp(rng.normal(0.0, 0.1, n)) / np.log(2.0) ** (1 / shape)
    e = rng.exponential(1.0, n)
    t_na0 = scale * e ** (1 / shape)
    # Uptake near diagnosis, only while the dog still walks. It may depend on what the
    # registry records (breed, age at onset) but never on the dog's unrecorded future course.
    large = np.array([b[2] for b in _BREEDS])[breed_i] >= 30.0
    p_start = 0.35 * (
        np.where(large, 1.5, 0.6) * np.exp(0.1 * (age - 10.0))
        if uptake_depends_on_progression
        else 1.0
    )
    start_m = rng.uniform(0.5, 4.0, n)
    starts = (rng.random(n) < np.minimum(p_start, 0.9)) & (start_m < t_na0) & (start_m < admin_m)
    h_start = (start_m / scale) ** shape
    t_na = np.where(
        starts & (e > h_start),
        scale * (h_start + (e - h_start) / hazard_ratio) ** (1 / shape),
        t_na0,
    )
    start_m = np.where(starts, start_m, np.inf)
    t_front = t_na + rng.weibull(2.0, n) * np.where(corgi, 8.0, 5.0)
    euthanised = rng.random(n) < 0.85
    t_euth = np.where(euthanised, t_na + rng.gamma(2.0, np.where(corgi, 4.0, 1.5), n), np.inf)
    t_death = rng.exponential(60.0, n)
    t_lost = rng.exponential(36.0, n)
    first = rng.uniform(0.5, 2.0, n)
    end_event = np.minimum(np.minimum(t_euth, t_death), np.minimum(t_lost, admin_m))
    first = np.minimum(first, 0.8 * end_event)
    gaps = rng.uniform(1.0, 3.0, (n, _MAX_VISITS))
    gaps[:, 0] = 0.0
    t = first[:, None] + np.cumsum(gaps, axis=1)
    seen = t <= end_event[:, None]
    n_seen = seen.sum(axis=1)
    last_visit = t[np.arange(n), np.maximum(n_seen - 1, 0)]
    ended = np.minimum(t_euth, t_death) <= np.minimum(t_lost, admin_m)
    end_day = np.where(ended, end_event, last_visit)
    kind = np.where(
        ended,
        np.where(t_euth <= t_death, EventKind.EUTHANASIA.value, EventKind.DEATH.value),
        EventKind.CENSORED.value,
    )

    walking = t < t_na[:, None]
    fraction = t / t_na[:, None]
    latent = np.where(
        walking, 6.2 - 2.2 * fraction, 3.0 - 1.2 * (t - t_na[:, None]) / 2.0
    ) + rng.normal(0.0, 0.35, t.shape)
    gait = np.where(walking, np.clip(np.rint(latent), 4, 6), np.clip(np.rint(latent), 0, 3))
    stage = np.select(
        [walking, t < t_front[:, None], t < t_front[:, None] + 4.0], [1, 2, 3], default=4
    )
    rows, cols = np.nonzero(seen)
    dates = add_months(onset[rows], t[rows, cols])
    scores = pd.concat(
        [
            pd.DataFrame(
                {
                    "subject_id": ids[rows],
                    "date": dates,
                    "scale": ScaleKey.DM_GAIT.value,
                    "total": gait[rows, cols],
                }
            ),
            pd.DataFrame(
                {
                    "subject_id": ids[rows],
                    "date": dates,
                    "scale": ScaleKey.DM_STAGE.value,
                    "total": stage[rows, cols],
                }
            ),
        ],
        ignore_index=True,
    )
    milestones = []
    for name, when in (
        (EventKind.NON_AMBULATORY.value, t_na),
        (EventKind.THORACIC_LIMBS.value, t_front),
    ):
        hit = np.flatnonzero(when <= end_day)
        milestones.append(
            pd.DataFrame(
                {"subject_id": ids[hit], "event": name, "date": add_months(onset[hit], when[hit])}
            )
        )
    milestones.append(
        pd.DataFrame({"subject_id": ids, "event": kind, "date": add_months(onset, end_day)})
    )
    events = pd.concat(milestones, ignore_index=True)
    who = np.flatnonzero(np.isfinite(start_m) & (start_m <= end_day))
    k = len(who)
    dose = np.round(rng.uniform(0.1, 0.3, k), 2)
    cost = rng.integers(15, 41, k).astype(float)
    treatments, evaluations = course_rows(
        rng,
        ids[who],
        onset[who],
        start_m[who],
        end_day[who],
        therapy,
        dose,
        "mg/kg",
        cost,
        DOG_SIDE_EFFECTS,
    )
    subjects = pd.DataFrame(
        {
            "subject_id": ids,
            "species": TargetSpecies.DOG.value,
            "onset_date": onset,
            "birth_year": birth_year,
            "sex": choice(rng, _DOG_SEX, n),
            "breed": breed,
            "sod1": choice(rng, _SOD1, n),
        }
    )
    del weight  # drawn for realism of future fields; the CSV layout has no weight column
    return SimulatedPart(subjects, treatments, evaluations, scores, events, pd.Series(dtype=float))
