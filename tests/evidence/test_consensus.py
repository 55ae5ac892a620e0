"""Consensus grades, Krippendorff's alpha, rationale and publication checks."""

from __future__ import annotations

import pytest

from offlabel.evidence.consensus import (
    agreement,
    consensus_grade,
    consensus_table,
    needs_rationale,
    publish_check,
    votes_missing,
)
from offlabel.evidence.grading import EvidenceItem, suggest_grades
from offlabel.evidence.vocabulary import Category, Grade


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ("C", "C"),
        ("ABC", "B"),  # odd count: the middle grade
        ("FAC", "C"),  # order of votes does not matter
        ("AB", "B"),  # even count: the worse of the two middle grades
        ("BCDD", "D"),
        ("AABF", "B"),
        ("UUA", "U"),  # most voters (2 of 3) say U
        ("UUUBC", "U"),
        ("UUAC", "C"),  # exactly half is not "most": U votes set aside, median of A, C -> C
        ("UAB", "B"),  # U set aside, median of A, B -> worse middle -> B
        ("UUUU", "U"),
    ],
)
def test_consensus_is_the_median_with_u_handled_explicitly(votes, expected):
    assert consensus_grade(list(votes)).grade is Grade(expected)


def test_consensus_reports_the_full_distribution_and_its_basis():
    result = consensus_grade(["B", "U", "D", "B", "F"])
    assert result.distribution == {
        Grade.A: 0,
        Grade.B: 2,
        Grade.C: 0,
        Grade.D: 1,
        Grade.F: 1,
        Grade.U: 1,
    }
    assert result.n_votes == 5
    # Letters B, B, D, F: even count, middle B and D, the worse is D.
    assert result.grade is Grade.D
    assert result.basis == (
        "median of 4 letter votes (even count: the worse of the two middle grades); "
        "1 U vote set aside"
    )


def test_consensus_needs_votes_and_real_grades():
    with pytest.raises(ValueError, match="no votes"):
        consensus_grade([])
    with pytest.raises(ValueError, match="'E' is not a valid Grade"):
        consensus_grade(["A", "E"])


def test_consensus_table_covers_categories_with_votes():
    table = consensus_table({"mechanism": ["A", "B", "B"], Category.TRIALS: ["U"], "cases": []})
    assert {c: r.grade for c, r in table.items()} == {
        Category.MECHANISM: Grade.B,
        Category.TRIALS: Grade.U,
    }


# -- Krippendorff's alpha ------------------------------------------------------------------------


def test_alpha_on_a_hand_worked_example_with_a_u_vote_as_missing():
    """Two reviewers, grades as ranks A=0 .. F=4; r1's U in Risks is a missing value.

    mechanism (0, 0), preclinical (1, 2), cases (2, 2); trials and risks have < 2 letter votes.
    Values n0=2, n1=1, n2=3, n=6. Coincidences: o00=2, o12=o21=1, o22=2.
    Ordinal distances d(c,k) = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2:
        d01 = (3 - 1.5)^2 = 2.25, d02 = (6 - 2.5)^2 = 12.25, d12 = (4 - 2)^2 = 4.
    D_o = (o12 d12 + o21 d21) / n = 8 / 6.
    D_e = 2 (n0 n1 d01 + n0 n2 d02 + n1 n2 d12) / (n (n - 1)) = 2 (4.5 + 73.5 + 12) / 30 = 6.
    alpha = 1 - D_o / D_e = 1 - 8/36 = 7/9.
    """
    result = agreement(
        {
            "r1": {"mechanism": "A", "preclinical": "B", "cases": "C", "risks": "U"},
            "r2": {"mechanism": "A", "preclinical": "C", "cases": "C", "trials": "F"},
        }
    )
    assert result.alpha == pytest.approx(7 / 9)
    assert (result.n_reviewers, result.n_pairable) == (2, 6)
    assert "moderately" in result.note


def test_alpha_is_negative_for_systematic_disagreement():
    """r1: A, F; r2: F, A. Values n0=2, n4=2, n=4; o04=o40=2.

    d04 = (4 - 2)^2 = 4.  D_o = (2*4 + 2*4) / 4 = 4.  D_e = 2 * (2*2*4) / (4*3) = 8/3.
    alpha = 1 - 4 / (8/3) = -0.5.
    """
    result = agreement(
        {"r1": {"mechanism": "A", "trials": "F"}, "r2": {"mechanism": "F", "trials": "A"}}
    )
    assert result.alpha == pytest.approx(-0.5)
    assert "disagree" in result.note


def test_alpha_is_one_when_reviewers_agree_on_varied_grades():
    votes = {"mechanism": "B", "preclinical": "C", "cases": "D", "trials": "U", "risks": "C"}
    result = agreement({"r1": votes, "r2": votes, "r3": votes})
    assert result.alpha == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("votes", "note"),
    [
        ({"r1": {"mechanism": "B"}, "r2": {"trials": "C"}}, "no category has two letter grades"),
        ({"r1": {"mechanism": "U"}, "r2": {"mechanism": "U"}}, "no category has two letter grades"),
        ({"r1": {"mechanism": "B"}, "r2": {"mechanism": "B"}}, "every paired vote is the same"),
        ({}, "no category has two letter grades"),
    ],
)
def test_alpha_is_undefined_without_variation_to_agree_on(votes, note):
    result = agreement(votes)
    assert result.alpha is None
    assert note in result.note


# -- rationale and publication ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("vote", "suggested", "needed"),
    [
        ("B", "B", False),
        ("C", "B", False),
        ("A", "C", True),
        ("F", "D", False),
        ("F", "C", True),
        ("U", "U", False),
        ("U", "A", True),
        ("F", "U", True),
    ],
)
def test_a_vote_two_or_more_levels_away_needs_a_rationale(vote, suggested, needed):
    assert needs_rationale(vote, suggested) is needed


def test_needs_rationale_accepts_a_suggestion():
    item = EvidenceItem.from_dict(
        {
            "category": "trials",
            "species": "human",
            "target_species": "human",
            "design": "uncontrolled_trial",
            "quality": "flawed",
            "direction": "benefit",
            "verified": False,
        }
    )
    suggestion = suggest_grades([item])[Category.TRIALS]  # D
    assert needs_rationale(Grade.B, suggestion) is True
    assert needs_rationale(Grade.C, suggestion) is False


def test_votes_missing_names_categories_below_the_minimum():
    votes = {"mechanism": ["A", "B", "U"], "preclinical": ["C"], Category.TRIALS: ["D", "D"]}
    assert votes_missing(votes, 3) == {
        Category.PRECLINICAL: 2,
        Category.CASES: 3,
        Category.TRIALS: 1,
        Category.RISKS: 3,
    }


def test_publish_check_passes_only_with_enough_votes_everywhere():
    full = {c: ["B", "C"] for c in Category}
    assert publish_check(full, 2).ok
    check = publish_check({**full, Category.RISKS: ["B"]}, 2)
    assert not check.ok
    assert check.missing == ((Category.RISKS, 1),)
    assert check.message == "cannot publish: at least 2 vote(s) per category; Risks needs 1 more"
    with pytest.raises(ValueError, match="min_votes must be at least 1"):
        votes_missing(full, 0)
