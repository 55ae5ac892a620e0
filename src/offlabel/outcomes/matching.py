"""Matched controls: did people who started a therapy decline more slowly than people like them?

After Wicks et al. (2011), who matched each PatientsLikeMe member taking lithium to the
untreated members whose ALSFRS-R course before the start lay closest, aligned on time since
onset, and compared the courses afterwards. This module does the same with the safeguards a
self-selected registry needs; docs/estimands.md states the estimand and why each step is there.

References
----------
Wicks P, Vaughan TE, Massagli MP, Heywood J. Accelerated clinical discovery using self-reported
patient data collected online and a patient-matching algorithm. Nat Biotechnol. 2011;29:411–4.

Abadie A, Imbens GW. Large sample properties of matching estimators for average treatment
effects. Econometrica. 2006;74:235–67.

Abadie A, Imbens GW. Bias-corrected matching estimators for average treatment effects. J Bus
Econ Stat. 2011;29:1–11.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Self

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import cKDTree

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.balance import balance_table
from offlabel.outcomes.matching_result import MatchedControlsResult, matching_caveats
from offlabel.outcomes.results import Fitted
from offlabel.outcomes.trajectories import ScoreTable, score_table
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.vocabulary import DAYS_PER_MONTH, ScaleKey

__all__ = ["MatchedControls", "MatchedControlsResult", "MatchingError"]

_FEATURES = ("time_since_onset", "baseline_score", "pre_slope", "last_change")
_BALANCE_LABELS = {
    "baseline_score": "ALSFRS-R at index (points)",
    "pre_slope": "ALSFRS-R slope before index (points/month)",
    "time_since_onset": "Time since onset at index (months)",
    "last_change": "Last visit-to-visit change before index (points)",
    "age_at_onset": "Age at onset (years)",
}
_MAX_QUERY = 4096


class MatchingError(ValueError):
    """The registry holds too little for a matched comparison; the message says what is missing."""


@dataclass(frozen=True)
class _States:
    """Candidate index visits: row in the score table, features, follow-up slope."""

    row: np.ndarray
    subject: np.ndarray
    features: np.ndarray  # (n, 4): months since onset, score, pre-slope, last change
    outcome: np.ndarray  # least-squares slope over the follow-up window


class MatchedControls(Fitted[MatchedControlsResult]):
    r"""Risk-set matched controls for the effect of starting a therapy on ALSFRS-R decline.

    **Estimand.** Among people who started the therapy and had an evaluable follow-up, the
    average of (their ALSFRS-R slope over the ``followup_months`` after their baseline visit)
    minus (the slope they would have had over the same window had they not started), in
    points per month: an average treatment effect on the treated (ATT), for the effect of
    *starting*. It is identified if, given time since onset, the baseline score and the slope
    before it, starting at that visit does not depend on the future course (no unmeasured
    confounding given the recorded pre-start trajectory). See ``docs/estimands.md``.

    **Method.** Each treated person's *index* is their baseline visit: the last ALSFRS-R score
    on or before the start (at most ``max_baseline_gap_months`` before it, with at least
    ``min_pre_scores`` scores up to it). Every visit of every other person who is not (yet) on
    the therapy is a candidate control index (a risk set, as in sequential trial emulation);
    a person who starts later is a candidate only before their start, and their follow-up is
    cut at the start. Each treated person gets the ``k`` nearest candidates from distinct
    people, with replacement across sets, within ``caliper_months`` of the same time since
    onset, by the distance

    .. math:: d^2 = (\Delta t / s_t)^2 + (\Delta y / s_y)^2 + (\Delta b / s_b)^2
              + (\Delta c / s_c)^2

    over time since onset :math:`t`, score at index :math:`y`, least-squares slope of all
    scores up to the index :math:`b` and the last visit-to-visit change :math:`c` (the index
    score minus the one before: the recent history that often prompts a start;
    ``scales`` = :math:`(s_t, s_y, s_b, s_c)`). Treated and
    controls are selected by the same rule from the same noisy quantities at the same aligned
    time, and the outcome uses only scores *after* the index, so a noisy index score that
    prompted the start does not regress into the outcome. The outcome is the least-squares
    slope over the window (index, index + ``followup_months``]; it needs
    ``min_post_scores`` scores spanning at least ``min_post_span_months``. With
    ``bias_correction`` the controls' slopes are adjusted for what remains of the matching
    discrepancy by a linear regression of control slopes on the matching variables (the last
    change among them) and ΔFS (Abadie and Imbens, 2011). Treated people without an evaluable
    follow-up after the start are not in the estimate; the caveats give their number.

    **Uncertainty.** ``ci="analytic"`` (default): the Abadie–Imbens (2006) variance for
    matching with replacement, which adds the covariance of controls used in several sets to
    the spread of the per-set differences; normal 95% interval and p-value. ``ci="bootstrap"``:
    a percentile interval from resampling matched sets (``n_bootstrap`` times, seeded); it
    ignores controls shared between sets, so it is a little narrow when many are shared.

    Parameters
    ----------
    k : int
        Controls per treated subject.
    followup_months : float
        Length of the follow-up window.
    caliper_months : float
        Largest allowed difference in time since onset at the index.
    scales : tuple of float
        Distance scales for time since onset (months), score (points), pre-slope
        (points/month) and last change (points).
    min_pre_scores, min_post_scores : int
        Scores needed up to the index and in the window.
    min_post_span_months : float
        Shortest time between the first and last score in the window.
    max_baseline_gap_months : float
        Longest time from the baseline score to the start.
    bias_correction : bool
        Regression adjustment of the controls' slopes.
    ci : {"analytic", "bootstrap"}
        How the interval is computed.
    n_bootstrap : int
        Resamples for ``ci="bootstrap"``.
    seed : int or numpy.random.Generator or None
        Breaks ties between equally close controls (candidates are shuffled before the search)
        and drives the bootstrap.

    Attributes
    ----------
    result_ : MatchedControlsResult
        Set by :meth:`fit`.

    Examples
    --------
    >>> from offlabel.outcomes.simulate import simulate_registry
    >>> frames = simulate_registry(n_people=2000, true_effect=0.5, seed=3)
    >>> fitted = MatchedControls(k=3, seed=1).fit(frames, therapy="Low-dose naltrexone")
    >>> bool(fitted.result_.ci_low < 0.5 < fitted.result_.ci_high)
    True
    """

    def __init__(
        self,
        k: int = 3,
        followup_months: float = 12.0,
        *,
        caliper_months: float = 1.5,
        scales: tuple[float, float, float, float] = (1.0, 1.0, 0.5, 1.0),
        min_pre_scores: int = 2,
        min_post_scores: int = 2,
        min_post_span_months: float = 3.0,
        max_baseline_gap_months: float = 3.0,
        bias_correction: bool = True,
        ci: Literal["analytic", "bootstrap"] = "analytic",
        n_bootstrap: int = 2000,
        seed: int | np.random.Generator | None = 0,
    ) -> None:
        if int(k) != k or k < 1:
            raise ValueError(f"k must be a whole number of controls, 1 or more; got {k!r}")
        if not followup_months > 0:
            raise ValueError(f"followup_months must be positive, got {followup_months!r}")
        if not caliper_months > 0:
            raise ValueError(f"caliper_months must be positive, got {caliper_months!r}")
        if len(scales) != 4 or not all(s > 0 for s in scales):
            raise ValueError(f"scales must be four positive numbers, got {scales!r}")
        if min_pre_scores < 2 or min_post_scores < 2:
            raise ValueError(
                "min_pre_scores and min_post_scores must be 2 or more (a slope needs two)"
            )
        if ci not in ("analytic", "bootstrap"):
            raise ValueError(f"ci must be 'analytic' or 'bootstrap', got {ci!r}")
        if n_bootstrap < 100:
            raise ValueError(f"n_bootstrap must be 100 or more, got {n_bootstrap!r}")
        self.k = int(k)
        self.followup_months = float(followup_months)
        self.caliper_months = float(caliper_months)
        self.scales = tuple(float(s) for s in scales)
        self.min_pre_scores = int(min_pre_scores)
        self.min_post_scores = int(min_post_scores)
        self.min_post_span_months = float(min_post_span_months)
        self.max_baseline_gap_months = float(max_baseline_gap_months)
        self.bias_correction = bias_correction
        self.ci = ci
        self.n_bootstrap = int(n_bootstrap)
        self.seed = seed

    # -- public -----------------------------------------------------------------------------

    def fit(self, frames: RegistryFrames, therapy: str) -> Self:
        """Match every person who started ``therapy`` and estimate the effect.

        Parameters
        ----------
        frames : RegistryFrames
            The registry (people's ALSFRS-R scores are used; dogs are ignored).
        therapy : str
            Therapy name, matched case-insensitively.

        Returns
        -------
        MatchedControls
            ``self``, with :attr:`result_` set.

        Raises
        ------
        RegistryError
            No course or evaluation names the therapy.
        MatchingError
            No treated person has enough scores around the start, or no control can be found.
        """
        name = frames.resolve_therapy(therapy)[0]
        people = frames.subjects_of_species(TargetSpecies.HUMAN)
        table = score_table(frames, ScaleKey.ALSFRS_R, people)
        if len(table) == 0:
            raise MatchingError(f"{frames.source}: no ALSFRS-R scores with an onset date")
        starts = self._starts(frames, therapy, table)
        n_candidates = int(np.isfinite(starts).sum())
        if n_candidates == 0:
            raise MatchingError(
                f"{frames.source}: nobody with ALSFRS-R scores and an onset date started {name!r}"
            )
        treated = self._treated_states(table, starts)
        if len(treated.row) == 0:
            raise MatchingError(
                f"{frames.source}: none of the {n_candidates} people who started {name!r} has "
                f"{self.min_pre_scores}+ ALSFRS-R scores up to a baseline at most "
                f"{self.max_baseline_gap_months:g} months before the start and "
                f"{self.min_post_scores}+ scores spanning {self.min_post_span_months:g}+ months "
                f"in the {self.followup_months:g} months after it"
            )
        controls = self._control_states(table, starts)
        if len(controls.row) == 0:
            raise MatchingError(f"{frames.source}: no untreated person has an evaluable follow-up")
        rng = np.random.default_rng(self.seed)
        neighbours = self._match(treated, controls, rng)
        matched: np.ndarray = np.asarray((neighbours >= 0).any(axis=1))
        if not matched.any():
            raise MatchingError(
                f"{frames.source}: no control within {self.caliper_months:g} months of time "
                f"since onset for any of the {len(treated.row)} treated people"
            )
        self.result_ = self._estimate(
            frames, name, table, treated, controls, neighbours, matched, n_candidates, rng
        )
        return self

    # -- states -----------------------------------------------------------------------------

    @staticmethod
    def _starts(frames: RegistryFrames, therapy: str, table: ScoreTable) -> np.ndarray:
        """First start of the therapy per subject code, in months since onset (inf: never)."""
        first = frames.first_start(therapy)
        onset = frames.subjects.set_index("subject_id")["onset_date"]
        ids = pd.Index(table.ids)
        start = first.reindex(ids)
        months = (start - onset.reindex(ids)).dt.days.to_numpy(dtype=float) / DAYS_PER_MONTH
        return np.where(np.isnan(months), np.inf, months)

    def _window(self, table: ScoreTable, rows: np.ndarray, limit: np.ndarray) -> np.ndarray:
        """Follow-up slope after each row up to ``limit`` (NaN where not evaluable)."""
        subject = table.subject[rows]
        hi = table.rows_until(subject, limit)
        fit = table.fit(rows + 1, np.maximum(hi, rows + 1))
        ok = (fit.n >= self.min_post_scores) & (fit.span >= self.min_post_span_months - 1e-9)
        return np.where(ok, fit.slope, np.nan)

    def _features(self, table: ScoreTable, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pre = table.fit(table.first_row[rows], rows + 1)
        has_previous = rows > table.first_row[rows]
        change = np.where(has_previous, table.y[rows] - table.y[np.maximum(rows - 1, 0)], np.nan)
        features = np.column_stack([table.t[rows], table.y[rows], pre.slope, change])
        return features, pre.n

    def _treated_states(self, table: ScoreTable, starts: np.ndarray) -> _States:
        codes = np.flatnonzero(np.isfinite(starts))
        last = table.rows_until(codes, starts[codes]) - 1
        has = last >= 0
        has[has] &= table.subject[last[has]] == codes[has]
        codes, rows = codes[has], last[has]
        gap_ok = starts[codes] - table.t[rows] <= self.max_baseline_gap_months + 1e-9
        codes, rows = codes[gap_ok], rows[gap_ok]
        features, n_pre = self._features(table, rows)
        outcome = self._window(table, rows, table.t[rows] + self.followup_months)
        keep = (n_pre >= self.min_pre_scores) & np.isfinite(features).all(axis=1)
        # started with a usable baseline, but too few scores afterwards to be compared
        self._n_lost = int((keep & ~np.isfinite(outcome)).sum())
        keep &= np.isfinite(outcome)
        return _States(rows[keep], codes[keep], features[keep], outcome[keep])

    def _control_states(self, table: ScoreTable, starts: np.ndarray) -> _States:
        start_of_row = starts[table.subject]
        rows = np.flatnonzero(table.t < start_of_row)
        features, n_pre = self._features(table, rows)
        # follow-up of a control ends at its own start (a score on the start day is pre-dose)
        limit = np.minimum(table.t[rows] + self.followup_months, start_of_row[rows])
        outcome = self._window(table, rows, limit)
        keep = (n_pre >= self.min_pre_scores) & np.isfinite(features).all(axis=1)
        keep &= np.isfinite(outcome)
        return _States(rows[keep], table.subject[rows[keep]], features[keep], outcome[keep])

    # -- matching ---------------------------------------------------------------------------

    def _match(self, treated: _States, controls: _States, rng: np.random.Generator) -> np.ndarray:
        """Indices into ``controls`` of each treated state's ``k`` matches (-1: none).

        A k-d tree finds near candidates fast; the time caliper and the one-visit-per-person rule
        are applied to its answer, asking for more neighbours while a set is incomplete. The few
        sets still incomplete after that are searched exhaustively within the caliper, so the
        result is the exact nearest-``k`` under the rules.
        """
        n_states = len(controls.row)
        order = rng.permutation(n_states)  # seeded tie-breaking: ties go to the earlier position
        position = np.empty(n_states, dtype=np.int64)
        position[order] = np.arange(n_states)
        scale = np.asarray(self.scales)
        tree = cKDTree(controls.features[order] / scale)
        query = treated.features / scale
        out = np.full((len(treated.row), self.k), -1, dtype=np.int64)
        pending = np.arange(len(treated.row))
        n_query = min(n_states, max(4 * self.k, self.k + 8))
        while len(pending) and n_query <= min(n_states, _MAX_QUERY):
            dist, idx = tree.query(query[pending], k=n_query)
            dist = np.asarray(dist, dtype=float).reshape(len(pending), -1)
            idx = np.asarray(idx).reshape(len(pending), -1)
            ranked = np.lexsort((idx, dist), axis=1)
            idx = np.take_along_axis(idx, ranked, axis=1)
            cand = order[idx]
            chosen, complete = self._pick(treated, controls, pending, cand)
            out[pending[complete]] = chosen[complete]
            pending = pending[~complete]
            if n_query == n_states:
                break
            n_query = min(n_states, n_query * 4)
        if len(pending):
            out[pending] = self._exhaustive(treated, controls, pending, position)
        return out

    def _pick(
        self, treated: _States, controls: _States, pending: np.ndarray, cand: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """First ``k`` valid candidates per row (ordered by closeness): caliper, other people,
        one visit per person. Returns the picks (-1 padded) and whether each row has ``k``."""
        subj = controls.subject[cand]
        gap = np.abs(controls.features[cand, 0] - treated.features[pending, 0][:, None])
        valid = (subj != treated.subject[pending][:, None]) & (gap <= self.caliper_months + 1e-9)
        width = cand.shape[1]
        # keep the first (closest) visit of each person in a row: stable sort by person
        key = np.where(valid, subj, -1 - np.arange(width)[None, :])
        by_person = np.argsort(key, axis=1, kind="stable")
        ordered = np.take_along_axis(key, by_person, axis=1)
        first = np.ones_like(ordered, dtype=bool)
        first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        keep = np.empty_like(first)
        np.put_along_axis(keep, by_person, first, axis=1)
        valid &= keep
        rank = np.cumsum(valid, axis=1)
        take = valid & (rank <= self.k)
        chosen = np.full((len(cand), self.k), -1, dtype=np.int64)
        rows, cols = np.nonzero(take)
        chosen[rows, rank[rows, cols] - 1] = cand[rows, cols]
        return chosen, rank[:, -1] >= self.k

    def _exhaustive(
        self, treated: _States, controls: _States, pending: np.ndarray, position: np.ndarray
    ) -> np.ndarray:
        """Exact search within the time caliper for the sets the tree left incomplete."""
        by_time = np.argsort(controls.features[:, 0], kind="stable")
        times = controls.features[by_time, 0]
        scale = np.asarray(self.scales)
        out = np.full((len(pending), self.k), -1, dtype=np.int64)
        for j, i in enumerate(pending):
            t_i = treated.features[i, 0]
            lo = np.searchsorted(times, t_i - self.caliper_months - 1e-9, side="left")
            hi = np.searchsorted(times, t_i + self.caliper_months + 1e-9, side="right")
            cand = by_time[lo:hi]
            cand = cand[controls.subject[cand] != treated.subject[i]]
            if not len(cand):
                continue
            dist = np.sqrt(
                (((controls.features[cand] - treated.features[i]) / scale) ** 2).sum(axis=1)
            )
            cand = cand[np.lexsort((position[cand], dist))]
            chosen, _ = self._pick(treated, controls, np.array([i]), cand[None, :])
            out[j] = chosen[0]
        return out

    # -- estimation -------------------------------------------------------------------------

    def _adjusted_outcomes(
        self, treated: _States, controls: _States, neighbours: np.ndarray
    ) -> np.ndarray:
        """Controls' slopes per set, bias-corrected to the treated's features if asked."""
        used = neighbours >= 0
        y0 = np.where(used, controls.outcome[np.maximum(neighbours, 0)], np.nan)
        if not self.bias_correction:
            return y0
        unique = np.unique(neighbours[used])
        design_c = _design(controls.features[unique])
        if len(unique) <= design_c.shape[1] + 2:
            return y0
        beta, *_ = np.linalg.lstsq(design_c, controls.outcome[unique], rcond=None)
        mu_t = _design(treated.features) @ beta
        width = controls.features.shape[1]
        mu_c = _design(controls.features[np.maximum(neighbours, 0)].reshape(-1, width)) @ beta
        mu_c = mu_c.reshape(neighbours.shape)
        return np.where(used, y0 + mu_t[:, None] - mu_c, np.nan)

    def _estimate(
        self,
        frames: RegistryFrames,
        therapy: str,
        table: ScoreTable,
        treated: _States,
        controls: _States,
        neighbours: np.ndarray,
        matched: np.ndarray,
        n_candidates: int,
        rng: np.random.Generator,
    ) -> MatchedControlsResult:
        n_unmatched = int((~matched).sum())
        treated = _States(
            *(a[matched] for a in (treated.row, treated.subject, treated.features, treated.outcome))
        )
        neighbours = neighbours[matched]
        used = neighbours >= 0
        k_i = used.sum(axis=1)
        y0 = self._adjusted_outcomes(treated, controls, neighbours)
        counterfactual = np.nanmean(y0, axis=1)
        diff = treated.outcome - counterfactual
        n = len(diff)
        effect = float(diff.mean())

        # Abadie–Imbens: spread of the set differences plus the covariance of shared controls.
        resid = y0 - counterfactual[:, None]
        dof = int((k_i - 1).sum())
        sigma2 = (
            float(np.nansum(resid**2) / dof) if dof > 0 else float(np.var(controls.outcome, ddof=1))
        )
        weight = np.where(used, 1.0 / np.maximum(k_i, 1)[:, None], 0.0)
        person = controls.subject[np.maximum(neighbours, 0)][used]
        w = weight[used]
        per_person = pd.DataFrame({"p": person, "w": w, "w2": w * w}).groupby("p").sum()
        shared = float(((per_person["w"] ** 2) - per_person["w2"]).sum() * sigma2)
        var = (float(((diff - effect) ** 2).sum()) + shared) / n**2 if n > 1 else math.nan
        se = math.sqrt(var) if var == var else math.nan
        z = stats.norm.ppf(0.975)
        if self.ci == "bootstrap" and n > 1:
            draws = diff[rng.integers(0, n, (self.n_bootstrap, n))].mean(axis=1)
            ci_low, ci_high = (float(q) for q in np.quantile(draws, [0.025, 0.975]))
            se = float(draws.std(ddof=1))
        else:
            ci_low, ci_high = effect - z * se, effect + z * se
        p_value = float(2 * stats.norm.sf(abs(effect) / se)) if se > 0 else math.nan

        ids = table.ids
        control_rows = controls.row[np.maximum(neighbours, 0)]
        sets = pd.DataFrame(
            {
                "treated_id": ids[treated.subject],
                "index_months": treated.features[:, 0],
                "baseline_score": treated.features[:, 1],
                "pre_slope": treated.features[:, 2],
                "post_slope": treated.outcome,
                "counterfactual_slope": counterfactual,
                "difference": diff,
                "n_controls": k_i,
            }
        )
        set_i, col_i = np.nonzero(used)
        pairs = pd.DataFrame(
            {
                "set": set_i,
                "treated_id": ids[treated.subject[set_i]],
                "control_id": ids[controls.subject[neighbours[set_i, col_i]]],
                "treated_index_months": treated.features[set_i, 0],
                "control_index_months": table.t[control_rows[set_i, col_i]],
                "treated_post_slope": treated.outcome[set_i],
                "control_post_slope": controls.outcome[neighbours[set_i, col_i]],
            }
        )
        n_controls = int(np.unique(controls.subject[neighbours[used]]).size)
        balance = self._balance(frames, table, treated, controls, neighbours, weight)
        reused = (
            int((per_person["w"] > per_person["w"].min() + 1e-12).sum()) if len(per_person) else 0
        )
        caveats = matching_caveats(
            k=self.k,
            caliper_months=self.caliper_months,
            ci=self.ci,
            therapy=therapy,
            n=n,
            n_controls=n_controls,
            n_candidates=n_candidates,
            n_unmatched=n_unmatched,
            n_short=int((k_i < self.k).sum()),
            balance=balance,
            n_pool=len(np.unique(controls.subject)),
            n_reused=reused,
            n_lost=getattr(self, "_n_lost", 0),
        )
        return MatchedControlsResult(
            therapy=therapy,
            effect=effect,
            se=se,
            ci_low=ci_low,
            ci_high=ci_high,
            p_value=p_value,
            n_treated=n,
            n_controls=n_controls,
            n_candidates=n_candidates,
            k=self.k,
            followup_months=self.followup_months,
            ci_method=self.ci,
            balance=balance,
            sets=sets,
            pairs=pairs,
            caveats=caveats,
        )

    def _balance(
        self,
        frames: RegistryFrames,
        table: ScoreTable,
        treated: _States,
        controls: _States,
        neighbours: np.ndarray,
        weight: np.ndarray,
    ) -> pd.DataFrame:
        subjects = frames.subjects.set_index("subject_id")
        ids = pd.Index(table.ids)
        per_subject: dict[str, np.ndarray] = {}
        if "birth_year" in subjects.columns:
            onset_year = subjects["onset_date"].dt.year.reindex(ids).to_numpy(dtype=float)
            birth = pd.to_numeric(subjects["birth_year"], errors="coerce").reindex(ids)
            per_subject["age_at_onset"] = onset_year - birth.to_numpy(dtype=float)
        if "onset_region" in subjects.columns:
            region = subjects["onset_region"].astype("string").reindex(ids)
            for value in sorted(region.dropna().unique()):
                per_subject[f"onset_region={value}"] = (region == value).to_numpy(dtype=float)
        covariates: dict[str, tuple[np.ndarray, np.ndarray]] = {
            name: (treated.features[:, col], controls.features[:, col])
            for col, name in enumerate(_FEATURES)
        }
        for name, values in per_subject.items():
            covariates[name] = (values[treated.subject], values[controls.subject])
        labels = {
            name: _BALANCE_LABELS.get(name, name.replace("onset_region=", "Onset region: "))
            for name in covariates
        }
        return balance_table(covariates, neighbours, weight, labels)


def _design(features: np.ndarray) -> np.ndarray:
    """Regression design for the bias correction: intercept, t, y, pre-slope, last change, ΔFS."""
    t, y, b, c = features[:, 0], features[:, 1], features[:, 2], features[:, 3]
    dfs = (48.0 - y) / np.maximum(t, 0.5)
    return np.column_stack([np.ones_like(t), t, y, b, c, dfs])
