"""Natural history: how often untreated people with ALS show no ALSFRS-R decline.

An anecdote of "stabilisation" on a therapy means little if untreated people often look stable
too. In the PRO-ACT database of ALS trial participants, 25% showed no ALSFRS-R decline over
6 months, 16% over 12 months and 7% over 18 months (Bedlack et al., Neurology 2016). This
module measures the same share in the registry and writes the sentence shown next to any
uncontrolled claim.

Definition (per subject, counted once): the window starts at the subject's first ALSFRS-R score
in untreated time and ends at the first later score at least ``months`` and at most
``max_months`` (default ``months`` + 3) later (months of
:data:`~offlabel.registry.vocabulary.DAYS_PER_MONTH` days); the sentence names that window, so
"over 6 months" never hides a 15-month gap. Untreated time is everything before the
subject's first course of *any* therapy, so never-treated subjects contribute their whole
record and treated subjects their pre-treatment record. **No decline** means the later total is
at least the earlier one. Subjects without such a window are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Self

import pandas as pd

from offlabel.evidence.wording import fill, gettext_noop
from offlabel.outcomes.caveats import CaveatKind, caveat
from offlabel.outcomes.intervals import wilson_interval
from offlabel.outcomes.results import Fitted, json_object
from offlabel.registry.frames import RegistryFrames
from offlabel.registry.vocabulary import DAYS_PER_MONTH, ScaleKey

__all__ = [
    "PROACT_REFERENCE",
    "NaturalHistory",
    "NaturalHistoryReference",
    "StabilityResult",
    "stabilisation_sentence",
]


@dataclass(frozen=True)
class NaturalHistoryReference:
    """A published share of people with ALS showing no ALSFRS-R decline over a window."""

    months: int
    share: float
    population: str
    source: str


_BEDLACK_2016 = (
    "Bedlack RS, Vaughan T, Wicks P, et al. How common are ALS plateaus and reversals? "
    "Neurology. 2016;86:808–12."
)

#: PRO-ACT reference shares by window length in months.
PROACT_REFERENCE = MappingProxyType(
    {
        6: NaturalHistoryReference(6, 0.25, "PRO-ACT trial database", _BEDLACK_2016),
        12: NaturalHistoryReference(12, 0.16, "PRO-ACT trial database", _BEDLACK_2016),
        18: NaturalHistoryReference(18, 0.07, "PRO-ACT trial database", _BEDLACK_2016),
    }
)


@dataclass(frozen=True)
class StabilityResult:
    """Share of untreated subjects with no ALSFRS-R decline over ``months``.

    Attributes
    ----------
    months : int
    n : int
        Subjects with a qualifying window.
    max_months : int
        Longest window counted.
    n_stable : int
    pct, ci_low, ci_high : float
        Percent (0–100) with a Wilson interval; ``nan`` when ``n`` is 0.
    reference : NaturalHistoryReference or None
    per_subject : pandas.DataFrame
        Index ``subject_id``: ``start_date``, ``start_total``, ``end_date``, ``end_total``,
        ``stable``.
    caveats : tuple of str
    """

    months: int
    n: int
    n_stable: int
    max_months: int
    pct: float
    ci_low: float
    ci_high: float
    reference: NaturalHistoryReference | None
    per_subject: pd.DataFrame
    caveats: tuple[str, ...]
    confidence: float = 0.95

    @property
    def summary(self) -> pd.DataFrame:
        """The registry share and the reference in one table."""
        rows: dict[str, dict[str, float | None]] = {
            "registry (untreated)": {
                "n": self.n,
                "n_stable": self.n_stable,
                "pct": self.pct,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
            }
        }
        if self.reference is not None:
            rows[self.reference.population] = {
                "n": None,
                "n_stable": None,
                "pct": 100.0 * self.reference.share,
                "ci_low": None,
                "ci_high": None,
            }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("source")

    @property
    def sentence(self) -> str:
        """The sentence to show next to an uncontrolled report of stabilisation."""
        return stabilisation_sentence(self.months, self)

    def to_dict(self) -> dict[str, Any]:
        """The CLI/API JSON shape."""
        ref = self.reference
        return json_object(
            {
                "months": self.months,
                "max_months": self.max_months,
                "n": self.n,
                "n_stable": self.n_stable,
                "pct": self.pct,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "reference": None
                if ref is None
                else {"pct": 100.0 * ref.share, "population": ref.population, "source": ref.source},
                "sentence": self.sentence,
                "caveats": list(self.caveats),
            }
        )


def stabilisation_sentence(months: int = 6, result: StabilityResult | None = None) -> str:
    """The natural-history sentence for a claim of stabilisation over ``months``.

    Uses the registry's figure when ``result`` has subjects, else the PRO-ACT reference alone.

    Examples
    --------
    >>> stabilisation_sentence(6)[:60]
    'Natural history: in the PRO-ACT trial database 25% of people'
    """
    reference = (
        PROACT_REFERENCE.get(months)
        or PROACT_REFERENCE[6 if months < 12 else 12 if months < 18 else 18]
    )
    if result is not None and result.n:
        return caveat(
            CaveatKind.NATURAL_HISTORY,
            n_stable=result.n_stable,
            n=result.n,
            pct=result.pct,
            ci_low=result.ci_low,
            ci_high=result.ci_high,
            months=months,
            max_months=result.max_months,
            reference_pct=100.0 * reference.share,
        )
    return fill(
        REFERENCE_TEMPLATE,
        {
            "population": reference.population,
            "pct": 100 * reference.share,
            "months": reference.months,
        },
    )


#: The natural-history sentence without registry figures (a msgid, see ``evidence.wording``).
REFERENCE_TEMPLATE = gettext_noop(
    "Natural history: in the {population} {pct:.0f}% of people with ALS showed no ALSFRS-R "
    "decline over {months} months without any new treatment, so a report of stabilisation "
    "without a control group is weak evidence of benefit."
)


class NaturalHistory(Fitted[StabilityResult]):
    """Measure the share of untreated subjects with no ALSFRS-R decline.

    Parameters
    ----------
    months : int
        Window length, usually 6, 12 or 18.
    max_months : int, optional
        Longest window counted (default ``months`` + 3).
    confidence : float

    Attributes
    ----------
    result_ : StabilityResult
    """

    def __init__(
        self, months: int = 6, confidence: float = 0.95, max_months: int | None = None
    ) -> None:
        if months <= 0:
            raise ValueError(f"months must be positive, got {months}")
        self.max_months = months + 3 if max_months is None else int(max_months)
        if self.max_months < months:
            raise ValueError(f"max_months must be at least months, got {max_months}")
        self.months = months
        self.confidence = confidence

    def fit(self, frames: RegistryFrames) -> Self:
        """Find each subject's window and count the stable ones; returns ``self``."""
        scores = frames.scores
        scores = scores.loc[
            scores["scale"] == ScaleKey.ALSFRS_R.value, ["subject_id", "date", "total"]
        ].copy()
        first_course = frames.treatments.groupby("subject_id")["start_date"].min()
        treated_from = first_course.reindex(scores["subject_id"]).to_numpy()
        untreated = ~(scores["date"].to_numpy() >= treated_from)
        scores = scores.loc[untreated]
        scores["subject_id"] = scores["subject_id"].astype(str)
        scores = scores.sort_values(["subject_id", "date"], kind="stable")

        starts = scores.groupby("subject_id", sort=False).head(1)
        starts = starts.rename(columns={"date": "start_date", "total": "start_total"})
        starts["target"] = starts["start_date"] + pd.Timedelta(days=self.months * DAYS_PER_MONTH)
        columns = ["start_date", "start_total", "end_date", "end_total"]
        if scores.empty:  # no untreated ALSFRS-R score at all (a dogs-only registry, say)
            windows = pd.DataFrame(columns=columns, index=pd.Index([], name="subject_id"))
        else:
            ends = scores.rename(columns={"date": "end_date", "total": "end_total"})
            ends["target"] = ends["end_date"]
            matched = pd.merge_asof(
                starts.sort_values("target"),
                ends.sort_values("target"),
                on="target",
                by="subject_id",
                direction="forward",
            )
            matched = matched.dropna(subset=["end_total"])
            longest = pd.Timedelta(days=self.max_months * DAYS_PER_MONTH)
            matched = matched.loc[matched["end_date"] - matched["start_date"] <= longest]
            windows = matched.set_index("subject_id")
            windows = windows[columns].sort_index()
        windows["stable"] = windows["end_total"] >= windows["start_total"]

        n = len(windows)
        n_stable = int(windows["stable"].sum())
        low, high = wilson_interval(n_stable, n, self.confidence)
        reference = PROACT_REFERENCE.get(self.months)
        sentences: list[str] = []
        n_with_scores = int(starts["subject_id"].nunique())
        if n_with_scores > n:
            sentences.append(
                caveat(
                    CaveatKind.EXCLUDED,
                    n_excluded=n_with_scores - n,
                    n_total=n_with_scores,
                    reason=(
                        f"no untreated ALSFRS-R score {self.months}–{self.max_months} months "
                        "after their first"
                    ),
                )
            )
        if 0 < n < 30:
            sentences.append(
                caveat(
                    CaveatKind.SMALL_N,
                    n=n,
                    unit="subject",
                    width=100.0 * float(high[0] - low[0]),
                    step=100.0 / n,
                )
            )
        self.result_ = StabilityResult(
            months=self.months,
            n=n,
            n_stable=n_stable,
            max_months=self.max_months,
            pct=100.0 * n_stable / n if n else float("nan"),
            ci_low=100.0 * float(low[0]),
            ci_high=100.0 * float(high[0]),
            reference=reference,
            per_subject=windows,
            caveats=tuple(sentences),
            confidence=self.confidence,
        )
        return self
