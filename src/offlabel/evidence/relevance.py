"""Is a record about the topic it is attached to? The check behind a relevance warning.

A reviewer attaching a record as evidence files it under one category of one topic (a therapy
for a condition). The record's text — title, abstract, MeSH terms — should name the topic's
therapy (or one of its catalogue synonyms) in every category, and, as Cases or Trials evidence,
the topic's condition too: case reports and trials in another disease are not evidence about
this one (in Mechanism and Pre-clinical, other conditions and models are expected). When it does
not, :func:`check_relevance` returns a warning that a reviewer must confirm before the item
counts towards a suggested grade.

Examples
--------
An asthma trial attached to low-dose naltrexone for ALS as Trials evidence:

>>> result = check_relevance(
...     text="Montelukast in mild persistent asthma: a randomised controlled trial",
...     category=Category.TRIALS,
...     therapy_names=["Low-dose naltrexone", "LDN", "naltrexone"],
...     condition_names=["Amyotrophic lateral sclerosis", "ALS", "motor neuron disease"],
... )
>>> result.relevant
False
>>> result.warning.startswith("The record does not name the topic's therapy")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from offlabel.evidence.terms import mentioned
from offlabel.evidence.vocabulary import Category

__all__ = ["CONDITION_CATEGORIES", "Relevance", "check_relevance"]

#: Categories whose evidence must be about the topic's own condition.
CONDITION_CATEGORIES = frozenset({Category.CASES, Category.TRIALS})
_SHOWN_NAMES = 4


@dataclass(frozen=True)
class Relevance:
    """The outcome of the check: what the record names, and the warning (empty when none)."""

    therapy_found: tuple[str, ...]
    condition_found: tuple[str, ...]
    condition_required: bool
    warning: str

    @property
    def relevant(self) -> bool:
        return not self.warning


def _names(names: Sequence[str]) -> str:
    shown = [n for n in dict.fromkeys(n.strip() for n in names) if n]
    first, rest = shown[0], shown[1:_SHOWN_NAMES]
    return first + (f" (or {', '.join(rest)})" if rest else "")


def check_relevance(
    *,
    text: str,
    category: Category | str,
    therapy_names: Sequence[str],
    condition_names: Sequence[str],
) -> Relevance:
    """Check a record's text against the topic's therapy and condition names.

    Parameters
    ----------
    text : str
        What the record says about itself: title, abstract, MeSH terms, keywords.
    category : Category
        The category the record is filed under.
    therapy_names, condition_names : sequence of str
        The topic's therapy and condition, each with its catalogue synonyms (name first).

    Returns
    -------
    Relevance
        ``warning`` names what is missing, in words a reviewer can act on.
    """
    category = Category(category)
    therapy = tuple(mentioned(text, therapy_names))
    condition = tuple(mentioned(text, condition_names))
    required = category in CONDITION_CATEGORIES
    problems, other = [], []
    if therapy_names and not therapy:
        problems.append(f"the topic's therapy, {_names(therapy_names)}")
        other.append("therapy")
    if required and condition_names and not condition:
        problems.append(f"the topic's condition, {_names(condition_names)}")
        other.append("disease")
    warning = ""
    if problems:
        warning = (
            f"The record does not name {' or '.join(problems)}. As {category.label} evidence it "
            f"may be about another {' or '.join(other)}. Confirm that it is relevant before it "
            "counts towards the suggested grade."
        )
    return Relevance(therapy, condition, required, warning)
