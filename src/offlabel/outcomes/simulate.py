"""Synthetic registries: people with ALS and dogs with degenerative myelopathy.

A simulated registry has the shape of a real export (the five CSV tables of
:mod:`offlabel.registry.layout`) and a *known* truth, so the analyses can be checked against it:
the demo site loads one, and the simulation studies of :mod:`offlabel.outcomes.matching` draw
hundreds. Everything is vectorised with numpy (100,000 people with about 12 scores each take a
few seconds) and the same ``seed`` gives the same registry.

The model, in brief (figures are the simulation's choices, picked to look like published natural
history, not estimates):

People
    ALSFRS-R falls from about 47.5 at onset at a subject's own rate, drawn from a lognormal
    distribution with mean 0.95 points/month (median about 0.8, SD about 0.6): linearly, or
    with ``courses="spells"`` in spells of plateau, decline and acceleration
    (:mod:`offlabel.outcomes.simulate_spells`).
    Visits start 2–30 months after onset (diagnostic delay) and follow every 2–4 months; each
    total is the true value plus measurement noise (SD 1.8), rounded and clipped to 0–48.
    Follow-up ends at death (when the true score falls to a threshold between 4 and 18), at loss
    to follow-up, or at the snapshot date.
    At each visit an untreated person may start the therapy. With
    ``uptake_depends_on_progression`` the chance rises with the progression rate *the person
    sees*, ΔFS = (48 − observed score) / months since onset: faster progressors, and people just
    after a bad (noisy) score, start more often (confounding by indication and a
    regression-to-the-mean trap). After the start the true decline is ``true_effect``
    points/month slower, for the rest of follow-up (an effect of starting, whether or not the
    course is stopped later).
Dogs
    Large breeds (German Shepherd, Boxer, Chesapeake Bay Retriever, Bernese Mountain Dog, …)
    reach non-ambulatory a median of 8–10 months after onset, Pembroke Welsh Corgis about 19
    (Weibull times, shape 2.5); front legs follow a few months later; many owners choose
    euthanasia within months of the dog going off its feet. SOD1 is mostly A/A. Gait scores
    (0–6, 6 normal, ≤3 non-ambulatory) and DM stages (1–4) are recorded every 1–3 months.
    A dog started on the therapy before it went off its feet has its hazard of going
    non-ambulatory multiplied by ``dog_hazard_ratio`` from the start on. With
    ``uptake_depends_on_progression`` uptake depends on what the registry records (breed:
    large breeds start more often; age at onset), never on the dog's unrecorded future.
Evaluations
    About half of those on the therapy rate it, one to three times; their highest rating follows
    the PatientsLikeMe figures reported by ALSUntangled No. 8 for LDN (47% none or can't tell,
    20% slight, 27% moderate, the rest major). Side effects are drawn from the ones reported
    there (vivid dreams, sleepiness, increased spasms, diarrhea, headache, nausea, hot flushes);
    people's LDN costs $25–$49 per month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.simulate_courses import (
    PEOPLE_SIDE_EFFECTS,
    SimulatedPart,
    add_months,
    course_rows,
)
from offlabel.outcomes.simulate_dogs import simulate_dogs
from offlabel.outcomes.simulate_spells import SpellCourses
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.tables import bundle_from_tables
from offlabel.registry.vocabulary import DAYS_PER_MONTH, EventKind, ScaleKey

__all__ = [
    "DEFAULT_THERAPY",
    "SimulationTruth",
    "simulate_demo_registry",
    "simulate_registry",
    "simulate_registry_with_truth",
]

DEFAULT_THERAPY = "Low-dose naltrexone"
DEFAULT_SNAPSHOT = dt.date(2025, 6, 30)

_ALSFRS_MAX = 48
_MEAN_SLOPE = 0.95  # points/month
_SLOPE_SIGMA = 0.6  # lognormal sigma of the slope
_NOISE_SD = 1.8  # ALSFRS-R measurement noise (points)
_SPELL_NOISE_SD = 1.0  # with spells: the course itself carries the ups and downs
_MAX_VISITS = 24


@dataclass(frozen=True)
class SimulationTruth:
    """What the simulation knows and an analysis must recover.

    Attributes
    ----------
    therapy : str
        The therapy some subjects start.
    true_effect : float
        People: ALSFRS-R points per month of slower decline after the start.
    dog_hazard_ratio : float
        Dogs: hazard ratio of going non-ambulatory after the start.
    slopes : pandas.Series
        Each person's untreated rate of decline (points/month, positive = decline), by
        ``subject_id``.
    """

    therapy: str
    true_effect: float
    dog_hazard_ratio: float
    slopes: pd.Series


def _people(
    rng: np.random.Generator,
    n: int,
    therapy: str,
    true_effect: float,
    uptake_depends_on_progression: bool,
    snapshot: dt.date,
    visit_months: tuple[float, float],
    courses: str = "linear",
) -> SimulatedPart:
    ids = np.array([f"P{i:06d}" for i in range(1, n + 1)], dtype=object)
    snap = np.datetime64(snapshot, "D")
    onset = snap - rng.integers(180, 8 * 365, n).astype("timedelta64[D]")
    admin_m = (snap - onset).astype(float) / DAYS_PER_MONTH
    age = np.clip(rng.normal(58.0, 11.0, n), 25.0, 85.0)
    onset_year = onset.astype("datetime64[Y]").astype(int) + 1970
    birth_year = (onset_year - np.rint(age)).astype(int)
    sex = np.where(rng.random(n) < 0.6, "male", "female")

    mu = np.log(_MEAN_SLOPE) - _SLOPE_SIGMA**2 / 2
    slope = rng.lognormal(mu, _SLOPE_SIGMA, n)
    level0 = np.minimum(47.5 + rng.normal(0.0, 0.7, n), _ALSFRS_MAX)
    threshold = rng.uniform(4.0, 18.0, n)
    spells = None
    if courses == "spells":
        horizon = float(admin_m.max()) + 1.0
        spells = SpellCourses.draw(rng, slope, horizon)
        death0 = np.minimum(spells.first_reaching(level0 - threshold), horizon)
    else:
        death0 = (level0 - threshold) / slope
    first = np.exp(rng.normal(np.log(11.0), 0.5, n))
    first = np.clip(first, 2.0, 30.0)
    first = np.minimum(first, 0.7 * np.minimum(death0, admin_m))
    gaps = rng.uniform(visit_months[0], visit_months[1], (n, _MAX_VISITS))
    gaps[:, 0] = 0.0
    t = first[:, None] + np.cumsum(gaps, axis=1)
    lost = first + rng.exponential(48.0, n)
    noise = rng.normal(0.0, _NOISE_SD if spells is None else _SPELL_NOISE_SD, (n, _MAX_VISITS))

    def observe(true_level: np.ndarray) -> np.ndarray:
        return np.clip(np.rint(true_level + noise), 0, _ALSFRS_MAX)

    def course(times: np.ndarray) -> np.ndarray:
        loss = slope[:, None] * times if spells is None else spells.at(times)
        out: np.ndarray = level0[:, None] - loss
        return out

    y_untreated = observe(course(t))
    end0 = np.minimum(np.minimum(death0, lost), admin_m)
    # Uptake: a hazard at each visit from the second on, rising with the observed ΔFS.
    observed_rate = (_ALSFRS_MAX - y_untreated) / t
    hazard = 0.035 * (np.exp(1.3 * (observed_rate - 0.9)) if uptake_depends_on_progression else 1.0)
    eligible = (np.arange(_MAX_VISITS)[None, :] >= 1) & (t <= end0[:, None])
    starts_here = eligible & (rng.random((n, _MAX_VISITS)) < -np.expm1(-hazard))
    starts = starts_here.any(axis=1)
    visit = np.argmax(starts_here, axis=1)
    start_m = np.where(starts, t[np.arange(n), visit] + rng.uniform(0.0, 0.7, n), np.inf)
    start_m = np.where(start_m < end0, start_m, np.inf)
    starts = np.isfinite(start_m)

    after = np.clip(t - start_m[:, None], 0.0, None)
    y = observe(course(t) + true_effect * after)
    # the treated live longer (or shorter) with the changed slope
    if spells is not None:
        grid = np.arange(spells.loss.shape[1]) * spells.step
        gain = true_effect * np.clip(grid[None, :] - start_m[:, None], 0.0, None)
        death_t = spells.first_reaching(level0 - threshold, gain)
    else:
        treated_rate = slope - true_effect
        at_start = level0 - slope * np.where(starts, start_m, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            death_t = np.where(
                treated_rate > 0, start_m + (at_start - threshold) / treated_rate, np.inf
            )
    death = np.where(starts, np.maximum(death_t, start_m), death0)
    end = np.minimum(np.minimum(death, lost), admin_m)
    seen = t <= end[:, None]
    n_seen = seen.sum(axis=1)
    last_visit = t[np.arange(n), np.maximum(n_seen - 1, 0)]
    died = death <= np.minimum(lost, admin_m)
    end_day = np.where(died, death, last_visit)

    rows, cols = np.nonzero(seen)
    scores = pd.DataFrame(
        {
            "subject_id": ids[rows],
            "date": add_months(onset[rows], t[rows, cols]),
            "scale": ScaleKey.ALSFRS_R.value,
            "total": y[rows, cols],
        }
    )
    events = pd.DataFrame(
        {
            "subject_id": ids,
            "event": np.where(died, EventKind.DEATH.value, EventKind.CENSORED.value),
            "date": add_months(onset, end_day),
        }
    )
    who = np.flatnonzero(starts)
    k = len(who)
    dose = rng.choice(np.array([4.5, 3.0, 1.5, 4.5]), size=k)
    cost = rng.integers(25, 50, k).astype(float)
    treatments, evaluations = course_rows(
        rng,
        ids[who],
        onset[who],
        start_m[who],
        end_day[who],
        therapy,
        dose,
        "mg",
        cost,
        PEOPLE_SIDE_EFFECTS,
    )
    subjects = pd.DataFrame(
        {
            "subject_id": ids,
            "species": TargetSpecies.HUMAN.value,
            "onset_date": onset,
            "birth_year": birth_year,
            "sex": sex,
            "breed": "",
            "sod1": "",
        }
    )
    return SimulatedPart(
        subjects, treatments, evaluations, scores, events, pd.Series(slope, index=ids)
    )


def simulate_registry(
    n_people: int = 400,
    n_dogs: int = 0,
    *,
    therapy: str = DEFAULT_THERAPY,
    true_effect: float = 0.0,
    dog_hazard_ratio: float = 1.0,
    uptake_depends_on_progression: bool = True,
    snapshot: dt.date = DEFAULT_SNAPSHOT,
    visit_months: tuple[float, float] = (2.0, 4.0),
    courses: str = "linear",
    seed: int | np.random.Generator | None = 0,
) -> RegistryFrames:
    """Draw a synthetic registry with a known effect of ``therapy``.

    Parameters
    ----------
    n_people, n_dogs : int
        Subjects of each species.
    therapy : str
        Name of the therapy some subjects start.
    true_effect : float
        People: points per month by which the ALSFRS-R decline is slower after the start
        (0 = no effect; negative = harm).
    dog_hazard_ratio : float
        Dogs: hazard ratio of going non-ambulatory after the start (1 = no effect).
    uptake_depends_on_progression : bool
        When true, faster progressors are more likely to start (see the module docstring).
    snapshot : datetime.date
        Date of the export; nothing is dated later.
    visit_months : tuple of float
        People's visits are this many months apart (uniform between the two); the default
        2–4 gives about 6 ALSFRS-R scores per person, ``(1.0, 2.0)`` about 12.
    seed : int or numpy.random.Generator or None
        Randomness; the same integer gives the same registry.

    Returns
    -------
    RegistryFrames
        Validated frames; :attr:`RegistryFrames.source` is ``"<simulated>"``.

    Raises
    ------
    ValueError
        A count is negative, or the hazard ratio is not positive.

    Examples
    --------
    >>> frames = simulate_registry(n_people=50, n_dogs=20, seed=1)
    >>> sorted(frames.subjects["species"].unique())
    ['dog', 'human']
    """
    frames, _ = simulate_registry_with_truth(
        n_people,
        n_dogs,
        therapy=therapy,
        true_effect=true_effect,
        dog_hazard_ratio=dog_hazard_ratio,
        uptake_depends_on_progression=uptake_depends_on_progression,
        snapshot=snapshot,
        visit_months=visit_months,
        courses=courses,
        seed=seed,
    )
    return frames


def simulate_registry_with_truth(
    n_people: int = 400,
    n_dogs: int = 0,
    *,
    therapy: str = DEFAULT_THERAPY,
    true_effect: float = 0.0,
    dog_hazard_ratio: float = 1.0,
    uptake_depends_on_progression: bool = True,
    snapshot: dt.date = DEFAULT_SNAPSHOT,
    visit_months: tuple[float, float] = (2.0, 4.0),
    courses: str = "linear",
    seed: int | np.random.Generator | None = 0,
) -> tuple[RegistryFrames, SimulationTruth]:
    """:func:`simulate_registry`, also returning the :class:`SimulationTruth` behind it."""
    if n_people < 0 or n_dogs < 0:
        raise ValueError(f"subject counts must be 0 or more, got {n_people} people, {n_dogs} dogs")
    if not dog_hazard_ratio > 0:
        raise ValueError(f"dog_hazard_ratio must be positive, got {dog_hazard_ratio}")
    if not therapy.strip():
        raise ValueError("therapy must be a non-empty name")
    if not 0.25 <= visit_months[0] <= visit_months[1]:
        raise ValueError(
            f"visit_months must be (low, high) with 0.25 <= low <= high, got {visit_months}"
        )
    if courses not in {"linear", "spells"}:
        raise ValueError(f"courses must be 'linear' or 'spells', got {courses!r}")
    rng = np.random.default_rng(seed)
    parts = [
        _people(
            rng,
            n_people,
            therapy,
            true_effect,
            uptake_depends_on_progression,
            snapshot,
            visit_months,
            courses,
        ),
        simulate_dogs(
            rng, n_dogs, therapy, dog_hazard_ratio, uptake_depends_on_progression, snapshot
        ),
    ]

    def join(name: str) -> pd.DataFrame:
        frames: list[pd.DataFrame] = [getattr(p, name) for p in parts]
        return pd.concat(frames, ignore_index=True)

    subjects = join("subjects")
    subjects["breed"] = subjects["breed"].replace("", pd.NA)
    subjects["sod1"] = subjects["sod1"].replace("", pd.NA)
    evaluations = join("evaluations")
    evaluations["side_effects"] = evaluations["side_effects"].replace("", pd.NA)
    scores = join("scores")
    scores["total"] = scores["total"].astype(float)
    bundle = bundle_from_tables(
        subjects, join("treatments"), evaluations, scores, join("events")
    ).canonical()
    frames = RegistryFrames.from_bundle(bundle, source="<simulated>", today=snapshot)
    truth = SimulationTruth(
        therapy=therapy,
        true_effect=true_effect,
        dog_hazard_ratio=dog_hazard_ratio,
        slopes=parts[0].slopes,
    )
    return frames, truth


def simulate_demo_registry(seed: int = 2016) -> RegistryFrames:
    """The demo site's registry: 300 people and 200 dogs, LDN with no true effect (synthetic).

    People's courses are spells (plateaus, accelerations) matching PRO-ACT's share without
    decline; uptake depends only on what the registry records (people: the ALSFRS-R scores
    they see; dogs: breed and age), so the primary analyses show the truth: no effect.

    Parameters
    ----------
    seed : int
        Randomness; the default gives the registry the demo documents. It was picked among
        seeds 2011–2018 as one whose small-sample figures lie near the simulation's long-run
        values (no decline over 6 months 22% and over 12 months 15%, against 24% and 15% in
        3,000 simulated people; dogs' hazard ratio 0.98); other seeds give 19–27% and 13–22%.

    Returns
    -------
    RegistryFrames
    """
    return simulate_registry(n_people=300, n_dogs=200, courses="spells", seed=seed)
