"""The plain-words caveats that travel with every result, as data.

Each caveat is a sentence template with named placeholders; :func:`caveat` fills it from the
numbers of one analysis, so a reader sees the warning *and* the figure behind it. Editors can
reword a template here without touching an analysis; the placeholders are the contract.

Plural forms are handled once, by :mod:`offlabel.evidence.wording`'s two format specs:
``{n:count:subject}`` gives "1 subject" or "3 subjects", ``{n:word:was|were}`` the word alone.
The templates are msgids of the web's catalogue (``gettext_noop``): the web reads a stored
sentence back with :func:`offlabel.evidence.wording.parse` and shows it in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from offlabel.evidence.wording import fill, gettext_noop, placeholder_names

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
    COMPETING_RISKS = "competing_risks"
    FOLLOW_UP_LOST = "follow_up_lost"


#: Sentence templates keyed by kind; placeholders use :meth:`str.format` syntax.
CAVEAT_TEMPLATES: Mapping[CaveatKind, str] = MappingProxyType(
    {
        CaveatKind.SELF_SELECTED: gettext_noop(
            "Self-selected: {n_evaluating} of the {n_reporting:count:subject} who reported "
            "taking {therapy} chose to rate it ({pct:.0f}%); those who rate a treatment, and "
            "those who join a registry at all, may differ from everyone else who takes it."
        ),
        CaveatKind.UNBLINDED: gettext_noop(
            "Unblinded: every rating of {therapy} ({n_evaluating:count:evaluator}) came from "
            "someone who knew it was being taken, so expectation and the treatment's effect "
            "cannot be told apart."
        ),
        CaveatKind.PLACEBO_RESPONSE: gettext_noop(
            "Placebo response: {n_benefit} of {n_evaluating} ({pct_benefit:.0f}%) reported some "
            "benefit; people on placebo in controlled trials also report benefit, and without a "
            "control group these reports cannot be attributed to {therapy}."
        ),
        CaveatKind.SMALL_N: gettext_noop(
            # xgettext:no-python-format
            "Small numbers: with {n:count:{unit}}, a 95% interval spans up to {width:.0f} "
            "percentage points; one more or one fewer report moves a share by about "
            "{step:.0f} points."
        ),
        CaveatKind.CONFOUNDING_BY_INDICATION: gettext_noop(
            "Confounding by indication: the {n_treated} treated and {n_untreated} untreated "
            "subjects chose their treatment, it was not assigned at random; faster progressors "
            "tend to try more treatments, so differences may reflect who was treated, not the "
            "treatment."
        ),
        CaveatKind.IMMORTAL_TIME: gettext_noop(
            "Immortal time: treated subjects started {therapy} a median of {median_days:.0f} days "
            "after onset and had to reach that day event-free to count as treated. The "
            "Kaplan–Meier curves of ever- and never-treated subjects ignore this and favour the "
            "treated, so they are a description only, with no test; the primary hazard ratio "
            "counts each subject as untreated until the first course starts."
        ),
        CaveatKind.IMMORTAL_TIME_LANDMARK: gettext_noop(
            "Sensitivity analysis, a landmark at {landmark_days} days after onset: only the "
            "{n_at_risk:count:subject} still event-free and followed at that day are compared, "
            "grouped by whether a course had started by then ({n_late} who started later "
            "{n_late:word:counts|count} as untreated)."
        ),
        CaveatKind.HIGHEST_RATING: gettext_noop(
            "Each subject is counted once, at their highest rating, which inflates benefit: "
            "{n_multiple} of {n_evaluating:count:evaluator} rated {therapy} more than once, and "
            "the best of several ratings is more often a benefit than any one of them (two "
            "independent ratings at 40% benefit give 64% at the highest). Counted at their "
            "latest rating, {n_benefit_latest} ({pct_latest:.0f}%) reported some benefit, "
            "against {n_benefit} ({pct_benefit:.0f}%) at the highest."
        ),
        CaveatKind.EXCLUDED: gettext_noop(
            "{n_excluded} of {n_total:count:subject} {n_excluded:word:was|were} left out: {reason}."
        ),
        CaveatKind.NATURAL_HISTORY: gettext_noop(
            "Natural history: {n_stable} of {n:count:untreated subject} in this registry "
            "({pct:.0f}%, 95% CI {ci_low:.0f}–{ci_high:.0f}%) showed no ALSFRS-R decline between "
            "a first score and one {months}–{max_months} months later; in the PRO-ACT trial "
            "database {reference_pct:.0f}% showed none over {months} months. A report of "
            "stabilisation without a control group is therefore weak evidence of benefit."
        ),
        CaveatKind.MODEL_SIMPLIFIED: gettext_noop("{model}: {reason}."),
        CaveatKind.BEFORE_AFTER: gettext_noop(
            "Before–after description without a control group ({n_subjects:count:subject}, "
            "{n_scores:count:score}), shown without a p-value or an effect: ALSFRS-R decline "
            "is often not a straight line and treatments tend to start after a bad spell, so "
            "the slope can change without any effect of {therapy}; scores entered by patients "
            "are also unblinded."
        ),
        CaveatKind.COMPETING_RISKS: gettext_noop(
            "Competing risks: {n_competing} of the {n:count:subject} died or were put to sleep "
            "before becoming {endpoint}; the hazard ratios count them as censored there "
            "(cause-specific hazards). Allowing for those deaths (Aalen–Johansen), "
            "{pct_aj:.0f}% became {endpoint} within {days} days of onset; 1 − Kaplan–Meier, "
            "which treats them as if they could still have, says {pct_km:.0f}%."
        ),
        CaveatKind.FOLLOW_UP_LOST: gettext_noop(
            "Follow-up lost after the start: {n_lost} of the {n_started:count:person|people} "
            "who started {therapy} had too few scores after the start to be compared and are "
            "not in the estimate; if scores stop because of how a person fares (faster decline, "
            "death), the estimate describes only those who kept reporting."
        ),
        CaveatKind.OBSERVED_VARIABILITY: gettext_noop(
            "The planning figures rest on this registry's observed variability ({what}); "
            "self-selected registry data may be more or less variable than a trial population."
        ),
    }
)


def placeholders(kind: CaveatKind) -> frozenset[str]:
    """The names a template needs (including those inside a format spec)."""
    return placeholder_names(CAVEAT_TEMPLATES[kind])


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
    >>> caveat(CaveatKind.EXCLUDED, n_excluded=1, n_total=1, reason="no onset date")
    '1 of 1 subject was left out: no onset date.'
    """
    missing = placeholders(kind) - numbers.keys()
    if missing:
        raise KeyError(f"caveat {kind.value!r} needs {', '.join(sorted(missing))}")
    return fill(CAVEAT_TEMPLATES[kind], numbers)
