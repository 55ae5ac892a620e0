"""An independent simulator for the simulation studies, written apart from ``outcomes.simulate``.

It shares no code and no assumptions with :mod:`offlabel.outcomes.simulate`: courses are not
straight lines, visits are irregular and noisy, dropout follows progression, and who starts a
therapy depends on things the estimators do not assume away.

People (:func:`people_registry`)
    The ALSFRS-R course is piecewise: spells of 2–12 months, each with its own rate, a
    multiple of the person's rate (plateaus at about 0, ordinary spells, accelerations at 1.8x).
    Visits every 1.5–4.5 months (uniform), noise with a heavy tail (t with 5 df, scale 1.4).
    After each visit a person drops out with a chance that rises with the drop since the
    previous visit; death when the true score falls below a threshold.
    Uptake after a visit, one of three mechanisms: ``"none"`` (a constant chance),
    ``"rate"`` (rising with the observed ΔFS) and ``"drop"`` (rising with the visit-to-visit
    drop just observed). After the start the true course declines ``effect`` points/month more
    slowly, for good.
Dogs (:func:`dog_registry`)
    Onset → non-ambulatory is a gamma-shaped time whose median depends on breed (large breeds
    about 12 months, Corgis about 24) and age. Uptake is a constant monthly hazard after
    onset that depends on breed and age (large, fast breeds start more often). A start changes
    the hazard of going non-ambulatory by ``hazard_ratio`` from then on. Death from other
    causes competes; euthanasia often follows the endpoint; loss to follow-up and the snapshot
    censor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from offlabel.registry.frames import RegistryFrames
from offlabel.registry.tables import bundle_from_tables

THERAPY = "Low-dose naltrexone"
_SNAPSHOT = pd.Timestamp("2025-06-30")
_DAYS = 30.44

# name, share, median months to non-ambulatory, monthly uptake hazard, weight (kg)
BREEDS = (
    ("German Shepherd", 0.30, 11.0, 0.12, 34.0),
    ("Boxer", 0.15, 12.0, 0.10, 30.0),
    ("Bernese Mountain Dog", 0.10, 10.0, 0.14, 45.0),
    ("Pembroke Welsh Corgi", 0.25, 24.0, 0.03, 12.0),
    ("Mixed breed", 0.20, 15.0, 0.06, 22.0),
)


def _frames(tables: dict[str, pd.DataFrame]) -> RegistryFrames:
    bundle = bundle_from_tables(
        tables["subjects"], tables.get("treatments"), None, tables.get("scores"), tables["events"]
    )
    return RegistryFrames.from_bundle(bundle, source="<independent>", today=_SNAPSHOT.date())


def _dates(onset: np.ndarray, months: np.ndarray) -> pd.Series:
    return pd.Series(pd.to_datetime(onset) + pd.to_timedelta(np.rint(months * _DAYS), unit="D"))


def dog_registry(n: int, hazard_ratio: float, rng: np.random.Generator) -> RegistryFrames:
    """Dogs with DM; see the module docstring."""
    breed_i = rng.choice(len(BREEDS), size=n, p=[b[1] for b in BREEDS])
    median = np.array([b[2] for b in BREEDS])[breed_i]
    uptake = np.array([b[3] for b in BREEDS])[breed_i]
    weight = np.array([b[4] for b in BREEDS])[breed_i] * np.exp(rng.normal(0, 0.1, n))
    age = rng.normal(10.0, 1.5, n)
    median = median * np.exp(-0.08 * (age - 10.0))
    uptake = uptake * np.exp(0.15 * (age - 10.0))
    # gamma(shape 3) times; a cumulative hazard scale to apply the hazard ratio after the start
    shape = 3.0
    scale = median / stats.gamma.ppf(0.5, shape)
    start = rng.exponential(1.0 / uptake)
    u = rng.random(n)
    target = -np.log(u)  # the cumulative hazard at which the event happens

    def cum_hazard(t: np.ndarray) -> np.ndarray:
        return -stats.gamma.logsf(t / scale, shape)

    h_start = cum_hazard(start)
    untreated_time = scale * stats.gamma.isf(np.exp(-target), shape)
    after = h_start + (target - h_start) / hazard_ratio
    treated_time = scale * stats.gamma.isf(np.exp(-np.minimum(after, 700.0)), shape)
    t_na = np.where(target > h_start, treated_time, untreated_time)
    onset_months_ago = rng.uniform(3.0, 48.0, n)
    admin = onset_months_ago
    other_death = rng.exponential(80.0, n)
    lost = rng.exponential(40.0, n)
    euth = t_na + rng.gamma(2.0, 2.0, n)
    euth = np.where(rng.random(n) < 0.8, euth, np.inf)
    end_all = np.minimum.reduce([admin, other_death, lost, euth])
    na_seen = t_na <= end_all
    starts = start < np.minimum(end_all, t_na)
    onset = (_SNAPSHOT - pd.to_timedelta(np.rint(onset_months_ago * _DAYS), unit="D")).values
    ids = np.array([f"X{i:05d}" for i in range(n)], dtype=object)
    died = np.minimum(other_death, euth) <= np.minimum(admin, lost)
    final = np.where(died, np.where(other_death < euth, "death", "euthanasia"), "censored")
    events = pd.concat(
        [
            pd.DataFrame(
                {
                    "subject_id": ids[na_seen],
                    "event": "non_ambulatory",
                    "date": _dates(onset[na_seen], t_na[na_seen]),
                }
            ),
            pd.DataFrame({"subject_id": ids, "event": final, "date": _dates(onset, end_all)}),
        ],
        ignore_index=True,
    )
    events = events.drop_duplicates(["subject_id", "date"], keep="first")
    treatments = pd.DataFrame(
        {
            "subject_id": ids[starts],
            "therapy": THERAPY,
            "start_date": _dates(onset[starts], start[starts]).to_numpy(),
        }
    )
    onset_year = pd.DatetimeIndex(onset).year.to_numpy()
    subjects = pd.DataFrame(
        {
            "subject_id": ids,
            "species": "dog",
            "onset_date": onset,
            "birth_year": onset_year - np.rint(age).astype(int),
            "breed": np.array([b[0] for b in BREEDS], dtype=object)[breed_i],
            "weight_kg": weight.round(1),
            "sod1": "unknown",
        }
    )
    return _frames({"subjects": subjects, "treatments": treatments, "events": events})


_SPELL_RATES = np.array([0.0, 0.5, 1.0, 1.8])
_SPELL_P = np.array([0.22, 0.23, 0.35, 0.20])


def people_registry(
    n: int,
    effect: float,
    uptake: str,
    rng: np.random.Generator,
    max_visits: int = 20,
    dropout: float = 0.03,
) -> RegistryFrames:
    """People with ALS; see the module docstring. ``uptake`` is none, rate or drop."""
    if uptake not in {"none", "rate", "drop"}:
        raise ValueError(uptake)
    base = rng.lognormal(np.log(0.8), 0.5, n)
    first = rng.uniform(3.0, 24.0, n)
    gaps = rng.uniform(1.5, 4.5, (n, max_visits))
    gaps[:, 0] = 0.0
    t = first[:, None] + np.cumsum(gaps, axis=1)
    # spells on a fine grid of half months from onset
    grid = np.arange(0.0, t.max() + 1.0, 0.5)
    spell_len = rng.uniform(2.0, 12.0, (n, 40))
    spell_end = np.cumsum(spell_len, axis=1)
    spell_rate = _SPELL_RATES[rng.choice(4, size=(n, 40), p=_SPELL_P)]
    which = np.minimum((grid[None, :, None] >= spell_end[:, None, :]).sum(axis=2), 39)
    rate = base[:, None] * spell_rate[np.arange(n)[:, None], which] / 0.88
    lost_grid = np.concatenate([np.zeros((n, 1)), np.cumsum(rate[:, :-1] * 0.5, axis=1)], axis=1)

    def true_level(times: np.ndarray) -> np.ndarray:
        idx = np.minimum((times / 0.5).astype(int), len(grid) - 1)
        rows = np.arange(n)[:, None]
        partial = (times - grid[idx]) * rate[rows, idx]
        return 47.5 - lost_grid[rows, idx] - partial

    level0 = true_level(t)
    noise = stats.t.rvs(5, scale=1.4, size=(n, max_visits), random_state=rng)
    threshold = rng.uniform(6.0, 16.0, n)
    # uptake after visit j (j >= 1), from what was observed at visits up to j
    observed0 = np.clip(np.rint(level0 + noise), 0, 48)
    drop = np.concatenate([np.zeros((n, 1)), observed0[:, :-1] - observed0[:, 1:]], axis=1)
    dfs = (48.0 - observed0) / t
    if uptake == "none":
        chance = np.full((n, max_visits), 0.05)
    elif uptake == "rate":
        chance = 0.05 * np.exp(1.2 * (dfs - 0.8))
    else:
        chance = 0.05 * np.exp(0.35 * (drop - 2.0))
    chance = np.clip(chance, 0.0, 0.6)
    chance[:, 0] = 0.0
    alive0 = level0 > threshold[:, None]
    pick = (rng.random((n, max_visits)) < chance) & alive0
    starts = pick.any(axis=1)
    j = np.argmax(pick, axis=1)
    start = np.where(starts, t[np.arange(n), j] + rng.uniform(0.0, 0.5, n), np.inf)
    level = level0 + effect * np.clip(t - start[:, None], 0.0, None)
    observed = np.clip(np.rint(level + noise), 0, 48)
    # progression-driven dropout after each visit; death below the threshold
    seen_drop = np.concatenate([np.zeros((n, 1)), observed[:, :-1] - observed[:, 1:]], axis=1)
    p_drop = np.clip(dropout * (1.0 + np.clip(seen_drop, 0.0, None)), 0.0, 0.5)
    leaves = rng.random((n, max_visits)) < p_drop
    gone = np.cumsum(leaves, axis=1) - leaves > 0
    onset_ago = rng.uniform(12.0, 96.0, n)
    seen = (level > threshold[:, None]) & ~gone & (t <= onset_ago[:, None] - 0.2)
    seen &= np.cumprod(seen, axis=1).astype(bool)
    start = np.where(
        start <= np.where(seen.any(axis=1), t[np.arange(n), seen.sum(1) - 1], -1), start, np.inf
    )
    onset = (_SNAPSHOT - pd.to_timedelta(np.rint(onset_ago * _DAYS), unit="D")).values
    ids = np.array([f"Y{i:05d}" for i in range(n)], dtype=object)
    rows, cols = np.nonzero(seen)
    scores = pd.DataFrame(
        {
            "subject_id": ids[rows],
            "date": _dates(onset[rows], t[rows, cols]).to_numpy(),
            "scale": "alsfrs_r",
            "total": observed[rows, cols],
        }
    )
    treated = np.isfinite(start)
    treatments = pd.DataFrame(
        {
            "subject_id": ids[treated],
            "therapy": THERAPY,
            "start_date": _dates(onset[treated], start[treated]).to_numpy(),
        }
    )
    last = np.where(seen.any(axis=1), t[np.arange(n), np.maximum(seen.sum(1) - 1, 0)], 0.1)
    events = pd.DataFrame(
        {"subject_id": ids, "event": "censored", "date": _dates(onset, last).to_numpy()}
    )
    subjects = pd.DataFrame(
        {
            "subject_id": ids,
            "species": "human",
            "onset_date": onset,
            "birth_year": pd.DatetimeIndex(onset).year.to_numpy() - 60,
        }
    )
    return _frames(
        {"subjects": subjects, "treatments": treatments, "scores": scores, "events": events}
    )
