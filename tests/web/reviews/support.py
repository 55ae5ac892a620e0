"""Shared helpers of the reviews tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offlabel.evidence.vocabulary import Category

# (category, species, design, quality, direction, verified, n) for the ALS topic. With
# default-v1 these suggest mechanism B, preclinical D, cases D, trials D, risks C.
EVIDENCE = [
    ("mechanism", "rat", "animal_study", "well_designed", "benefit", True, None),
    ("preclinical", "mouse", "animal_study", "flawed", "benefit", True, 20),
    ("cases", "human", "patient_reported", "flawed", "mixed", False, 15),
    ("trials", "human", "uncontrolled_trial", "flawed", "benefit", False, 12),
    ("risks", "human", "patient_reported", "flawed", "mixed", False, 31),
]
SUGGESTED = {"mechanism": "B", "preclinical": "D", "cases": "D", "trials": "D", "risks": "C"}


def make_reviewer(email: str, *roles: str) -> Any:
    from tests.support.accounts import make_user

    return make_user(email, *(roles or ("reviewer",)))


@dataclass
class Stage:
    """The people and records of one review's workflow."""

    world: Any
    topic: Any
    dm_topic: Any
    references: list[Any]
    reviewer2: Any
    reviewer3: Any

    @property
    def voters(self) -> list[Any]:
        return [self.world.reviewer, self.reviewer2, self.reviewer3]


def add_evidence(review: Any, by: Any, references: list[Any]) -> None:
    from offlabel.web.reviews import services

    for reference, (category, species, design, quality, direction, verified, n) in zip(
        references, EVIDENCE, strict=True
    ):
        services.evidence_item_add(
            review=review,
            by=by,
            reference=reference,
            category=category,
            species=species,
            design=design,
            quality=quality,
            direction=direction,
            verified=verified,
            n=n,
        )


# Votes per voter (reviewer, reviewer2, reviewer3), none two levels from SUGGESTED.
VOTES = {
    "mechanism": ("B", "C", "B"),
    "preclinical": ("D", "D", "F"),
    "cases": ("D", "F", "D"),
    "trials": ("D", "D", "C"),
    "risks": ("C", "D", "C"),
}


def state_conflicts(review: Any, voters: list[Any], statement: str = "None.") -> None:
    """Each voter states their conflicts of interest (needed before voting)."""
    from offlabel.web.reviews import services

    for voter in voters:
        services.conflict_statement_save(review=review, by=voter, statement=statement)


def cast_all(review: Any, voters: list[Any], votes: dict[str, tuple[str, ...]] = VOTES) -> None:
    from offlabel.web.reviews import services

    state_conflicts(review, voters)
    for category in Category:
        for voter, grade in zip(voters, votes[category.value], strict=True):
            services.grade_vote_cast(review=review, by=voter, category=category.value, grade=grade)
