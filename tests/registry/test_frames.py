"""Loading and validating a registry CSV directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offlabel.registry.frames import ids_in, load_registry
from offlabel.registry.problems import RegistryError
from tests.outcomes.builders import frames_of, seed_frames, write_registry


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    return write_registry(tmp_path / "registry", seed_frames())


def test_load_registry_parses_dates_and_types(seed_dir: Path) -> None:
    frames = load_registry(seed_dir)
    assert len(frames.subjects) == 35
    assert frames.treatments["start_date"].dtype == "datetime64[ns]"
    assert frames.evaluations["date"].min() == pd.Timestamp("2010-02-01")
    assert frames.evaluations["efficacy"].cat.ordered
    assert frames.treatments["cost_per_month"].max() == 300.0
    assert frames.source == str(seed_dir)


def test_missing_optional_files_read_as_empty_tables(seed_dir: Path) -> None:
    frames = load_registry(seed_dir)
    assert frames.scores.empty
    assert list(frames.events.columns) == ["subject_id", "event", "date"]


def test_missing_subjects_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=r"subjects\.csv is required"):
        load_registry(tmp_path)


def test_a_path_that_is_not_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not a directory"):
        load_registry(tmp_path / "nowhere")


def test_missing_required_column_names_file_and_column(seed_dir: Path) -> None:
    (seed_dir / "evaluations.csv").write_text("subject_id,therapy,date\nh01,LDN,2010-01-01\n")
    with pytest.raises(
        RegistryError, match=r"evaluations\.csv:1 \[efficacy\]: missing from the header"
    ):
        load_registry(seed_dir)


def test_bad_date_names_file_line_and_field(seed_dir: Path) -> None:
    (seed_dir / "scores.csv").write_text(
        "subject_id,date,scale,total\nh01,2010-01-01,alsfrs_r,40\nh01,2010-13-45,alsfrs_r,39\n"
    )
    with pytest.raises(RegistryError, match=r"scores\.csv:3 \[date\]: '2010-13-45' is not a date"):
        load_registry(seed_dir)


def test_unknown_efficacy_lists_the_allowed_values(seed_dir: Path) -> None:
    (seed_dir / "evaluations.csv").write_text(
        "subject_id,therapy,date,efficacy,side_effects\nh01,LDN,2010-01-01,great,\n"
    )
    with pytest.raises(
        RegistryError, match=r"evaluations\.csv:2 \[efficacy\]: 'great' is not one of"
    ):
        load_registry(seed_dir)


def test_missing_required_value_is_reported(seed_dir: Path) -> None:
    (seed_dir / "events.csv").write_text("subject_id,event,date\nd1,non_ambulatory,\n")
    with pytest.raises(RegistryError, match=r"events\.csv:2 \[date\]: a value is required"):
        load_registry(seed_dir)


def test_non_numeric_total_is_reported(seed_dir: Path) -> None:
    (seed_dir / "scores.csv").write_text("subject_id,date,scale,total\nh01,2010-01-01,alsfrs_r,x\n")
    with pytest.raises(RegistryError, match=r"scores\.csv:2 \[total\]: 'x' is not a whole number"):
        load_registry(seed_dir)


def test_record_for_unknown_subject_is_refused(seed_dir: Path) -> None:
    (seed_dir / "events.csv").write_text("subject_id,event,date\nghost,death,2012-01-01\n")
    with pytest.raises(
        RegistryError, match=r"events\.csv:2 \[subject_id\]: subject 'ghost' is not a known subject"
    ):
        load_registry(seed_dir)


def test_duplicate_subject_is_refused() -> None:
    subjects = pd.DataFrame(
        {
            "subject_id": ["a", "a"],
            "species": ["dog", "dog"],
            "onset_date": ["2020-01-01"] * 2,
            "sod1": "unknown",
        }
    )
    with pytest.raises(
        RegistryError,
        match=r"subjects\.csv:3 \[subject_id\]: subject id 'a' appears more than once",
    ):
        frames_of(subjects)


def test_empty_file_gets_a_clear_message(seed_dir: Path) -> None:
    (seed_dir / "scores.csv").write_text("")
    with pytest.raises(RegistryError, match="empty"):
        load_registry(seed_dir)


def test_tables_with_date_objects_and_covariates_become_typed_frames() -> None:
    frames = frames_of(
        pd.DataFrame(
            {
                "subject_id": ["p1"],
                "species": ["human"],
                "onset_date": [dt.date(2020, 1, 2)],
                "region": ["bulbar"],
            }
        )
    )
    assert frames.subjects.loc[0, "onset_date"] == pd.Timestamp("2020-01-02")
    assert frames.subjects.loc[0, "region"] == "bulbar"
    assert pd.isna(frames.subjects.loc[0, "breed"])


def test_therapy_names_match_case_insensitively(seed_dir: Path) -> None:
    frames = load_registry(seed_dir)
    assert frames.resolve_therapy("lDn") == ["LDN", "ldn"]
    assert frames.therapy_mask(frames.treatments, "LDN").sum() == 34
    with pytest.raises(RegistryError, match=r"therapies present: Curcumin, LDN, ldn"):
        frames.resolve_therapy("lithium")


def test_last_contact_is_the_latest_score_evaluation_or_event() -> None:
    frames = frames_of(
        pd.DataFrame(
            {"subject_id": ["d1"], "species": ["dog"], "onset_date": ["2020-01-01"], "sod1": "N/A"}
        ),
        pd.DataFrame({"subject_id": ["d1"], "therapy": ["LDN"], "start_date": ["2020-02-01"]}),
        evaluations=pd.DataFrame(
            {"subject_id": ["d1"], "therapy": ["LDN"], "date": ["2020-06-01"], "efficacy": ["none"]}
        ),
        scores=pd.DataFrame(
            {"subject_id": ["d1"], "date": ["2020-09-01"], "scale": ["dm_stage"], "total": [2]}
        ),
        events=pd.DataFrame(
            {"subject_id": ["d1"], "event": ["non_ambulatory"], "date": ["2020-07-01"]}
        ),
    )
    assert frames.last_contact()["d1"] == pd.Timestamp("2020-09-01")


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.text(alphabet="abc", max_size=3), max_size=30),
    st.lists(st.text(alphabet="abc", max_size=3), max_size=10),
)
def test_ids_in_agrees_with_pandas_isin(values: list[str], wanted: list[str]) -> None:
    column = pd.Series(values, dtype="string")
    expected = np.array([v in set(wanted) for v in values], dtype=bool)
    assert np.array_equal(ids_in(column, pd.Index(wanted, dtype="string")).to_numpy(), expected)
