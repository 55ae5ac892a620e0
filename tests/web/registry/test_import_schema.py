"""Import validation derived from the models: every length, range and choice of a field an
import writes, and a NUL in any cell, is a located problem; nothing is saved, no DataError."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from offlabel.cli import main
from offlabel.registry.layout import COLUMNS
from offlabel.registry.problems import RegistryImportError
from offlabel.registry.schema import SEVERITY_OF_SIDE_EFFECTS
from offlabel.web.registry.models import Evaluation, Milestone, SideEffect, Subject
from offlabel.web.registry.services import registry_import
from offlabel.web.registry.services.importing import NOT_ONE_FIELD, STORED_IN, import_schema

BASE = {
    "subjects.csv": {
        "subject_id": "d1", "species": "dog", "onset_date": "2022-01-01", "birth_year": "2015",
        "sex": "male", "breed": "Boxer", "sod1": "A/A", "diagnosis_date": "2022-02-01",
        "diagnosis_confirmed_by": "a neurologist", "weight_kg": "30",
    },
    "treatments.csv": {
        "subject_id": "d1", "therapy": "LDN", "start_date": "2022-03-01",
        "frequency": "once a day", "reason_stopped": "",
    },
    "evaluations.csv": {
        "subject_id": "d1", "therapy": "LDN", "date": "2022-04-01", "efficacy": "none",
        "side_effects": "nausea:mild", "notes": "fine",
    },
    "scores.csv": {"subject_id": "d1", "date": "2022-04-01", "scale": "dm_stage", "total": "1"},
    "events.csv": {"subject_id": "d1", "event": "non_ambulatory", "date": "2022-06-01"},
}  # fmt: skip


def _write(directory: Path, changes: dict[tuple[str, str], str] | None = None) -> Path:
    for name, row in BASE.items():
        values = {c: row.get(c, "") for c in COLUMNS[name]}
        for (file, column), value in (changes or {}).items():
            if file == name:
                values[column] = value
        with (directory / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS[name])
            writer.writerow([values[c] for c in COLUMNS[name]])
    return directory


def _problems(directory: Path) -> list:
    with pytest.raises(RegistryImportError) as refused:
        registry_import(directory=directory, by=None)
    assert not Subject.all_objects.filter(public_id="d1").exists()
    return list(refused.value.problems)


def test_the_base_files_import(db, tmp_path):
    summary = registry_import(directory=_write(tmp_path), by=None)
    assert (summary.subjects, summary.treatments, summary.evaluations) == (1, 1, 1)
    assert (summary.scores, summary.events) == (1, 1)


def test_every_column_is_stored_in_a_field_or_declared_otherwise():
    for name, columns in COLUMNS.items():
        covered = set(STORED_IN[name]) | NOT_ONE_FIELD[name]
        assert set(columns) - covered == set(), name
        assert set(STORED_IN[name]) - {SEVERITY_OF_SIDE_EFFECTS} <= set(columns), name


def _cases(kind: str) -> list[tuple[str, str, object]]:
    schema = import_schema()
    found = []
    for file, rules in schema.items():
        for column, rule in rules.items():
            if column == SEVERITY_OF_SIDE_EFFECTS:
                continue
            if kind == "length" and rule.max_length is not None:
                found.append((file, column, rule.max_length))
            if kind == "text" and rule.max_length is not None and rule.choices is None:
                found.append((file, column, rule.max_length))
            if kind == "range" and rule.maximum is not None:
                found.append((file, column, rule.maximum))
    return found


def test_the_schema_has_the_models_limits():
    schema = import_schema()
    assert schema["subjects.csv"]["breed"].max_length == 80
    assert schema["treatments.csv"]["therapy"].max_length == 120
    assert schema["evaluations.csv"]["side_effects"].max_length == 80
    # the database's own range of the column (SQLite stores every integer in 64 bits)
    small = connection.ops.integer_field_range("SmallIntegerField")
    positive_small = connection.ops.integer_field_range("PositiveSmallIntegerField")
    assert schema["subjects.csv"]["birth_year"].maximum == positive_small[1]
    assert schema["scores.csv"]["total"].minimum == small[0]
    if connection.vendor == "postgresql":
        assert (small, positive_small[1]) == ((-32768, 32767), 32767)
    assert "death" in schema["events.csv"]["event"].choices
    assert len(_cases("length")) >= 15


@pytest.mark.parametrize(("file", "column", "limit"), _cases("length"))
def test_a_value_one_longer_than_its_field_is_a_located_problem(db, tmp_path, file, column, limit):
    value = "x" * (limit + 1)
    if column == "side_effects":
        value += ":mild"
    problems = _problems(_write(tmp_path, {(file, column): value}))
    here = [p for p in problems if (p.file, p.line, p.column) == (file, 2, column)]
    assert here, problems
    assert str(here[0]).startswith(f"{file}:2 [{column}]")


# an id has its own pattern, an evaluation's therapy must name a course: reported first
_OWN_MESSAGE = {("subjects.csv", "subject_id"), ("evaluations.csv", "therapy")}


@pytest.mark.parametrize(
    ("file", "column", "limit"), [c for c in _cases("text") if c[:2] not in _OWN_MESSAGE]
)
def test_free_text_one_longer_than_its_field_says_how_long(db, tmp_path, file, column, limit):
    value = "x" * (limit + 1) + (":mild" if column == "side_effects" else "")
    problems = _problems(_write(tmp_path, {(file, column): value}))
    here = [p for p in problems if (p.file, p.line, p.column) == (file, 2, column)]
    assert any(f"at most {limit} fit" in p.message for p in here), problems


@pytest.mark.parametrize(("file", "column", "limit"), _cases("range"))
def test_a_number_past_its_column_range_is_a_located_problem(db, tmp_path, file, column, limit):
    problems = _problems(_write(tmp_path, {(file, column): str(int(limit) + 1)}))
    assert any((p.file, p.line, p.column) == (file, 2, column) for p in problems), problems


ALL_CELLS = [(name, column) for name, columns in COLUMNS.items() for column in columns]


@pytest.mark.parametrize(("file", "column"), ALL_CELLS)
def test_a_nul_in_any_cell_is_a_located_problem(db, tmp_path, file, column):
    problems = _problems(_write(tmp_path, {(file, column): "a\x00b"}))
    here = [p for p in problems if (p.file, p.line, p.column) == (file, 2, column)]
    assert any("NUL" in p.message for p in here), problems


def test_a_narrower_model_field_narrows_the_import(db, tmp_path, monkeypatch):
    monkeypatch.setattr(Subject._meta.get_field("breed"), "max_length", 4)
    problems = _problems(_write(tmp_path, {("subjects.csv", "breed"): "Corgi"}))
    assert [str(p) for p in problems] == [
        "subjects.csv:2 [breed]: is 5 characters long; at most 4 fit"
    ]
    monkeypatch.undo()
    field = Milestone._meta.get_field("event")
    monkeypatch.setattr(field, "choices", [c for c in field.choices if c[0] != "non_ambulatory"])
    problems = _problems(_write(tmp_path))
    assert [(p.file, p.column) for p in problems] == [("events.csv", "event")]
    assert "'non_ambulatory' is not one of" in problems[0].message


def test_side_effect_severity_follows_the_model(db, tmp_path, monkeypatch):
    field = SideEffect._meta.get_field("severity")
    monkeypatch.setattr(field, "choices", [c for c in field.choices if c[0] != "mild"])
    problems = _problems(_write(tmp_path))
    assert [(p.file, p.column) for p in problems] == [("evaluations.csv", "side_effects")]
    assert not Evaluation.objects.exists()


FINDINGS = {
    "breed > 80": ("subjects.csv", "breed", "b" * 81),
    "side effect > 80": ("evaluations.csv", "side_effects", "s" * 81),
    "therapy > 120": ("treatments.csv", "therapy", "t" * 121),
    "NUL in a subject id": ("subjects.csv", "subject_id", "d\x001"),
    "NUL in a breed": ("subjects.csv", "breed", "Box\x00er"),
    "NUL in a therapy": ("treatments.csv", "therapy", "L\x00DN"),
    "NUL in a side effect": ("evaluations.csv", "side_effects", "nau\x00sea"),
    "NUL in a note": ("evaluations.csv", "notes", "\x00"),
    "NUL in a total": ("scores.csv", "total", "1\x00"),
    "NUL in an event": ("events.csv", "event", "death\x00"),
    "NUL in a frequency": ("treatments.csv", "frequency", "daily\x00"),
}


@pytest.mark.parametrize("case", FINDINGS)
def test_the_command_line_reports_the_audit_cases_without_a_traceback(db, tmp_path, case):
    file, column, value = FINDINGS[case]
    result = CliRunner().invoke(
        main, ["registry", "import", str(_write(tmp_path, {(file, column): value}))]
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert f"{file}:2 [{column}]" in result.output
    assert "nothing imported" in result.output
    assert not Subject.all_objects.filter(public_id="d1").exists()


@pytest.mark.parametrize("case", FINDINGS)
def test_the_upload_page_reports_the_audit_cases(world, client_for, tmp_path, case):
    import io
    import zipfile

    file, column, value = FINDINGS[case]
    directory = _write(tmp_path, {(file, column): value})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in directory.glob("*.csv"):
            archive.write(path, path.name)
    response = client_for(world.editor).post(
        reverse("registry:import"), {"archive": SimpleUploadedFile("r.zip", buffer.getvalue())}
    )
    assert response.status_code == 200
    assert f"{file}:2 [{column}]" in response.content.decode()
    assert not Subject.all_objects.filter(public_id="d1").exists()
