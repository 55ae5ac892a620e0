"""The bulk layout carries everything entered; files of the layout's first version still read."""

import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from offlabel.registry.csv_read import read_deidentified_dir, read_registry_dir
from offlabel.registry.csv_write import write_deidentified_dir, write_registry_dir
from offlabel.registry.deidentify import dated_on_epoch, deidentify
from offlabel.registry.layout import ALSFRS_R_ITEM_COLUMNS, COLUMNS, OPTIONAL_COLUMNS
from offlabel.registry.problems import RegistryImportError
from offlabel.registry.vocabulary import ItemMissing
from offlabel.testing.registry_strategies import TODAY, registry_bundles

SALT = "a salt of at least sixteen bytes"

FIRST_VERSION = {
    "subjects.csv": "subject_id,species,onset_date,birth_year,sex,breed,sod1\n"
    "H1,human,2022-03-01,1960,female,,\n",
    "scores.csv": "subject_id,date,scale,total\nH1,2022-06-01,alsfrs_r,42\n",
}
ITEMS = ",".join(ALSFRS_R_ITEM_COLUMNS)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_file_of_the_first_layout_reads_with_every_new_column_empty(tmp_path):
    bundle = read_registry_dir(write(tmp_path, FIRST_VERSION), TODAY)
    [subject] = bundle.subjects
    assert subject.diagnosis_date is None and subject.consent_scope == ""
    assert bundle.scores[0].total == 42 and bundle.scores[0].items == ()


def test_every_added_column_is_optional():
    for name, columns in COLUMNS.items():
        first = {"subject_id", "species", "onset_date", "therapy", "start_date", "date",
                 "efficacy", "scale", "total", "event"}  # fmt: skip
        assert set(columns) - first <= OPTIONAL_COLUMNS[name] | {"total"}


def _scores(row: str) -> dict[str, str]:
    header = f"subject_id,date,scale,total,{ITEMS},bulbar,limb,respiratory\n"
    return {**FIRST_VERSION, "scores.csv": header + row}


def test_items_with_not_done_have_no_total_and_subscores_only_where_complete(tmp_path):
    row = "H1,2022-06-01,alsfrs_r,,4,4,4,4,4,,4,4,4,4,not_done,4,4,12,24,\n"
    bundle = read_registry_dir(write(tmp_path, _scores(row)), TODAY)
    score = bundle.scores[0]
    assert score.total is None and score.item_map["10"] is ItemMissing.NOT_DONE
    with tempfile.TemporaryDirectory() as out:
        write_registry_dir(bundle, out)
        line = (Path(out) / "scores.csv").read_text().splitlines()[1]
    assert line.endswith(",not_done,4,4,12,24,")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("H1,2022-06-01,alsfrs_r,48,4,4,4,4,4,,4,4,4,4,not_done,4,4,,,\n", "item 10 is not scored"),
        ("H1,2022-06-01,alsfrs_r,,4,4,4,4,4,,4,4,4,4,4,4,4,,,\n", "every item is scored (sum 48)"),
        ("H1,2022-06-01,alsfrs_r,48,4,4,4,4,4,,4,4,4,4,4,4,4,11,24,12\n", "subscore 11 does not"),
        ("H1,2022-06-01,alsfrs_r,48,4,4,4,4,4,,4,4,4,4,4,4,5x,,,\n", "is not a score 0–4"),
        ("H1,2022-06-01,alsfrs_r,,,,,,,,,,,,,,,12,,\n", "only with every ALSFRS-R item"),
    ],
)  # fmt: skip
def test_items_subscores_and_total_that_disagree_are_reported_on_the_line(tmp_path, row, message):
    with pytest.raises(RegistryImportError) as caught:
        read_registry_dir(write(tmp_path, _scores(row)), TODAY)
    assert any(
        p.file == "scores.csv" and p.line == 2 and message in p.message
        for p in caught.value.problems
    ), caught.value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry_bundles())
def test_the_deidentified_files_round_trip_and_keep_every_structured_field(bundle):
    deidentified = deidentify(bundle, SALT)
    with tempfile.TemporaryDirectory() as tmp:
        write_deidentified_dir(deidentified, tmp)
        # read back as records dated from the epoch, as the analyses read them
        assert read_deidentified_dir(tmp).canonical() == dated_on_epoch(deidentified).canonical()
    dated = dated_on_epoch(deidentified)
    items = sorted(repr(s.items) for s in bundle.scores)
    assert sorted(repr(s.items) for s in dated.scores) == items
    adherence = sorted(str(e.adherence) for e in bundle.evaluations)
    assert sorted(str(e.adherence) for e in dated.evaluations) == adherence


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry_bundles())
def test_no_free_text_that_could_name_someone_reaches_the_deidentified_files(bundle):
    deidentified = deidentify(bundle, SALT)
    fields = {f.name for cls in (type(deidentified.subjects[0]),) for f in dataclasses.fields(cls)}
    assert not fields & {"diagnosis_confirmed_by", "consent_scope", "consent_date"}
    for t in deidentified.treatments:
        assert not hasattr(t, "reason_stopped") and not hasattr(t, "frequency")
    for e in deidentified.evaluations:
        assert not hasattr(e, "notes")
    assert all(d.onset_day == 0 for d in deidentified.subjects)
