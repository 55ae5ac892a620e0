"""The demo registry: a possible reversal, a corrected entry with its reason, a shared record
with its label — and import(export(x)) == x over all of it."""

from __future__ import annotations

import re

import pytest

from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.csv_write import write_registry_dir
from offlabel.registry.vocabulary import ReversalStatus
from offlabel.web.accounts.demo import demo_user
from offlabel.web.common.models import AuditEvent
from offlabel.web.network.models import Notification
from offlabel.web.registry import selectors
from offlabel.web.registry.models import ReversalFlag, ScoreRecord, Subject
from offlabel.web.registry.services import registry_import


@pytest.fixture
def demo_registry(db):
    from offlabel.web.accounts import demo as accounts_demo
    from offlabel.web.catalog import demo as catalog_demo
    from offlabel.web.registry import demo

    accounts_demo.load()
    catalog_demo.load()
    return demo.load()


def test_the_demo_shows_a_possible_reversal_to_its_clinician_and_to_reviewers(
    demo_registry, client_for
):
    flag = ReversalFlag.objects.get()
    assert flag.status == ReversalStatus.CANDIDATE and "rose from 33" in flag.evidence["text"]
    clinician = demo_user("clinician@offlabel.demo")
    assert flag.subject.owner == clinician
    page = client_for(clinician).get("/registry/").content.decode()
    assert "Possible reversals to check" in page and "Case R" in page
    reviewer = client_for(demo_user("reviewer@offlabel.demo")).get("/registry/reversals/")
    text = reviewer.content.decode()
    assert (
        "1 flagged, 0 verified" in text
        and "Case R" not in text
        and flag.subject.public_id not in text
    )
    assert Notification.objects.filter(kind="reversal", recipient=clinician).exists()


def test_the_demo_shows_a_corrected_entry_with_its_reason_and_a_shared_labelled_record(
    demo_registry, client_for
):
    patient = demo_user("patient@offlabel.demo")
    pat = selectors.subject_own_person(patient)
    assert pat is not None and pat.name == "Pat"
    corrected = AuditEvent.objects.get(
        owner_key=pat.public_id, action="update", note__startswith="Item 8"
    )
    assert corrected.before["items"]["8"] == 2 and corrected.after["items"]["8"] == 3
    page = client_for(patient).get(pat.get_absolute_url()).content.decode()
    assert "copied from the wrong clinic visit" in page
    assert Notification.objects.filter(recipient=patient, kind="record_changed").count() == 2
    clinician_page = (
        client_for(demo_user("clinician@offlabel.demo")).get("/registry/").content.decode()
    )
    assert "Pat (Pat (person with ALS))" in clinician_page
    assert re.search(r"My record(?!s)", clinician_page) is None


def test_export_then_import_of_the_demo_registry_gives_it_back(demo_registry, tmp_path):
    before = selectors.registry_bundle()
    assert len(before.subjects) > 400 and any(s.items for s in before.scores)
    write_registry_dir(before, tmp_path)
    assert read_registry_dir(tmp_path, confirm_implausible=True) == before
    Subject.all_objects.all().delete()
    registry_import(directory=tmp_path, by=None, confirm_implausible=True)
    assert selectors.registry_bundle() == before
    assert ScoreRecord.objects.filter(items__isnull=False).exists()
