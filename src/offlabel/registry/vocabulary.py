"""The registry's vocabulary: one enumeration per concept, shared by records, files and forms.

Efficacy, severity and species come from :mod:`offlabel.evidence.vocabulary` (reviews use them
too); what only the registry needs is here. The web models take their choices from these enums.
"""

from __future__ import annotations

from enum import StrEnum

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.evidence.wording import gettext_noop

__all__ = [
    "DAYS_PER_MONTH",
    "EFFICACY_ORDER",
    "Adherence",
    "Burden",
    "CourseSource",
    "DiagnosisMethod",
    "DoseUnit",
    "EventKind",
    "ItemMissing",
    "ItemValue",
    "OnsetRegion",
    "ReversalStatus",
    "ScaleKey",
    "Sex",
    "Sod1Genotype",
    "TimeOfDay",
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
#: The labels :class:`Sex` computes, written out for the web's catalogue (msgids).
_SEX_LABELS = (
    *(gettext_noop("Male"), gettext_noop("Female"), gettext_noop("Male neutered")),
    *(gettext_noop("Female spayed"), gettext_noop("Unknown")),
)


class Sod1Genotype(StrEnum):
    """A dog's SOD1:c.118G>A genotype: N normal allele, A mutant allele."""

    NN = "N/N"
    NA = "N/A"
    AA = "A/A"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            Sod1Genotype.NN: gettext_noop("N/N (clear)"),
            Sod1Genotype.NA: gettext_noop("N/A (carrier)"),
            Sod1Genotype.AA: gettext_noop("A/A (at risk)"),
            Sod1Genotype.UNKNOWN: gettext_noop("Unknown"),
        }[self]


class DoseUnit(StrEnum):
    """Unit of a daily dose. ``mg/kg`` is for dogs only."""

    MG = "mg"
    MG_PER_KG = "mg/kg"

    @property
    def label(self) -> str:
        return gettext_noop("mg per day") if self is DoseUnit.MG else gettext_noop("mg/kg per day")


class ScaleKey(StrEnum):
    """A progression scale (its definition is data in ``registry/definitions``)."""

    ALSFRS_R = "alsfrs_r"
    DM_GAIT = "dm_gait"
    DM_STAGE = "dm_stage"


class EventKind(StrEnum):
    """A dated milestone (its wording and species are data in ``registry/definitions``)."""

    NON_AMBULATORY = "non_ambulatory"
    THORACIC_LIMBS = "thoracic_limbs"
    GASTROSTOMY = "gastrostomy"
    NIV = "niv"
    TRACHEOSTOMY = "tracheostomy"
    EUTHANASIA = "euthanasia"
    DEATH = "death"
    CENSORED = "censored"

    @property
    def ends_follow_up(self) -> bool:
        """Death, euthanasia and last contact close a subject's record: nothing may follow."""
        return self in {EventKind.EUTHANASIA, EventKind.DEATH, EventKind.CENSORED}


class _Labelled(StrEnum):
    """A vocabulary whose labels (what people read) live in ``_LABELS``."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self.value]


class OnsetRegion(_Labelled):
    """Where the first signs of ALS appeared."""

    BULBAR = "bulbar"
    LIMB = "limb"
    RESPIRATORY = "respiratory"
    GENERALISED = "generalised"


class DiagnosisMethod(_Labelled):
    """How a dog's degenerative myelopathy was diagnosed."""

    PRESUMPTIVE = "presumptive"
    GENOTYPE_EXCLUSION = "genotype_exclusion"
    HISTOPATHOLOGY = "histopathology"


class CourseSource(_Labelled):
    """Where the medicine of a course came from."""

    PRESCRIBED = "prescribed"
    COMPOUNDED = "compounded"
    OTC = "otc"


class TimeOfDay(_Labelled):
    MORNING = "morning"
    EVENING = "evening"
    BEDTIME = "bedtime"
    SPLIT = "split"


class Adherence(_Labelled):
    """How many of the planned doses were taken."""

    ALWAYS = "always"
    MOSTLY = "mostly"
    SOMETIMES = "sometimes"
    RARELY = "rarely"


class Burden(_Labelled):
    """How much trouble taking the treatment was."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class ItemMissing(_Labelled):
    """Why an item of a scale has no score: distinct from a score of 0.

    A scale with a missing item has no total; a subscore is only computed when all of its
    items are scored.
    """

    NOT_DONE = "not_done"
    UNKNOWN = "unknown"


#: One item of a scale: a score, or the reason it has none.
ItemValue = int | ItemMissing


class ReversalStatus(_Labelled):
    """A possible reversal (a lasting ALSFRS-R rise, a dog walking again) and its checking.

    ``candidate``: the scores meet the definition (``definitions/reversal.toml``) and nobody has
    checked them against the clinical records yet; ``verified``: a clinician or vet checked them
    and they hold; ``not_confirmed``: checked, and the records do not bear them out.
    """

    CANDIDATE = "candidate"
    VERIFIED = "verified"
    NOT_CONFIRMED = "not_confirmed"


_LABELS: dict[type[StrEnum], dict[str, str]] = {
    OnsetRegion: {
        OnsetRegion.BULBAR.value: gettext_noop("Bulbar (speech, swallowing)"),
        OnsetRegion.LIMB.value: gettext_noop("Limb (arms or legs)"),
        OnsetRegion.RESPIRATORY.value: gettext_noop("Respiratory (breathing)"),
        OnsetRegion.GENERALISED.value: gettext_noop("Generalised"),
    },
    DiagnosisMethod: {
        DiagnosisMethod.PRESUMPTIVE.value: gettext_noop(
            "Presumptive (signs, other causes ruled out clinically)"
        ),
        DiagnosisMethod.GENOTYPE_EXCLUSION.value: gettext_noop(
            "SOD1 genotype and exclusion of other causes"
        ),
        DiagnosisMethod.HISTOPATHOLOGY.value: gettext_noop(
            "Histopathology (confirmed after death)"
        ),
    },
    CourseSource: {
        CourseSource.PRESCRIBED.value: gettext_noop("Prescribed (pharmacy)"),
        CourseSource.COMPOUNDED.value: gettext_noop("Compounded"),
        CourseSource.OTC.value: gettext_noop("Over the counter"),
    },
    TimeOfDay: {
        TimeOfDay.MORNING.value: gettext_noop("Morning"),
        TimeOfDay.EVENING.value: gettext_noop("Evening"),
        TimeOfDay.BEDTIME.value: gettext_noop("At night / bedtime"),
        TimeOfDay.SPLIT.value: gettext_noop("Split through the day"),
    },
    Adherence: {
        Adherence.ALWAYS.value: gettext_noop("Every dose"),
        Adherence.MOSTLY.value: gettext_noop("Most doses"),
        Adherence.SOMETIMES.value: gettext_noop("Some doses"),
        Adherence.RARELY.value: gettext_noop("Few doses"),
    },
    Burden: {
        Burden.NONE.value: gettext_noop("No trouble"),
        Burden.LOW.value: gettext_noop("A little trouble"),
        Burden.MODERATE.value: gettext_noop("Some trouble"),
        Burden.HIGH.value: gettext_noop("A lot of trouble"),
    },
    ItemMissing: {
        ItemMissing.NOT_DONE.value: gettext_noop("Not done"),
        ItemMissing.UNKNOWN.value: gettext_noop("Unknown"),
    },
    ReversalStatus: {
        ReversalStatus.CANDIDATE.value: gettext_noop("Possible reversal, not yet checked"),
        ReversalStatus.VERIFIED.value: gettext_noop(
            "Reversal verified against the clinical records"
        ),
        ReversalStatus.NOT_CONFIRMED.value: gettext_noop(
            "Checked: the records do not confirm a reversal"
        ),
    },
}
