"""The bulk CSV layout: read validates everything first, write is deterministic, round trip."""

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offlabel.evidence.vocabulary import Severity, TargetSpecies
from offlabel.registry.csv_read import read_registry_dir
from offlabel.registry.csv_write import write_registry_dir
from offlabel.registry.layout import COLUMNS
from offlabel.registry.problems import ProblemCode, RegistryImportError
from offlabel.registry.records import (
    EventRow,
    RegistryBundle,
    SideEffect,
    SubjectRow,
)
from offlabel.registry.validation import validate_records
from offlabel.registry.vocabulary import EventKind, Sex, Sod1Genotype
from offlabel.testing.registry_strategies import TODAY as STRATEGY_TODAY
from offlabel.testing.registry_strategies import registry_bundles

TODAY = dt.date(2025, 6, 1)

GOOD = {
    "subjects.csv": """subject_id,species,onset_date,birth_year,sex,breed,sod1
H1,human,2022-03-01,1960,female,,
D1,dog,2023-01-10,2014,male_neutered,Pembroke Welsh Corgi,A/A
D2,dog,2022-11-01,,unknown,,unknown
""",
    "treatments.csv": """subject_id,therapy,start_date,stop_date,dose,dose_unit,cost_per_month
H1,low-dose naltrexone,2022-06-01,,4.5,mg,35
D1,low-dose naltrexone,2023-03-01,2023-09-01,0.1,mg/kg,
D2,low-dose naltrexone,2023-01-01,,3,mg,20.5
""",
    "evaluations.csv": """subject_id,therapy,date,efficacy,side_effects
H1,low-dose naltrexone,2022-09-01,slight,vivid dreams:mild;insomnia
D1,low-dose naltrexone,2023-06-01,cant_tell,
""",
    "scores.csv": """subject_id,date,scale,total
H1,2022-06-01,alsfrs_r,42
H1,2022-12-01,alsfrs_r,37
D1,2023-02-01,dm_stage,1
D1,2023-02-01,dm_gait,5
""",
    "events.csv": """subject_id,event,date
D1,non_ambulatory,2023-10-01
D1,euthanasia,2024-02-01
H1,censored,2024-12-01
""",
}


def make_dir(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def problems_of(path: Path, **kwargs):
    with pytest.raises(RegistryImportError) as caught:
        read_registry_dir(path, TODAY, **kwargs)
    return [(p.file, p.line, p.column, p.code) for p in caught.value.problems]


def with_line(name: str, line: int, text: str) -> dict[str, str]:
    """GOOD with ``line`` (1-based) of ``name`` replaced by ``text``."""
    lines = GOOD[name].splitlines()
    lines[line - 1] = text
    return GOOD | {name: "\n".join(lines) + "\n"}


def test_valid_directory_reads_every_record(tmp_path):
    bundle = read_registry_dir(make_dir(tmp_path, GOOD), TODAY)
    assert [s.subject_id for s in bundle.subjects] == ["D1", "D2", "H1"]
    assert bundle.subjects[0] == SubjectRow(
        "D1", TargetSpecies.DOG, dt.date(2023, 1, 10), 2014, Sex.MALE_NEUTERED,
        "Pembroke Welsh Corgi", Sod1Genotype.AA,
    )  # fmt: skip
    assert bundle.evaluations[1].side_effects == (
        SideEffect("vivid dreams", Severity.MILD),
        SideEffect("insomnia"),
    )
    assert (len(bundle.treatments), len(bundle.scores), len(bundle.events)) == (3, 4, 3)


def test_one_bad_line_is_reported_with_file_line_and_column_and_nothing_is_returned(tmp_path):
    files = with_line("scores.csv", 4, "D1,2023-02-31,dm_stage,1")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("scores.csv", 4, "date", ProblemCode.BAD_FORMAT)
    ]


def test_error_message_names_file_line_column_and_value(tmp_path):
    files = with_line("treatments.csv", 3, "D1,low-dose naltrexone,2023-03-01,,0.1,mg/day,")
    with pytest.raises(RegistryImportError) as caught:
        read_registry_dir(make_dir(tmp_path, files), TODAY)
    assert "treatments.csv:3 [dose_unit]: 'mg/day' is not one of: mg, mg/kg" in str(caught.value)


def test_line_numbers_count_the_header_and_blank_lines(tmp_path):
    files = GOOD | {"events.csv": "subject_id,event,date\n\nD1,flying,2023-10-01\n"}
    assert problems_of(make_dir(tmp_path, files)) == [
        ("events.csv", 3, "event", ProblemCode.BAD_CHOICE)
    ]


def test_line_numbers_follow_quoted_fields_spanning_lines(tmp_path):
    files = GOOD | {
        "evaluations.csv": "subject_id,therapy,date,efficacy,side_effects\n"
        'H1,low-dose naltrexone,2022-09-01,slight,"vivid\ndreams"\n'
        "H1,low-dose naltrexone,2022-10-01,superb,\n"
    }
    assert problems_of(make_dir(tmp_path, files)) == [
        ("evaluations.csv", 4, "efficacy", ProblemCode.BAD_CHOICE)
    ]


def test_missing_and_unknown_header_columns_are_reported_on_line_1(tmp_path):
    files = GOOD | {"scores.csv": "subject_id,date,scale,score\nH1,2022-06-01,alsfrs_r,42\n"}
    assert problems_of(make_dir(tmp_path, files)) == [
        ("scores.csv", 1, "score", ProblemCode.HEADER),
        ("scores.csv", 1, "total", ProblemCode.HEADER),
    ]


def test_columns_may_come_in_any_order(tmp_path):
    files = GOOD | {"events.csv": "date,subject_id,event\n2023-10-01,D1,non_ambulatory\n"}
    bundle = read_registry_dir(make_dir(tmp_path, files), TODAY)
    assert bundle.events == (EventRow("D1", EventKind.NON_AMBULATORY, dt.date(2023, 10, 1)),)


def test_row_with_too_many_cells_is_reported(tmp_path):
    files = with_line("scores.csv", 2, "H1,2022-06-01,alsfrs_r,42,extra")
    assert problems_of(make_dir(tmp_path, files)) == [("scores.csv", 2, "", ProblemCode.ROW_SHAPE)]


def test_subjects_csv_is_required(tmp_path):
    files = {k: v for k, v in GOOD.items() if k != "subjects.csv"}
    assert problems_of(make_dir(tmp_path, files)) == [
        ("subjects.csv", 0, "", ProblemCode.MISSING_FILE)
    ]


def test_optional_files_may_be_missing(tmp_path):
    bundle = read_registry_dir(make_dir(tmp_path, {"subjects.csv": GOOD["subjects.csv"]}), TODAY)
    assert len(bundle.subjects) == 3 and bundle.events == () and bundle.treatments == ()


def test_unknown_subject_reference_is_reported(tmp_path):
    files = with_line("scores.csv", 3, "H7,2022-12-01,alsfrs_r,37")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("scores.csv", 3, "subject_id", ProblemCode.UNKNOWN_REFERENCE)
    ]


def test_references_to_a_subject_with_a_bad_line_are_not_reported_twice(tmp_path):
    files = with_line("subjects.csv", 2, "H1,human,2022-03-xx,1960,female,,")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("subjects.csv", 2, "onset_date", ProblemCode.BAD_FORMAT)
    ]


def test_duplicate_subject_id_is_reported(tmp_path):
    files = GOOD | {"subjects.csv": GOOD["subjects.csv"] + "D2,dog,2022-11-01,,unknown,,N/N\n"}
    assert problems_of(make_dir(tmp_path, files)) == [
        ("subjects.csv", 5, "subject_id", ProblemCode.DUPLICATE)
    ]


def test_score_before_onset_is_reported_across_files(tmp_path):
    files = with_line("scores.csv", 2, "H1,2022-02-01,alsfrs_r,42")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("scores.csv", 2, "date", ProblemCode.BEFORE_ONSET)
    ]


def test_score_after_the_last_contact_is_reported_across_files(tmp_path):
    files = with_line("events.csv", 4, "H1,censored,2022-10-01")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("scores.csv", 3, "date", ProblemCode.AFTER_END)
    ]


def test_mg_per_kg_for_a_person_is_reported(tmp_path):
    files = with_line("treatments.csv", 2, "H1,low-dose naltrexone,2022-06-01,,0.05,mg/kg,")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("treatments.csv", 2, "dose_unit", ProblemCode.WRONG_SPECIES)
    ]


def test_implausible_dose_needs_confirmation_and_is_accepted_once_confirmed(tmp_path):
    files = with_line("treatments.csv", 2, "H1,low-dose naltrexone,2022-06-01,,45,mg,")
    directory = make_dir(tmp_path, files)
    with pytest.raises(RegistryImportError) as caught:
        read_registry_dir(directory, TODAY)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("treatments.csv", 2, "dose")
    assert problem.needs_confirmation and caught.value.needs_confirmation_only
    bundle = read_registry_dir(directory, TODAY, confirm_implausible=True)
    assert 45.0 in [t.dose for t in bundle.treatments]


def test_confirming_does_not_accept_real_errors(tmp_path):
    files = with_line("treatments.csv", 2, "H1,low-dose naltrexone,2022-06-01,2022-01-01,45,mg,")
    assert problems_of(make_dir(tmp_path, files), confirm_implausible=True) == [
        ("treatments.csv", 2, "stop_date", ProblemCode.DATE_ORDER)
    ]


def test_dates_in_the_future_are_reported(tmp_path):
    files = with_line("evaluations.csv", 3, "D1,low-dose naltrexone,2025-07-01,none,")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("evaluations.csv", 3, "date", ProblemCode.FUTURE_DATE)
    ]


def test_unknown_side_effect_severity_is_reported(tmp_path):
    files = with_line("evaluations.csv", 3, "D1,low-dose naltrexone,2023-06-01,none,nausea:awful")
    assert problems_of(make_dir(tmp_path, files)) == [
        ("evaluations.csv", 3, "side_effects", ProblemCode.BAD_CHOICE)
    ]


def test_every_problem_in_every_file_is_reported_in_one_pass(tmp_path):
    files = with_line("scores.csv", 2, "H1,2022-06-01,alsfrs_r,49") | {
        "events.csv": "subject_id,event,date\nH1,euthanasia,2024-01-01\n"
    }
    files = files | {"subjects.csv": files["subjects.csv"].replace("female,,\n", "female,,N/N\n")}
    assert problems_of(make_dir(tmp_path, files)) == [
        ("subjects.csv", 2, "sod1", ProblemCode.NOT_ALLOWED),
        ("scores.csv", 2, "total", ProblemCode.OUT_OF_RANGE),
        ("events.csv", 2, "event", ProblemCode.WRONG_SPECIES),
    ]


def test_not_utf8_is_reported_with_its_line(tmp_path):
    make_dir(tmp_path, GOOD)
    (tmp_path / "treatments.csv").write_bytes(
        GOOD["treatments.csv"].encode() + b"D1,caf\xe9,2023-01-01,,,,\n"
    )
    assert problems_of(tmp_path) == [("treatments.csv", 5, "", ProblemCode.UNREADABLE)]


def test_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path):
    make_dir(tmp_path, GOOD)
    crlf = GOOD["subjects.csv"].replace("\n", "\r\n")
    (tmp_path / "subjects.csv").write_bytes(b"\xef\xbb\xbf" + crlf.encode())
    assert len(read_registry_dir(tmp_path, TODAY).subjects) == 3


def test_a_path_that_is_not_a_directory_is_reported(tmp_path):
    assert problems_of(tmp_path / "nowhere") == [
        (str(tmp_path / "nowhere"), 0, "", ProblemCode.MISSING_FILE)
    ]


def test_written_files_have_the_documented_headers(tmp_path):
    write_registry_dir(RegistryBundle(), tmp_path)
    for name, columns in COLUMNS.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == ",".join(columns) + "\n"


def test_write_then_read_round_trips(tmp_path):
    bundle = read_registry_dir(make_dir(tmp_path / "in", GOOD), TODAY)
    write_registry_dir(bundle, tmp_path / "out")
    assert read_registry_dir(tmp_path / "out", TODAY) == bundle


def test_writing_is_deterministic_whatever_the_record_order(tmp_path):
    bundle = read_registry_dir(make_dir(tmp_path / "in", GOOD), TODAY)
    shuffled = RegistryBundle(*(tuple(reversed(getattr(bundle, f))) for f in bundle.__slots__))
    write_registry_dir(bundle, tmp_path / "a")
    write_registry_dir(shuffled, tmp_path / "b")
    for name in COLUMNS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


# -- property-based ---------------------------------------------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registry_bundles())
def test_any_valid_bundle_round_trips_through_the_files(bundle):
    """import(export(x)) == x over every field the layout carries (items with missing values,
    notes with quotes and line breaks, courses one after another, milestones, consent)."""
    assert validate_records(**_tables(bundle), today=STRATEGY_TODAY) == [] or all(
        p.problem.needs_confirmation
        for p in validate_records(**_tables(bundle), today=STRATEGY_TODAY)
    )
    with tempfile.TemporaryDirectory() as tmp:
        write_registry_dir(bundle, tmp)
        assert (
            read_registry_dir(tmp, STRATEGY_TODAY, confirm_implausible=True) == bundle.canonical()
        )


def _tables(bundle):
    return {
        "subjects": bundle.subjects,
        "treatments": bundle.treatments,
        "evaluations": bundle.evaluations,
        "scores": bundle.scores,
        "events": bundle.events,
    }


cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["H1", "D1", "human", "dog", "2023-01-01", "2023-02-30", "4.5", "nan", "1e999", "mg/kg",
     "alsfrs_r", "49", "-1", "A/A", '"', "\r", "\n", ";:", "\x00"]
)  # fmt: skip


@st.composite
def garbage_files(draw):
    files = {}
    for name, columns in COLUMNS.items():
        if name != "subjects.csv" and draw(st.booleans()):
            continue
        if draw(st.booleans()):
            files[name] = draw(st.binary(max_size=200))
            continue
        header = list(columns) if draw(st.booleans()) else draw(st.lists(cell, max_size=8))
        rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(columns) + 1), max_size=5))
        text = "\n".join(",".join(r) for r in [header, *rows])
        files[name] = text.encode("utf-8", errors="surrogatepass")
    return files


@settings(max_examples=300, deadline=None)
@given(garbage_files())
def test_garbage_files_raise_only_registry_import_error(files):
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        try:
            bundle = read_registry_dir(tmp, TODAY)
        except RegistryImportError as exc:
            assert exc.problems
            assert all(p.file in COLUMNS and p.message for p in exc.problems)
        else:
            assert isinstance(bundle, RegistryBundle)


def test_example_in_csv_layout_md_reads_without_problems(tmp_path):
    doc = Path(__file__).resolve().parents[2] / "src/offlabel/registry/CSV_LAYOUT.md"
    text = doc.read_text(encoding="utf-8").split("## Example", 1)[1]
    files = dict(re.findall(r"^`(\w+\.csv)`\n\n```csv\n(.*?)```", text, re.M | re.S))
    assert set(files) == set(COLUMNS)
    bundle = read_registry_dir(make_dir(tmp_path, files), TODAY)
    assert len(bundle.subjects) == 2 and len(bundle.events) == 2
