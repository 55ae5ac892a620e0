"""A record in standard formats from its page: a FHIR R4 bundle and a CARE case report."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from offlabel.web.accounts.demo import demo_user
from offlabel.web.registry.models import Subject

CARE_HEADINGS = [
    "## Patient information",
    "## Clinical findings",
    "## Timeline",
    "## Diagnostic assessment",
    "## Therapeutic intervention",
    "## Follow-up and outcomes",
    "## The owner's perspective",
    "## Informed consent",
    "## Checklist items still lacking",
]


@pytest.fixture
def demo_registry(db):
    from offlabel.web.accounts import demo as accounts_demo
    from offlabel.web.catalog import demo as catalog_demo
    from offlabel.web.registry import demo

    accounts_demo.load()
    catalog_demo.load()
    return demo.load()


def test_every_demo_record_downloads_as_a_valid_fhir_bundle(demo_registry, client_for):
    subjects = Subject.objects.filter(owner__is_active=True).select_related("owner")
    assert subjects.count() >= 4
    for subject in subjects:
        response = client_for(subject.owner).get(
            reverse("registry:subject_fhir", args=[subject.public_id])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+json"
        bundle = json.loads(response.content)
        Bundle.model_validate(bundle)
        patient = bundle["entry"][0]["resource"]
        assert patient["identifier"][0]["value"] == subject.public_id
        assert f'"{subject.name}"' not in response.content.decode()  # pseudonymous: no label
        kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
        assert ("MedicationStatement" in kinds) == subject.courses.exists()
        assert ("QuestionnaireResponse" in kinds) == subject.scores.exists()


def test_the_record_page_links_the_downloads(demo_registry, client_for):
    case = Subject.objects.get(name="Case M")
    page = client_for(case.owner).get(case.get_absolute_url()).content.decode()
    assert reverse("registry:subject_fhir", args=[case.public_id]) in page
    assert reverse("registry:subject_care", args=[case.public_id, "pdf"]) in page
    owner_page = client_for(demo_user("owner@offlabel.demo"))
    bella = Subject.objects.get(name="Bella")
    text = owner_page.get(bella.get_absolute_url()).content.decode()
    assert "CARE case report" not in text  # for clinicians and vets


def test_a_stranger_gets_neither_download(demo_registry, client_for):
    case = Subject.objects.get(name="Case M")
    client = client_for(demo_user("owner@offlabel.demo"))
    assert client.get(reverse("registry:subject_fhir", args=[case.public_id])).status_code == 404
    url = reverse("registry:subject_care", args=[case.public_id, "md"])
    assert client.get(url).status_code == 404


def test_the_demo_vets_case_report_has_every_care_section(demo_registry, client_for):
    case = Subject.objects.get(name="Case M")
    vet = client_for(demo_user("vet@offlabel.demo"))
    response = vet.get(reverse("registry:subject_care", args=[case.public_id, "md"]))
    assert response.status_code == 200
    text = response.content.decode()
    positions = [text.index(heading) for heading in CARE_HEADINGS]
    assert positions == sorted(positions)
    assert "Case M" not in text  # the private reference stays on the site
    assert "The owner sees no change" in text  # the owner's perspective
    assert "Recording this case history in the offlabel registry and reporting it" in text
    lacking = text.split("## Checklist items still lacking", 1)[1]
    # Everything the registry can hold is there: only the author's own writing is missing.
    assert lacking.count("for the author to write") == 5
    assert "missing:" not in lacking
    pdf = vet.get(reverse("registry:subject_care", args=[case.public_id, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Therapeutic intervention" in pdf_text and "Low-dose naltrexone" in pdf_text


def test_an_owner_may_not_draw_a_case_report(demo_registry, client_for):
    bella = Subject.objects.get(name="Bella")
    owner = client_for(bella.owner)
    url = reverse("registry:subject_care", args=[bella.public_id, "md"])
    assert owner.get(url).status_code == 403
