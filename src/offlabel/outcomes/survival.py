"""Time to event (dogs with DM first): Kaplan–Meier, log-rank and Cox, through lifelines.

Time runs from onset to the endpoint (``non_ambulatory`` by default). Follow-up ends at the
first of: the endpoint, euthanasia or death (a competing end, counted as censoring when it is
not the endpoint), and the last contact (latest score, evaluation or event, including an
explicit ``censored`` row).

**Immortal time.** A subject who starts a therapy a year after onset had to stay event-free for
that year to be counted as "treated"; comparing ever-treated with never-treated subjects
credits that year to the therapy. This module handles it two ways:

* the Cox model treats the therapy as a *time-varying* covariate (lifelines
  ``CoxTimeVaryingFitter``): each subject is untreated until the first course starts;
* Kaplan–Meier curves and the log-rank test are either the naive ever-treated comparison
  (``landmark_days=None``, flagged in the caveats with the median delay to the start) or a
  *landmark* analysis: only subjects event-free and followed at ``landmark_days`` after onset,
  grouped by whether a course had started by then, time counted from the landmark (then the
  Cox model uses the same landmark groups with ``CoxPHFitter``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self

import numpy as np
import pandas as pd

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.outcomes.caveats import CaveatKind, caveat
from offlabel.outcomes.results import Fitted, json_object
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.vocabulary import EventKind

__all__ = [
    "CoxEffect",
    "Endpoint",
    "GroupSurvival",
    "SurvivalAnalysis",
    "SurvivalResult",
    "survival_table",
]

TREATED = "treated"
UNTREATED = "untreated"
#: Derived covariates :func:`survival_table` offers besides the subjects' own columns.
DERIVED_COVARIATES = ("age_at_onset", "breed", "sod1")


class Endpoint(StrEnum):
    """What counts as the event."""

    NON_AMBULATORY = "non_ambulatory"
    THORACIC_LIMBS = "thoracic_limbs"
    EUTHANASIA = "euthanasia"
    DEATH = "death"
    EUTHANASIA_OR_DEATH = "euthanasia_or_death"

    @property
    def events(self) -> tuple[EventKind, ...]:
        """The registry events that count as this endpoint."""
        if self is Endpoint.EUTHANASIA_OR_DEATH:
            return (EventKind.EUTHANASIA, EventKind.DEATH)
        return (EventKind(self.value),)


_TERMINAL = (EventKind.EUTHANASIA, EventKind.DEATH)


def survival_table(
    frames: RegistryFrames,
    therapy: str | None,
    endpoint: Endpoint | str = Endpoint.NON_AMBULATORY,
    species: TargetSpecies | str | None = TargetSpecies.DOG,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """One row per subject: time from onset to the endpoint or censoring, and covariates.

    Returns
    -------
    table : pandas.DataFrame
        Index ``subject_id``; ``onset_date``, ``end_date``, ``duration_days``, ``observed``
        (bool), ``start_days`` (days from onset to the first course of ``therapy``, ``nan``
        if none), ``treated`` (a course started before the end of follow-up),
        ``age_at_onset`` (years), ``breed``, ``sod1`` and any extra subject columns. With
        ``therapy=None`` no one is treated.
    excluded : dict of str to int
        Subjects left out by reason (no onset date; no follow-up after onset).
    """
    point = Endpoint(endpoint)
    subjects = frames.subjects
    if species is not None:
        subjects = subjects.loc[subjects["species"] == TargetSpecies(species).value]
    subjects = subjects.set_index("subject_id")
    events = frames.events
    hit = events.loc[events["event"].isin([e.value for e in point.events])]
    event_date = hit.groupby("subject_id")["date"].min()
    terminal = events.loc[events["event"].isin([e.value for e in _TERMINAL])]
    terminal_date = terminal.groupby("subject_id")["date"].min()
    contact = frames.last_contact()

    table = pd.DataFrame(index=subjects.index)
    table["onset_date"] = subjects["onset_date"]
    ev = event_date.reindex(table.index)
    censor = pd.concat(
        [contact.reindex(table.index), terminal_date.reindex(table.index)], axis=1
    ).min(axis=1)
    table["observed"] = ev.notna() & ~(ev > censor)
    table["end_date"] = ev.where(table["observed"], censor)
    table["duration_days"] = (table["end_date"] - table["onset_date"]).dt.days.astype("float64")
    if therapy is None:
        start = pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")
    else:
        start = frames.first_start(therapy).reindex(table.index)
    table["start_days"] = (start - table["onset_date"]).dt.days.astype("float64")
    table["treated"] = (start < table["end_date"]).fillna(False).astype(bool)
    table["age_at_onset"] = table["onset_date"].dt.year - subjects["birth_year"]
    for column in subjects.columns:
        if column not in {"species", "onset_date", "birth_year"} and column not in table:
            table[column] = subjects[column]

    no_onset = table["onset_date"].isna()
    no_follow_up = ~no_onset & ~(table["duration_days"] > 0)
    excluded = {
        "no onset date": int(no_onset.sum()),
        "no follow-up after onset": int(no_follow_up.sum()),
    }
    table = table.loc[~no_onset & ~no_follow_up].copy()
    table["observed"] = table["observed"].astype(bool)
    return table, {k: v for k, v in excluded.items() if v}


@dataclass(frozen=True)
class GroupSurvival:
    """Kaplan–Meier summary of one group; times in days."""

    n: int
    events: int
    median_days: float | None
    median_ci: tuple[float | None, float | None]
    curve: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class CoxEffect:
    """The therapy's hazard ratio (treated vs untreated) from the Cox model."""

    hr: float
    ci_low: float
    ci_high: float
    p: float
    model: str
    n: int
    events: int
    covariates: tuple[str, ...]
    table: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class SurvivalResult:
    """Time-to-event comparison of treated and untreated subjects.

    Attributes
    ----------
    therapy, endpoint : str
    landmark_days : int or None
    groups : dict of str to GroupSurvival
        ``"treated"`` and ``"untreated"`` (a group with no subjects is absent).
    logrank_p : float or None
    cox : CoxEffect or None
        ``None`` when the model cannot be fitted (reason in the caveats).
    excluded : dict of str to int
    caveats : tuple of str
    """

    therapy: str
    endpoint: Endpoint
    landmark_days: int | None
    groups: dict[str, GroupSurvival]
    logrank_p: float | None
    cox: CoxEffect | None
    excluded: dict[str, int]
    caveats: tuple[str, ...]
    confidence: float = 0.95

    @property
    def summary(self) -> pd.DataFrame:
        """One row per group: ``n``, ``events``, ``median_days`` and its CI."""
        rows = {
            name: {
                "n": g.n,
                "events": g.events,
                "median_days": g.median_days,
                "median_ci_low": g.median_ci[0],
                "median_ci_high": g.median_ci[1],
            }
            for name, g in self.groups.items()
        }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")

    @property
    def curves(self) -> dict[str, pd.DataFrame]:
        """Kaplan–Meier curve per group: ``days``, ``survival``, ``ci_low``, ``ci_high``."""
        return {name: g.curve for name, g in self.groups.items()}

    def to_dict(self) -> dict[str, Any]:
        """The CLI/API JSON shape (a stable contract)."""
        cox = self.cox
        return json_object(
            {
                "therapy": self.therapy,
                "endpoint": self.endpoint,
                "landmark_days": self.landmark_days,
                "groups": {
                    name: {
                        "n": g.n,
                        "events": g.events,
                        "median_days": g.median_days,
                        "median_ci": list(g.median_ci),
                    }
                    for name, g in self.groups.items()
                },
                "logrank_p": self.logrank_p,
                "cox": None
                if cox is None
                else {
                    "hr": cox.hr,
                    "ci_low": cox.ci_low,
                    "ci_high": cox.ci_high,
                    "p": cox.p,
                    "model": cox.model,
                    "n": cox.n,
                    "events": cox.events,
                    "covariates": list(cox.covariates),
                },
                "excluded": self.excluded,
                "caveats": list(self.caveats),
            }
        )


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _design(
    table: pd.DataFrame, covariates: Sequence[str], min_level_n: int
) -> tuple[pd.DataFrame, list[str]]:
    """Numeric design columns for the covariates: text columns become indicator columns.

    Levels seen fewer than ``min_level_n`` times are pooled as ``other``; the most common level
    is the reference. Returns the design and the notes about what was done.
    """
    design = pd.DataFrame(index=table.index)
    notes: list[str] = []
    for name in covariates:
        if name not in table.columns:
            known = ", ".join(sorted(set(DERIVED_COVARIATES) | set(map(str, table.columns))))
            raise ValueError(f"unknown covariate {name!r} (known: {known})")
        column = table[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            design[name] = column.astype("float64")
            continue
        text = column.astype("string")
        counts = text.value_counts()
        rare = counts.index[counts < min_level_n]
        if len(rare):
            text = text.where(~text.isin(rare), "other")
            notes.append(f"{len(rare)} rare {name} level(s) pooled as 'other'")
        levels = text.value_counts()
        for level in levels.index[1:]:
            design[f"{name}[{level}]"] = (text == level).astype("float64").where(text.notna())
    return design, notes


class SurvivalAnalysis(Fitted[SurvivalResult]):
    """Kaplan–Meier, log-rank and Cox for treated vs untreated subjects.

    Parameters
    ----------
    therapy : str
        Matched case-insensitively.
    endpoint : Endpoint or str
        ``non_ambulatory`` (default), ``thoracic_limbs``, ``euthanasia``, ``death`` or
        ``euthanasia_or_death``.
    covariates : sequence of str
        Cox adjustment: ``age_at_onset``, ``breed``, ``sod1`` or any subject column.
    species : TargetSpecies, str or None
        Default dogs.
    landmark_days : int or None
        Landmark for the group comparison (see the module docstring).
    confidence : float
    penalizer : float
        Ridge penalty for the Cox model (lifelines); 0 is the plain partial likelihood.
    min_level_n : int
        Categorical levels rarer than this are pooled.

    Attributes
    ----------
    result_ : SurvivalResult
    table_ : pandas.DataFrame
        The per-subject table (see :func:`survival_table`).
    cox_model_ : lifelines fitter or None
    """

    def __init__(
        self,
        therapy: str,
        endpoint: Endpoint | str = Endpoint.NON_AMBULATORY,
        *,
        covariates: Sequence[str] = (),
        species: TargetSpecies | str | None = TargetSpecies.DOG,
        landmark_days: int | None = None,
        confidence: float = 0.95,
        penalizer: float = 0.0,
        min_level_n: int = 5,
    ) -> None:
        self.therapy = therapy
        self.endpoint = Endpoint(endpoint)
        self.covariates = tuple(covariates)
        self.species = species
        self.landmark_days = landmark_days
        self.confidence = confidence
        self.penalizer = penalizer
        self.min_level_n = min_level_n

    def fit(self, frames: RegistryFrames) -> Self:
        """Build the table and fit the models; returns ``self``.

        Raises
        ------
        offlabel.registry.problems.RegistryError
            Unknown therapy.
        ValueError
            No subject with follow-up, or an unknown covariate.
        """
        frames.resolve_therapy(self.therapy)
        with warnings.catch_warnings():
            # lifelines calls pandas APIs that pandas 3 flags for version 4; not ours to fix
            warnings.filterwarnings("ignore", module="lifelines")
            return self._fit(frames)

    def _fit(self, frames: RegistryFrames) -> Self:
        from lifelines.statistics import logrank_test

        table, excluded = survival_table(frames, self.therapy, self.endpoint, self.species)
        if table.empty:
            raise ValueError(
                f"no {self.species or 'subject'} with an onset date and follow-up after onset"
            )
        sentences: list[str] = []
        if self.landmark_days is None:
            groups_table = table
        else:
            at_risk = table["duration_days"] > self.landmark_days
            groups_table = table.loc[at_risk].copy()
            groups_table["treated"] = groups_table["start_days"] <= self.landmark_days
            groups_table["duration_days"] -= self.landmark_days
            late = int((table.loc[at_risk, "start_days"] > self.landmark_days).sum())
            sentences.append(
                caveat(
                    CaveatKind.IMMORTAL_TIME_LANDMARK,
                    landmark_days=self.landmark_days,
                    n_at_risk=int(at_risk.sum()),
                    n_late=late,
                )
            )
        groups = {
            name: self._km(groups_table.loc[groups_table["treated"] == flag])
            for name, flag in ((TREATED, True), (UNTREATED, False))
            if (groups_table["treated"] == flag).any()
        }
        logrank_p = None
        if len(groups) == 2:
            treated = groups_table.loc[groups_table["treated"]]
            untreated = groups_table.loc[~groups_table["treated"]]
            test = logrank_test(
                treated["duration_days"],
                untreated["duration_days"],
                treated["observed"],
                untreated["observed"],
            )
            logrank_p = float(test.p_value)

        cox, cox_notes = self._cox(table, groups_table)
        n_treated = int(table["treated"].sum())
        if n_treated and self.landmark_days is None:
            sentences.append(
                caveat(
                    CaveatKind.IMMORTAL_TIME,
                    therapy=self.therapy,
                    median_days=float(table.loc[table["treated"], "start_days"].clip(0).median()),
                )
            )
        sentences.append(
            caveat(
                CaveatKind.CONFOUNDING_BY_INDICATION,
                n_treated=int(groups_table["treated"].sum()),
                n_untreated=int((~groups_table["treated"]).sum()),
            )
        )
        events = int(groups_table["observed"].sum())
        if events < 20:
            sentences.append(
                caveat(
                    CaveatKind.MODEL_SIMPLIFIED,
                    model="Few events",
                    reason=(
                        f"{events} {self.endpoint.value} events among {len(groups_table)} "
                        "subjects; hazard ratios and medians are imprecise"
                    ),
                )
            )
        for reason, n in excluded.items():
            sentences.append(
                caveat(
                    CaveatKind.EXCLUDED,
                    n_excluded=n,
                    n_total=n + len(table),
                    reason=reason,
                )
            )
        sentences.extend(cox_notes)
        self.table_ = table
        self.result_ = SurvivalResult(
            therapy=self.therapy,
            endpoint=self.endpoint,
            landmark_days=self.landmark_days,
            groups=groups,
            logrank_p=logrank_p,
            cox=cox,
            excluded=excluded,
            caveats=tuple(sentences),
            confidence=self.confidence,
        )
        return self

    def _km(self, group: pd.DataFrame) -> GroupSurvival:
        from lifelines import KaplanMeierFitter
        from lifelines.utils import median_survival_times

        kmf = KaplanMeierFitter(alpha=1 - self.confidence)
        kmf.fit(group["duration_days"], group["observed"])
        ci = median_survival_times(kmf.confidence_interval_)
        low, high = (float(v) for v in np.asarray(ci, dtype=float).ravel()[:2])
        bands = kmf.confidence_interval_
        curve = pd.DataFrame(
            {
                "days": kmf.survival_function_.index.to_numpy(dtype=float),
                "survival": kmf.survival_function_.iloc[:, 0].to_numpy(),
                "ci_low": bands.iloc[:, 0].to_numpy(),
                "ci_high": bands.iloc[:, 1].to_numpy(),
            }
        )
        return GroupSurvival(
            n=len(group),
            events=int(group["observed"].sum()),
            median_days=_finite(float(kmf.median_survival_time_)),
            median_ci=(_finite(low), _finite(high)),
            curve=curve,
        )

    def _cox(
        self, table: pd.DataFrame, groups_table: pd.DataFrame
    ) -> tuple[CoxEffect | None, list[str]]:
        from lifelines import CoxPHFitter, CoxTimeVaryingFitter
        from lifelines.exceptions import ConvergenceError

        landmark = self.landmark_days is not None
        base = groups_table if landmark else table
        design, notes = _design(base, self.covariates, self.min_level_n)
        complete = design.notna().all(axis=1)
        dropped = int((~complete).sum())
        base, design = base.loc[complete], design.loc[complete]
        sentences = [
            caveat(CaveatKind.MODEL_SIMPLIFIED, model="Cox model", reason=n) for n in notes
        ]
        if dropped:
            sentences.append(
                caveat(
                    CaveatKind.EXCLUDED,
                    n_excluded=dropped,
                    n_total=dropped + len(base),
                    reason="a covariate of the Cox model is missing",
                )
            )
        if base["treated"].nunique() < 2 or not base["observed"].any():
            sentences.append(
                caveat(
                    CaveatKind.MODEL_SIMPLIFIED,
                    model="Cox model",
                    reason="not fitted: it needs treated and untreated subjects and an event",
                )
            )
            return None, sentences
        alpha = 1 - self.confidence
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if landmark:
                    data = design.assign(
                        treated=base["treated"].astype(float),
                        duration=base["duration_days"],
                        observed=base["observed"].astype(int),
                    )
                    fitter: Any = CoxPHFitter(alpha=alpha, penalizer=self.penalizer)
                    fitter.fit(data, duration_col="duration", event_col="observed")
                    model = f"Cox proportional hazards, landmark at {self.landmark_days} days"
                else:
                    data = _episodes(base, design)
                    fitter = CoxTimeVaryingFitter(alpha=alpha, penalizer=self.penalizer)
                    fitter.fit(
                        data, id_col="id", event_col="observed", start_col="start", stop_col="stop"
                    )
                    model = "Cox proportional hazards, treatment time-varying from its start"
        except (ConvergenceError, np.linalg.LinAlgError, ValueError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            sentences.append(
                caveat(
                    CaveatKind.MODEL_SIMPLIFIED, model="Cox model", reason=f"not fitted: {reason}"
                )
            )
            return None, sentences
        summary = fitter.summary
        row = summary.loc["treated"]
        self.cox_model_ = fitter
        effect = CoxEffect(
            hr=float(row["exp(coef)"]),
            ci_low=float(row[f"exp(coef) lower {100 * (1 - alpha):g}%"]),
            ci_high=float(row[f"exp(coef) upper {100 * (1 - alpha):g}%"]),
            p=float(row["p"]),
            model=model,
            n=len(base),
            events=int(base["observed"].sum()),
            covariates=tuple(design.columns),
            table=summary,
        )
        return effect, sentences


def _episodes(table: pd.DataFrame, design: pd.DataFrame) -> pd.DataFrame:
    """Long (start, stop] rows: untreated until the first course starts, treated after."""
    duration = table["duration_days"].to_numpy()
    start = table["start_days"].to_numpy()
    switch = np.isfinite(start) & (start > 0) & (start < duration)
    from_zero = np.isfinite(start) & (start <= 0)
    ids = np.arange(len(table))
    before = pd.DataFrame(
        {
            "id": ids[switch],
            "start": 0.0,
            "stop": start[switch],
            "observed": 0,
            "treated": 0.0,
        }
    )
    whole = pd.DataFrame(
        {
            "id": ids,
            "start": np.where(switch, start, 0.0),
            "stop": duration,
            "observed": table["observed"].to_numpy().astype(int),
            "treated": (switch | from_zero).astype(float),
        }
    )
    long = pd.concat([before, whole], ignore_index=True)
    covariates = design.reset_index(drop=True).iloc[long["id"].to_numpy()].reset_index(drop=True)
    return pd.concat([long, covariates], axis=1)
