"""Bulk CSV import/export, the CLI, and the analytics selector."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.deidentify import DEIDENTIFIED_EPOCH
from offlabel.registry.problems import RegistryImportError
from offlabel.web.common.models import AuditEvent
from offlabel.web.registry import selectors, services
from offlabel.web.registry.export import registry_export
from offlabel.web.registry.models import Evaluation, ScoreRecord, SideEffect, Subject
from offlabel.web.registry.services import IMPORTER_EMAIL, registry_import
from tests.web.registry.support import ALL_FOUR

FILES = {
    "subjects.csv": "subject_id,species,onset_date,birth_year,sex,breed,sod1\n"
    "p1,human,2022-01-01,1960,female,,\n"
    "d1,dog,2023-03-01,2014,male_neutered,Boxer,A/A\n",
    "treatments.csv": "subject_id,therapy,start_date,stop_date,dose,dose_unit,cost_per_month\n"
    "p1,LDN,2022-06-01,,4.5,mg,35\n"
    "d1,Low-dose naltrexone,2023-04-01,2023-09-01,0.1,mg/kg,\n",
    "evaluations.csv": "subject_id,therapy,date,efficacy,side_effects,course_start\n"
    "p1,LDN,2022-09-01,slight,vivid dreams:mild;nausea,2022-06-01\n",
    "scores.csv": "subject_id,date,scale,total\n"
    "p1,2022-03-01,alsfrs_r,44\np1,2022-09-01,alsfrs_r,40\n"
    "d1,2023-05-01,dm_gait,5\nd1,2023-05-01,dm_stage,1\n",
    "events.csv": "subject_id,event,date\nd1,non_ambulatory,2023-10-01\n",
}


@pytest.fixture
def registry_dir(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_import_saves_everything_and_owns_it_by_the_import_account(db, demo_topics, registry_dir):
    summary = registry_import(directory=registry_dir, by=None)
    assert (summary.subjects, summary.treatments, summary.evaluations) == (2, 2, 1)
    assert (summary.scores, summary.events) == (4, 1)
    p1 = Subject.objects.get(public_id="p1")
    assert p1.owner.email == IMPORTER_EMAIL and not p1.owner.is_active
    course = p1.courses.get()
    assert course.therapy is not None and course.therapy.slug == "low-dose-naltrexone"  # synonym
    assert course.therapy_text == "LDN"
    evaluation = Evaluation.objects.get()
    assert evaluation.course == course
    assert list(SideEffect.objects.values_list("name", "severity")) == [
        ("vivid dreams", "mild"),
        ("nausea", ""),
    ]
    assert AuditEvent.objects.filter(owner_key="p1", action="create").exists()


def test_one_bad_line_is_reported_with_file_and_line_and_nothing_is_saved(db, registry_dir):
    text = FILES["scores.csv"] + "p1,2022-10-01,alsfrs_r,52\n"
    (registry_dir / "scores.csv").write_text(text)
    with pytest.raises(RegistryImportError) as caught:
        registry_import(directory=registry_dir, by=None)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("scores.csv", 6, "total")
    assert not Subject.objects.exists() and not ScoreRecord.objects.exists()


def test_cli_import_reports_the_line_and_exits_non_zero(db, registry_dir):
    (registry_dir / "events.csv").write_text("subject_id,event,date\nd1,walked_away,2023-10-01\n")
    result = CliRunner().invoke(main, ["registry", "import", str(registry_dir)])
    assert result.exit_code == 1
    assert "events.csv:2 [event]" in result.output
    assert "nothing imported" in result.output
    assert not Subject.objects.exists()


def test_cli_implausible_dose_needs_the_confirm_flag(db, registry_dir):
    text = FILES["treatments.csv"].replace("4.5,mg", "45,mg")
    (registry_dir / "treatments.csv").write_text(text)
    runner = CliRunner()
    first = runner.invoke(main, ["registry", "import", str(registry_dir)])
    assert first.exit_code == 1 and "--confirm-implausible" in first.output
    second = runner.invoke(main, ["registry", "import", str(registry_dir), "--confirm-implausible"])
    assert second.exit_code == 0, second.output
    assert Subject.objects.count() == 2


def test_cli_owner_option_and_unknown_owner(world, registry_dir):
    runner = CliRunner()
    bad = runner.invoke(main, ["registry", "import", str(registry_dir), "--owner", "no@x.org"])
    assert bad.exit_code == 2 and "no@x.org" in bad.output
    ok = runner.invoke(main, ["registry", "import", str(registry_dir), "--owner", world.vet.email])
    assert ok.exit_code == 0, ok.output
    imported = Subject.objects.filter(origin=Subject.Origin.IMPORTED)
    assert set(imported.values_list("owner__email", flat=True)) == {world.vet.email}


def test_importing_twice_reports_existing_subjects(db, registry_dir):
    registry_import(directory=registry_dir, by=None)
    with pytest.raises(RegistryImportError) as caught:
        registry_import(directory=registry_dir, by=None)
    assert {(p.file, p.line) for p in caught.value.problems} == {
        ("subjects.csv", 2),
        ("subjects.csv", 3),
    }
    assert Subject.objects.count() == 2


def test_export_then_import_round_trips(db, registry_dir, tmp_path_factory, django_db_blocker):
    registry_import(directory=registry_dir, by=None)
    out = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(main, ["registry", "export", str(out)])
    assert result.exit_code == 0, result.output
    exported = read_registry_dir(out)
    assert exported == read_registry_dir(registry_dir)
    # into an empty registry, the export imports back unchanged
    Subject.objects.all().delete()
    registry_import(directory=out, by=None)
    again = tmp_path_factory.mktemp("again")
    registry_export(again)
    for name in FILES:
        assert (again / name).read_text() == (out / name).read_text()


def test_form_entered_records_export_and_round_trip(world, person, dog, tmp_path):
    services.course_create(
        subject=dog,
        by=world.owner,
        therapy_text="LDN",
        start_date=dt.date(2024, 3, 1),
        dose=3,
        dose_unit="mg",
    )
    services.score_create(
        subject=person, by=world.patient, scale="alsfrs_r", date=dt.date(2023, 3, 1), items=ALL_FOUR
    )
    registry_export(tmp_path)
    bundle = read_registry_dir(tmp_path)
    assert {s.subject_id for s in bundle.subjects} == {
        person.public_id,
        dog.public_id,
        world.other_dog.public_id,
    }
    assert "Rex" not in (tmp_path / "subjects.csv").read_text()  # names never leave the account
    Subject.objects.all().delete()
    shutil.copytree(tmp_path, tmp_path.parent / "copy")
    registry_import(directory=tmp_path.parent / "copy", by=None)
    assert Subject.objects.count() == 3


def test_cli_deidentified_export(db, registry_dir, tmp_path_factory):
    registry_import(directory=registry_dir, by=None)
    out = tmp_path_factory.mktemp("deid")
    result = CliRunner().invoke(main, ["registry", "export", str(out), "--deidentified"])
    assert result.exit_code == 0
    text = (out / "subjects.csv").read_text()
    assert "onset_day" in text and "p1" not in text and "2022-01-01" not in text


def test_registry_frames_one_query_per_table(db, registry_dir, django_assert_max_num_queries):
    registry_import(directory=registry_dir, by=None)
    with django_assert_max_num_queries(6):
        frames = selectors.registry_frames(deidentified=False)
    assert len(frames.subjects) == 2 and len(frames.scores) == 4
    assert set(frames.treatments["therapy"].astype(str)) == {"LDN", "Low-dose naltrexone"}
    assert frames.evaluations["side_effects"].iloc[0] == "vivid dreams:mild;nausea"


def test_registry_frames_deidentified_and_by_species(db, demo_topics, registry_dir):
    registry_import(directory=registry_dir, by=None)
    frames = selectors.registry_frames(species="dog")
    assert list(frames.subjects["species"].astype(str)) == ["dog"]
    assert "d1" not in set(frames.subjects["subject_id"])
    onset = frames.subjects["onset_date"].iloc[0]
    assert onset == __import__("pandas").Timestamp(DEIDENTIFIED_EPOCH)
    # intervals kept: gait score 61 days after onset, LDN pooled under the catalogue name
    assert (frames.scores["date"] - onset).dt.days.tolist() == [61, 61]
    assert set(frames.treatments["therapy"].astype(str)) == {"Low-dose naltrexone"}
    assert frames.subjects["birth_year"].iloc[0] == DEIDENTIFIED_EPOCH.year - 9


def test_registry_frames_of_an_empty_registry(db):
    frames = selectors.registry_frames()
    assert len(frames.subjects) == 0 and len(frames.scores) == 0


def test_registry_export_writes_the_deidentified_layout(db, registry_dir, tmp_path_factory):
    registry_import(directory=registry_dir, by=None)
    out = tmp_path_factory.mktemp("csvdir")
    registry_export(out, deidentified=True)
    assert (out / "scores.csv").read_text().startswith("subject_id,day,scale,total")
    plain = tmp_path_factory.mktemp("plain")
    registry_export(plain)
    assert read_registry_dir(plain) == read_registry_dir(registry_dir)


def _zip(files):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"export/{name}", text)
    return SimpleUploadedFile("registry.zip", buffer.getvalue(), content_type="application/zip")


@pytest.mark.parametrize(("role", "status"), [("editor", 200), ("reviewer", 403), ("owner", 403)])
def test_import_page_is_for_editors(world, client_for, role, status):
    assert client_for(world.by_name(role)).get("/registry/import/").status_code == status


def test_import_page_lists_problems_with_file_and_line_and_saves_nothing(world, client_for):
    client = client_for(world.editor)
    bad = {**FILES, "scores.csv": FILES["scores.csv"] + "p1,2022-10-01,alsfrs_r,52\n"}
    response = client.post("/registry/import/", {"archive": _zip(bad)})
    page = response.content.decode()
    assert response.status_code == 200 and "scores.csv:6 [total]" in page
    assert not Subject.objects.filter(origin=Subject.Origin.IMPORTED).exists()
    response = client.post("/registry/import/", {"archive": _zip(FILES)})
    assert response.status_code == 302
    assert Subject.objects.filter(origin=Subject.Origin.IMPORTED).count() == 2
    assert AuditEvent.objects.filter(owner_key="p1", actor=world.editor).exists()


def test_import_page_refuses_a_non_zip(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.zip", b"not a zip")
    page = client_for(world.editor).post("/registry/import/", {"archive": upload})
    assert "not a .zip" in page.content.decode()
