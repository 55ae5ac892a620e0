"""The shared vocabulary of offlabel.

These value names are used in files, on the command line and in the API (see DESIGN.md,
"Vocabulary"). Labels shown to people may be friendlier; the values never change.
Every other package (the core and the web layer alike) takes its choices from here.
"""

from __future__ import annotations

from enum import StrEnum

from offlabel.evidence.wording import gettext_noop


class Category(StrEnum):
    """A row of the Table of Evidence."""

    MECHANISM = "mechanism"
    PRECLINICAL = "preclinical"
    CASES = "cases"
    TRIALS = "trials"
    RISKS = "risks"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.MECHANISM: gettext_noop("Mechanism"),
    Category.PRECLINICAL: gettext_noop("Pre-clinical"),
    Category.CASES: gettext_noop("Cases"),
    Category.TRIALS: gettext_noop("Trials"),
    Category.RISKS: gettext_noop("Risks"),
}


class Species(StrEnum):
    HUMAN = "human"
    DOG = "dog"
    MOUSE = "mouse"
    RAT = "rat"
    OTHER_ANIMAL = "other_animal"
    IN_VITRO = "in_vitro"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class TargetSpecies(StrEnum):
    """The species a topic is about: people with ALS or dogs with DM."""

    HUMAN = "human"
    DOG = "dog"

    @property
    def label(self) -> str:
        return gettext_noop("People") if self is TargetSpecies.HUMAN else gettext_noop("Dogs")


class Relation(StrEnum):
    """How an evidence item's species relates to the review's target species.

    ``target`` when they are the same; ``model`` for any other species or in vitro work (dog
    evidence in an ALS review, human or mouse evidence in a DM review).
    """

    TARGET = "target"
    MODEL = "model"

    @property
    def label(self) -> str:
        return (
            gettext_noop("Target species")
            if self is Relation.TARGET
            else gettext_noop("Model (other species or cells)")
        )


class Design(StrEnum):
    RCT = "rct"
    CONTROLLED_TRIAL = "controlled_trial"
    UNCONTROLLED_TRIAL = "uncontrolled_trial"
    COHORT = "cohort"
    CASE_SERIES = "case_series"
    CASE_REPORT = "case_report"
    ANIMAL_STUDY = "animal_study"
    CELL_STUDY = "cell_study"
    MECHANISTIC_STUDY = "mechanistic_study"
    REVIEW = "review"
    SYSTEMATIC_REVIEW = "systematic_review"
    PATIENT_REPORTED = "patient_reported"

    @property
    def label(self) -> str:
        return _DESIGN_LABELS[self]


_DESIGN_LABELS = {
    Design.RCT: gettext_noop("Randomised controlled trial"),
    Design.CONTROLLED_TRIAL: gettext_noop("Controlled trial"),
    Design.UNCONTROLLED_TRIAL: gettext_noop("Open-label / uncontrolled trial"),
    Design.COHORT: gettext_noop("Cohort / observational"),
    Design.CASE_SERIES: gettext_noop("Case series"),
    Design.CASE_REPORT: gettext_noop("Case report"),
    Design.ANIMAL_STUDY: gettext_noop("Animal study"),
    Design.CELL_STUDY: gettext_noop("Cell study"),
    Design.MECHANISTIC_STUDY: gettext_noop("Mechanistic study"),
    Design.REVIEW: gettext_noop("Review"),
    Design.SYSTEMATIC_REVIEW: gettext_noop("Systematic review / meta-analysis"),
    Design.PATIENT_REPORTED: gettext_noop("Patient-reported"),
}


class Quality(StrEnum):
    WELL_DESIGNED = "well_designed"
    FLAWED = "flawed"

    @property
    def label(self) -> str:
        return (
            gettext_noop("Well designed")
            if self is Quality.WELL_DESIGNED
            else gettext_noop("Flawed")
        )


class Direction(StrEnum):
    BENEFIT = "benefit"
    NO_BENEFIT = "no_benefit"
    HARM = "harm"
    MIXED = "mixed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Grade(StrEnum):
    """A Table-of-Evidence grade. A is best, F worst; U means nothing usable was found.

    There is no E. U is not on the ordinal scale: ``rank`` is ``None`` for it.
    """

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    F = "F"
    U = "U"

    @property
    def rank(self) -> int | None:
        """Position on the ordinal scale, 0 for A to 4 for F; ``None`` for U."""
        return None if self is Grade.U else ORDINAL_GRADES.index(self)

    @property
    def label(self) -> str:
        return _GRADE_LABELS[self]


ORDINAL_GRADES: tuple[Grade, ...] = (Grade.A, Grade.B, Grade.C, Grade.D, Grade.F)

_GRADE_LABELS = {
    Grade.A: gettext_noop("A (strongest)"),
    Grade.B: gettext_noop("B"),
    Grade.C: gettext_noop("C"),
    Grade.D: gettext_noop("D"),
    Grade.F: gettext_noop("F (weakest or against)"),
    Grade.U: gettext_noop("U (nothing usable)"),
}


class Efficacy(StrEnum):
    """A patient's or owner's rating of how well a treatment worked."""

    NONE = "none"
    SLIGHT = "slight"
    MODERATE = "moderate"
    MAJOR = "major"
    CANT_TELL = "cant_tell"

    @property
    def label(self) -> str:
        return "Can't tell" if self is Efficacy.CANT_TELL else self.value.capitalize()


class Severity(StrEnum):
    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: Labels computed from their values above, written out for the web's catalogue (msgids, see
#: :mod:`offlabel.evidence.wording`); a test checks every label of the vocabulary is one.
_COMPUTED_LABELS = (
    *(gettext_noop("Human"), gettext_noop("Dog"), gettext_noop("Mouse"), gettext_noop("Rat")),
    *(gettext_noop("Other animal"), gettext_noop("In vitro")),
    *(gettext_noop("Benefit"), gettext_noop("No benefit"), gettext_noop("Harm")),
    *(gettext_noop("Mixed"), gettext_noop("Can't tell"), gettext_noop("None")),
    *(gettext_noop("Slight"), gettext_noop("Moderate"), gettext_noop("Major")),
    *(gettext_noop("Mild"), gettext_noop("Severe")),
)


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """``(value, label)`` pairs for forms and model fields."""
    return [(member.value, getattr(member, "label", member.value)) for member in enum]
