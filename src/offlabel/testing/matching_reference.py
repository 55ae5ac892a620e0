"""A plain per-subject reference for matched controls, written apart from the vectorised code.

Straightforward Python loops over subjects, visits and candidates: slow, but easy to check by
reading. The tests (``tests/outcomes/test_matching_reference.py``) and the benchmark
(``benchmarks/bench_matching.py``) both compare :class:`~offlabel.outcomes.matching.MatchedControls`
with it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from offlabel.registry.frames import RegistryFrames
from offlabel.registry.vocabulary import DAYS_PER_MONTH

__all__ = ["ReferenceResult", "reference_matched_controls"]


class ReferenceResult(NamedTuple):
    n_treated: int
    n_controls: int
    effect: float
    se: float
    sets: dict[str, list[str]]


def _ols(points: list[tuple[float, float]]) -> float:
    n = len(points)
    if n < 2:
        return math.nan
    mt = sum(t for t, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((t - mt) ** 2 for t, _ in points)
    if sxx <= 1e-9:
        return math.nan
    return sum((t - mt) * (y - my) for t, y in points) / sxx


def reference_matched_controls(
    frames: RegistryFrames,
    therapy: str,
    *,
    k: int = 3,
    followup_months: float = 12.0,
    caliper_months: float = 1.5,
    scales: tuple[float, float, float, float] = (1.0, 1.0, 0.5, 1.0),
    min_pre_scores: int = 2,
    min_post_scores: int = 2,
    min_post_span_months: float = 3.0,
    max_baseline_gap_months: float = 3.0,
    seed: int = 0,
) -> ReferenceResult:
    """The matched-controls analysis of :class:`MatchedControls` (defaults, analytic CI),
    one subject, one visit and one candidate at a time."""
    records = frames.bundle  # plain records: nothing shared with the vectorised code's frames
    onset = {s.subject_id: s.onset_date for s in records.subjects if s.species.value == "human"}
    wanted = therapy.strip().casefold()
    start: dict[str, float] = {}
    for course in records.treatments:
        if course.therapy.strip().casefold() == wanted and course.subject_id in onset:
            months = (course.start_date - onset[course.subject_id]).days / DAYS_PER_MONTH
            start[course.subject_id] = min(start.get(course.subject_id, math.inf), months)
    visits: dict[str, list[tuple[float, float]]] = {}
    for score in records.scores:
        if (
            score.scale.value == "alsfrs_r"
            and score.total is not None
            and score.subject_id in onset
        ):
            t = (score.date - onset[score.subject_id]).days / DAYS_PER_MONTH
            visits.setdefault(score.subject_id, []).append((t, float(score.total)))

    def window(points: list[tuple[float, float]], after: float, until: float) -> float:
        inside = [(t, y) for t, y in points if after < t <= until]
        if (
            len(inside) < min_post_scores
            or inside[-1][0] - inside[0][0] < min_post_span_months - 1e-9
        ):
            return math.nan
        return _ols(inside)

    treated = []  # (subject, features, outcome)
    controls = []  # (subject, features, outcome)
    for subject in sorted(visits):
        points = sorted(visits[subject], key=lambda p: p[0])
        s = start.get(subject, math.inf)
        for r, (t, y) in enumerate(points):
            if t >= s:
                break
            pre = _ols(points[: r + 1])
            change = y - points[r - 1][1] if r >= 1 else math.nan
            outcome = window(points, t, min(t + followup_months, s))
            if r + 1 >= min_pre_scores and pre == pre and outcome == outcome:
                controls.append((subject, (t, y, pre, change), outcome))
        if s < math.inf:
            before = [i for i, (t, _) in enumerate(points) if t <= s]
            if before:
                r = before[-1]
                t, y = points[r]
                pre = _ols(points[: r + 1])
                change = y - points[r - 1][1] if r >= 1 else math.nan
                outcome = window(points, t, t + followup_months)
                if (
                    s - t <= max_baseline_gap_months + 1e-9
                    and r + 1 >= min_pre_scores
                    and pre == pre
                    and outcome == outcome
                ):
                    treated.append((subject, (t, y, pre, change), outcome))

    order = np.random.default_rng(seed).permutation(len(controls))
    position = [0] * len(controls)
    for i, state in enumerate(order):
        position[int(state)] = i
    matches: list[tuple[int, list[int]]] = []
    for i, (subject, x, _) in enumerate(treated):
        candidates = []
        for j, (other, z, _) in enumerate(controls):
            if other == subject or abs(z[0] - x[0]) > caliper_months + 1e-9:
                continue
            d = math.sqrt(sum(((a - b) / s) ** 2 for a, b, s in zip(x, z, scales, strict=True)))
            candidates.append((d, position[j], j))
        candidates.sort()
        chosen: list[int] = []
        seen: set[str] = set()
        for _, _, j in candidates:
            if controls[j][0] not in seen:
                seen.add(controls[j][0])
                chosen.append(j)
            if len(chosen) == k:
                break
        if chosen:
            matches.append((i, chosen))

    # regression (bias) adjustment on the matched control visits: intercept, t, y, slope,
    # last change, ΔFS
    def design(z: tuple[float, ...]) -> list[float]:
        return [1.0, z[0], z[1], z[2], z[3], (48.0 - z[1]) / max(z[0], 0.5)]

    used = sorted({j for _, chosen in matches for j in chosen})
    beta = np.zeros(6)
    if len(used) > 8:
        beta = np.linalg.lstsq(
            np.array([design(controls[j][1]) for j in used]),
            np.array([controls[j][2] for j in used]),
            rcond=None,
        )[0]

    def mu(z: tuple[float, ...]) -> float:
        return float(np.dot(design(z), beta))

    diffs, squares, dof = [], 0.0, 0
    weights: dict[str, list[float]] = {}
    sets: dict[str, list[str]] = {}
    for i, chosen in matches:
        subject, x, outcome = treated[i]
        adjusted = [controls[j][2] + mu(x) - mu(controls[j][1]) for j in chosen]
        counterfactual = sum(adjusted) / len(adjusted)
        diffs.append(outcome - counterfactual)
        squares += sum((a - counterfactual) ** 2 for a in adjusted)
        dof += len(chosen) - 1
        for j in chosen:
            weights.setdefault(controls[j][0], []).append(1.0 / len(chosen))
        sets[subject] = [controls[j][0] for j in chosen]
    n = len(diffs)
    effect = sum(diffs) / n
    sigma2 = squares / dof
    shared = sum(sum(w) ** 2 - sum(v * v for v in w) for w in weights.values()) * sigma2
    se = math.sqrt((sum((d - effect) ** 2 for d in diffs) + shared) / n**2)
    return ReferenceResult(n, len(weights), effect, se, sets)
