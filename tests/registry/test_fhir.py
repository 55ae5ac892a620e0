"""FHIR R4 resources from the registry, each validated by an independent model library
(fhir.resources' R4B models: R4B changed none of the five resources used here)."""

from __future__ import annotations

import datetime as dt

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from offlabel.evidence.vocabulary import TargetSpecies
from offlabel.registry import fhir
from offlabel.registry.records import RegistryBundle, ScoreRow, SubjectRow, TreatmentRow
from offlabel.registry.scales import get_scale
from offlabel.registry.vocabulary import DoseUnit, ItemMissing, ScaleKey, Sex

BASE = "https://registry.example/api/v1/fhir"


@pytest.mark.parametrize("key", list(ScaleKey))
def test_a_questionnaire_validates_and_round_trips_to_its_scale(key: ScaleKey) -> None:
    scale = get_scale(key)
    resource = fhir.questionnaire(scale, BASE)
    Questionnaire.model_validate(resource)
    assert fhir.scale_of_questionnaire(resource) == scale


def test_the_round_trip_sees_a_changed_level() -> None:
    resource = fhir.questionnaire(get_scale(ScaleKey.DM_STAGE), BASE)
    resource["item"][0]["answerOption"][0]["valueCoding"]["display"] = "something else"
    assert fhir.scale_of_questionnaire(resource) != get_scale(ScaleKey.DM_STAGE)


def test_the_alsfrs_questionnaire_groups_items_by_subscore() -> None:
    resource = fhir.questionnaire(get_scale(ScaleKey.ALSFRS_R), BASE)
    groups = {i["linkId"]: [c["linkId"] for c in i["item"]] for i in resource["item"][:-1]}
    assert groups == {
        "bulbar": ["1", "2", "3"],
        "limb": ["4", "5a", "5b", "6", "7", "8", "9"],
        "respiratory": ["10", "11", "12"],
    }
    assert resource["id"] == "alsfrs-r"
    assert resource["url"] == f"{BASE}/Questionnaire/alsfrs-r"


def _dog() -> SubjectRow:
    return SubjectRow(
        subject_id="sdog1",
        species=TargetSpecies.DOG,
        onset_date=dt.date(2024, 2, 1),
        birth_year=2016,
        sex=Sex.MALE_NEUTERED,
        breed="Boxer",
    )


def test_a_dog_is_a_pseudonymous_patient_with_the_animal_extension() -> None:
    resource = fhir.patient(_dog())
    Patient.model_validate(resource)
    assert "name" not in resource
    assert resource["birthDate"] == "2016"
    [animal] = resource["extension"]
    assert animal["url"] == fhir.ANIMAL
    parts = {e["url"]: e["valueCodeableConcept"] for e in animal["extension"]}
    assert parts["species"]["coding"][0]["code"] == fhir.DOG_SNOMED[0]
    assert parts["breed"]["text"] == "Boxer"
    assert parts["genderStatus"]["coding"][0]["code"] == "neutered"


def test_a_person_has_no_animal_extension() -> None:
    person = SubjectRow(
        subject_id="sp1", species=TargetSpecies.HUMAN, onset_date=dt.date(2023, 1, 1)
    )
    resource = fhir.patient(person)
    Patient.model_validate(resource)
    assert "extension" not in resource
    assert resource["gender"] == "unknown"


def test_an_incomplete_alsfrs_score_answers_what_was_scored() -> None:
    items = {str(n): 3 for n in range(1, 13) if n != 5} | {"5a": ItemMissing.NOT_DONE}
    score = ScoreRow(
        subject_id="sp1",
        date=dt.date(2024, 5, 1),
        scale=ScaleKey.ALSFRS_R,
        total=None,
        items=tuple(sorted(items.items())),
    )
    resource = fhir.questionnaire_response(score, "urn:uuid:x", BASE)
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] == "in-progress"
    limb = next(i for i in resource["item"] if i["linkId"] == "limb")
    five = next(i for i in limb["item"] if i["linkId"] == "5a")
    assert "answer" not in five
    assert five["extension"][0]["valueCode"] == "not-performed"
    assert all(i["linkId"] != "total" for i in resource["item"])


def test_a_bundle_of_a_dogs_records_validates() -> None:
    records = RegistryBundle(
        subjects=(_dog(),),
        treatments=(
            TreatmentRow(
                subject_id="sdog1",
                therapy="Low-dose naltrexone",
                start_date=dt.date(2024, 3, 1),
                dose=0.1,
                dose_unit=DoseUnit.MG_PER_KG,
                frequency="once a day",
            ),
        ),
        scores=(
            ScoreRow("sdog1", dt.date(2024, 3, 1), ScaleKey.DM_STAGE, 1),
            ScoreRow("sdog1", dt.date(2024, 3, 1), ScaleKey.DM_GAIT, 5),
        ),
    )
    bundle = fhir.bundle_of_records(records, BASE)
    Bundle.model_validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Patient", "MedicationStatement", *["QuestionnaireResponse"] * 2]
    patient_url = bundle["entry"][0]["fullUrl"]
    for entry in bundle["entry"][1:]:
        assert entry["resource"]["subject"]["reference"] == patient_url
    statement = bundle["entry"][1]["resource"]
    MedicationStatement.model_validate(statement)
    assert statement["status"] == "active"
    assert statement["dosage"][0]["doseAndRate"][0]["doseQuantity"]["code"] == "mg/kg/d"
