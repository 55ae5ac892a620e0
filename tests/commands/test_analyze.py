"""``offlabel analyze …``: the JSON contract, readable text and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from lifelines.datasets import load_waltons

from offlabel.cli import main
from tests.outcomes.builders import alsfrs_frames, seed_frames, survival_frames, write_registry

pytestmark = pytest.mark.filterwarnings("ignore:Starting with pandas version 4.0")


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_registry(tmp_path_factory.mktemp("seed"), seed_frames())


@pytest.fixture(scope="module")
def dogs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    waltons = load_waltons()
    frames = survival_frames(waltons["T"], waltons["E"], waltons["group"] == "miR-137")
    frames["subjects"]["birth_year"] = 2008 + np.arange(len(waltons)) % 5
    frames["subjects"]["breed"] = np.where(np.arange(len(waltons)) % 2, "Boxer", "Corgi")
    return write_registry(tmp_path_factory.mktemp("dogs"), frames)


@pytest.fixture(scope="module")
def people_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frames = alsfrs_frames(30, seed=4)
    # half the people never start a therapy: they make the natural-history sample
    frames["treatments"] = frames["treatments"].iloc[::2]
    return write_registry(tmp_path_factory.mktemp("people"), frames)


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["analyze", *map(str, args)])
    return result.exit_code, result.output


def test_evaluations_json_follows_the_contract(seed_dir: Path) -> None:
    code, out = _run("evaluations", seed_dir, "--therapy", "ldn", "--species", "human", "--json")
    assert code == 0, out
    payload = json.loads(out)
    assert (payload["n_reporting"], payload["n_evaluating"]) == (31, 15)
    assert set(payload["levels"]) == {"none", "slight", "moderate", "major", "cant_tell"}
    assert round(payload["levels"]["moderate"]["pct"]) == 27
    assert set(payload["levels"]["none"]) == {"n", "pct", "ci_low", "ci_high"}
    assert {"name": "nausea", "n": 1} in payload["side_effects"]
    assert payload["cost_per_month"] == {"min": 25.0, "median": 37.0, "max": 49.0, "n": 31}
    assert payload["dose"][0]["unit"] == "mg"
    assert payload["caveats"]


def test_evaluations_text_is_readable(seed_dir: Path) -> None:
    code, out = _run("evaluations", seed_dir, "--therapy", "LDN", "--species", "human")
    assert code == 0, out
    assert "LDN: 31 reporting, 15 evaluating (human)" in out
    assert "moderate       4    27%" in out
    assert "Cost per month: 25 to 49" in out


def test_survival_json_follows_the_contract(dogs_dir: Path) -> None:
    code, out = _run(
        "survival", dogs_dir, "--therapy", "LDN", "--event", "non_ambulatory",
        "--covariates", "age_at_onset,breed", "--json",
    )  # fmt: skip
    assert code == 0, out
    payload = json.loads(out)
    assert payload["groups"]["treated"]["n"] == 34
    assert payload["groups"]["untreated"]["median_days"] == 58.0
    assert len(payload["groups"]["treated"]["median_ci"]) == 2
    assert "logrank_p" not in payload and "cox" not in payload
    primary = payload["primary"]
    assert {"method", "hr", "ci_low", "ci_high", "p", "covariates"} <= set(primary)
    assert primary["hr"] > 1
    assert primary["covariates"] == ["age_at_onset", "breed[Boxer]"]
    assert "time-varying" in primary["method"]


def test_survival_text_names_the_model(dogs_dir: Path) -> None:
    code, out = _run("survival", dogs_dir, "--therapy", "ldn", "--landmark-days", "10")
    assert code == 0, out
    assert "landmark at 10 days" in out
    assert "Primary: hazard ratio" in out and "Log-rank" not in out


def test_stability_json(people_dir: Path) -> None:
    code, out = _run("stability", people_dir, "--months", "6", "--json")
    assert code == 0, out
    payload = json.loads(out)
    assert payload["n"] == 15  # treated people start before their six-month score
    assert payload["reference"]["pct"] == 25.0
    assert payload["sentence"].startswith("Natural history:")


def test_power_json_for_slope_and_survival(people_dir: Path, dogs_dir: Path) -> None:
    code, out = _run(
        "power", people_dir, "--outcome", "slope", "--effect", "0.25", "--sd", "0.5", "--json"
    )
    assert code == 0, out
    assert json.loads(out)["n_per_arm"] == 64
    code, out = _run(
        "power", dogs_dir, "--outcome", "survival", "--hazard-ratio", "0.5",
        "--followup-days", "60", "--entry-days", "0", "--json",
    )  # fmt: skip
    assert code == 0, out
    payload = json.loads(out)
    assert payload["events"] == 66
    assert 0 < payload["inputs"]["event_probability"] <= 1


def test_missing_directory_exits_2_with_a_message(tmp_path: Path) -> None:
    code, out = _run("evaluations", tmp_path / "nope", "--therapy", "LDN")
    assert code == 2
    assert "not a directory" in out


def test_unknown_therapy_exits_2_listing_the_known_ones(seed_dir: Path) -> None:
    code, out = _run("evaluations", seed_dir, "--therapy", "lithium", "--json")
    assert code == 2
    assert "no course or evaluation of therapy 'lithium'" in out
    assert "Curcumin" in out


def test_bad_row_exits_2_naming_file_line_and_field(tmp_path: Path) -> None:
    frames = seed_frames()
    frames["evaluations"].loc[3, "efficacy"] = "wonderful"
    directory = write_registry(tmp_path / "bad", frames)
    code, out = _run("evaluations", directory, "--therapy", "LDN")
    assert code == 2
    assert "evaluations.csv:5 [efficacy]: 'wonderful' is not one of" in out
    assert "Traceback" not in out


def test_power_without_an_effect_exits_2(people_dir: Path) -> None:
    code, out = _run("power", people_dir, "--outcome", "slope")
    assert code == 2
    assert "needs --effect or --relative-effect" in out


def test_analyze_is_listed_by_the_root_command() -> None:
    result = CliRunner().invoke(main, ["analyze", "--help"])
    assert result.exit_code == 0
    for name in ("evaluations", "survival", "stability", "power"):
        assert name in result.output


def test_written_registry_round_trips_dates(seed_dir: Path) -> None:
    text = (seed_dir / "treatments.csv").read_text().splitlines()
    assert text[1].split(",")[2] == "2010-01-01"
    assert pd.read_csv(seed_dir / "subjects.csv").shape == (35, 7)


def test_progression_json_reports_the_change_in_slope(people_dir: Path) -> None:
    code, out = _run("progression", people_dir, "--therapy", "ldn", "--json")
    assert code == 0, out
    payload = json.loads(out)
    assert payload["n_subjects"] == 15
    assert payload["description_only"] is True
    assert "p_value" not in payload and "change" not in payload
    assert payload["caveats"][0].startswith("Before–after description")
