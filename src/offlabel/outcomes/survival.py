"""Time to event (dogs with DM first): Kaplan–Meier curves, time-varying Cox and a landmark.

Time runs from onset to the endpoint (``non_ambulatory`` by default). Follow-up ends at the
first of: the endpoint, euthanasia or death (a *competing* end when it is not the endpoint),
and the last contact (latest score, evaluation or event, including an explicit ``censored``
row).

**What the result is.** Dogs start a therapy months after onset, and which dogs start may
depend on breed, size or age. The **primary result** is therefore a Cox model with the
treatment *time-varying* (each subject untreated until the first course starts, treated
after; lifelines ``CoxTimeVaryingFitter`` on (start, stop] rows), adjusted for breed, size
class and age at onset where the registry holds them. A **landmark analysis** (subjects
event-free and followed at the landmark, grouped by whether a course had started by then) is
the sensitivity analysis. The ever- vs never-treated Kaplan–Meier curves are kept as a
*description* only: they credit the treated with the time before their start (immortal
time), so no test or hazard ratio is computed on them.

**Competing events.** A dog put to sleep before it goes off its feet is censored there; the
Cox model then estimates the cause-specific hazard ratio, and the Aalen–Johansen cumulative
incidence (lifelines) says how many reached the endpoint by a year when those deaths are
accounted for, beside what 1 − Kaplan–Meier would claim.
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
from offlabel.outcomes.survival_models import (
    CoxEffect,
    auto_covariates,
    cumulative_incidence,
    design_matrix,
    fit_landmark_cox,
    fit_time_varying_cox,
    landmark_table,
)
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
DERIVED_COVARIATES = ("age_at_onset", "breed", "size_class", "sod1")
#: Size classes by body weight (kg): upper bounds, and the label.
SIZE_CLASSES = ((15.0, "small"), (30.0, "medium"), (float("inf"), "large"))


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
        (bool), ``competing`` (ended first by euthanasia or death that is not the endpoint),
        ``start_days`` (days from onset to the first course of ``therapy``, ``nan``
        if none), ``treated`` (a course started before the end of follow-up),
        ``age_at_onset`` (years), ``breed``, ``size_class`` (from ``weight_kg``, when recorded),
        ``sod1`` and any extra subject columns. With
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
    others = [e.value for e in _TERMINAL if e not in point.events]
    other_date = events.loc[events["event"].isin(others)].groupby("subject_id")["date"].min()
    other_end = other_date.reindex(table.index)
    table["competing"] = ~table["observed"] & other_end.notna() & (other_end <= table["end_date"])
    table["age_at_onset"] = table["onset_date"].dt.year - subjects["birth_year"]
    if "weight_kg" in subjects.columns and subjects["weight_kg"].notna().any():
        weight = subjects["weight_kg"].astype("float64")
        size = pd.Series(pd.NA, index=table.index, dtype="string")
        for bound, label in reversed(SIZE_CLASSES):
            size = size.where(~(weight < bound), label)
        table["size_class"] = size.where(weight.notna())
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


#: Months between the columns of a risk table.
RISK_TABLE_MONTHS = 6
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class GroupSurvival:
    """Kaplan–Meier summary of one group; times in days."""

    n: int
    events: int
    median_days: float | None
    median_ci: tuple[float | None, float | None]
    curve: pd.DataFrame = field(repr=False)
    #: the risk table: (month since onset, dogs still followed and event-free at its start),
    #: every :data:`RISK_TABLE_MONTHS` months while anyone is
    at_risk: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SurvivalResult:
    """Time-to-event result: the primary hazard ratio, its sensitivity analysis, description.

    Attributes
    ----------
    therapy, endpoint : str
    landmark_days : int
        The landmark of the sensitivity analysis.
    groups : dict of str to GroupSurvival
        Description only: Kaplan–Meier of ever-treated (``"treated"``) and never-treated
        (``"untreated"``) subjects (a group with no subjects is absent). No test is made on
        these groups (immortal time).
    primary : CoxEffect or None
        Time-varying Cox, adjusted; ``None`` when it cannot be fitted (reason in the caveats).
    landmark : CoxEffect or None
        The landmark Cox model (sensitivity analysis).
    competing : dict or None
        :func:`~offlabel.outcomes.survival_models.cumulative_incidence` at one year.
    excluded : dict of str to int
    caveats : tuple of str
    """

    therapy: str
    endpoint: Endpoint
    landmark_days: int
    groups: dict[str, GroupSurvival]
    primary: CoxEffect | None
    landmark: CoxEffect | None
    competing: dict[str, float] | None
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
        """Kaplan–Meier curve per group: ``days``, ``survival``, ``ci_low``, ``ci_high`` and
        ``at_risk`` (dogs still followed and event-free just before that day)."""
        return {name: g.curve for name, g in self.groups.items()}

    def to_dict(self) -> dict[str, Any]:
        """The CLI/API JSON shape (a stable contract); ``primary`` is what a page shows."""
        return json_object(
            {
                "therapy": self.therapy,
                "endpoint": self.endpoint,
                "primary": None if self.primary is None else self.primary.to_dict(),
                "sensitivity": None
                if self.landmark is None
                else {"landmark_days": self.landmark_days, **self.landmark.to_dict()},
                "competing": self.competing,
                "groups": {
                    name: {
                        "n": g.n,
                        "events": g.events,
                        "median_days": g.median_days,
                        "median_ci": list(g.median_ci),
                    }
                    for name, g in self.groups.items()
                },
                "groups_are": "description only: ever- vs never-treated, no test (immortal time)",
                "landmark_days": self.landmark_days,
                "excluded": self.excluded,
                "caveats": list(self.caveats),
            }
        )


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


class SurvivalAnalysis(Fitted[SurvivalResult]):
    """Time-varying Cox (primary), landmark Cox (sensitivity) and Kaplan–Meier (description).

    Parameters
    ----------
    therapy : str
        Matched case-insensitively.
    endpoint : Endpoint or str
        ``non_ambulatory`` (default), ``thoracic_limbs``, ``euthanasia``, ``death`` or
        ``euthanasia_or_death``.
    covariates : sequence of str or None
        Cox adjustment: ``age_at_onset``, ``breed``, ``size_class``, ``sod1`` or any subject
        column. ``None`` (or empty) adjusts for breed, size class and age at onset, those the
        registry holds (:data:`~offlabel.outcomes.survival_models.AUTO_COVARIATES`).
    species : TargetSpecies, str or None
        Default dogs.
    landmark_days : int
        Landmark of the sensitivity analysis (days after onset).
    confidence : float
    penalizer : float
        Ridge penalty for the Cox models (lifelines); 0 is the plain partial likelihood. When
        a model does not converge it is refitted with 0.01 and the caveats say so.
    min_level_n : int
        Categorical levels rarer than this are pooled.
    incidence_days : int
        Day of the cumulative-incidence figure.

    Attributes
    ----------
    result_ : SurvivalResult
    table_ : pandas.DataFrame
        The per-subject table (see :func:`survival_table`).
    cox_model_ : lifelines fitter or None
        The primary model.
    """

    def __init__(
        self,
        therapy: str,
        endpoint: Endpoint | str = Endpoint.NON_AMBULATORY,
        *,
        covariates: Sequence[str] | None = None,
        species: TargetSpecies | str | None = TargetSpecies.DOG,
        landmark_days: int | None = 180,
        confidence: float = 0.95,
        penalizer: float = 0.0,
        min_level_n: int = 5,
        incidence_days: int = 365,
    ) -> None:
        self.therapy = therapy
        self.endpoint = Endpoint(endpoint)
        self.covariates = None if not covariates else tuple(covariates)
        self.species = species
        self.landmark_days = 180 if landmark_days is None else int(landmark_days)
        if self.landmark_days <= 0:
            raise ValueError(f"landmark days must be positive, got {landmark_days}")
        self.confidence = confidence
        self.penalizer = penalizer
        self.min_level_n = min_level_n
        self.incidence_days = incidence_days
        self.cox_model_: Any = None

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
        table, excluded = survival_table(frames, self.therapy, self.endpoint, self.species)
        if table.empty:
            raise ValueError(
                f"no {self.species or 'subject'} with an onset date and follow-up after onset"
            )
        groups = {
            name: self._km(table.loc[table["treated"] == flag])
            for name, flag in ((TREATED, True), (UNTREATED, False))
            if (table["treated"] == flag).any()
        }
        covariates = self.covariates if self.covariates is not None else auto_covariates(table)
        design, notes = design_matrix(table, covariates, self.min_level_n, DERIVED_COVARIATES)
        sentences = [
            caveat(CaveatKind.MODEL_SIMPLIFIED, model="Cox model", reason=n) for n in notes
        ]
        complete = design.notna().all(axis=1)
        if not complete.all():
            sentences.append(
                caveat(
                    CaveatKind.EXCLUDED,
                    n_excluded=int((~complete).sum()),
                    n_total=len(table),
                    reason="a covariate of the Cox model is missing",
                )
            )
        base, design = table.loc[complete], design.loc[complete]
        primary, fitter = self._cox(base, design, sentences, landmark=False)
        self.cox_model_ = fitter
        at_landmark = landmark_table(base, self.landmark_days)
        landmark, _ = self._cox(base, design, sentences, landmark=True)
        sentences.append(
            caveat(
                CaveatKind.IMMORTAL_TIME_LANDMARK,
                landmark_days=self.landmark_days,
                n_at_risk=len(at_landmark),
                n_late=int((at_landmark["start_days"] > self.landmark_days).sum()),
            )
        )
        n_treated = int(table["treated"].sum())
        if n_treated:
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
                n_treated=n_treated,
                n_untreated=len(table) - n_treated,
            )
        )
        competing = cumulative_incidence(table, self.incidence_days)
        n_competing = int(table["competing"].sum())
        if n_competing:
            sentences.append(
                caveat(
                    CaveatKind.COMPETING_RISKS,
                    n_competing=n_competing,
                    n=len(table),
                    endpoint=self.endpoint.value.replace("_", "-"),
                    days=self.incidence_days,
                    pct_aj=100.0 * (competing or {}).get("endpoint", math.nan),
                    pct_km=100.0 * (competing or {}).get("one_minus_km", math.nan),
                )
            )
        events = int(table["observed"].sum())
        if events < 20:
            sentences.append(
                caveat(
                    CaveatKind.MODEL_SIMPLIFIED,
                    model="Few events",
                    reason=(
                        f"{events} {self.endpoint.value} events among {len(table)} "
                        "subjects; hazard ratios and medians are imprecise"
                    ),
                )
            )
        for reason, n in excluded.items():
            sentences.append(
                caveat(CaveatKind.EXCLUDED, n_excluded=n, n_total=n + len(table), reason=reason)
            )
        self.table_ = table
        self.result_ = SurvivalResult(
            therapy=self.therapy,
            endpoint=self.endpoint,
            landmark_days=self.landmark_days,
            groups=groups,
            primary=primary,
            landmark=landmark,
            competing=competing,
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
        days = kmf.survival_function_.index.to_numpy(dtype=float)
        # dogs still followed and event-free just before each day (the risk table's numbers)
        durations = np.sort(group["duration_days"].to_numpy(dtype=float))
        at_risk = len(durations) - np.searchsorted(durations, days, side="left")
        curve = pd.DataFrame(
            {
                "days": days,
                "survival": kmf.survival_function_.iloc[:, 0].to_numpy(),
                "ci_low": bands.iloc[:, 0].to_numpy(),
                "ci_high": bands.iloc[:, 1].to_numpy(),
                "at_risk": at_risk.astype(int),
            }
        )
        table: list[tuple[int, int]] = []
        month = 0
        while True:
            n = int(len(durations) - np.searchsorted(durations, month * DAYS_PER_MONTH))
            if n == 0 and table:
                break
            table.append((month, n))
            if n == 0:
                break
            month += RISK_TABLE_MONTHS
        return GroupSurvival(
            n=len(group),
            events=int(group["observed"].sum()),
            median_days=_finite(float(kmf.median_survival_time_)),
            median_ci=(_finite(low), _finite(high)),
            curve=curve,
            at_risk=tuple(table),
        )

    def _cox(
        self, base: pd.DataFrame, design: pd.DataFrame, sentences: list[str], *, landmark: bool
    ) -> tuple[CoxEffect | None, Any]:
        from lifelines.exceptions import ConvergenceError

        name = f"Landmark Cox model ({self.landmark_days} days)" if landmark else "Cox model"
        rows = landmark_table(base, self.landmark_days) if landmark else base
        if rows["treated"].nunique() < 2 or not rows["observed"].any():
            sentences.append(
                caveat(
                    CaveatKind.MODEL_SIMPLIFIED,
                    model=name,
                    reason="not fitted: it needs treated and untreated subjects and an event",
                )
            )
            return None, None
        alpha = 1 - self.confidence
        error: Exception | None = None
        for penalizer in dict.fromkeys((self.penalizer, max(self.penalizer, 0.01))):
            try:
                if landmark:
                    fitter, effect = fit_landmark_cox(
                        base, design, self.landmark_days, alpha, penalizer
                    )
                else:
                    fitter, effect = fit_time_varying_cox(base, design, alpha, penalizer)
            except (ConvergenceError, np.linalg.LinAlgError, ValueError) as caught:
                error = caught
                continue
            if penalizer != self.penalizer:
                sentences.append(
                    caveat(
                        CaveatKind.MODEL_SIMPLIFIED,
                        model=name,
                        reason=f"fitted with a ridge penalty of {penalizer:g} to converge",
                    )
                )
            return effect, fitter
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        sentences.append(
            caveat(CaveatKind.MODEL_SIMPLIFIED, model=name, reason=f"not fitted: {text}")
        )
        return None, None
