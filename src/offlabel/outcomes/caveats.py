"""The plain-words caveats that travel with every result, as data.

Each caveat is a sentence template with named placeholders; :func:`caveat` fills it from the
numbers of one analysis, so a reader sees the warning *and* the figure behind it. Editors can
reword a template here without touching an analysis; the placeholders are the contract.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = ["CAVEAT_TEMPLATES", "CaveatKind", "caveat", "placeholders"]


class CaveatKind(StrEnum):
    """Why a registry figure can mislead."""

    SELF_SELECTED = "self_selected"
    UNBLINDED = "unblinded"
    PLACEBO_RESPONSE = "placebo_response"
    SMALL_N = "small_n"
    CONFOUNDING_BY_INDICATION = "confounding_by_indication"
    IMMORTAL_TIME = "immortal_time"
    IMMORTAL_TIME_LANDMARK = "immortal_time_landmark"
    HIGHEST_RATING = "highest_rating"
    EXCLUDED = "excluded"
    NATURAL_HISTORY = "natural_history"
    MODEL_SIMPLIFIED = "model_simplified"
    OBSERVED_VARIABILITY = "observed_variability"
    BEFORE_AFTER = "before_after"


#: Sentence templates keyed by kind; placeholders use :meth:`str.format` syntax.
CAVEAT_TEMPLATES: Mapping[CaveatKind, str] = MappingProxyType(
    {
        CaveatKind.SELF_SELECTED: (
            "Self-selected: {n_evaluating} of {n_reporting} subjects who reported taking "
            "{therapy} chose to rate it ({pct:.0f}%); those who rate a treatment, and those who "
            "join a registry at all, may differ from everyone else who takes it."
        ),
        CaveatKind.UNBLINDED: (
            "Unblinded: all {n_evaluating} ratings of {therapy} were given by people who knew it "
            "was being taken, so expectation and the treatment's effect cannot be told apart."
        ),
        CaveatKind.PLACEBO_RESPONSE: (
            "Placebo response: {n_benefit} of {n_evaluating} ({pct_benefit:.0f}%) reported some "
            "benefit; people on placebo in controlled trials also report benefit, and without a "
            "control group these reports cannot be attributed to {therapy}."
        ),
        CaveatKind.SMALL_N: (
            "Small numbers: with {n} {unit}, a 95% interval spans up to {width:.0f} percentage "
            "points; one more or one fewer report moves a share by about {step:.0f} points."
        ),
        CaveatKind.CONFOUNDING_BY_INDICATION: (
            "Confounding by indication: the {n_treated} treated and {n_untreated} untreated "
            "subjects chose their treatment, it was not assigned at random; faster progressors "
            "tend to try more treatments, so differences may reflect who was treated, not the "
            "treatment."
        ),
        CaveatKind.IMMORTAL_TIME: (
            "Immortal time: treated subjects started {therapy} a median of {median_days:.0f} days "
            "after onset and had to reach that day event-free to count as treated. The "
            "Kaplan–Meier groups ignore this and favour the treated; the Cox hazard ratio "
            "counts each subject as untreated until the first course starts, which removes it."
        ),
        CaveatKind.IMMORTAL_TIME_LANDMARK: (
            "Immortal time is handled by a landmark at {landmark_days} days after onset: only "
            "the {n_at_risk} subjects still event-free and followed at that day are compared, "
            "grouped by whether a course had started by then ({n_late} who started later count "
            "as untreated)."
        ),
        CaveatKind.HIGHEST_RATING: (
            "Each subject is counted once, at their highest rating; {n_multiple} of "
            "{n_evaluating} rated {therapy} more than once."
        ),
        CaveatKind.EXCLUDED: "{n_excluded} of {n_total} subjects were left out: {reason}.",
        CaveatKind.NATURAL_HISTORY: (
            "Natural history: {n_stable} of {n} untreated subjects in this registry "
            "({pct:.0f}%, 95% CI {ci_low:.0f}–{ci_high:.0f}%) showed no ALSFRS-R decline over "
            "{months} months; in the PRO-ACT trial database {reference_pct:.0f}% did. A report "
            "of stabilisation without a control group is therefore weak evidence of benefit."
        ),
        CaveatKind.MODEL_SIMPLIFIED: "{model}: {reason}.",
        CaveatKind.BEFORE_AFTER: (
            "Before–after comparison without a control group ({n_subjects} subjects, "
            "{n_scores} scores): ALSFRS-R decline is often not a straight line and treatments "
            "tend to start after a bad spell, so the slope can change without any effect of "
            "{therapy}; scores entered by patients are also unblinded."
        ),
        CaveatKind.OBSERVED_VARIABILITY: (
            "The planning figures rest on this registry's observed variability ({what}); "
            "self-selected registry data may be more or less variable than a trial population."
        ),
    }
)


def placeholders(kind: CaveatKind) -> frozenset[str]:
    """The names a template needs."""
    return frozenset(
        field for _, field, _, _ in string.Formatter().parse(CAVEAT_TEMPLATES[kind]) if field
    )


def caveat(kind: CaveatKind, **numbers: object) -> str:
    """Fill one caveat template.

    Parameters
    ----------
    kind : CaveatKind
        Which caveat.
    **numbers
        A value for every placeholder of the template.

    Returns
    -------
    str
        The sentence.

    Raises
    ------
    KeyError
        A placeholder has no value (names the placeholders that are missing).

    Examples
    --------
    >>> caveat(CaveatKind.EXCLUDED, n_excluded=2, n_total=10, reason="no onset date")
    '2 of 10 subjects were left out: no onset date.'
    """
    missing = placeholders(kind) - numbers.keys()
    if missing:
        raise KeyError(f"caveat {kind.value!r} needs {', '.join(sorted(missing))}")
    return CAVEAT_TEMPLATES[kind].format(**numbers)
