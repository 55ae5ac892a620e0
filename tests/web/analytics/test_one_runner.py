"""``offlabel analyze …`` and the web give identical results on the same data: one runner.

The web reads the registry from the database, de-identified; the command line reads what
``offlabel registry export --deidentified`` wrote from the same database. Both go through
:func:`offlabel.outcomes.runner.run` with its one set of defaults.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.outcomes.runner import Analysis

pytestmark = pytest.mark.django_db

THERAPY = "Low-dose naltrexone"


@pytest.fixture
def exported(registry: Any, tmp_path: Path) -> Path:
    out = tmp_path / "deidentified"
    result = CliRunner().invoke(main, ["registry", "export", str(out), "--deidentified"])
    assert result.exit_code == 0, result.output
    return out


def _cli(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["analyze", *args, "--json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.output)
    return payload


def _web_run(topic: Any, kind: Analysis, params: dict[str, Any], by: Any) -> dict[str, Any]:
    from offlabel.web.analytics.services import analysis_run_create, analysis_run_execute

    run = analysis_run_create(topic=topic, kind=kind, params=params, by=by)
    run = analysis_run_execute(run=run)
    assert run.status == run.Status.DONE, run.error
    result: dict[str, Any] = run.result
    return result


@pytest.mark.parametrize(
    ("topic_name", "kind", "params", "cli"),
    [
        ("als_topic", Analysis.MATCHED, {}, ["matched-controls", "--therapy", THERAPY]),
        ("als_topic", Analysis.SLOPE_CHANGE, {}, ["progression", "--therapy", THERAPY]),
        ("dm_topic", Analysis.SURVIVAL, {}, ["survival", "--therapy", THERAPY]),
        (
            "als_topic",
            Analysis.POWER,
            {"outcome": "slope", "effect": 0.25},
            ["power", "--outcome", "slope", "--effect", "0.25"],
        ),
        (
            "dm_topic",
            Analysis.POWER,
            {"outcome": "survival", "hazard_ratio": 0.7},
            ["power", "--outcome", "survival", "--hazard-ratio", "0.7"],
        ),
    ],
)
def test_a_reviewers_run_equals_the_command_line_on_the_export(
    request: Any,
    world: Any,
    exported: Path,
    topic_name: str,
    kind: Analysis,
    params: dict[str, Any],
    cli: list[str],
) -> None:
    topic = request.getfixturevalue(topic_name)
    web = _web_run(topic, kind, params, world.reviewer)
    command, *options = cli
    assert web == _cli(command, str(exported), *options)


@pytest.mark.parametrize(
    ("topic_name", "species", "part", "cli"),
    [
        ("als_topic", "human", "evaluations", ["evaluations", "--therapy", THERAPY]),
        ("dm_topic", "dog", "evaluations", ["evaluations", "--therapy", THERAPY]),
        ("als_topic", "human", "stability", ["stability"]),
        ("dm_topic", "dog", "survival", ["survival", "--therapy", THERAPY]),
    ],
)
def test_the_public_topic_panel_equals_the_command_line_on_the_export(
    request: Any, exported: Path, topic_name: str, species: str, part: str, cli: list[str]
) -> None:
    from offlabel.registry.disclosure import public_summary
    from offlabel.web.analytics.selectors import topic_summary
    from offlabel.web.common.selectors import min_cell

    topic = request.getfixturevalue(topic_name)
    panel = topic_summary(topic)
    command, *options = cli
    if command == "evaluations":
        options += ["--species", species]
    # the public panel is the command line's result under the small-cell rule
    expected = _cli(command, str(exported), *options)
    assert panel[part] == public_summary({part: expected}, min_cell())[part]
