"""The result of a matched-controls analysis (see :mod:`offlabel.outcomes.matching`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from offlabel.outcomes.caveats import CaveatKind, caveat
from offlabel.outcomes.results import jsonable, number

__all__ = ["MatchedControlsResult", "matching_caveats"]


@dataclass(frozen=True)
class MatchedControlsResult:
    """The outcome of :meth:`MatchedControls.fit` (immutable).

    Attributes
    ----------
    therapy : str
        The therapy as named in the registry.
    effect : float
        Average over treated subjects of their follow-up ALSFRS-R slope minus the mean slope of
        their matched controls over the same aligned window, points/month; positive means
        slower decline.
    se, ci_low, ci_high, p_value : float
        Standard error, 95% confidence interval and two-sided p-value (null: no effect).
    n_treated : int
        Treated subjects matched (each one matched set).
    n_controls : int
        Distinct subjects used as controls.
    n_candidates : int
        Subjects who started the therapy (with ALSFRS-R scores), matched or not.
    k, followup_months, ci_method : int, float, str
        Settings used.
    balance : pandas.DataFrame
        One row per covariate: means of the treated, of all eligible control visits (before
        matching) and of the matched controls (after), and standardized mean differences.
    sets : pandas.DataFrame
        One row per matched set (treated subject, index, slopes, difference).
    pairs : pandas.DataFrame
        One row per treated–control pair (for a matched-pair plot).
    caveats : tuple of str
        Plain-words warnings with the figures behind them.
    """

    therapy: str
    effect: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_treated: int
    n_controls: int
    n_candidates: int
    k: int
    followup_months: float
    ci_method: str
    balance: pd.DataFrame = field(repr=False)
    sets: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    caveats: tuple[str, ...] = ()

    @property
    def summary(self) -> pd.DataFrame:
        """One row: the effect with its standard error, 95% CI, p-value and counts."""
        return pd.DataFrame(
            {
                "effect": [self.effect],
                "se": [self.se],
                "ci_low": [self.ci_low],
                "ci_high": [self.ci_high],
                "p_value": [self.p_value],
                "n_treated": [self.n_treated],
                "n_controls": [self.n_controls],
            },
            index=pd.Index(["slope difference (points/month)"], name="estimand"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON: ``n_treated, n_controls, effect, ci_low, ci_high, p_value, balance,
        caveats`` (balance as a list of rows)."""
        balance = [
            {
                "covariate": str(row.Index),
                "label": row.label,
                "mean_treated": number(row.mean_treated),
                "mean_control_before": number(row.mean_control_before),
                "mean_control_after": number(row.mean_control_after),
                "smd_before": number(row.smd_before),
                "smd_after": number(row.smd_after),
            }
            for row in self.balance.itertuples()
        ]
        out: dict[str, Any] = jsonable(
            {
                "n_treated": self.n_treated,
                "n_controls": self.n_controls,
                "effect": self.effect,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "p_value": self.p_value,
                "balance": balance,
                "caveats": list(self.caveats),
            }
        )
        return out


def matching_caveats(
    *,
    k: int,
    caliper_months: float,
    ci: str,
    therapy: str,
    n: int,
    n_controls: int,
    n_candidates: int,
    n_unmatched: int,
    n_short: int,
    balance: pd.DataFrame,
    n_pool: int,
    n_reused: int,
    n_lost: int = 0,
) -> tuple[str, ...]:
    """The plain-words caveats of a matched-controls result, with their figures."""
    out = [
        caveat(CaveatKind.CONFOUNDING_BY_INDICATION, n_treated=n, n_untreated=n_pool),
        caveat(
            CaveatKind.MODEL_SIMPLIFIED,
            model="Matched controls",
            reason=(
                f"each of the {n} treated people is compared with up to {k} people not "
                f"on {therapy} who had the closest ALSFRS-R score, slope, last visit-to-visit "
                "change and time since onset at the same point of their illness; this reduces "
                "differences in the recorded course before the start (a score's noise can "
                "still regress to the mean), but not in anything unrecorded (other treatments, "
                "motivation, care), and ALSFRS-R is self-reported and unblinded here"
            ),
        ),
    ]
    excluded = n_candidates - n
    if excluded > 0:
        out.append(
            caveat(
                CaveatKind.EXCLUDED,
                n_excluded=excluded,
                n_total=n_candidates,
                reason=(
                    f"too few ALSFRS-R scores around the start of {therapy} "
                    f"({n_unmatched} had no control within {caliper_months:g} months "
                    "of time since onset)"
                ),
            )
        )
    if n_lost:
        out.append(
            caveat(
                CaveatKind.FOLLOW_UP_LOST,
                n_lost=n_lost,
                n_started=n_candidates,
                therapy=therapy,
            )
        )
    if n_short:
        out.append(
            caveat(
                CaveatKind.MODEL_SIMPLIFIED,
                model="Fewer controls",
                reason=f"{n_short} of {n} treated people had fewer than {k} controls",
            )
        )
    if n_reused:
        out.append(
            caveat(
                CaveatKind.MODEL_SIMPLIFIED,
                model="Shared controls",
                reason=(
                    f"{n_controls} distinct people served as controls, {n_reused} of them in "
                    "more than one matched set; the interval accounts for this"
                    if ci == "analytic"
                    else f"{n_controls} distinct people served as controls, {n_reused} in "
                    "more than one set; the bootstrap interval ignores this and is too narrow"
                ),
            )
        )
    worst = balance["smd_after"].abs().max()
    if worst == worst and worst > 0.1:
        name = str(balance["smd_after"].abs().idxmax())
        label = str(balance.loc[name, "label"])
        smd_after = float(balance["smd_after"].to_numpy(dtype=float)[balance.index.get_loc(name)])
        out.append(
            caveat(
                CaveatKind.MODEL_SIMPLIFIED,
                model="Residual imbalance",
                reason=(
                    f"after matching the groups still differ in {label} "
                    f"(standardized mean difference {smd_after:.2f})"
                ),
            )
        )
    if n < 30:
        out.append(
            caveat(
                CaveatKind.MODEL_SIMPLIFIED,
                model="Small numbers",
                reason=f"only {n} treated people could be matched; the interval is wide",
            )
        )
    return tuple(out)
