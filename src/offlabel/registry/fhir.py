"""FHIR R4 resources from the registry: the scales as ``Questionnaire``, scores as
``QuestionnaireResponse``, courses as ``MedicationStatement``, the subject as a pseudonymous
``Patient`` (with the ``patient-animal`` extension for a dog), together in a ``Bundle``.

Everything here builds plain JSON-ready dicts from the core's records
(:class:`~offlabel.registry.records.RegistryBundle`) and scale definitions; the tests validate
each resource with an independent FHIR model library. A Questionnaire carries every part of its
scale definition (items and their levels, subscores as groups, the range, the direction, the
species) so that :func:`scale_of_questionnaire` reads the same definition back.

The Patient is pseudonymous: its id and identifier are the registry's random subject id, it
carries no name and only the birth year.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry.records import (
    RegistryBundle,
    ScoreRow,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.scales import (
    Level,
    ScaleDefinition,
    ScaleItem,
    ScaleKind,
    Subscore,
    get_scale,
)
from offlabel.registry.vocabulary import ItemMissing, ScaleKey, Sex

__all__ = [
    "FHIR_VERSION",
    "bundle_of_records",
    "medication_statement",
    "patient",
    "questionnaire",
    "questionnaire_id",
    "questionnaire_response",
    "scale_of_questionnaire",
]

FHIR_VERSION = "4.0.1"
#: Where offlabel's own extensions and code systems are named (a URI, not a page to fetch).
EXT = "urn:offlabel:fhir"
SUBJECT_SYSTEM = "urn:offlabel:registry:subject"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
ANIMAL = "http://hl7.org/fhir/StructureDefinition/patient-animal"
SNOMED = "http://snomed.info/sct"
#: SNOMED CT: Canis lupus subspecies familiaris (the domestic dog).
DOG_SNOMED = ("448771007", "Canis lupus subspecies familiaris")
_ABSENT_CODES = {ItemMissing.NOT_DONE.value: "not-performed", ItemMissing.UNKNOWN.value: "unknown"}
_NAMESPACE = uuid.UUID("6f9b0a52-8d1e-4c55-9a57-8b3f2f0f3a11")


def questionnaire_id(key: ScaleKey | str) -> str:
    """The resource id of a scale (FHIR ids allow no underscore): ``alsfrs-r``."""
    return ScaleKey(key).value.replace("_", "-")


def _canonical(base: str, key: ScaleKey | str) -> str:
    return f"{base.rstrip('/')}/Questionnaire/{questionnaire_id(key)}"


def _ext(name: str, **value: Any) -> dict[str, Any]:
    return {"url": f"{EXT}/{name}", **value}


def _options(levels: Sequence[Level], system: str) -> list[dict[str, Any]]:
    return [
        {
            "valueCoding": {
                "system": system,
                "code": str(level.score),
                "display": level.text,
                "extension": [{"url": ORDINAL, "valueDecimal": level.score}],
            }
        }
        for level in sorted(levels, key=lambda lvl: lvl.score, reverse=True)
    ]


def _item_system(canonical: str, link_id: str) -> str:
    return f"{canonical}/answers/{link_id}"


def _choice_item(canonical: str, item: ScaleItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "linkId": item.key,
        "prefix": str(item.number),
        "text": item.short_name,
        "type": "choice",
        "required": not item.condition,
        "answerOption": _options(item.levels, _item_system(canonical, item.key)),
    }
    if item.condition:
        out["extension"] = [_ext("item-condition", valueString=item.condition)]
    return out


def questionnaire(scale: ScaleDefinition, base: str) -> dict[str, Any]:
    """``scale`` as a FHIR R4 Questionnaire whose canonical URL lives under ``base``."""
    canonical = _canonical(base, scale.key)
    extensions: list[dict[str, Any]] = [
        _ext("scale-key", valueCode=scale.key.value),
        _ext("scale-name", valueString=scale.name),
        _ext("scale-kind", valueCode=scale.kind.value),
        _ext("higher-is-better", valueBoolean=scale.higher_is_better),
        *(_ext("species", valueCode=s.value) for s in sorted(scale.species)),
    ]
    if scale.ambulatory_from is not None:
        extensions.append(_ext("ambulatory-from", valueInteger=scale.ambulatory_from))
    total: dict[str, Any] = {
        "linkId": "total",
        "text": f"{scale.name} total",
        "type": "integer",
        "readOnly": scale.kind is ScaleKind.ITEM_SUM,
        "extension": [
            {"url": MIN_VALUE, "valueInteger": scale.minimum},
            {"url": MAX_VALUE, "valueInteger": scale.maximum},
        ],
    }
    if scale.kind is ScaleKind.ITEM_SUM:
        items: list[dict[str, Any]] = []
        for subscore in scale.subscores:
            items.append(
                {
                    "linkId": subscore.key,
                    "text": subscore.title,
                    "type": "group",
                    "item": [
                        _choice_item(canonical, item)
                        for item in scale.items
                        if item.number in subscore.items
                    ],
                }
            )
        items.append(total)
    else:
        items = [
            {
                "linkId": scale.key.value,
                "text": scale.title,
                "type": "choice",
                "required": True,
                "answerOption": _options(scale.levels, _item_system(canonical, scale.key.value)),
            }
        ]
    subjects = ["Patient"]
    return {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(scale.key),
        "url": canonical,
        "name": scale.name.replace("-", "").replace(" ", ""),
        "title": scale.title,
        "status": "active",
        "subjectType": subjects,
        "description": f"{scale.title} ({scale.name}), as the offlabel registry records it: "
        f"{scale.minimum}–{scale.maximum}, "
        + ("higher is better." if scale.higher_is_better else "lower is better."),
        "extension": extensions,
        "item": items,
    }


# -- reading a Questionnaire back ----------------------------------------------------------------


def _ext_values(resource: Mapping[str, Any], name: str) -> list[Any]:
    found: list[Any] = []
    for ext in resource.get("extension", []):
        if ext.get("url") == f"{EXT}/{name}":
            found.extend(v for k, v in ext.items() if k.startswith("value"))
    return found


def _levels_of(item: Mapping[str, Any]) -> tuple[Level, ...]:
    levels = [
        Level(int(o["valueCoding"]["code"]), str(o["valueCoding"]["display"]))
        for o in item.get("answerOption", [])
    ]
    return tuple(sorted(levels, key=lambda lvl: lvl.score))


def _item_of(item: Mapping[str, Any]) -> ScaleItem:
    condition = _ext_values(item, "item-condition")
    return ScaleItem(
        key=str(item["linkId"]),
        number=int(item["prefix"]),
        short_name=str(item["text"]),
        levels=_levels_of(item),
        condition=str(condition[0]) if condition else "",
    )


def _range(items: Sequence[Mapping[str, Any]], scale: ScaleDefinition) -> tuple[int, int]:
    for item in items:
        if item.get("linkId") == "total":
            bounds = {e["url"]: e["valueInteger"] for e in item.get("extension", [])}
            return int(bounds[MIN_VALUE]), int(bounds[MAX_VALUE])
    levels = [lvl.score for lvl in scale.levels]
    return min(levels), max(levels)


def scale_of_questionnaire(resource: Mapping[str, Any]) -> ScaleDefinition:
    """The scale definition a Questionnaire written by :func:`questionnaire` describes."""
    key = ScaleKey(_ext_values(resource, "scale-key")[0])
    kind = ScaleKind(_ext_values(resource, "scale-kind")[0])
    groups = [i for i in resource["item"] if i.get("type") == "group"]
    items = sorted(
        (_item_of(child) for group in groups for child in group.get("item", [])),
        key=lambda i: (i.number, i.key),
    )
    subscores = tuple(
        Subscore(
            key=str(g["linkId"]),
            title=str(g["text"]),
            items=tuple(sorted({int(c["prefix"]) for c in g.get("item", [])})),
        )
        for g in groups
    )
    levels: tuple[Level, ...] = ()
    if kind is not ScaleKind.ITEM_SUM:
        levels = _levels_of(resource["item"][0])
    ambulatory = _ext_values(resource, "ambulatory-from")
    draft = ScaleDefinition(
        key=key,
        name=str(_ext_values(resource, "scale-name")[0]),
        title=str(resource["title"]),
        species=frozenset(TargetSpecies(s) for s in _ext_values(resource, "species")),
        kind=kind,
        minimum=0,
        maximum=0,
        higher_is_better=bool(_ext_values(resource, "higher-is-better")[0]),
        items=tuple(items),
        subscores=subscores,
        levels=levels,
        ambulatory_from=int(ambulatory[0]) if ambulatory else None,
    )
    low, high = _range(resource["item"], draft)
    return ScaleDefinition(**{**_fields(draft), "minimum": low, "maximum": high})


def _fields(scale: ScaleDefinition) -> dict[str, Any]:
    return {name: getattr(scale, name) for name in ScaleDefinition.__slots__}


# -- a subject's records -------------------------------------------------------------------------


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, ':'.join(str(p) for p in parts))}"


def _fhir_id(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-." else "-" for c in text)
    return cleaned[:64]


_GENDER = {
    Sex.MALE: "male",
    Sex.MALE_NEUTERED: "male",
    Sex.FEMALE: "female",
    Sex.FEMALE_SPAYED: "female",
    Sex.UNKNOWN: "unknown",
}
_NEUTER = {
    Sex.MALE: "intact",
    Sex.FEMALE: "intact",
    Sex.MALE_NEUTERED: "neutered",
    Sex.FEMALE_SPAYED: "neutered",
}


def patient(subject: SubjectRow) -> dict[str, Any]:
    """A pseudonymous Patient: the registry's subject id, sex, birth year; a dog's species,
    breed and neuter status in the ``patient-animal`` extension. No name, no full dates."""
    out: dict[str, Any] = {
        "resourceType": "Patient",
        "id": _fhir_id(subject.subject_id),
        "identifier": [{"system": SUBJECT_SYSTEM, "value": subject.subject_id}],
        "gender": _GENDER[subject.sex],
    }
    if subject.birth_year is not None:
        out["birthDate"] = f"{subject.birth_year:04d}"
    if subject.species is TargetSpecies.DOG:
        animal: list[dict[str, Any]] = [
            {
                "url": "species",
                "valueCodeableConcept": {
                    "coding": [{"system": SNOMED, "code": DOG_SNOMED[0], "display": DOG_SNOMED[1]}],
                    "text": "Dog",
                },
            }
        ]
        if subject.breed:
            animal.append({"url": "breed", "valueCodeableConcept": {"text": subject.breed}})
        if subject.sex in _NEUTER:
            status = _NEUTER[subject.sex]
            animal.append(
                {
                    "url": "genderStatus",
                    "valueCodeableConcept": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/animal-genderstatus",
                                "code": status,
                            }
                        ]
                    },
                }
            )
        out["extension"] = [{"url": ANIMAL, "extension": animal}]
    return out


def questionnaire_response(score: ScoreRow, patient_ref: str, base: str) -> dict[str, Any]:
    """One score as a QuestionnaireResponse of its scale's Questionnaire.

    ALSFRS-R items are answered with their level's coding; an item not done or unknown has no
    answer and a ``data-absent-reason``; the total (when every item is scored) is an integer.
    """
    scale = get_scale(score.scale)
    canonical = _canonical(base, scale.key)
    items: list[dict[str, Any]] = []
    if scale.kind is ScaleKind.ITEM_SUM:
        given = dict(score.items)
        for subscore in scale.subscores:
            children = []
            for item in scale.items:
                if item.number not in subscore.items or item.key not in given:
                    continue
                value = given[item.key]
                child: dict[str, Any] = {"linkId": item.key, "text": item.short_name}
                if isinstance(value, int):
                    level = next(lvl for lvl in item.levels if lvl.score == value)
                    child["answer"] = [
                        {
                            "valueCoding": {
                                "system": _item_system(canonical, item.key),
                                "code": str(value),
                                "display": level.text,
                            }
                        }
                    ]
                else:
                    code = _ABSENT_CODES[ItemMissing(value).value]
                    child["extension"] = [{"url": ABSENT, "valueCode": code}]
                children.append(child)
            if children:
                items.append({"linkId": subscore.key, "text": subscore.title, "item": children})
        if score.total is not None:
            items.append({"linkId": "total", "answer": [{"valueInteger": score.total}]})
    elif score.total is not None:
        level = scale.level(score.total)
        items.append(
            {
                "linkId": scale.key.value,
                "text": scale.title,
                "answer": [
                    {
                        "valueCoding": {
                            "system": _item_system(canonical, scale.key.value),
                            "code": str(score.total),
                            "display": level.text,
                        }
                    }
                ],
            }
        )
    complete = score.total is not None
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _fhir_id(f"{score.subject_id}-{scale.key.value}-{score.date.isoformat()}"),
        "questionnaire": canonical,
        "status": "completed" if complete else "in-progress",
        "subject": {"reference": patient_ref},
        "authored": score.date.isoformat(),
        "item": items,
    }


def medication_statement(course: TreatmentRow, patient_ref: str) -> dict[str, Any]:
    """One treatment course as a MedicationStatement (the therapy as text, as entered)."""
    period: dict[str, Any] = {"start": course.start_date.isoformat()}
    if course.stop_date is not None:
        period["end"] = course.stop_date.isoformat()
    dosage: dict[str, Any] = {}
    text = ", ".join(p for p in (course.frequency, course.time_of_day or "") if p)
    if text:
        dosage["text"] = text
    if course.dose is not None and course.dose_unit is not None:
        unit = "mg/kg/d" if course.dose_unit.value == "mg/kg" else "mg/d"
        dosage["doseAndRate"] = [
            {
                "doseQuantity": {
                    "value": course.dose,
                    "unit": course.dose_unit.label,
                    "system": "http://unitsofmeasure.org",
                    "code": unit,
                }
            }
        ]
    out: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": _fhir_id(f"{course.subject_id}-{course.therapy}-{course.start_date.isoformat()}"),
        "status": "completed" if course.stop_date is not None else "active",
        "medicationCodeableConcept": {"text": course.therapy},
        "subject": {"reference": patient_ref},
        "effectivePeriod": period,
    }
    if course.reason_stopped:
        out["statusReason"] = [{"text": course.reason_stopped}]
    if dosage:
        out["dosage"] = [dosage]
    return out


def _entry(resource: dict[str, Any], full_url: str) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource}


def bundle_of_records(records: RegistryBundle, base: str) -> dict[str, Any]:
    """One Bundle (``collection``) per registry bundle: each subject's Patient, then its
    MedicationStatements and QuestionnaireResponses, referring to the Patient by its full URL."""
    entries: list[dict[str, Any]] = []
    refs: dict[str, str] = {}
    for subject in records.subjects:
        refs[subject.subject_id] = _urn("patient", subject.subject_id)
        entries.append(_entry(patient(subject), refs[subject.subject_id]))
    for course in records.treatments:
        ref = refs[course.subject_id]
        resource = medication_statement(course, ref)
        entries.append(_entry(resource, _urn("course", resource["id"])))
    for score in records.scores:
        ref = refs[score.subject_id]
        resource = questionnaire_response(score, ref, base)
        entries.append(_entry(resource, _urn("score", resource["id"])))
    ids = sorted(refs)
    return {
        "resourceType": "Bundle",
        "id": _fhir_id("records-" + "-".join(ids))[:64] if ids else "records-empty",
        "type": "collection",
        "entry": entries,
    }
