"""Evaluation summary: how subjects rated a therapy, exactly as a review reports it.

Follows the ALSUntangled summary of PatientsLikeMe data (ALSUntangled No. 8, 2011): the number
of subjects reporting a therapy (anyone with a course of it, or who rated it), the number
evaluating it, each evaluator counted once at their highest rating
(``major > moderate > slight > none > cant_tell``), the count, percent and 95% Wilson interval
per level, side effects with the number of subjects reporting each, dose ranges per unit and
the cost per month.

The published LDN figures (31 reporting, 15 evaluating; 7 "no effect or unsure" = 47%,
3 slight = 20%, 4 moderate = 27%) account for 14 of the 15 evaluators; the paper does not say
what the fifteenth rated. :meth:`EvaluationResult.share` pools levels (``none`` + ``cant_tell``
is the paper's "no effect or unsure"), and the test fixture reproducing the paper gives the
fifteenth evaluator a ``major`` rating (1 of 15 = 7%), the only level the text does not mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow.compute as pc

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.outcomes.caveats import CaveatKind, caveat
from offlabel.outcomes.intervals import wilson_interval
from offlabel.outcomes.results import Fitted, json_object, number
from offlabel.registry.frames import RegistryFrames, arrow_strings, factorize_ids
from offlabel.registry.vocabulary import EFFICACY_ORDER

__all__ = [
    "DoseRange",
    "EvaluationResult",
    "EvaluationSummary",
    "LevelShare",
    "summarize_evaluations",
]

#: Levels in the order a review lists them.
REPORT_ORDER: tuple[Efficacy, ...] = (
    Efficacy.NONE,
    Efficacy.SLIGHT,
    Efficacy.MODERATE,
    Efficacy.MAJOR,
    Efficacy.CANT_TELL,
)
_BENEFIT = (Efficacy.SLIGHT, Efficacy.MODERATE, Efficacy.MAJOR)
_SMALL_N = 30


@dataclass(frozen=True)
class LevelShare:
    """Subjects whose highest rating is one level (or one of a set of pooled levels)."""

    label: str
    n: int
    n_evaluating: int
    pct: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class DoseRange:
    """Doses recorded in one unit across the therapy's courses."""

    unit: str
    n: int
    min: float
    median: float
    max: float


@dataclass(frozen=True)
class CostRange:
    """Reported cost per month across the therapy's courses (``n`` with a cost)."""

    n: int
    min: float | None
    median: float | None
    max: float | None


@dataclass(frozen=True)
class EvaluationResult:
    """An evaluation summary. Percents are 0–100; intervals are Wilson, ``confidence`` level.

    Attributes
    ----------
    therapy : str
        The therapy as asked for.
    species : TargetSpecies or None
        The species summarised (``None``: all).
    n_reporting : int
        Subjects with a course of the therapy or an evaluation of it.
    n_evaluating : int
        Subjects with at least one evaluation.
    n_multiple : int
        Evaluators who rated more than once (each counted at their highest rating).
    levels : tuple of LevelShare
        One per efficacy level, in ``none, slight, moderate, major, cant_tell`` order.
    side_effects : tuple of (str, int)
        Side-effect name (lower case) and subjects reporting it, most frequent first.
    doses : tuple of DoseRange
        One per dose unit.
    cost_per_month : CostRange
    caveats : tuple of str
    n_benefit_latest : int
        Evaluators whose *latest* rating was a benefit (slight, moderate or major): the figure
        the highest-rating count inflates.
    confidence : float
    """

    therapy: str
    species: TargetSpecies | None
    n_reporting: int
    n_evaluating: int
    n_multiple: int
    levels: tuple[LevelShare, ...]
    side_effects: tuple[tuple[str, int], ...]
    doses: tuple[DoseRange, ...]
    cost_per_month: CostRange
    caveats: tuple[str, ...] = field(default=())
    confidence: float = 0.95
    n_benefit_latest: int = 0

    def level(self, efficacy: Efficacy | str) -> LevelShare:
        """The share for one level."""
        wanted = Efficacy(efficacy).value
        return next(share for share in self.levels if share.label == wanted)

    def share(self, *levels: Efficacy | str) -> LevelShare:
        """Pool levels into one share with its own Wilson interval.

        Examples
        --------
        ``result.share("none", "cant_tell")`` is a review's "no effect or unsure".
        """
        chosen = [Efficacy(level) for level in levels]
        n = sum(self.level(level).n for level in chosen)
        return _share("+".join(c.value for c in chosen), n, self.n_evaluating, self.confidence)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per level: ``n``, ``pct``, ``ci_low``, ``ci_high`` (percent)."""
        return pd.DataFrame(
            {
                "n": [s.n for s in self.levels],
                "pct": [s.pct for s in self.levels],
                "ci_low": [s.ci_low for s in self.levels],
                "ci_high": [s.ci_high for s in self.levels],
            },
            index=pd.Index([s.label for s in self.levels], name="efficacy"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The CLI/API JSON shape (a stable contract)."""
        return json_object(
            {
                "therapy": self.therapy,
                "species": self.species,
                "n_reporting": self.n_reporting,
                "n_evaluating": self.n_evaluating,
                "levels": {
                    s.label: {"n": s.n, "pct": s.pct, "ci_low": s.ci_low, "ci_high": s.ci_high}
                    for s in self.levels
                },
                "side_effects": [{"name": name, "n": n} for name, n in self.side_effects],
                "cost_per_month": {
                    "min": self.cost_per_month.min,
                    "median": self.cost_per_month.median,
                    "max": self.cost_per_month.max,
                },
                "dose": [
                    {"unit": d.unit, "n": d.n, "min": d.min, "median": d.median, "max": d.max}
                    for d in self.doses
                ],
                "caveats": list(self.caveats),
            }
        )


def _share(label: str, n: int, nobs: int, confidence: float) -> LevelShare:
    low, high = wilson_interval(n, nobs, confidence)
    pct = 100.0 * n / nobs if nobs else float("nan")
    return LevelShare(label, int(n), int(nobs), pct, 100.0 * low[0], 100.0 * high[0])


_DENSE_PAIRS_LIMIT = 50_000_000


_SEVERITY_SUFFIX = r"(?i):\s*(none|mild|moderate|severe)?\s*$"


def _side_effects(
    side_effects: pd.Series, subject: npt.NDArray[np.intp], n_subjects: int
) -> tuple[tuple[str, int], ...]:
    """Each side effect counted once per subject, however often they reported it.

    ``subject`` holds the integer subject code of every row of ``side_effects``. Splitting and
    trimming run in Arrow compute kernels: Python's ``str.split`` per row was most of the time
    on a million evaluations.
    """
    present_rows = np.flatnonzero(side_effects.notna().to_numpy())
    if not len(present_rows):
        return ()
    text = side_effects.iloc[present_rows].astype("string")
    pieces = pc.split_pattern(arrow_strings(text), ";")
    # The CSV layout may carry a severity after the name ("nausea:mild"); count the name only.
    bare = pc.replace_substring_regex(
        pc.list_flatten(pieces), pattern=_SEVERITY_SUFFIX, replacement=""
    )
    names = pc.utf8_lower(pc.utf8_trim_whitespace(bare))
    owner = subject[present_rows][np.asarray(pc.list_parent_indices(pieces))]
    encoded = pc.dictionary_encode(names)
    codes = np.asarray(encoded.indices.fill_null(-1), dtype=np.int64)
    values = encoded.dictionary.to_pylist()
    keep = codes >= 0
    keep &= np.array([bool(v) for v in values], dtype=bool)[np.maximum(codes, 0)]
    if not keep.any():
        return ()
    n_names = len(values)
    pair = owner[keep].astype(np.int64) * n_names + codes[keep]
    if n_subjects * n_names <= _DENSE_PAIRS_LIMIT:
        seen = np.zeros(n_subjects * n_names, dtype=bool)
        seen[pair] = True
        counts = seen.reshape(n_subjects, n_names).sum(axis=0)
    else:  # many distinct free-text effects: sort-based de-duplication instead
        counts = np.bincount(np.unique(pair) % n_names, minlength=n_names)
    ordered = sorted(
        ((str(values[i]), int(counts[i])) for i in np.flatnonzero(counts)),
        key=lambda item: (-item[1], item[0]),
    )
    return tuple(ordered)


def _doses(courses: pd.DataFrame) -> tuple[DoseRange, ...]:
    dosed = courses.loc[courses["dose"].notna(), ["dose", "dose_unit"]]
    if dosed.empty:
        return ()
    units = dosed["dose_unit"].fillna("(no unit)")
    stats = dosed["dose"].groupby(units).agg(["size", "min", "median", "max"])
    return tuple(
        DoseRange(str(unit), int(row["size"]), row["min"], row["median"], row["max"])
        for unit, row in stats.iterrows()
    )


def _cost(courses: pd.DataFrame) -> CostRange:
    cost = courses["cost_per_month"].dropna()
    if cost.empty:
        return CostRange(0, None, None, None)
    return CostRange(int(cost.size), number(cost.min()), number(cost.median()), number(cost.max()))


def summarize_evaluations(
    frames: RegistryFrames,
    therapy: str,
    species: TargetSpecies | str | None = None,
    confidence: float = 0.95,
) -> EvaluationResult:
    """Summarise the ratings of one therapy (see the module docstring for the rules).

    Parameters
    ----------
    frames : RegistryFrames
    therapy : str
        Matched case-insensitively against the registry's therapy names.
    species : TargetSpecies, str or None
        Restrict to one species; ``None`` pools all subjects.
    confidence : float
        Coverage of the Wilson intervals.

    Returns
    -------
    EvaluationResult

    Raises
    ------
    offlabel.registry.problems.RegistryError
        The therapy appears nowhere in the registry.
    """
    frames.resolve_therapy(therapy)
    chosen = TargetSpecies(species) if species is not None else None
    evaluations = frames.evaluations
    courses = frames.treatments
    ev_mask = frames.therapy_mask(evaluations, therapy)
    tr_mask = frames.therapy_mask(courses, therapy)
    if chosen is not None:
        ev_mask &= frames.species_mask(evaluations, chosen)
        tr_mask &= frames.species_mask(courses, chosen)
    rated = evaluations.loc[ev_mask, ["subject_id", "date", "efficacy", "side_effects"]]
    taken = courses.loc[tr_mask]

    # Highest rating per subject: the maximum of the ordered categorical's codes, aggregated
    # with numpy on integer subject codes (pandas' groupby on Arrow strings is ~5x slower).
    subject, evaluators = factorize_ids(rated["subject_id"])
    best = np.full(len(evaluators), -1, dtype=np.int8)
    np.maximum.at(best, subject, rated["efficacy"].cat.codes.to_numpy())
    n_ratings = np.bincount(subject, minlength=len(evaluators))
    counts = np.bincount(best, minlength=len(EFFICACY_ORDER))
    n_evaluating = len(evaluators)
    by_level = dict(zip(EFFICACY_ORDER, counts, strict=True))
    levels = tuple(
        _share(level.value, int(by_level[level]), n_evaluating, confidence)
        for level in REPORT_ORDER
    )
    reporting = pd.Index(taken["subject_id"].unique()).union(evaluators)
    n_reporting = len(reporting)
    n_multiple = int((n_ratings > 1).sum())
    latest = rated.sort_values("date", kind="stable").drop_duplicates("subject_id", keep="last")
    n_benefit_latest = int(latest["efficacy"].isin([e.value for e in _BENEFIT]).sum())

    result = EvaluationResult(
        therapy=therapy,
        species=chosen,
        n_reporting=n_reporting,
        n_evaluating=n_evaluating,
        n_multiple=n_multiple,
        levels=levels,
        side_effects=_side_effects(rated["side_effects"], subject, n_evaluating),
        doses=_doses(taken),
        cost_per_month=_cost(taken),
        confidence=confidence,
        n_benefit_latest=n_benefit_latest,
    )
    return _with_caveats(result)


def _with_caveats(result: EvaluationResult) -> EvaluationResult:
    n_eval, n_rep, therapy = result.n_evaluating, result.n_reporting, result.therapy
    sentences: list[str] = []
    if n_rep:
        sentences.append(
            caveat(
                CaveatKind.SELF_SELECTED,
                n_evaluating=n_eval,
                n_reporting=n_rep,
                therapy=therapy,
                pct=100.0 * n_eval / n_rep,
            )
        )
    if n_eval:
        sentences.append(caveat(CaveatKind.UNBLINDED, n_evaluating=n_eval, therapy=therapy))
        benefit = result.share(*_BENEFIT)
        if benefit.n:
            sentences.append(
                caveat(
                    CaveatKind.PLACEBO_RESPONSE,
                    n_benefit=benefit.n,
                    n_evaluating=n_eval,
                    pct_benefit=benefit.pct,
                    therapy=therapy,
                )
            )
        if result.n_multiple:
            sentences.append(
                caveat(
                    CaveatKind.HIGHEST_RATING,
                    n_multiple=result.n_multiple,
                    n_evaluating=n_eval,
                    therapy=therapy,
                    n_benefit=benefit.n,
                    pct_benefit=benefit.pct,
                    n_benefit_latest=result.n_benefit_latest,
                    pct_latest=100.0 * result.n_benefit_latest / n_eval,
                )
            )
        if n_eval < _SMALL_N:
            width = max(s.ci_high - s.ci_low for s in result.levels)
            sentences.append(
                caveat(
                    CaveatKind.SMALL_N,
                    n=n_eval,
                    unit="evaluator",
                    width=width,
                    step=100.0 / n_eval,
                )
            )
    return EvaluationResult(**{**result.__dict__, "caveats": tuple(sentences)})


class EvaluationSummary(Fitted[EvaluationResult]):
    """Estimator wrapper (lifelines style) around :func:`summarize_evaluations`.

    Parameters
    ----------
    therapy : str
    species : TargetSpecies, str or None
        ``None`` pools species in ``result_`` and also fills ``by_species_``.
    confidence : float

    Attributes
    ----------
    result_ : EvaluationResult
        After :meth:`fit`.
    by_species_ : dict of TargetSpecies to EvaluationResult
        One summary per species that has a course or rating of the therapy.

    Examples
    --------
    >>> summary = EvaluationSummary("LDN", species="human").fit(frames)  # doctest: +SKIP
    >>> summary.result_.level("moderate").pct  # doctest: +SKIP
    """

    def __init__(
        self,
        therapy: str,
        species: TargetSpecies | str | None = None,
        confidence: float = 0.95,
    ) -> None:
        self.therapy = therapy
        self.species = species
        self.confidence = confidence

    def fit(self, frames: RegistryFrames) -> Self:
        """Summarise ``frames``; returns ``self``."""
        self.result_ = summarize_evaluations(frames, self.therapy, self.species, self.confidence)
        wanted = [TargetSpecies(self.species)] if self.species is not None else list(TargetSpecies)
        by_species = {}
        for species in wanted:
            result = summarize_evaluations(frames, self.therapy, species, self.confidence)
            if result.n_reporting:
                by_species[species] = result
        self.by_species_: dict[TargetSpecies, EvaluationResult] = by_species
        return self
