"""``offlabel grade`` through click's test runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from offlabel.cli import main

ITEMS = [
    {
        "category": "trials",
        "species": "human",
        "target_species": "human",
        "design": "uncontrolled_trial",
        "quality": "flawed",
        "direction": "benefit",
        "verified": False,
        "n": 12,
    },
    {
        "category": "preclinical",
        "species": "mouse",
        "target_species": "human",
        "design": "animal_study",
        "quality": "well_designed",
        "direction": "benefit",
        "verified": True,
        "n": None,
    },
    {
        "category": "trials",
        "species": "dog",
        "target_species": "human",
        "design": "rct",
        "quality": "well_designed",
        "direction": "benefit",
        "verified": True,
        "n": 30,
    },
]


@pytest.fixture
def runner():
    return CliRunner()


def write(tmp_path, content, name="evidence.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return str(path)


def test_grade_json_prints_one_entry_per_category(runner, tmp_path):
    result = runner.invoke(main, ["grade", write(tmp_path, ITEMS), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "mechanism": {"grade": "U", "rule": "mechanism.U", "items": []},
        "preclinical": {"grade": "A", "rule": "preclinical.A", "items": [1, 2]},
        "cases": {"grade": "U", "rule": "cases.U", "items": []},
        "trials": {"grade": "D", "rule": "trials.D", "items": [0]},
        "risks": {"grade": "U", "rule": "risks.U", "items": []},
    }


def test_grade_prints_a_readable_table(runner, tmp_path):
    result = runner.invoke(main, ["grade", write(tmp_path, ITEMS)])
    assert result.exit_code == 0, result.output
    assert "rubric default-v1" in result.output
    assert "Pre-clinical  A      preclinical.A  1, 2" in result.output
    assert "Trials D: One or more peer-reviewed publications report benefit" in result.output


def test_grade_uses_another_rubric_file(runner, tmp_path):
    from importlib import resources

    text = resources.files("offlabel.evidence.rubrics").joinpath("default-v1.toml").read_text()
    # A stricter local rubric: Trials D needs two flawed trials reporting benefit.
    head, sep, tail = text.replace('"default-v1"', '"strict-1"').partition(
        'category = "trials"\ngrade = "D"'
    )
    old = 'min_count = 1, where = { direction = ["benefit", "mixed"]'
    assert sep and old in tail
    text = head + sep + tail.replace(old, old.replace("1", "2"), 1)
    rubric = write(tmp_path, text, "strict.toml")
    result = runner.invoke(main, ["grade", write(tmp_path, ITEMS), "--rubric", rubric, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["trials"] == {"grade": "U", "rule": "trials.U", "items": []}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[{]",
            "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 3)",
        ),
        ({"items": ITEMS}, "expected a list of evidence items, got an object"),
        ([ITEMS[0], 7], "item 1: expected an object with keys category"),
        (
            [ITEMS[0], {**ITEMS[1], "design": "anecdote"}],
            "item 1, field 'design': 'anecdote' is not one of",
        ),
        ([{**ITEMS[0], "verified": "yes"}], "item 0, field 'verified': must be true or false"),
        (
            [{k: v for k, v in ITEMS[0].items() if k != "direction"}],
            "item 0, field 'direction': missing",
        ),
    ],
)
def test_bad_evidence_files_exit_2_with_a_clear_message(runner, tmp_path, content, message):
    path = write(tmp_path, content)
    result = runner.invoke(main, ["grade", path, "--json"])
    assert result.exit_code == 2
    assert f"Error: {path}: {message}" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_binary_file_is_rejected(runner, tmp_path):
    path = tmp_path / "evidence.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(main, ["grade", str(path)])
    assert result.exit_code == 2
    assert "not a UTF-8 text file" in result.output


def test_a_bad_rubric_file_exits_2_naming_the_problem(runner, tmp_path):
    rubric = write(
        tmp_path, 'schema = 1\nversion = "x"\n[[level]]\ncategory = "trials"\n', "r.toml"
    )
    result = runner.invoke(main, ["grade", write(tmp_path, ITEMS), "--rubric", rubric])
    assert result.exit_code == 2
    assert "r.toml: level entry 1: 'grade' is missing" in result.output


def test_a_missing_evidence_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["grade", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
