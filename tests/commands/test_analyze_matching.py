"""``offlabel analyze matched-controls``: the JSON contract and clear errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.outcomes.simulate import simulate_registry
from offlabel.registry.csv_write import write_registry_dir


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    directory = tmp_path_factory.mktemp("registry")
    write_registry_dir(
        simulate_registry(n_people=1500, n_dogs=50, true_effect=0.6, seed=8).bundle, directory
    )
    return directory


def test_json_output_follows_the_contract(registry):
    result = CliRunner().invoke(
        main,
        [
            "analyze",
            "matched-controls",
            str(registry),
            "--therapy",
            "low-dose naltrexone",
            "--k",
            "2",
            "--followup-months",
            "9",
            "--seed",
            "4",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {
        "n_treated",
        "n_controls",
        "effect",
        "ci_low",
        "ci_high",
        "p_value",
        "balance",
        "caveats",
        # what the web's figures need too: one runner serves both
        "se",
        "k",
        "followup_months",
        "n_candidates",
        "ci_method",
        "pairs",
    }
    assert payload["ci_low"] < 0.6 < payload["ci_high"] and payload["ci_low"] > 0
    assert payload["n_treated"] > 50 and payload["n_controls"] > payload["n_treated"]
    assert all({"covariate", "smd_before", "smd_after"} <= set(row) for row in payload["balance"])


def test_text_output_shows_the_effect_and_the_balance_table(registry):
    result = CliRunner().invoke(
        main, ["analyze", "matched-controls", str(registry), "--therapy", "Low-dose naltrexone"]
    )
    assert result.exit_code == 0, result.output
    assert "slope difference" in result.output and "SMD after" in result.output
    assert "Caveats:" in result.output


def test_an_unknown_therapy_is_a_clear_error_not_a_traceback(registry):
    result = CliRunner().invoke(
        main, ["analyze", "matched-controls", str(registry), "--therapy", "Lithium", "--json"]
    )
    assert result.exit_code == 2
    assert "therapies present: Low-dose naltrexone" in result.output
    assert "Traceback" not in result.output


def test_a_missing_directory_and_a_bad_k_are_refused(tmp_path):
    missing = CliRunner().invoke(
        main, ["analyze", "matched-controls", str(tmp_path / "nope"), "--therapy", "x"]
    )
    assert missing.exit_code == 2 and "not a directory" in missing.output
    bad_k = CliRunner().invoke(
        main, ["analyze", "matched-controls", str(tmp_path), "--therapy", "x", "--k", "0"]
    )
    assert bad_k.exit_code == 2 and "--k" in bad_k.output
