"""CARE case reports drawn from registry records: sections, the lacking items, Markdown, PDF."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from offlabel.evidence.vocabulary import Efficacy, TargetSpecies
from offlabel.registry.records import (
    EvaluationRow,
    RegistryBundle,
    ScoreRow,
    SubjectRow,
    TreatmentRow,
)
from offlabel.registry.vocabulary import Adherence, DoseUnit, ScaleKey, Sex
from offlabel.reports.care import care_checklist, care_markdown, care_pdf, care_report

SECTIONS = [
    "patient",
    "findings",
    "timeline",
    "diagnosis",
    "intervention",
    "outcomes",
    "perspective",
    "consent",
]
AUTHOR_ITEMS = ["title", "keywords", "abstract", "introduction", "discussion"]


def _dog(**extra: object) -> SubjectRow:
    fields = {
        "subject_id": "sdog1",
        "species": TargetSpecies.DOG,
        "onset_date": dt.date(2024, 2, 1),
        "birth_year": 2016,
        "sex": Sex.MALE_NEUTERED,
        "breed": "Boxer",
    }
    return SubjectRow(**(fields | extra))  # type: ignore[arg-type]


def test_the_checklist_is_data_and_every_section_it_names_exists() -> None:
    version, items = care_checklist()
    assert version.startswith("CARE")
    named = {item.section for item in items if not item.author}
    assert named <= set(SECTIONS)
    assert [i.key for i in items if i.author] == AUTHOR_ITEMS


def test_a_bare_case_history_lacks_what_it_does_not_hold() -> None:
    report = care_report(RegistryBundle(subjects=(_dog(),)))
    assert [s.key for s in report.sections] == SECTIONS
    lacking = {item.key: missing for item, missing in report.lacking}
    assert lacking["informed_consent"] == ("consent_date", "consent_scope")
    assert lacking["therapeutic_intervention"] == ("courses", "doses", "frequencies")
    assert lacking["diagnostic_assessment"] == ("diagnosis_date", "diagnosis_basis")
    assert "patient_information" not in lacking
    assert set(AUTHOR_ITEMS) <= set(lacking)


def test_a_full_case_history_lacks_only_the_authors_items() -> None:
    records = RegistryBundle(
        subjects=(
            _dog(
                diagnosis_date=dt.date(2024, 4, 1),
                diagnosis_confirmed_by="a neurologist",
                consent_date=dt.date(2024, 4, 1),
                consent_scope="reporting this case",
            ),
        ),
        treatments=(
            TreatmentRow(
                "sdog1",
                "LDN",
                dt.date(2024, 5, 1),
                dose=3.0,
                dose_unit=DoseUnit.MG,
                frequency="once a day",
            ),
        ),
        evaluations=(
            EvaluationRow(
                "sdog1",
                "LDN",
                dt.date(2024, 8, 1),
                Efficacy.SLIGHT,
                adherence=Adherence.ALWAYS,
                notes="He walks a little further.",
            ),
        ),
        scores=(ScoreRow("sdog1", dt.date(2024, 8, 1), ScaleKey.DM_STAGE, 1),),
    )
    report = care_report(records)
    assert report.lacking_keys == AUTHOR_ITEMS
    text = care_markdown(report)
    assert "He walks a little further." in text
    assert "| 2024-05-01 | 90 | Started LDN |" in text
    assert "3 mg per day, once a day" in text


def test_the_pdf_holds_the_sections_and_the_lacking_list() -> None:
    report = care_report(RegistryBundle(subjects=(_dog(),)))
    pages = PdfReader(io.BytesIO(care_pdf(report))).pages
    text = " ".join(page.extract_text() for page in pages)
    for heading in ("Timeline", "Diagnostic assessment", "Informed consent", "still lacking"):
        assert heading in text
