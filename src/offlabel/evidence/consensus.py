"""Reviewer consensus on Table-of-Evidence grades, and agreement between reviewers.

Rules, in plain words
---------------------
* **Consensus grade** of a category: the median of the reviewers' letter grades on the ordinal
  scale A < B < C < D < F. With an even number of letter votes the two middle grades may differ;
  the consensus is then the *worse* of the two (further from A). When reviewers split evenly the
  published grade should not claim more than half of them saw, and "worse" is the cautious side
  in every category (weaker support for benefit; in Risks, more concern about harm).
* **U** (nothing usable) is not on the scale. It is the consensus only when *most* voters, more
  than half, say U. Otherwise U votes are left out and the median of the letter votes is taken.
  Exactly half U is not "most": the letter voters found something usable.
* **Agreement** across categories: Krippendorff's alpha for ordinal data (reviewers x
  categories, U and missing votes as missing values), computed by the ``krippendorff`` package.
  Alpha is undefined (``None``) when fewer than two values can be paired or every paired value
  is the same grade (there is no variation to agree on).
* **Rationale**: a vote two or more levels away from the engine's suggestion needs a written
  rationale. U is not on the scale, so a U vote against a letter suggestion, or a letter vote
  against a U suggestion, always needs one.
* **Publishing** needs at least ``min_votes`` votes (U included) in every category.

References
----------
Krippendorff K. Computing Krippendorff's alpha-reliability. University of Pennsylvania, 2011.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from offlabel.evidence.grading import Suggestion
from offlabel.evidence.vocabulary import ORDINAL_GRADES, Category, Grade

__all__ = [
    "Agreement",
    "Consensus",
    "PublishCheck",
    "agreement",
    "consensus_grade",
    "consensus_table",
    "needs_rationale",
    "publish_check",
    "votes_missing",
]

RATIONALE_DISTANCE = 2
"""A vote this many levels (or more) from the suggestion needs a rationale."""


@dataclass(frozen=True)
class Consensus:
    """The consensus grade of one category and the votes behind it.

    Attributes
    ----------
    grade : Grade
    counts : tuple of int
        Votes per grade in the order A, B, C, D, F, U (see :attr:`distribution`).
    basis : str
        How the grade was reached, in plain words.
    """

    grade: Grade
    counts: tuple[int, ...]
    basis: str

    @property
    def distribution(self) -> dict[Grade, int]:
        """Votes per grade, every grade present (zeros included), A first and U last."""
        return dict(zip(Grade, self.counts, strict=True))

    @property
    def n_votes(self) -> int:
        return sum(self.counts)


def consensus_grade(votes: Iterable[Grade | str]) -> Consensus:
    """The consensus grade of one category from its reviewers' votes.

    Parameters
    ----------
    votes : iterable of Grade or str
        One grade per reviewer.

    Returns
    -------
    Consensus

    Raises
    ------
    ValueError
        When there are no votes or a vote is not a grade.

    Examples
    --------
    >>> consensus_grade(["B", "C", "D", "D"]).grade.value   # even count: worse middle grade
    'D'
    >>> consensus_grade(["U", "U", "A"]).grade.value        # most voters say U
    'U'
    >>> consensus_grade(["U", "U", "A", "C"]).grade.value   # half is not most: U votes set aside
    'C'
    """
    grades = [Grade(v) for v in votes]
    if not grades:
        raise ValueError("no votes: a consensus needs at least one vote")
    counts = tuple(grades.count(g) for g in Grade)
    n_u = counts[-1]
    if 2 * n_u > len(grades):
        return Consensus(Grade.U, counts, f"{n_u} of {len(grades)} voters found nothing usable")
    ranks = sorted(g.rank for g in grades if g.rank is not None)
    # Upper median of the ranks = the worse of the two middle grades for an even count.
    grade = ORDINAL_GRADES[ranks[len(ranks) // 2]]
    basis = f"median of {len(ranks)} letter vote{'s' if len(ranks) != 1 else ''}"
    if len(ranks) % 2 == 0:
        basis += " (even count: the worse of the two middle grades)"
    if n_u:
        basis += f"; {n_u} U vote{'s' if n_u != 1 else ''} set aside"
    return Consensus(grade, counts, basis)


def consensus_table(
    votes: Mapping[Category | str, Sequence[Grade | str]],
) -> dict[Category, Consensus]:
    """:func:`consensus_grade` for every category that has at least one vote."""
    return {
        Category(category): consensus_grade(grades)
        for category, grades in votes.items()
        if len(grades) > 0
    }


@dataclass(frozen=True)
class Agreement:
    """Krippendorff's ordinal alpha over a review's categories.

    Attributes
    ----------
    alpha : float or None
        ``None`` when undefined (see :attr:`note`).
    n_reviewers : int
    n_pairable : int
        Letter votes in categories with at least two letter votes (the values alpha uses).
    note : str
        Plain-words reading or why alpha is undefined.
    """

    alpha: float | None
    n_reviewers: int
    n_pairable: int
    note: str


def agreement(votes: Mapping[str, Mapping[Category | str, Grade | str]]) -> Agreement:
    """Agreement between reviewers across the categories of one review.

    Parameters
    ----------
    votes : mapping of reviewer to (mapping of category to grade)
        Each reviewer's grades; a category a reviewer did not grade, or graded U, is missing.

    Returns
    -------
    Agreement
        Krippendorff's alpha, ordinal, over the reviewers x categories matrix with the value
        domain A..F fixed, so the result does not depend on which grades happen to be used.

    Examples
    --------
    >>> round(agreement({"r1": {"mechanism": "A", "preclinical": "B", "cases": "C"},
    ...                  "r2": {"mechanism": "A", "preclinical": "C", "cases": "C"}}).alpha, 4)
    0.7778
    """
    import krippendorff  # a light import, but only this function needs it

    categories = list(Category)
    matrix = np.full((len(votes), len(categories)), np.nan)
    for row, grades in enumerate(votes.values()):
        for category, grade in grades.items():
            rank = Grade(grade).rank
            if rank is not None:
                matrix[row, categories.index(Category(category))] = rank
    per_unit = (~np.isnan(matrix)).sum(axis=0)
    pairable = matrix[:, per_unit >= 2]
    values = pairable[~np.isnan(pairable)]
    n_reviewers, n_pairable = len(votes), int(values.size)
    if n_pairable < 2:
        return Agreement(
            None, n_reviewers, n_pairable, "undefined: no category has two letter grades"
        )
    if np.unique(values).size < 2:
        return Agreement(
            None, n_reviewers, n_pairable, "undefined: every paired vote is the same grade"
        )
    alpha = float(
        krippendorff.alpha(
            reliability_data=matrix,
            value_domain=list(range(len(ORDINAL_GRADES))),
            level_of_measurement="ordinal",
        )
    )
    return Agreement(alpha, n_reviewers, n_pairable, _reading(alpha))


def _reading(alpha: float) -> str:
    # Krippendorff's own guide: >= 0.800 reliable, >= 0.667 for tentative conclusions.
    if alpha >= 0.8:
        return "reviewers agree well (alpha >= 0.80)"
    if alpha >= 0.667:
        return "reviewers agree moderately (0.667 <= alpha < 0.80)"
    return "reviewers disagree substantially (alpha < 0.667)"


def needs_rationale(vote: Grade | str, suggestion: Suggestion | Grade | str) -> bool:
    """Whether a vote is far enough from the suggested grade to need a written rationale.

    Two or more levels apart on A..F needs one; U against a letter (either way) needs one;
    U against U does not.

    Examples
    --------
    >>> needs_rationale("C", "B"), needs_rationale("D", "B"), needs_rationale("U", "F")
    (False, True, True)
    """
    suggested = suggestion.grade if isinstance(suggestion, Suggestion) else Grade(suggestion)
    a, b = Grade(vote).rank, suggested.rank
    if a is None or b is None:
        return a != b
    return abs(a - b) >= RATIONALE_DISTANCE


def votes_missing(
    votes: Mapping[Category | str, Sequence[Grade | str]], min_votes: int
) -> dict[Category, int]:
    """How many more votes each category needs before publication (short categories only).

    A category absent from ``votes`` has no votes. U votes count as votes.
    """
    if min_votes < 1:
        raise ValueError(f"min_votes must be at least 1, got {min_votes}")
    have = {Category(c): len(g) for c, g in votes.items()}
    return {
        category: min_votes - have.get(category, 0)
        for category in Category
        if have.get(category, 0) < min_votes
    }


@dataclass(frozen=True)
class PublishCheck:
    """Whether a review has enough votes to be published, and what is missing."""

    min_votes: int
    missing: tuple[tuple[Category, int], ...]

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def message(self) -> str:
        if self.ok:
            return f"every category has at least {self.min_votes} vote(s)"
        parts = [f"{c.label} needs {n} more" for c, n in self.missing]
        return f"cannot publish: at least {self.min_votes} vote(s) per category; " + ", ".join(
            parts
        )


def publish_check(
    votes: Mapping[Category | str, Sequence[Grade | str]], min_votes: int
) -> PublishCheck:
    """:func:`votes_missing` as a :class:`PublishCheck` with a message for people."""
    return PublishCheck(min_votes, tuple(votes_missing(votes, min_votes).items()))
