"""Rules about single values: each returns a list of :class:`Problem`, empty when fine.

:mod:`offlabel.registry.validation` builds the rules for whole records and tables from these
(and re-exports them: forms and files import them from there). Field names in problems are the
CSV column names (``onset_date``, ``dose``, ``total`` …).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from offlabel.evidence.vocabulary import Efficacy, Severity, TargetSpecies
from offlabel.registry.doses import plausible_range
from offlabel.registry.layout import TEXT_LIMITS
from offlabel.registry.problems import Problem, ProblemCode
from offlabel.registry.scales import alsfrs_r_problems, check_total, get_scale, load_milestones
from offlabel.registry.vocabulary import DoseUnit, EventKind, ItemValue, ScaleKey, Sex, Sod1Genotype

E = TypeVar("E", bound=StrEnum)

SUBJECT_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
"""Subject ids: 1–64 letters, digits, ``_``, ``.``, ``-``, starting with a letter or digit."""
EARLIEST_BIRTH_YEAR = 1900
MAX_DOG_AGE_YEARS = 30
_EMAIL = re.compile(r"[^\s@;:,<>]+@[^\s@;:,<>]+\.[A-Za-z]{2,}")


def parse_choice(field: str, text: str, enum: type[E]) -> tuple[E | None, list[Problem]]:
    """Read a vocabulary value; the problem lists the allowed values."""
    try:
        return enum(text), []
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        return None, [Problem(field, f"{text!r} is not one of: {allowed}", ProblemCode.BAD_CHOICE)]


def check_efficacy(value: str, field: str = "efficacy") -> list[Problem]:
    """Efficacy must be one of the :class:`~offlabel.evidence.vocabulary.Efficacy` values."""
    return parse_choice(field, value, Efficacy)[1]


def check_severity(value: str, field: str = "severity") -> list[Problem]:
    """Severity must be one of the :class:`~offlabel.evidence.vocabulary.Severity` values."""
    return parse_choice(field, value, Severity)[1]


def check_subject_id(subject_id: str, field: str = "subject_id") -> list[Problem]:
    if SUBJECT_ID_PATTERN.fullmatch(subject_id):
        return []
    return [
        Problem(
            field,
            f"{subject_id!r} is not a valid subject id (1–64 letters, digits, '_', '.', '-')",
            ProblemCode.BAD_FORMAT,
        )
    ]


def check_free_text(field: str, text: str) -> list[Problem]:
    """Free text in registry files never holds an e-mail address."""
    if _EMAIL.search(text):
        return [
            Problem(
                field,
                "looks like it contains an e-mail address; registry data holds no contact details",
                ProblemCode.PERSONAL_DATA,
            )
        ]
    return []


def check_text(field: str, text: str, *, limit_of: str | None = None) -> list[Problem]:
    """Free text: no longer than its column allows (``TEXT_LIMITS``), no NUL character, and no
    e-mail address (registry data holds no contact details)."""
    problems = []
    limit = TEXT_LIMITS.get(limit_of or field)
    if limit is not None and len(text) > limit:
        problems.append(
            Problem(
                field,
                f"is {len(text)} characters long; at most {limit} fit",
                ProblemCode.OUT_OF_RANGE,
            )
        )
    if "\x00" in text:
        problems.append(
            Problem(
                field, "holds a NUL character (\\0), which text may not", ProblemCode.BAD_FORMAT
            )
        )
    return problems + check_free_text(field, text)


#: Plausible body weight in kg per species (a typo such as 300 for 30 is refused).
WEIGHT_RANGE_KG: Mapping[TargetSpecies, tuple[float, float]] = {
    TargetSpecies.DOG: (0.5, 120.0),
    TargetSpecies.HUMAN: (20.0, 300.0),
}


def check_weight(
    weight: float | None, species: TargetSpecies, field: str = "weight_kg"
) -> list[Problem]:
    """A body weight within the species' plausible range."""
    if weight is None:
        return []
    low, high = WEIGHT_RANGE_KG[species]
    if math.isfinite(weight) and low <= weight <= high:
        return []
    return [
        Problem(
            field,
            f"a {species.value}'s weight is between {low:g} and {high:g} kg, got {weight:g}",
            ProblemCode.OUT_OF_RANGE,
        )
    ]


def check_not_future(field: str, value: dt.date | None, today: dt.date) -> list[Problem]:
    """A clinical date cannot lie after today."""
    if value is not None and value > today:
        return [
            Problem(
                field,
                f"{value.isoformat()} is in the future (today is {today.isoformat()})",
                ProblemCode.FUTURE_DATE,
            )
        ]
    return []


def check_onset_diagnosis(
    onset: dt.date | None,
    diagnosis: dt.date | None,
    today: dt.date,
    *,
    onset_field: str = "onset_date",
    diagnosis_field: str = "diagnosis_date",
) -> list[Problem]:
    """Onset ≤ diagnosis ≤ today (either date may be unknown)."""
    problems = check_not_future(onset_field, onset, today)
    problems += check_not_future(diagnosis_field, diagnosis, today)
    if onset is not None and diagnosis is not None and diagnosis < onset:
        problems.append(
            Problem(
                diagnosis_field,
                f"diagnosis ({diagnosis.isoformat()}) is before onset ({onset.isoformat()})",
                ProblemCode.DATE_ORDER,
            )
        )
    return problems


def check_birth_year(
    birth_year: int | None, species: TargetSpecies, today: dt.date, field: str = "birth_year"
) -> list[Problem]:
    """Birth year not in the future, not before 1900, and a dog at most 30 years old."""
    if birth_year is None:
        return []
    earliest = EARLIEST_BIRTH_YEAR
    if species is TargetSpecies.DOG:
        earliest = max(earliest, today.year - MAX_DOG_AGE_YEARS)
    if birth_year > today.year:
        return [Problem(field, f"{birth_year} is in the future", ProblemCode.FUTURE_DATE)]
    if birth_year < earliest:
        return [
            Problem(
                field,
                f"{birth_year} is too early for a {species.value} (earliest {earliest})",
                ProblemCode.OUT_OF_RANGE,
            )
        ]
    return []


def check_course_dates(
    start: dt.date,
    stop: dt.date | None,
    today: dt.date,
    *,
    start_field: str = "start_date",
    stop_field: str = "stop_date",
) -> list[Problem]:
    """Start ≤ stop, and neither in the future (an ongoing course has no stop date)."""
    problems = check_not_future(start_field, start, today)
    problems += check_not_future(stop_field, stop, today)
    if stop is not None and stop < start:
        problems.append(
            Problem(
                stop_field,
                f"stop ({stop.isoformat()}) is before start ({start.isoformat()})",
                ProblemCode.DATE_ORDER,
            )
        )
    return problems


def check_not_before_birth(field: str, when: dt.date, birth_year: int | None) -> list[Problem]:
    """Nothing is dated before the subject's year of birth."""
    if birth_year is not None and when.year < birth_year:
        return [
            Problem(
                field,
                f"{when.isoformat()} is before the year of birth ({birth_year})",
                ProblemCode.BEFORE_BIRTH,
            )
        ]
    return []


def check_not_before_onset(field: str, when: dt.date, onset: dt.date | None) -> list[Problem]:
    """No score, evaluation or event is dated before onset."""
    if onset is not None and when < onset:
        return [
            Problem(
                field,
                f"{when.isoformat()} is before onset ({onset.isoformat()})",
                ProblemCode.BEFORE_ONSET,
            )
        ]
    return []


def check_not_after_end(field: str, when: dt.date, end: dt.date | None) -> list[Problem]:
    """Nothing is recorded after death, euthanasia or the last contact."""
    if end is not None and when > end:
        return [
            Problem(
                field,
                f"{when.isoformat()} is after the end of follow-up ({end.isoformat()})",
                ProblemCode.AFTER_END,
            )
        ]
    return []


def check_sex(sex: Sex, species: TargetSpecies, field: str = "sex") -> list[Problem]:
    if sex.applies_to(species):
        return []
    return [
        Problem(field, f"{sex.value!r} applies to dogs only", ProblemCode.WRONG_SPECIES),
    ]


def check_sod1(
    sod1: Sod1Genotype | None, species: TargetSpecies, field: str = "sod1"
) -> list[Problem]:
    """Dogs have a SOD1 genotype (``unknown`` allowed); people have none in the registry."""
    if species is TargetSpecies.DOG and sod1 is None:
        return [Problem(field, "a dog needs a SOD1 genotype (or 'unknown')", ProblemCode.REQUIRED)]
    if species is TargetSpecies.HUMAN and sod1 is not None:
        return [Problem(field, "SOD1 genotype is recorded for dogs only", ProblemCode.NOT_ALLOWED)]
    return []


def check_dose(
    species: TargetSpecies,
    dose: float | None,
    unit: DoseUnit | None,
    therapy: str = "*",
    *,
    dose_field: str = "dose",
    unit_field: str = "dose_unit",
) -> list[Problem]:
    """Dose and unit together, ``mg/kg`` for dogs only, and plausible for the species.

    An implausible dose gives a problem with ``needs_confirmation=True``.
    """
    if dose is None and unit is None:
        return []
    if dose is None:
        return [Problem(dose_field, "a unit is given without a dose", ProblemCode.REQUIRED)]
    if unit is None:
        return [Problem(unit_field, "a dose needs its unit (mg or mg/kg)", ProblemCode.REQUIRED)]
    if not math.isfinite(dose) or dose <= 0:
        return [Problem(dose_field, f"dose must be above 0, got {dose}", ProblemCode.OUT_OF_RANGE)]
    if unit is DoseUnit.MG_PER_KG and species is not TargetSpecies.DOG:
        return [
            Problem(
                unit_field,
                "mg/kg is for dogs only; give a person's dose in mg per day",
                ProblemCode.WRONG_SPECIES,
            )
        ]
    plausible = plausible_range(species, unit, therapy)
    if plausible is not None and not plausible.contains(dose):
        return [
            Problem(
                dose_field,
                f"{dose:g} {unit.value} per day is outside the usual range for a "
                f"{species.value} ({plausible.low:g}–{plausible.high:g} {unit.value}); "
                "please check and confirm",
                ProblemCode.IMPLAUSIBLE_DOSE,
                needs_confirmation=True,
            )
        ]
    return []


def check_score(
    scale: ScaleKey, total: int, species: TargetSpecies, field: str = "total"
) -> list[Problem]:
    """The scale belongs to the species and the total lies within it."""
    definition = get_scale(scale)
    if not definition.applies_to(species):
        return [
            Problem(
                "scale",
                f"{definition.name} is not recorded for a {species.value}",
                ProblemCode.WRONG_SPECIES,
            )
        ]
    return definition.total_problems(total, field)


def check_alsfrs_r(items: Mapping[str, ItemValue], total: int | None = None) -> list[Problem]:
    """ALSFRS-R items 0–4 (or not done/unknown), exactly one of 5a/5b, and the total, if
    given, equal to their sum (an assessment with a missing item has none)."""
    return alsfrs_r_problems(items) if total is None else check_total(items, total)


def check_event(event: EventKind, species: TargetSpecies, field: str = "event") -> list[Problem]:
    """The milestone applies to the species (e.g. euthanasia and thoracic limbs: dogs only)."""
    if load_milestones()[event].applies_to(species):
        return []
    return [
        Problem(
            field,
            f"{event.value!r} is not recorded for a {species.value}",
            ProblemCode.WRONG_SPECIES,
        )
    ]
