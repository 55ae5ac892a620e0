"""The registry's vocabulary: one enumeration per concept, shared by records, files and forms.

Efficacy, severity and species come from :mod:`offlabel.evidence.vocabulary` (reviews use them
too); what only the registry needs is here. The web models take their choices from these enums.
"""

from __future__ import annotations

from enum import StrEnum

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies

__all__ = [
    "DAYS_PER_MONTH",
    "EFFICACY_ORDER",
    "DoseUnit",
    "EventKind",
    "ScaleKey",
    "Sex",
    "Sod1Genotype",
]

#: Average days per month used to express time in months (365.25 / 12).
DAYS_PER_MONTH = 30.44

#: Efficacy levels from lowest to highest: a person's highest rating is the maximum.
EFFICACY_ORDER: tuple[Efficacy, ...] = (
    Efficacy.CANT_TELL,
    Efficacy.NONE,
    Efficacy.SLIGHT,
    Efficacy.MODERATE,
    Efficacy.MAJOR,
)


class Sex(StrEnum):
    """Sex, with neuter status for dogs.

    ``male`` and ``female`` mean intact for a dog; ``male_neutered`` and ``female_spayed`` apply to
    dogs only. ``unknown`` is allowed for both species.
    """

    MALE = "male"
    FEMALE = "female"
    MALE_NEUTERED = "male_neutered"
    FEMALE_SPAYED = "female_spayed"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    def applies_to(self, species: TargetSpecies) -> bool:
        return species is TargetSpecies.DOG or self not in _DOG_ONLY_SEXES


_DOG_ONLY_SEXES = frozenset({Sex.MALE_NEUTERED, Sex.FEMALE_SPAYED})


class Sod1Genotype(StrEnum):
    """A dog's SOD1:c.118G>A genotype: N normal allele, A mutant allele."""

    NN = "N/N"
    NA = "N/A"
    AA = "A/A"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            Sod1Genotype.NN: "N/N (clear)",
            Sod1Genotype.NA: "N/A (carrier)",
            Sod1Genotype.AA: "A/A (at risk)",
            Sod1Genotype.UNKNOWN: "Unknown",
        }[self]


class DoseUnit(StrEnum):
    """Unit of a daily dose. ``mg/kg`` is for dogs only."""

    MG = "mg"
    MG_PER_KG = "mg/kg"

    @property
    def label(self) -> str:
        return "mg per day" if self is DoseUnit.MG else "mg/kg per day"


class ScaleKey(StrEnum):
    """A progression scale (its definition is data in ``registry/definitions``)."""

    ALSFRS_R = "alsfrs_r"
    DM_GAIT = "dm_gait"
    DM_STAGE = "dm_stage"


class EventKind(StrEnum):
    """A dated milestone (its wording and species are data in ``registry/definitions``)."""

    NON_AMBULATORY = "non_ambulatory"
    THORACIC_LIMBS = "thoracic_limbs"
    EUTHANASIA = "euthanasia"
    DEATH = "death"
    CENSORED = "censored"

    @property
    def ends_follow_up(self) -> bool:
        """Death, euthanasia and last contact close a subject's record: nothing may follow."""
        return self in {EventKind.EUTHANASIA, EventKind.DEATH, EventKind.CENSORED}
